//! `radiome extract`: one image and mask to one row.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use radiome::Extractor;
use radiome::output::{write_csv, write_json};
use radiome::params::Params;

use super::output_writer;

#[derive(Args)]
pub struct ExtractArgs {
    /// The image (NRRD or NIfTI, detected by content).
    image: PathBuf,
    /// The mask / label map (NRRD, 3D Slicer .seg.nrrd, or NIfTI).
    mask: PathBuf,
    /// PyRadiomics parameter file (YAML or JSON) [default: PyRadiomics' defaults].
    #[arg(long)]
    params: Option<PathBuf>,
    /// Label value of the region of interest [default: the parameter file's `label`, else 1].
    #[arg(long)]
    label: Option<i64>,
    /// Where the heavy work runs.
    #[arg(long, value_enum, default_value_t = Device::Cpu)]
    device: Device,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// Output file [default: standard output].
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Also write each image type's filtered image, cropped to the ROI's bounding box as the
    /// feature classes get it, as DIR/<imageTypeName>.nii.gz, and the cropped mask as
    /// DIR/mask.nii.gz [default: not written].
    #[arg(long, value_name = "DIR")]
    save_filtered: Option<PathBuf>,
}

/// Where the heavy work runs.
#[derive(Clone, Copy, ValueEnum)]
pub enum Device {
    Cpu,
    Gpu,
    Auto,
}

impl Device {
    /// Fails for a device this build cannot use.
    pub fn check_available(self) -> anyhow::Result<()> {
        if let Device::Gpu = self {
            anyhow::bail!(
                "--device gpu: the GPU backend is not available yet; use --device cpu or auto"
            );
        }
        Ok(())
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
}

/// The parameter file (or PyRadiomics' defaults) with the command line's label applied.
pub fn load_params(path: Option<&std::path::Path>, label: Option<i64>) -> anyhow::Result<Params> {
    let mut params = match path {
        Some(path) => Params::from_file(path)?,
        None => Params::default(),
    };
    if let Some(label) = label {
        params.set("label", label)?;
    }
    Ok(params)
}

pub fn run(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    args.device.check_available()?;
    let mut extractor = Extractor::new(load_params(args.params.as_deref(), args.label)?);
    if let Some(dir) = args.save_filtered {
        extractor = extractor.with_filtered_output(dir);
    }
    let row = extractor.extract_files(&args.image, &args.mask)?;
    let mut out = output_writer(args.output.as_deref())?;
    match args.format {
        Format::Csv => write_csv(&mut out, std::slice::from_ref(&row))?,
        Format::Json => write_json(&mut out, &row)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

//! `radiome extract`: one image and mask to one row.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use radiome::Extractor;
use radiome::backend::{Backend, DeviceChoice, select_backend};
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
    /// Where the filters, binning and texture matrices run: the CPU reference, a GPU (a software
    /// one such as llvmpipe included), or a hardware GPU when there is one, else the CPU.
    #[arg(long, value_enum, env = "RADIOME_DEVICE", default_value_t = Device::Cpu)]
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
    /// The backend for this choice; under `auto`, says once on standard error what it picked.
    pub fn backend(self) -> anyhow::Result<Box<dyn Backend>> {
        let choice = match self {
            Device::Cpu => DeviceChoice::Cpu,
            Device::Gpu => DeviceChoice::Gpu,
            Device::Auto => DeviceChoice::Auto,
        };
        let (backend, picked) = select_backend(choice)?;
        if let Device::Auto = self {
            eprintln!("radiome: {picked}");
        }
        Ok(backend)
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
    let backend = args.device.backend()?;
    let mut extractor =
        Extractor::new(load_params(args.params.as_deref(), args.label)?).with_backend(backend);
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

//! The `radiome` command line: argument parsing and printing only; the work is in the library.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use radiome::Extractor;
use radiome::compare::{Table, Tolerance, compare};
use radiome::output::{write_csv, write_json};
use radiome::params::Params;

#[derive(Parser)]
#[command(
    name = "radiome",
    version,
    about = "PyRadiomics-exact radiomics features, fast"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract features from one image and mask (PyRadiomics' batch CSV layout, or JSON).
    Extract(ExtractArgs),
    /// Compare a feature table with a reference (e.g. PyRadiomics' CSV), feature by feature.
    Compare {
        /// The reference table (CSV).
        reference: PathBuf,
        /// The table to check (CSV).
        ours: PathBuf,
        /// Relative tolerance.
        #[arg(long, default_value_t = 1e-6)]
        rtol: f64,
        /// Absolute tolerance (for values near zero).
        #[arg(long, default_value_t = 1e-9)]
        atol: f64,
        /// How many of the worst differences to list.
        #[arg(long, default_value_t = 10)]
        worst: usize,
    },
}

#[derive(Args)]
struct ExtractArgs {
    /// The image (NRRD or NIfTI, detected by content).
    image: PathBuf,
    /// The mask / label map (NRRD, 3D Slicer .seg.nrrd, or NIfTI).
    mask: PathBuf,
    /// PyRadiomics parameter file (YAML or JSON); PyRadiomics' defaults without it.
    #[arg(long)]
    params: Option<PathBuf>,
    /// Label value of the region of interest (overrides the parameter file's `label`).
    #[arg(long)]
    label: Option<i64>,
    /// Where the heavy work runs.
    #[arg(long, value_enum, default_value_t = Device::Cpu)]
    device: Device,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// Output file (standard output when omitted).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Also write each image type's filtered image, cropped to the ROI's bounding box as the
    /// feature classes get it, as DIR/<imageTypeName>.nii.gz, and the cropped mask as
    /// DIR/mask.nii.gz.
    #[arg(long, value_name = "DIR")]
    save_filtered: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Device {
    Cpu,
    Gpu,
    Auto,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("radiome: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract(args) => extract(args),
        Command::Compare {
            reference,
            ours,
            rtol,
            atol,
            worst,
        } => {
            let tolerance = Tolerance { rtol, atol };
            let result = compare(&Table::read(&reference)?, &Table::read(&ours)?, tolerance);
            print!("{}", result.report(tolerance, worst));
            Ok(if result.all_agree() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

fn extract(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let ExtractArgs {
        image,
        mask,
        params,
        label,
        device,
        format,
        output,
        save_filtered,
    } = args;
    if let Device::Gpu = device {
        anyhow::bail!(
            "--device gpu: the GPU backend is not available yet; use --device cpu or auto"
        );
    }
    let mut params = match &params {
        Some(path) => Params::from_file(path)?,
        None => Params::default(),
    };
    if let Some(label) = label {
        params.set("label", label)?;
    }
    let mut extractor = Extractor::new(params);
    if let Some(dir) = save_filtered {
        extractor = extractor.with_filtered_output(dir);
    }
    let row = extractor.extract_files(&image, &mask)?;
    let mut out: Box<dyn Write> = match &output {
        Some(path) => Box::new(BufWriter::new(File::create(path).map_err(|e| {
            anyhow::anyhow!("{}: cannot create output file: {e}", path.display())
        })?)),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    match format {
        Format::Csv => write_csv(&mut out, std::slice::from_ref(&row))?,
        Format::Json => write_json(&mut out, &row)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

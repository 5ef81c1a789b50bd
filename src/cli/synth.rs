//! `radiome synth`: a synthetic multi-sequence breast MRI cohort with a manifest.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};

use radiome::cohort::synth::{Design, FileFormat, SynthOptions, VolumeSize, synthesize};

#[derive(Args)]
pub struct SynthArgs {
    /// Number of cases (the study's proportions of HER2 labels and internal/external sets).
    #[arg(long, default_value_t = 252)]
    cases: usize,
    /// Seed: the same seed writes the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder (gets caseNNNN/ folders and manifest.csv).
    #[arg(short, long)]
    output: PathBuf,
    /// Small volumes (about 80 mm around the tumour) instead of the study's geometry.
    #[arg(long)]
    small: bool,
    /// File format of images and masks.
    #[arg(long, value_enum, default_value_t = Format::Nrrd)]
    format: Format,
}

/// File format of images and masks.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Gzip-encoded NRRD.
    Nrrd,
    /// Gzipped NIfTI-1 (.nii.gz).
    Nifti,
}

pub fn run(args: SynthArgs) -> anyhow::Result<ExitCode> {
    let options = SynthOptions {
        cases: args.cases,
        seed: args.seed,
        size: if args.small {
            VolumeSize::Small
        } else {
            VolumeSize::Full
        },
        format: match args.format {
            Format::Nrrd => FileFormat::Nrrd,
            Format::Nifti => FileFormat::Nifti,
        },
    };
    let start = Instant::now();
    synthesize(&args.output, &options)?;
    let d = Design::for_cases(args.cases);
    println!(
        "{}: {} cases in {:.2} s (internal {} HER2+ / {} HER2-, external {} / {})",
        args.output.join("manifest.csv").display(),
        args.cases,
        start.elapsed().as_secs_f64(),
        d.internal_positive,
        d.internal_negative,
        d.external_positive,
        d.external_negative
    );
    Ok(ExitCode::SUCCESS)
}

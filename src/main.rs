//! The `radiome` command line: argument parsing and printing only; the work is in the library.
//! Each subcommand lives in its own file under `cli/`.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    Extract(cli::extract::ExtractArgs),
    /// Compare a feature table with a reference (e.g. PyRadiomics' CSV), feature by feature.
    Compare(cli::compare::CompareArgs),
    /// List the GPU adapters (name, type, API, driver, f64 support).
    Devices(cli::devices::DevicesArgs),
    /// Extract features from every case of a PyRadiomics batch manifest (parallel, resumable).
    Batch(cli::batch::BatchArgs),
    /// Join the outputs of `radiome batch --shard` into one table in manifest order.
    Merge(cli::merge::MergeArgs),
    /// Derive region masks from a label: peritumoral ring, maximum axial slice, another grid.
    Mask(cli::mask::MaskArgs),
    /// Write a synthetic multi-sequence breast MRI cohort (DCE, T2FS, ADC, masks, manifest).
    Synth(cli::synth::SynthArgs),
    /// Statistics of a study table (ROC/DeLong, logit, LASSO, ICC, decision curves, Table 1).
    Stats(cli::stats::StatsArgs),
    /// Fit and evaluate a study's radiomics, clinical and combined models (see a model file).
    Model(cli::model::ModelArgs),
    /// The HER2 study end to end on a synthetic cohort: features, models, report.
    Demo(cli::demo::DemoArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Extract(args) => cli::extract::run(args),
        Command::Compare(args) => cli::compare::run(args),
        Command::Devices(args) => cli::devices::run(args),
        Command::Batch(args) => cli::batch::run(args),
        Command::Merge(args) => cli::merge::run(args),
        Command::Mask(args) => cli::mask::run(args),
        Command::Synth(args) => cli::synth::run(args),
        Command::Stats(args) => cli::stats::run(args),
        Command::Model(args) => cli::model::run(args),
        Command::Demo(args) => cli::demo::run(args),
    };
    result.unwrap_or_else(|e| {
        eprintln!("radiome: {e}");
        ExitCode::FAILURE
    })
}

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
    /// Statistics of a study table (ROC/DeLong, logit, LASSO, ICC, decision curves, Table 1).
    Stats(cli::stats::StatsArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Extract(args) => cli::extract::run(args),
        Command::Compare(args) => cli::compare::run(args),
        Command::Stats(args) => cli::stats::run(args),
    };
    result.unwrap_or_else(|e| {
        eprintln!("radiome: {e}");
        ExitCode::FAILURE
    })
}

//! `radiome compare`: one feature table against a reference.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use radiome::compare::{Table, Tolerance, compare};

#[derive(Args)]
pub struct CompareArgs {
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
}

pub fn run(args: CompareArgs) -> anyhow::Result<ExitCode> {
    let tolerance = Tolerance {
        rtol: args.rtol,
        atol: args.atol,
    };
    let result = compare(
        &Table::read(&args.reference)?,
        &Table::read(&args.ours)?,
        tolerance,
    );
    print!("{}", result.report(tolerance, args.worst));
    Ok(if result.all_agree() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

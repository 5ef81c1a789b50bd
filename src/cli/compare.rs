//! `radiome compare`: one feature table against a reference.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use radiome::compare::{Pairing, Table, Tolerance, compare_paired};

#[derive(Args)]
pub struct CompareArgs {
    /// The reference table (CSV).
    reference: PathBuf,
    /// The table to check (CSV).
    ours: PathBuf,
    /// Relative tolerance.
    #[arg(long, default_value = "1e-6")]
    rtol: f64,
    /// Absolute tolerance (for values near zero).
    #[arg(long, default_value = "1e-9")]
    atol: f64,
    /// How many of the worst differences to list.
    #[arg(long, default_value_t = 10)]
    worst: usize,
    /// How rows are paired: by their Image/Mask names (auto falls back to row order when the
    /// names do not match and both tables have as many rows), or by row order.
    #[arg(long, value_enum, default_value_t = PairArg::Auto)]
    pair: PairArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum PairArg {
    Auto,
    Names,
    Order,
}

pub fn run(args: CompareArgs) -> anyhow::Result<ExitCode> {
    let tolerance = Tolerance {
        rtol: args.rtol,
        atol: args.atol,
    };
    let pairing = match args.pair {
        PairArg::Auto => Pairing::Auto,
        PairArg::Names => Pairing::Names,
        PairArg::Order => Pairing::Order,
    };
    let result = compare_paired(
        &Table::read(&args.reference)?,
        &Table::read(&args.ours)?,
        tolerance,
        pairing,
    );
    print!("{}", result.report(tolerance, args.worst));
    Ok(if result.all_agree() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

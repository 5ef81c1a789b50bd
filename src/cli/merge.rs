//! `radiome merge`: shard outputs of `radiome batch --shard` back into one table.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use radiome::cohort::manifest::Manifest;
use radiome::cohort::merge::merge;

#[derive(Args)]
pub struct MergeArgs {
    /// The shard outputs (CSV, as `radiome batch` writes them).
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// The manifest the shards came from: every row is then expected, and each row's manifest
    /// cells are checked. Without it, only gaps below the last row present are found.
    #[arg(long)]
    manifest: Option<PathBuf>,
    /// Output file (CSV), rows in manifest order.
    #[arg(short, long)]
    output: PathBuf,
}

/// Merges; exit 1 (after writing the table) when cases are missing. Duplicates write nothing.
pub fn run(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let manifest = (args.manifest.as_deref())
        .map(|path| Manifest::read(path, &[]))
        .transpose()?;
    let report = merge(&args.shards, manifest.as_ref(), &args.output)?;
    eprintln!(
        "radiome merge: {} cases ({} failed) written to {}",
        report.rows,
        report.failed,
        args.output.display()
    );
    if report.missing.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<String> = report.missing.iter().map(usize::to_string).collect();
    eprintln!(
        "radiome merge: {} cases missing (manifest rows {})",
        rows.len(),
        rows.join(", ")
    );
    Ok(ExitCode::FAILURE)
}

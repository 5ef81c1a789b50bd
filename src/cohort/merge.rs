//! Joining the outputs of a sharded batch (`radiome batch --shard K/N` on several machines) into
//! one table in manifest order, keyed by each output's `manifest_row` column.

use std::path::{Path, PathBuf};

use super::manifest::Manifest;
use super::table::{CaseTable, ERROR_COLUMN, read_rows};
use super::writer::check_row_matches;
use crate::Result;

/// What a merge found.
#[derive(Clone, Debug, Default)]
pub struct MergeReport {
    /// Rows written.
    pub rows: usize,
    /// Rows that hold a failed case.
    pub failed: usize,
    /// Manifest rows absent from every input: those of the manifest when one is given, otherwise
    /// the gaps below the largest row present.
    pub missing: Vec<usize>,
}

/// Reads `inputs`, refuses a manifest row present twice (naming the file), checks the rows
/// against `manifest` when given, and writes the union to `output` in manifest order.
pub fn merge(
    inputs: &[PathBuf],
    manifest: Option<&Manifest>,
    output: &Path,
) -> Result<MergeReport> {
    let mut table = CaseTable::default();
    for input in inputs {
        let (header, rows) = read_rows(input, false)?;
        if let Some(manifest) = manifest {
            for row in &rows {
                check_row_matches(input, &header, row, manifest)?;
            }
        }
        table.add_file(input, header, rows)?;
    }
    let expected = match manifest {
        Some(manifest) => manifest.cases.len(),
        None => table.rows.keys().next_back().copied().unwrap_or(0),
    };
    let report = MergeReport {
        rows: table.rows.len(),
        failed: (table.rows.keys())
            .filter(|&&key| !table.cell(key, ERROR_COLUMN).unwrap_or("").is_empty())
            .count(),
        missing: (1..=expected)
            .filter(|key| !table.rows.contains_key(key))
            .collect(),
    };
    table.write(output)?;
    Ok(report)
}

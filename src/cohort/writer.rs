//! The batch output file while a batch runs: each finished case is appended as one whole row
//! and synced to disk at once, in completion order, so that a killed run keeps every case it
//! finished and leaves a valid CSV (the `manifest_row` column orders it); [`CohortWriter::finish`]
//! rewrites it in manifest order.
//!
//! When a row brings columns the file lacks (the first case's features after a header of
//! manifest columns only; a 2D case among 3D ones), the file is rewritten with the wider header
//! first (to a temporary file, then renamed, so it is valid at every moment).

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::manifest::{Manifest, ROW_COLUMN};
use super::table::{CaseTable, Columns, ERROR_COLUMN, ReadRow, read_rows};
use crate::{Error, Result};

/// One case's output row: (column, cell) pairs in order.
pub type CaseRow = Vec<(String, String)>;

/// The output file of a running batch.
pub struct CohortWriter {
    path: PathBuf,
    file: File,
    columns: Columns,
}

/// The columns every output starts with: the key, the manifest's columns and `error`.
fn leading_columns(manifest: &Manifest) -> Vec<&str> {
    std::iter::once(ROW_COLUMN)
        .chain(manifest.columns.iter().map(String::as_str))
        .chain(std::iter::once(ERROR_COLUMN))
        .collect()
}

impl CohortWriter {
    /// Creates (or truncates) the output with the leading columns as its header.
    pub fn create(path: &Path, manifest: &Manifest) -> Result<CohortWriter> {
        let mut table = CaseTable::default();
        table.columns.absorb(leading_columns(manifest));
        Self::rewrite(path, &table)
    }

    /// Reopens an existing output to continue a batch: returns the writer and the manifest rows
    /// already done. Failed cases (rows with an error) are removed, to be run again; a row cut
    /// short by a kill is dropped. Refuses an output whose rows do not match the manifest's
    /// cells (the output of another manifest, or of an edited one).
    pub fn resume(path: &Path, manifest: &Manifest) -> Result<(CohortWriter, BTreeSet<usize>)> {
        let (header, rows) = read_rows(path, true)?;
        for row in &rows {
            check_row_matches(path, &header, row, manifest)?;
        }
        let mut table = CaseTable::default();
        table.columns.absorb(leading_columns(manifest));
        table.add_file(path, header, rows)?;
        let failed: Vec<usize> = (table.rows.keys().copied())
            .filter(|&key| !table_cell(&table, key, ERROR_COLUMN).is_empty())
            .collect();
        for key in failed {
            table.rows.remove(&key);
        }
        let done = table.rows.keys().copied().collect();
        Ok((Self::rewrite(path, &table)?, done))
    }

    /// Writes `table` to `path` (atomically) and opens it for appending.
    fn rewrite(path: &Path, table: &CaseTable) -> Result<CohortWriter> {
        table.write(path)?;
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(CohortWriter {
            path: path.to_path_buf(),
            file,
            columns: table.columns.clone(),
        })
    }

    /// Appends one case's row (widening the file's header first if the row has new columns) and
    /// syncs it to disk.
    pub fn append(&mut self, row: &CaseRow) -> Result<()> {
        let mut widened = self.columns.clone();
        if widened.absorb(row.iter().map(|(name, _)| name.as_str())) {
            let mut table = CaseTable::default();
            let (header, rows) = read_rows(&self.path, false)?;
            table.add_file(&self.path, header, rows)?;
            table.columns = widened;
            *self = Self::rewrite(&self.path, &table)?;
        }
        let cells = self
            .columns
            .record(row.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let mut line = csv::Writer::from_writer(Vec::new());
        line.write_record(&cells)
            .map_err(|e| Error::format(&self.path, format!("cannot write: {e}")))?;
        let line = line
            .into_inner()
            .map_err(|e| Error::format(&self.path, format!("cannot write: {e}")))?;
        let io = |source| Error::Io {
            path: self.path.clone(),
            source,
        };
        self.file.write_all(&line).map_err(io)?;
        self.file.sync_data().map_err(io)
    }

    /// Rewrites the output with its rows in manifest order.
    pub fn finish(self) -> Result<()> {
        let (header, rows) = read_rows(&self.path, false)?;
        let mut table = CaseTable {
            columns: self.columns,
            ..CaseTable::default()
        };
        table.add_file(&self.path, header, rows)?;
        table.write(&self.path)
    }
}

/// A cell of a table's row (empty when absent).
fn table_cell<'a>(table: &'a CaseTable, key: usize, name: &str) -> &'a str {
    table.cell(key, name).unwrap_or("")
}

/// Fails unless `row` (of a file at `path` with `header`) has the cells of its manifest row in
/// every manifest column.
pub fn check_row_matches(
    path: &Path,
    header: &[String],
    row: &ReadRow,
    manifest: &Manifest,
) -> Result<()> {
    let key = row.key;
    let Some(case) = manifest.cases.get(key - 1) else {
        return Err(Error::format(
            path,
            format!(
                "has manifest row {key}, but {} has {} rows: not an output of this manifest",
                manifest.path.display(),
                manifest.cases.len()
            ),
        ));
    };
    for (column, theirs) in manifest.columns.iter().zip(&case.cells) {
        let at = header.iter().position(|h| h == column);
        let ours = at.map_or("", |at| row.cells[at].as_str());
        if ours != theirs {
            return Err(Error::format(
                path,
                format!(
                    "manifest row {key} has {column} \"{ours}\", but {} has \"{theirs}\": not an output of this manifest",
                    manifest.path.display()
                ),
            ));
        }
    }
    Ok(())
}

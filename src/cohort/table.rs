//! Cohort output tables: PyRadiomics' batch CSV layout with a leading `manifest_row` key, read,
//! joined and written in manifest order.
//!
//! Rows of different cases may carry different columns (an `error` row has no features; a 2D
//! case has other shape features than a 3D one). Their union keeps every input's order: a column
//! new to the union is placed right after the column that precedes it in the row that brings it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexSet;

use super::manifest::ROW_COLUMN;
use crate::{Error, Result};

/// The column holding a failed case's error message.
pub const ERROR_COLUMN: &str = "error";

/// An ordered set of column names, grown by [`Columns::absorb`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Columns(IndexSet<String>);

impl Columns {
    /// The columns in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Adds the names of `row` not yet present, each right after its predecessor in `row`
    /// (at the start when it has none); returns whether any was added.
    pub fn absorb<'a>(&mut self, row: impl IntoIterator<Item = &'a str>) -> bool {
        let mut added = false;
        let mut insert_at = 0;
        for name in row {
            match self.0.get_index_of(name) {
                Some(at) => insert_at = at + 1,
                None => {
                    self.0.shift_insert(insert_at, name.to_string());
                    insert_at += 1;
                    added = true;
                }
            }
        }
        added
    }

    /// The cells of `row` (name, value pairs) in this column order; absent columns are empty.
    pub fn record<'a>(&self, row: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
        let mut cells = vec![String::new(); self.0.len()];
        for (name, value) in row {
            if let Some(at) = self.0.get_index_of(name) {
                cells[at] = value.to_string();
            }
        }
        cells
    }
}

/// A cohort table held in memory: the union of its files' columns, and its rows keyed by
/// manifest row, each with the header of the file it came from.
#[derive(Clone, Debug, Default)]
pub struct CaseTable {
    pub columns: Columns,
    /// Rows by manifest row number: (the header of the row's file, its cells).
    pub rows: BTreeMap<usize, (Arc<Vec<String>>, Vec<String>)>,
}

/// One row read from a file: its manifest row number and its cells.
pub struct ReadRow {
    pub key: usize,
    pub cells: Vec<String>,
}

impl CaseTable {
    /// Adds the rows of one file (see [`read_rows`]); a manifest row already present is an
    /// error naming `path`.
    pub fn add_file(&mut self, path: &Path, header: Vec<String>, rows: Vec<ReadRow>) -> Result<()> {
        self.columns.absorb(header.iter().map(String::as_str));
        let header = Arc::new(header);
        for row in rows {
            if self.rows.contains_key(&row.key) {
                return Err(Error::format(
                    path,
                    format!(
                        "manifest row {} appears twice (refusing duplicates)",
                        row.key
                    ),
                ));
            }
            self.rows.insert(row.key, (Arc::clone(&header), row.cells));
        }
        Ok(())
    }

    /// The cell of row `key` in column `name` (empty when the row lacks the column).
    pub fn cell(&self, key: usize, name: &str) -> Option<&str> {
        let (header, cells) = self.rows.get(&key)?;
        let at = header.iter().position(|h| h == name)?;
        Some(&cells[at])
    }

    /// Writes the table as CSV to `path` atomically (a temporary file beside it, then renamed),
    /// rows in manifest order.
    pub fn write(&self, path: &Path) -> Result<()> {
        let temporary = temporary_beside(path);
        let io = |source| Error::Io {
            path: temporary.clone(),
            source,
        };
        let file = std::fs::File::create(&temporary).map_err(io)?;
        let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(file));
        let csv_error = |e: csv::Error| Error::format(&temporary, format!("cannot write: {e}"));
        writer
            .write_record(self.columns.names())
            .map_err(csv_error)?;
        for (header, cells) in self.rows.values() {
            let named = header
                .iter()
                .map(String::as_str)
                .zip(cells.iter().map(String::as_str));
            writer
                .write_record(self.columns.record(named))
                .map_err(csv_error)?;
        }
        let file = writer
            .into_inner()
            .map_err(|e| Error::format(&temporary, format!("cannot write: {e}")))?
            .into_inner()
            .map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&temporary, path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// `DIR/.NAME.tmp` for `DIR/NAME`.
pub fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp"))
}

/// Reads a cohort table's header and rows. With `tolerate_torn_tail`, a last line without its
/// newline (a row cut short when a run was killed mid-write) is dropped; otherwise it is read
/// like any row.
pub fn read_rows(path: &Path, tolerate_torn_tail: bool) -> Result<(Vec<String>, Vec<ReadRow>)> {
    let mut bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if tolerate_torn_tail && !bytes.ends_with(b"\n") {
        let keep = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        bytes.truncate(keep);
    }
    let bad = |message: String| Error::format(path, message);
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| bad(format!("not a readable CSV table: {e}")))?
        .iter()
        .map(String::from)
        .collect();
    if header.first().map(String::as_str) != Some(ROW_COLUMN) {
        return Err(bad(format!(
            "is not a radiome batch output (its first column is not \"{ROW_COLUMN}\")"
        )));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| bad(format!("line {}: {e}", i + 2)))?;
        let key = record[0].parse().ok().filter(|&k| k > 0).ok_or_else(|| {
            bad(format!(
                "line {}: bad {ROW_COLUMN} \"{}\"",
                i + 2,
                &record[0]
            ))
        })?;
        rows.push(ReadRow {
            key,
            cells: record.iter().map(String::from).collect(),
        });
    }
    Ok((header, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_columns_follow_their_predecessor() {
        let mut columns = Columns::default();
        assert!(columns.absorb(["manifest_row", "Image", "Mask", "error"]));
        assert!(columns.absorb(["manifest_row", "Image", "Mask", "error", "f1", "f2"]));
        assert!(columns.absorb(["manifest_row", "error", "f0", "f1", "f3"]));
        assert!(!columns.absorb(["Image", "f3"]));
        let names: Vec<&str> = columns.names().collect();
        assert_eq!(
            names,
            [
                "manifest_row",
                "Image",
                "Mask",
                "error",
                "f0",
                "f1",
                "f3",
                "f2"
            ]
        );
        assert_eq!(
            columns.record([("f3", "x"), ("Mask", "m"), ("other", "y")]),
            ["", "", "m", "", "", "", "x", ""]
        );
    }
}

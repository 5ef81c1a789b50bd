//! PyRadiomics' batch manifest: a CSV with one case per row, columns `Image` and `Mask`
//! (required for a plain batch; a study names its own path columns), `Label` and
//! `Label_channel` (optional), and any others (carried through to the output).
//!
//! Relative paths are taken relative to the folder that holds the manifest, as PyRadiomics'
//! batch mode does (`os.path.join(os.path.dirname(manifest), path)`), so a manifest and its
//! images can move together. The cells themselves are written to the output as the manifest has
//! them.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// The output column that holds each case's manifest row (see [`Case::row`]); a manifest may not
/// have a column of this name.
pub const ROW_COLUMN: &str = "manifest_row";

/// A batch manifest, read whole.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// The manifest file.
    pub path: PathBuf,
    /// The folder relative paths are resolved against (the manifest's).
    pub base: PathBuf,
    /// Its header, in file order.
    pub columns: Vec<String>,
    /// Its cases, in file order.
    pub cases: Vec<Case>,
}

/// One row of a manifest.
#[derive(Clone, Debug)]
pub struct Case {
    /// The 1-based number of the row among the manifest's data rows (the header not counted):
    /// the key that orders, resumes and merges outputs.
    pub row: usize,
    /// The cells, one per manifest column.
    pub cells: Vec<String>,
}

impl Manifest {
    /// Reads a manifest with the columns `required` (e.g. `Image` and `Mask`); fails (naming
    /// the file) on an unreadable CSV, a missing column, or a column named [`ROW_COLUMN`].
    pub fn read(path: &Path, required: &[&str]) -> Result<Manifest> {
        let bad = |message: String| Error::format(path, message);
        let mut reader = csv::Reader::from_path(path).map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(source) => Error::Io {
                path: path.to_path_buf(),
                source,
            },
            other => bad(format!("not a readable CSV file: {other:?}")),
        })?;
        let columns: Vec<String> = reader
            .headers()
            .map_err(|e| bad(format!("not a readable CSV file: {e}")))?
            .iter()
            .map(String::from)
            .collect();
        if let Some(name) = required
            .iter()
            .find(|&&name| !columns.iter().any(|c| c == name))
        {
            let all: Vec<String> = required.iter().map(|n| format!("\"{n}\"")).collect();
            return Err(bad(format!(
                "has no \"{name}\" column (needed: {})",
                all.join(", ")
            )));
        }
        if columns.iter().any(|c| c == ROW_COLUMN) {
            return Err(bad(format!(
                "has a column named \"{ROW_COLUMN}\", which radiome's output reserves"
            )));
        }
        let mut cases = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| bad(format!("row {}: {e}", i + 1)))?;
            cases.push(Case {
                row: i + 1,
                cells: record.iter().map(String::from).collect(),
            });
        }
        Ok(Manifest {
            path: path.to_path_buf(),
            base: path.parent().unwrap_or(Path::new("")).to_path_buf(),
            columns,
            cases,
        })
    }

    /// The cell of `case` in column `name`, if the manifest has that column.
    pub fn cell<'a>(&self, case: &'a Case, name: &str) -> Option<&'a str> {
        let col = self.columns.iter().position(|c| c == name)?;
        Some(&case.cells[col])
    }

    /// The path in column `name` of `case`, resolved against the manifest's folder (`None` when
    /// the manifest has no such column or the cell is empty).
    pub fn path(&self, case: &Case, name: &str) -> Option<PathBuf> {
        let cell = self.cell(case, name)?;
        (!cell.is_empty()).then(|| self.base.join(cell))
    }

    /// The case's `Label` (PyRadiomics' per-case label override); `None` when the column is
    /// absent or the cell empty.
    pub fn label(&self, case: &Case) -> std::result::Result<Option<i64>, String> {
        self.integer_cell(case, "Label")
    }

    /// The case's `Label_channel` (the layer of a multi-layer mask); `None` when absent or empty.
    pub fn label_channel(&self, case: &Case) -> std::result::Result<Option<i64>, String> {
        self.integer_cell(case, "Label_channel")
    }

    fn integer_cell(&self, case: &Case, name: &str) -> std::result::Result<Option<i64>, String> {
        match self.cell(case, name).map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => text.parse().map(Some).map_err(|_| {
                format!(
                    "{}: row {}: {name} \"{text}\" is not an integer",
                    self.path.display(),
                    case.row
                )
            }),
        }
    }
}

/// A deterministic slice of a manifest for one of N machines: shard K of N (1-based) holds the
/// cases whose row number `r` (1-based) has `(r - 1) mod N == K - 1`, i.e. rows K, K + N, K + 2N, ….
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Whether the case with 1-based manifest row `row` belongs to this shard.
    pub fn contains(&self, row: usize) -> bool {
        (row - 1) % self.count == self.index - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// Parses `K/N` with 1 <= K <= N.
    fn from_str(text: &str) -> std::result::Result<Shard, String> {
        let bad = || format!("shard \"{text}\" is not K/N with 1 <= K <= N (e.g. 2/8)");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("radiome-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn paths_are_relative_to_the_manifest_and_cells_kept() {
        let path = write(
            "a.csv",
            "ID,Image,Mask,Label\np1,img/a.nrrd,/abs/m.nrrd,2\np2,b.nrrd,c.nrrd,\n",
        );
        let m = Manifest::read(&path, &["Image", "Mask"]).unwrap();
        let dir = path.parent().unwrap();
        assert_eq!(m.columns, ["ID", "Image", "Mask", "Label"]);
        assert_eq!(m.path(&m.cases[0], "Image"), Some(dir.join("img/a.nrrd")));
        assert_eq!(
            m.path(&m.cases[0], "Mask"),
            Some(PathBuf::from("/abs/m.nrrd"))
        );
        assert_eq!(m.path(&m.cases[0], "Other"), None);
        assert_eq!(m.cases[1].row, 2);
        assert_eq!(m.cases[0].cells[1], "img/a.nrrd");
        assert_eq!(m.label(&m.cases[0]), Ok(Some(2)));
        assert_eq!(m.label(&m.cases[1]), Ok(None));
        assert_eq!(m.label_channel(&m.cases[0]), Ok(None));
    }

    #[test]
    fn a_bad_label_names_the_row() {
        let path = write("b.csv", "Image,Mask,Label\na,b,x\n");
        let m = Manifest::read(&path, &[]).unwrap();
        let message = m.label(&m.cases[0]).unwrap_err();
        assert!(message.contains("row 1: Label \"x\""), "{message}");
    }

    #[test]
    fn missing_and_reserved_columns_are_refused() {
        let e =
            Manifest::read(&write("c.csv", "Image,Maks\na,b\n"), &["Image", "Mask"]).unwrap_err();
        assert!(e.to_string().contains("no \"Mask\" column"), "{e}");
        let e =
            Manifest::read(&write("d.csv", "Image,Mask,manifest_row\na,b,1\n"), &[]).unwrap_err();
        assert!(e.to_string().contains("reserves"), "{e}");
    }

    #[test]
    fn shards_partition_the_rows() {
        let shards: Vec<Shard> = (1..=3).map(|k| format!("{k}/3").parse().unwrap()).collect();
        for row in 1..=10 {
            let owners = shards.iter().filter(|s| s.contains(row)).count();
            assert_eq!(owners, 1, "row {row}");
        }
        assert!(shards[1].contains(2) && shards[1].contains(5));
        for bad in ["0/3", "4/3", "1", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}

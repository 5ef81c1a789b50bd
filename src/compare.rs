//! `radiome compare`: check one feature table against another (typically PyRadiomics' CSV against
//! ours), feature by feature, within a relative and absolute tolerance.

use std::fmt::Write as _;
use std::path::Path;

use indexmap::IndexMap;

use crate::{Error, Result};

/// Tolerances: values `r` (reference) and `o` agree when `|r - o| <= atol + rtol * |r|`.
#[derive(Clone, Copy, Debug)]
pub struct Tolerance {
    pub rtol: f64,
    pub atol: f64,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            rtol: 1e-6,
            atol: 1e-9,
        }
    }
}

impl Tolerance {
    /// Whether two table cells agree: numbers within tolerance (NaN equals NaN), otherwise equal text.
    pub fn agrees(&self, reference: &str, ours: &str) -> bool {
        match (parse_number(reference), parse_number(ours)) {
            (Some(r), Some(o)) => {
                (r.is_nan() && o.is_nan())
                    || r == o
                    || (r - o).abs() <= self.atol + self.rtol * r.abs()
            }
            _ => reference.trim() == ours.trim(),
        }
    }
}

/// A feature table: header and rows of text cells.
#[derive(Clone, Debug)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads a CSV table (PyRadiomics' batch layout or ours).
    pub fn read(path: &Path) -> Result<Table> {
        let bad = |e: csv::Error| Error::format(path, format!("not a readable CSV table: {e}"));
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_path(path)
            .map_err(|e| match e.kind() {
                csv::ErrorKind::Io(_) => Error::format(path, "cannot open file"),
                _ => bad(e),
            })?;
        let header = reader
            .headers()
            .map_err(bad)?
            .iter()
            .map(String::from)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.map(|rec| rec.iter().map(String::from).collect()))
            .collect::<std::result::Result<Vec<Vec<String>>, _>>()
            .map_err(bad)?;
        Ok(Table { header, rows })
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// Row keys for pairing: `(Image, Mask)` when both columns exist.
    fn row_keys(&self) -> Option<Vec<(String, String)>> {
        let (i, m) = (self.column("Image")?, self.column("Mask")?);
        Some(
            self.rows
                .iter()
                .map(|r| (r[i].clone(), r[m].clone()))
                .collect(),
        )
    }
}

/// One feature value that disagrees.
#[derive(Clone, Debug)]
pub struct Difference {
    pub row: usize,
    pub feature: String,
    pub reference: String,
    pub ours: String,
    /// `|r - o| / |r|` (infinite when not comparable as numbers).
    pub relative: f64,
}

/// Agreement counts of one image type and feature class, e.g. `original_glcm`.
#[derive(Clone, Debug, Default)]
pub struct GroupCount {
    pub agree: usize,
    pub total: usize,
}

/// The outcome of comparing two tables.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    pub groups: IndexMap<String, GroupCount>,
    pub differences: Vec<Difference>,
    /// Reference features absent from our table (`feature`, or `row N` for a missing row).
    pub missing: Vec<String>,
    pub rows: usize,
    /// How the rows were paired.
    pub paired_by: Pairing,
}

/// How the rows of the two tables are paired.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pairing {
    /// By `Image`/`Mask` names; by order when the names do not match but the row counts do.
    #[default]
    Auto,
    /// By the `Image`/`Mask` cells (exactly, else by file name).
    Names,
    /// Row `i` with row `i`.
    Order,
}

impl Comparison {
    /// Number of reference values compared or missing.
    pub fn total(&self) -> usize {
        self.groups.values().map(|g| g.total).sum()
    }

    /// Number of values that agree.
    pub fn agreeing(&self) -> usize {
        self.groups.values().map(|g| g.agree).sum()
    }

    /// True when every reference value is present and agrees.
    pub fn all_agree(&self) -> bool {
        self.differences.is_empty() && self.missing.is_empty()
    }

    /// Human-readable report: one line per group, the worst differences, and a summary line.
    pub fn report(&self, tolerance: Tolerance, worst: usize) -> String {
        let mut out = String::new();
        if self.paired_by == Pairing::Order {
            let _ = writeln!(out, "rows paired by order");
        }
        for (group, count) in &self.groups {
            let _ = writeln!(
                out,
                "{group:40} {:>6}/{:<6} agree",
                count.agree, count.total
            );
        }
        let mut sorted = self.differences.clone();
        sorted.sort_by(|a, b| b.relative.total_cmp(&a.relative));
        if !sorted.is_empty() {
            let _ = writeln!(out, "worst differences:");
            for d in sorted.iter().take(worst) {
                let _ = writeln!(
                    out,
                    "  row {} {}: reference {} ours {} (relative {:.3e})",
                    d.row + 1,
                    d.feature,
                    d.reference,
                    d.ours,
                    d.relative
                );
            }
        }
        for m in self.missing.iter().take(worst) {
            let _ = writeln!(out, "  missing: {m}");
        }
        let _ = writeln!(
            out,
            "summary: {}/{} feature values agree within rtol {:e}, atol {:e} over {} row(s); {} differ, {} missing",
            self.agreeing(),
            self.total(),
            tolerance.rtol,
            tolerance.atol,
            self.rows,
            self.differences.len(),
            self.missing.len()
        );
        out
    }
}

/// Compares every feature column of `reference` (columns other than `Image`, `Mask` and
/// `diagnostics_*`) with the same column of `ours`, rows paired as [`Pairing::Auto`] says.
pub fn compare(reference: &Table, ours: &Table, tolerance: Tolerance) -> Comparison {
    compare_paired(reference, ours, tolerance, Pairing::Auto)
}

/// [`compare`] with the rows paired as `pairing` says.
pub fn compare_paired(
    reference: &Table,
    ours: &Table,
    tolerance: Tolerance,
    pairing: Pairing,
) -> Comparison {
    let (pairs, paired_by) = pair_rows(reference, ours, pairing);
    let mut result = Comparison {
        rows: reference.rows.len(),
        paired_by,
        ..Comparison::default()
    };
    let features: Vec<(usize, &String)> = reference
        .header
        .iter()
        .enumerate()
        .filter(|(_, h)| !is_metadata(h))
        .collect();
    for (ref_row, our_row) in pairs.iter().enumerate() {
        for &(col, name) in &features {
            let group = result.groups.entry(group_of(name)).or_default();
            group.total += 1;
            let Some(our_row) = our_row else {
                continue;
            };
            let reference_cell = &reference.rows[ref_row][col];
            let Some(our_col) = ours.column(name) else {
                if ref_row == 0 {
                    result.missing.push(name.clone());
                }
                continue;
            };
            let our_cell = &ours.rows[*our_row][our_col];
            if tolerance.agrees(reference_cell, our_cell) {
                group.agree += 1;
            } else {
                result.differences.push(Difference {
                    row: ref_row,
                    feature: name.clone(),
                    reference: reference_cell.clone(),
                    ours: our_cell.clone(),
                    relative: relative_difference(reference_cell, our_cell),
                });
            }
        }
        if our_row.is_none() {
            result
                .missing
                .push(format!("row {} (no matching row)", ref_row + 1));
        }
    }
    result
}

/// Columns that are not features: the batch input columns PyRadiomics copies into its output
/// (`Image`, `Mask`, `Label`, `Label_channel`) and the `diagnostics_*` entries.
fn is_metadata(column: &str) -> bool {
    matches!(column, "Image" | "Mask" | "Label" | "Label_channel")
        || column.starts_with("diagnostics_")
}

/// `original_glcm_Contrast` -> `original_glcm`.
fn group_of(feature: &str) -> String {
    match feature.rsplit_once('_') {
        Some((group, _)) => group.to_string(),
        None => feature.to_string(),
    }
}

/// The row of `ours` paired with each row of `reference`, and how they were paired. Without
/// `Image`/`Mask` columns in both tables, rows are paired by order.
fn pair_rows(reference: &Table, ours: &Table, pairing: Pairing) -> (Vec<Option<usize>>, Pairing) {
    let by_order = || {
        let pairs = (0..reference.rows.len())
            .map(|i| (i < ours.rows.len()).then_some(i))
            .collect();
        (pairs, Pairing::Order)
    };
    let (Some(ref_keys), Some(our_keys)) = (reference.row_keys(), ours.row_keys()) else {
        return by_order();
    };
    if pairing == Pairing::Order {
        return by_order();
    }
    let by_names: Vec<Option<usize>> = ref_keys
        .iter()
        .map(|key| {
            our_keys
                .iter()
                .position(|k| k == key)
                .or_else(|| our_keys.iter().position(|k| same_files(k, key)))
        })
        .collect();
    let names_fail = by_names.iter().any(Option::is_none);
    if pairing == Pairing::Auto && names_fail && ref_keys.len() == our_keys.len() {
        return by_order();
    }
    (by_names, Pairing::Names)
}

fn same_files(a: &(String, String), b: &(String, String)) -> bool {
    let name = |p: &str| Path::new(p).file_name().map(|n| n.to_os_string());
    name(&a.0) == name(&b.0) && name(&a.1) == name(&b.1)
}

fn parse_number(cell: &str) -> Option<f64> {
    cell.trim().parse::<f64>().ok()
}

fn relative_difference(reference: &str, ours: &str) -> f64 {
    match (parse_number(reference), parse_number(ours)) {
        (Some(r), Some(o)) if r != 0.0 => ((r - o) / r).abs(),
        (Some(r), Some(o)) => (r - o).abs(),
        _ => f64::INFINITY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(header: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn batch_input_columns_are_not_features() {
        let reference = table(
            &[
                "Image",
                "Mask",
                "Label",
                "Label_channel",
                "original_glcm_Contrast",
            ],
            &[&["a.nrrd", "am.nrrd", "2", "0", "1.0"]],
        );
        let ours = table(
            &["Image", "Mask", "original_glcm_Contrast"],
            &[&["a.nrrd", "am.nrrd", "1.0"]],
        );
        let c = compare(&reference, &ours, Tolerance::default());
        assert!(c.all_agree(), "{}", c.report(Tolerance::default(), 5));
        assert_eq!(c.total(), 1);
    }

    #[test]
    fn tolerance_is_relative_plus_absolute() {
        let t = Tolerance::default();
        assert!(t.agrees("1000.0", "1000.0009"));
        assert!(!t.agrees("1000.0", "1000.002"));
        assert!(t.agrees("0.0", "1e-10"));
        assert!(!t.agrees("0.0", "1e-8"));
        assert!(t.agrees("nan", "nan"));
        assert!(!t.agrees("nan", "1.0"));
    }

    #[test]
    fn pairs_rows_by_image_and_mask_file_names() {
        let reference = table(
            &["Image", "Mask", "diagnostics_x", "original_glcm_Contrast"],
            &[
                &["a.nrrd", "am.nrrd", "?", "1.0"],
                &["b.nrrd", "bm.nrrd", "?", "2.0"],
            ],
        );
        let ours = table(
            &["Image", "Mask", "original_glcm_Contrast"],
            &[
                &["/x/b.nrrd", "/x/bm.nrrd", "2.0"],
                &["/x/a.nrrd", "/x/am.nrrd", "1.0"],
            ],
        );
        let c = compare(&reference, &ours, Tolerance::default());
        assert!(c.all_agree(), "{}", c.report(Tolerance::default(), 5));
        assert_eq!(c.total(), 2);
    }

    fn named_rows(names: [&str; 2], values: [&str; 2]) -> Table {
        table(
            &["Image", "Mask", "original_glcm_Contrast"],
            &[
                &[names[0], "m.nrrd", values[0]],
                &[names[1], "m.nrrd", values[1]],
            ],
        )
    }

    #[test]
    fn pairs_by_order_when_names_differ_and_row_counts_match() {
        let reference = named_rows(["a.nrrd", "b.nrrd"], ["1.0", "2.0"]);
        let ours = named_rows(["x.nii.gz", "y.nii.gz"], ["1.0", "2.0"]);
        let c = compare(&reference, &ours, Tolerance::default());
        assert!(c.all_agree(), "{}", c.report(Tolerance::default(), 5));
        assert_eq!(c.paired_by, Pairing::Order);
        assert!(
            c.report(Tolerance::default(), 5)
                .starts_with("rows paired by order\n")
        );
        let forced = compare_paired(&reference, &ours, Tolerance::default(), Pairing::Names);
        assert_eq!(forced.paired_by, Pairing::Names);
        assert_eq!(forced.missing.len(), 2, "{:?}", forced.missing);
    }

    #[test]
    fn forced_order_ignores_matching_names() {
        let reference = named_rows(["a.nrrd", "b.nrrd"], ["1.0", "2.0"]);
        let ours = named_rows(["b.nrrd", "a.nrrd"], ["2.0", "1.0"]);
        assert!(compare(&reference, &ours, Tolerance::default()).all_agree());
        let forced = compare_paired(&reference, &ours, Tolerance::default(), Pairing::Order);
        assert_eq!(forced.differences.len(), 2);
    }

    #[test]
    fn reports_differences_and_missing_features() {
        let reference = table(
            &[
                "original_glcm_Contrast",
                "original_glcm_Idmn",
                "original_shape_VoxelVolume",
            ],
            &[&["1.0", "0.5", "10.0"]],
        );
        let ours = table(
            &["original_glcm_Contrast", "original_glcm_Idmn"],
            &[&["1.0", "0.6"]],
        );
        let c = compare(&reference, &ours, Tolerance::default());
        assert!(!c.all_agree());
        assert_eq!(c.differences.len(), 1);
        assert_eq!(c.differences[0].feature, "original_glcm_Idmn");
        assert_eq!(c.missing, vec!["original_shape_VoxelVolume".to_string()]);
        assert_eq!(c.groups["original_glcm"].agree, 1);
        let report = c.report(Tolerance::default(), 5);
        assert!(report.contains("summary: 1/3"), "{report}");
    }
}

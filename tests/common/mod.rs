//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The bundled test data folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// PyRadiomics' test cases (images, masks, baseline).
pub fn data() -> PathBuf {
    fixtures().join("pyradiomics-data")
}

/// `|reference - ours| <= 1e-9 + 1e-6 |reference|`, NaN equal to NaN.
pub fn within_tolerance(reference: f64, ours: f64) -> bool {
    (reference.is_nan() && ours.is_nan())
        || (reference - ours).abs() <= 1e-9 + 1e-6 * reference.abs()
}

/// A CSV whose first column names the rows (PyRadiomics' baseline layout: features as rows,
/// test configurations as columns).
pub struct Transposed {
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

impl Transposed {
    pub fn read(path: &Path) -> Transposed {
        let mut reader = csv::Reader::from_path(path).expect("baseline CSV");
        let columns = reader
            .headers()
            .unwrap()
            .iter()
            .skip(1)
            .map(String::from)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (
                    r[0].to_string(),
                    r.iter().skip(1).map(String::from).collect(),
                )
            })
            .collect();
        Transposed { columns, rows }
    }

    pub fn row(&self, name: &str) -> &[String] {
        &self.rows.iter().find(|(n, _)| n == name).expect(name).1
    }
}

/// PyRadiomics' `diagnostics_Configuration_Settings` (a Python dict literal) as a YAML flow
/// mapping for a parameter file's `setting:` block, dropping `None` values as PyRadiomics' own
/// baseline test does.
pub fn python_settings_to_yaml(dict: &str) -> String {
    let inner = dict.trim().trim_start_matches('{').trim_end_matches('}');
    let mut kept = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    let bytes = inner.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'[' | b'(' => depth += 1,
            b']' | b')' => depth -= 1,
            b',' if depth == 0 => {
                kept.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    kept.push(&inner[start..]);
    let entries: Vec<String> = kept
        .into_iter()
        .map(str::trim)
        .filter(|e| !e.is_empty() && !e.ends_with(": None"))
        .map(|e| e.replace("True", "true").replace("False", "false"))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

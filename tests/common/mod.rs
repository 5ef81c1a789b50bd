//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, OnceLock};

use ndarray::{Array3, ArrayD, IxDyn, ShapeBuilder};

/// A 64-bit linear congruential generator (Knuth's MMIX constants) from `seed`: each call
/// returns the next state (the tests' pseudo-random numbers; as `src/test_random.rs`).
pub fn random_u64s(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        state
    }
}

/// The machine's GPU (a software one included) in the precision `RADIOME_GPU_PRECISION` asks
/// for, or forced to f32 with `forced_f32`; `None` means skip, unless `RADIOME_REQUIRE_GPU=1`
/// makes a missing GPU a failure.
pub fn gpu(forced_f32: bool) -> Option<Arc<radiome::gpu::Gpu>> {
    use radiome::gpu::Gpu;
    static GPUS: [OnceLock<Option<Arc<Gpu>>>; 2] = [OnceLock::new(), OnceLock::new()];
    let open = || match forced_f32 {
        true => Gpu::open_with(true, true),
        false => Gpu::open(true),
    };
    GPUS[usize::from(forced_f32)]
        .get_or_init(|| match open() {
            Ok(gpu) => Some(Arc::new(gpu)),
            Err(e) if std::env::var("RADIOME_REQUIRE_GPU").is_ok_and(|v| v == "1") => {
                panic!("RADIOME_REQUIRE_GPU=1 but {e}")
            }
            Err(e) => {
                eprintln!("skipped: {e}");
                None
            }
        })
        .clone()
}

/// The bundled test data folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// PyRadiomics' test cases (images, masks, baseline).
pub fn data() -> PathBuf {
    fixtures().join("pyradiomics-data")
}

/// A JSON file under [`fixtures`].
pub fn fixture_json(relative: &str) -> serde_json::Value {
    let path = fixtures().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Within relative 1e-6 of `reference`, or absolute 1e-9 near zero
/// (`|reference - ours| <= max(1e-6 |reference|, 1e-9)`); NaN equal to NaN.
pub fn within_tolerance(reference: f64, ours: f64) -> bool {
    (reference.is_nan() && ours.is_nan())
        || (reference - ours).abs() <= (1e-6 * reference.abs()).max(1e-9)
}

/// A `.npy` file (gzip-compressed when its name ends in `.gz`) as f64 values in logical order:
/// little-endian `<f8`, `<i2` or `|u1`, C or Fortran order.
pub fn read_npy(path: &Path) -> ArrayD<f64> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "gz") {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut raw)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        parse_npy(&raw)
    } else {
        parse_npy(&bytes)
    }
}

/// A 3-D `.npy` file (see [`read_npy`]).
pub fn read_npy3(path: &Path) -> Array3<f64> {
    read_npy(path)
        .into_dimensionality()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The contents of a `.npy` file (see [`read_npy`]).
fn parse_npy(bytes: &[u8]) -> ArrayD<f64> {
    assert_eq!(&bytes[..6], b"\x93NUMPY");
    let (header_len, start) = if bytes[6] == 1 {
        (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10)
    } else {
        (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        )
    };
    let header = std::str::from_utf8(&bytes[start..start + header_len]).unwrap();
    let field = |key: &str, end: char| {
        let rest = header
            .split(&format!("'{key}': "))
            .nth(1)
            .unwrap_or_else(|| panic!("no {key}: {header}"));
        &rest[..rest.find(end).unwrap()]
    };
    let fortran = field("fortran_order", ',') == "True";
    let shape: Vec<usize> = field("shape", ')')
        .trim_start_matches('(')
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse().unwrap())
        .collect();
    let data = &bytes[start + header_len..];
    let values: Vec<f64> = match field("descr", ',').trim_matches('\'') {
        "<f8" => data
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect(),
        "<i2" => data
            .chunks_exact(2)
            .map(|c| f64::from(i16::from_le_bytes([c[0], c[1]])))
            .collect(),
        "|u1" => data.iter().map(|&b| f64::from(b)).collect(),
        other => panic!("unsupported dtype {other}"),
    };
    ArrayD::from_shape_vec(IxDyn(&shape).set_f(fortran), values).unwrap()
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

/// Runs `extractor` on every row of a PyRadiomics batch table (its `Image` and `Mask` columns,
/// relative to `dir`) and returns our results as a table with the same layout.
pub fn extract_table(
    extractor: &radiome::Extractor,
    reference: &radiome::compare::Table,
    dir: &Path,
) -> radiome::compare::Table {
    let column = |name: &str| reference.header.iter().position(|h| h == name).unwrap();
    let (image_col, mask_col) = (column("Image"), column("Mask"));
    let mut ours = radiome::compare::Table {
        header: Vec::new(),
        rows: Vec::new(),
    };
    for row in &reference.rows {
        let result = extractor
            .extract_files(&dir.join(&row[image_col]), &dir.join(&row[mask_col]))
            .unwrap_or_else(|e| panic!("{}: {e}", row[image_col]));
        ours.header = result.keys().cloned().collect();
        ours.rows
            .push(result.values().map(|v| v.to_csv_field()).collect());
    }
    ours
}

/// Compares `ours` with `reference` at the default tolerance (relative 1e-6, absolute 1e-9) and
/// fails, naming `label` and reporting the worst values, unless more than `min_values` values
/// were compared and every one agrees.
pub fn assert_tables_agree(
    label: &str,
    reference: &radiome::compare::Table,
    ours: &radiome::compare::Table,
    min_values: usize,
) {
    let tolerance = radiome::compare::Tolerance::default();
    let comparison = radiome::compare::compare(reference, ours, tolerance);
    assert!(
        comparison.total() > min_values,
        "{label}: too few values compared ({})",
        comparison.total()
    );
    assert!(
        comparison.all_agree(),
        "{label}:\n{}",
        comparison.report(tolerance, 30)
    );
}

/// Runs the `radiome` binary with `args`.
pub fn radiome(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_radiome"))
        .args(args)
        .output()
        .expect("run radiome")
}

/// A fresh, empty temporary folder for one test: `radiome-<suite>-<name>-<pid>`.
pub fn temp_dir(suite: &str, name: &str) -> PathBuf {
    let id = std::process::id();
    let dir = std::env::temp_dir().join(format!("radiome-{suite}-{name}-{id}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A path as the `&str` a command line takes.
pub fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

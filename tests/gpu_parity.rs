//! Extraction on the GPU against extraction on the CPU, value by value (the GPU's added
//! `diagnostics_Configuration_Device` column aside): every parameter file of
//! fixtures/pyradiomics-configs and the default parameters on PyRadiomics' reference cases
//! (their whole-tumour, maximum-slice and 3 mm ring masks as the reference outputs use them), and
//! every phantom configuration on its phantoms; and the configurations of the GPU filters again
//! with the GPU forced to f32. Runs on whatever adapter the machine offers (lavapipe in CI);
//! without one it skips, unless `RADIOME_REQUIRE_GPU=1` makes that a failure.
//!
//! The GPU filters (wavelet, square, squareroot, gradient; logarithm and exponential in f32) may
//! round differently from the CPU, so values are compared numerically: identical, within the
//! precision's relative tolerance, or beyond it. At least 99.9% must be within 1e-9 in f64 and
//! 99% within 1e-4 in f32, and every value beyond is listed with its case and both values. The
//! features of the original image read no GPU filter: the counts the GPU builds from the same
//! discretised input are the CPU's, so these features must be identical.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use common::{data, fixtures, gpu};
use radiome::Extractor;
use radiome::backend::GpuBackend;
use radiome::compare::Table;
use radiome::gpu::{Gpu, Precision};
use radiome::params::Params;

/// The column only a GPU run writes.
const DEVICE_COLUMN: &str = "diagnostics_Configuration_Device";

/// The reference cases.
const CASES: [&str; 5] = ["brain1", "brain2", "breast1", "lung1", "lung2"];

/// The relative tolerance of a precision, and the fraction of values that must be within it.
fn tolerance(precision: Precision) -> (f64, f64) {
    match precision {
        Precision::F64 => (1e-9, 0.999),
        Precision::F32 => (1e-4, 0.99),
    }
}

/// One case: image, mask and the label to extract.
struct Case {
    image: PathBuf,
    mask: PathBuf,
    label: Option<i64>,
}

/// The reference cases with the masks `<case>_label[_<kind>].nrrd`.
fn reference_cases(kind: Option<&str>) -> Vec<Case> {
    let suffix = kind.map_or(String::new(), |k| format!("_{k}"));
    CASES
        .iter()
        .map(|case| Case {
            image: data().join(format!("{case}_image.nrrd")),
            mask: data().join(format!("{case}_label{suffix}.nrrd")),
            label: None,
        })
        .collect()
}

/// The phantoms of `fixtures/phantoms/<config>.csv`, each with its row's `Label`.
fn phantom_cases(config: &str) -> Vec<Case> {
    let folder = fixtures().join("phantoms");
    let table = Table::read(&folder.join(format!("{config}.csv"))).unwrap();
    let column = |name: &str| table.header.iter().position(|h| h == name).unwrap();
    let (image, mask, label) = (column("Image"), column("Mask"), column("Label"));
    table
        .rows
        .iter()
        .map(|row| Case {
            image: folder.join(&row[image]),
            mask: folder.join(&row[mask]),
            label: Some(row[label].parse().unwrap()),
        })
        .collect()
}

/// One case's fields as text, by column name, on the CPU (`gpu`: `None`) or on `gpu`.
fn extract(params: &Params, case: &Case, gpu: Option<&Arc<Gpu>>) -> Row {
    let mut params = params.clone();
    if let Some(label) = case.label {
        params.set("label", label).unwrap();
    }
    let mut extractor = Extractor::new(params);
    if let Some(gpu) = gpu {
        extractor = extractor.with_backend(Box::new(GpuBackend::new(Arc::clone(gpu), false)));
    }
    let row = extractor
        .extract_files(&case.image, &case.mask)
        .unwrap_or_else(|e| panic!("{} (gpu: {}): {e}", case.mask.display(), gpu.is_some()));
    row.iter()
        .map(|(k, v)| (k.clone(), v.to_csv_field()))
        .collect()
}

/// A row as text, by column name.
type Row = Vec<(String, String)>;

/// [`extract`] on the CPU, computed once per configuration `label` and case: the f64 and f32
/// runs of a configuration compare with the same CPU row.
fn cpu_row(label: &str, params: &Params, case: &Case) -> Arc<Row> {
    type Slot = Arc<OnceLock<Arc<Row>>>;
    static ROWS: Mutex<BTreeMap<(String, PathBuf), Slot>> = Mutex::new(BTreeMap::new());
    let key = (label.to_string(), case.mask.clone());
    let slot = Arc::clone(ROWS.lock().unwrap().entry(key).or_default());
    Arc::clone(slot.get_or_init(|| Arc::new(extract(params, case, None))))
}

/// How the GPU's values of one configuration compare with the CPU's.
#[derive(Default)]
struct Tally {
    compared: usize,
    identical: usize,
    within: usize,
    /// `case: feature: cpu VALUE, gpu VALUE` of every value beyond the tolerance.
    beyond: Vec<String>,
    /// The same for the original image's values that are not identical.
    original_changed: Vec<String>,
}

impl Tally {
    /// Counts one field: identical text, numbers within relative `tolerance`, or beyond.
    fn add(&mut self, case: &Case, name: &str, (cpu, gpu): (&str, &str), tolerance: f64) {
        self.compared += 1;
        if cpu == gpu {
            self.identical += 1;
            return;
        }
        let line = format!("{}: {name}: cpu {cpu}, gpu {gpu}", case.mask.display());
        if name.starts_with("original_") {
            self.original_changed.push(line.clone());
        }
        match (cpu.parse::<f64>(), gpu.parse::<f64>()) {
            (Ok(c), Ok(g)) if (c - g).abs() <= tolerance * c.abs().max(g.abs()) => self.within += 1,
            _ => self.beyond.push(line),
        }
    }
}

/// Extracts every case with `params` on the CPU and on the GPU (in its own precision, or forced
/// to f32) and compares the rows field by field: the same columns but for the device column,
/// which only the GPU's holds; the original image's values identical; at least the precision's
/// fraction of values within its tolerance. Prints the tally and every value beyond.
fn check(label: &str, params: &Params, cases: &[Case], forced_f32: bool) {
    let Some(gpu) = gpu(forced_f32) else { return };
    let (tolerance, fraction) = tolerance(gpu.precision);
    let mut tally = Tally::default();
    for case in cases {
        let on_cpu = cpu_row(label, params, case);
        let mut on_gpu = extract(params, case, Some(&gpu));
        let device = on_gpu.iter().position(|(k, _)| k == DEVICE_COLUMN);
        let device = device.unwrap_or_else(|| panic!("{label}: no {DEVICE_COLUMN}"));
        assert!(on_gpu.remove(device).1.starts_with("gpu: "), "{label}");
        assert!(on_cpu.iter().all(|(k, _)| k != DEVICE_COLUMN), "{label}");
        let names = |row: &[(String, String)]| row.iter().map(|(k, _)| k.clone()).collect();
        let cpu_names: Vec<String> = names(&on_cpu);
        assert_eq!(cpu_names, names(&on_gpu), "{label}: columns");
        for ((name, cpu), (_, gpu)) in on_cpu.iter().zip(&on_gpu) {
            tally.add(case, name, (cpu, gpu), tolerance);
        }
    }
    let within = (tally.identical + tally.within) as f64 / tally.compared.max(1) as f64;
    println!(
        "{label} ({:?}): {} values: {} identical, {} within {tolerance:e} relative, {} beyond \
         ({:.4}% within)",
        gpu.precision,
        tally.compared,
        tally.identical,
        tally.within,
        tally.beyond.len(),
        100.0 * within
    );
    for line in &tally.beyond {
        println!("  beyond: {line}");
    }
    assert!(
        tally.compared > 50 * cases.len(),
        "{label}: {} values",
        tally.compared
    );
    assert!(
        tally.original_changed.is_empty(),
        "{label}: values of the original image changed:\n{}",
        tally.original_changed.join("\n")
    );
    assert!(
        within >= fraction,
        "{label}: {:.4}% within {tolerance:e}, below {}%",
        100.0 * within,
        100.0 * fraction
    );
}

fn config(name: &str) -> Params {
    Params::from_file(fixtures().join(format!("pyradiomics-configs/{name}.yaml"))).unwrap()
}

fn phantom_check(name: &str) {
    let params_file: &Path = &fixtures().join(format!("phantoms/params/{name}.yaml"));
    check(
        &format!("phantoms {name}"),
        &Params::from_file(params_file).unwrap(),
        &phantom_cases(name),
        false,
    );
}

#[test]
fn default_params() {
    check("default", &Params::default(), &reference_cases(None), false);
}

#[test]
fn wavelet_log() {
    check(
        "wavelet_log",
        &config("wavelet_log"),
        &reference_cases(None),
        false,
    );
}

#[test]
fn wavelet_log_peritumoral_ring() {
    let cases = reference_cases(Some("peri3mm"));
    check("wavelet_log peri3mm", &config("wavelet_log"), &cases, false);
}

#[test]
fn simple_filters() {
    check(
        "simple_filters",
        &config("simple_filters"),
        &reference_cases(None),
        false,
    );
}

#[test]
fn resampled_ct() {
    check(
        "resampled_ct",
        &config("resampled_ct"),
        &reference_cases(None),
        false,
    );
}

#[test]
fn mr_normalized() {
    check(
        "mr_normalized",
        &config("mr_normalized"),
        &reference_cases(None),
        false,
    );
}

#[test]
fn mr_2d_maximum_slice() {
    let cases = reference_cases(Some("maxslice"));
    check("mr_2d maxslice", &config("mr_2d"), &cases, false);
}

#[test]
fn wavelet_variants() {
    check(
        "wavelet_variants",
        &config("wavelet_variants"),
        &reference_cases(None),
        false,
    );
}

#[test]
fn phantoms() {
    for name in [
        "all_filters",
        "resampled",
        "force2d",
        "variants",
        "shape2d",
        "planar",
        "planar_force2d",
        "nan_voxels",
        "nan_voxels_resegmented",
    ] {
        phantom_check(name);
    }
}

/// The filters' configurations with the GPU forced to f32: every GPU filter kernel (square,
/// squareroot, logarithm, exponential, gradient; coif1 wavelet; every filter on the phantoms).
#[test]
fn simple_filters_in_f32() {
    let cases = reference_cases(None);
    check("simple_filters", &config("simple_filters"), &cases, true);
}

#[test]
fn wavelet_log_in_f32() {
    check(
        "wavelet_log",
        &config("wavelet_log"),
        &reference_cases(None),
        true,
    );
}

#[test]
fn phantoms_in_f32() {
    let params_file = fixtures().join("phantoms/params/all_filters.yaml");
    let params = Params::from_file(params_file).unwrap();
    check(
        "phantoms all_filters",
        &params,
        &phantom_cases("all_filters"),
        true,
    );
}

/// Haar sub-bands of integer images are dyadic fractions, and so are binCount's bin edges: some
/// voxels lie exactly on an edge, where f32 values alone would put them in the other bin (about
/// 90% within 1e-4 on lavapipe); the voxels in doubt get the CPU's values, so every bin is the
/// CPU's.
#[test]
fn wavelet_variants_in_f32() {
    let cases = reference_cases(None);
    check(
        "wavelet_variants",
        &config("wavelet_variants"),
        &cases,
        true,
    );
}

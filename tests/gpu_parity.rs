//! Extraction on the GPU equals extraction on the CPU, value for value (every field identical
//! as text, the GPU's added `diagnostics_Configuration_Device` column aside): every parameter file
//! of fixtures/pyradiomics-configs and the default parameters on PyRadiomics' reference cases
//! (their whole-tumour, maximum-slice and 3 mm ring masks as the reference outputs use them), and
//! every phantom configuration on its phantoms. Runs on whatever adapter the machine offers
//! (lavapipe in CI); without one it skips, unless `RADIOME_REQUIRE_GPU=1` makes that a failure.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{data, fixtures};
use radiome::Extractor;
use radiome::backend::{DeviceChoice, select_backend};
use radiome::compare::Table;
use radiome::params::Params;

/// The column only a GPU run writes.
const DEVICE_COLUMN: &str = "diagnostics_Configuration_Device";

/// The reference cases.
const CASES: [&str; 5] = ["brain1", "brain2", "breast1", "lung1", "lung2"];

/// Whether the machine has a GPU adapter (a software one included); `None` means skip.
fn have_gpu() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| match select_backend(DeviceChoice::Gpu) {
        Ok(_) => true,
        Err(e) if std::env::var("RADIOME_REQUIRE_GPU").is_ok_and(|v| v == "1") => {
            panic!("RADIOME_REQUIRE_GPU=1 but {e}")
        }
        Err(e) => {
            eprintln!("skipped: {e}");
            false
        }
    })
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

/// One case's fields as text, by column name, on `device`.
fn extract(params: &Params, case: &Case, device: DeviceChoice) -> Vec<(String, String)> {
    let mut params = params.clone();
    if let Some(label) = case.label {
        params.set("label", label).unwrap();
    }
    let (backend, _) = select_backend(device).unwrap();
    let row = Extractor::new(params)
        .with_backend(backend)
        .extract_files(&case.image, &case.mask)
        .unwrap_or_else(|e| panic!("{} on {device:?}: {e}", case.mask.display()));
    row.iter()
        .map(|(k, v)| (k.clone(), v.to_csv_field()))
        .collect()
}

/// Extracts every case with `params` on the CPU and on the GPU and asserts that the rows are
/// identical but for the device column, which only the GPU's holds. Prints how many values were
/// compared and the fraction identical.
fn check(label: &str, params: &Params, cases: &[Case]) {
    if !have_gpu() {
        return;
    }
    let (mut compared, mut identical) = (0usize, 0usize);
    let mut differences = Vec::new();
    for case in cases {
        let on_cpu = extract(params, case, DeviceChoice::Cpu);
        let mut on_gpu = extract(params, case, DeviceChoice::Gpu);
        let device = on_gpu.iter().position(|(k, _)| k == DEVICE_COLUMN);
        let device = device.unwrap_or_else(|| panic!("{label}: no {DEVICE_COLUMN}"));
        assert!(on_gpu.remove(device).1.starts_with("gpu: "), "{label}");
        assert!(on_cpu.iter().all(|(k, _)| k != DEVICE_COLUMN), "{label}");
        let names = |row: &[(String, String)]| row.iter().map(|(k, _)| k.clone()).collect();
        let cpu_names: Vec<String> = names(&on_cpu);
        assert_eq!(cpu_names, names(&on_gpu), "{label}: columns");
        for ((name, cpu), (_, gpu)) in on_cpu.iter().zip(&on_gpu) {
            compared += 1;
            if cpu == gpu {
                identical += 1;
            } else {
                differences.push(format!(
                    "{}: {name}: cpu {cpu}, gpu {gpu}",
                    case.mask.display()
                ));
            }
        }
    }
    println!(
        "{label}: {identical}/{compared} values identical ({:.4}%)",
        100.0 * identical as f64 / compared.max(1) as f64
    );
    assert!(compared > 50 * cases.len(), "{label}: {compared} values");
    assert!(
        differences.is_empty(),
        "{label}: {} values differ:\n{}",
        differences.len(),
        differences[..differences.len().min(30)].join("\n")
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
    );
}

#[test]
fn default_params() {
    check("default", &Params::default(), &reference_cases(None));
}

#[test]
fn wavelet_log() {
    check(
        "wavelet_log",
        &config("wavelet_log"),
        &reference_cases(None),
    );
}

#[test]
fn wavelet_log_peritumoral_ring() {
    let cases = reference_cases(Some("peri3mm"));
    check("wavelet_log peri3mm", &config("wavelet_log"), &cases);
}

#[test]
fn simple_filters() {
    check(
        "simple_filters",
        &config("simple_filters"),
        &reference_cases(None),
    );
}

#[test]
fn resampled_ct() {
    check(
        "resampled_ct",
        &config("resampled_ct"),
        &reference_cases(None),
    );
}

#[test]
fn mr_normalized() {
    check(
        "mr_normalized",
        &config("mr_normalized"),
        &reference_cases(None),
    );
}

#[test]
fn mr_2d_maximum_slice() {
    let cases = reference_cases(Some("maxslice"));
    check("mr_2d maxslice", &config("mr_2d"), &cases);
}

#[test]
fn wavelet_variants() {
    check(
        "wavelet_variants",
        &config("wavelet_variants"),
        &reference_cases(None),
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

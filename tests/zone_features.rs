//! First-order, GLSZM, GLDM and NGTDM against PyRadiomics: the baseline matrices and CSV columns of
//! fixtures/pyradiomics-data, and live PyRadiomics 3.1 values for force2D, `gldm_a`, distances and
//! binCount (fixtures/zone-features/live.json, made by make_fixtures.py).

mod common;

use common::{fixtures, read_npy, read_npy3, within_tolerance};
use ndarray::{Array2, Array3, ArrayD, IxDyn};
use radiome::features::{firstorder, gldm, glszm, ngtdm};
use radiome::image::PixelType;
use radiome::matrices::gldm::gldm_matrix;
use radiome::matrices::glszm::glszm_matrix;
use radiome::matrices::ngtdm::{NgtdmMatrix, ngtdm_matrix};
use radiome::matrices::size_matrix::SizeMatrix;
use radiome::matrices::{Discretized, discretize};
use radiome::params::TextureSettings;
use serde_json::Value;
use std::collections::HashMap;

const CASES: [&str; 5] = ["brain1", "brain2", "breast1", "lung1", "lung2"];
struct Case {
    image: Array3<f64>,
    mask: Array3<bool>,
    spacing: [f64; 3],
}

fn load_case(name: &str) -> Case {
    let dir = fixtures().join("zone-features");
    let inputs: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("inputs.json")).unwrap()).unwrap();
    let spacing: Vec<f64> = serde_json::from_value(inputs[name]["spacing"].clone()).unwrap();
    Case {
        image: read_npy3(&dir.join(format!("{name}_image.npy.gz"))),
        mask: read_npy3(&dir.join(format!("{name}_mask.npy.gz"))).mapv(|v| v != 0.0),
        spacing: [spacing[0], spacing[1], spacing[2]],
    }
}

const CLASSES: [&str; 4] = ["firstorder", "glszm", "gldm", "ngtdm"];

/// One class's features keyed `class_Name` as PyRadiomics names them, or the matrix's error.
fn class_features(
    case: &Case,
    disc: &Discretized,
    settings: &TextureSettings,
    class: &str,
) -> radiome::Result<Vec<(String, (f64, bool))>> {
    let features = match class {
        "firstorder" => firstorder::compute(&case.image, &case.mask, disc, case.spacing, settings),
        "glszm" => glszm::compute(&glszm_matrix(disc, settings)?),
        "gldm" => gldm::compute(&gldm_matrix(disc, settings)?),
        _ => ngtdm::compute(&ngtdm_matrix(disc, settings)?),
    };
    Ok(features
        .into_iter()
        .map(|f| (format!("{class}_{}", f.name), (f.value, f.deprecated)))
        .collect())
}

/// All features of the four classes, keyed `class_Name`.
fn all_features(case: &Case, settings: &TextureSettings) -> HashMap<String, (f64, bool)> {
    let disc = discretize(&case.image, &case.mask, settings, PixelType::F64).unwrap();
    CLASSES
        .iter()
        .flat_map(|class| class_features(case, &disc, settings, class).unwrap())
        .collect()
}

/// Compares every expected value; returns the number compared.
fn compare(label: &str, ours: &HashMap<String, (f64, bool)>, expected: &[(String, f64)]) -> usize {
    let mut failures = Vec::new();
    for (name, want) in expected {
        match ours.get(name) {
            Some(&(got, _)) if within_tolerance(*want, got) => {}
            Some(&(got, _)) => failures.push(format!("{name}: ours {got}, PyRadiomics {want}")),
            None => failures.push(format!("{name}: missing")),
        }
    }
    assert!(failures.is_empty(), "{label}:\n{}", failures.join("\n"));
    expected.len()
}

fn size_matrix_as_array(m: &SizeMatrix) -> Array2<f64> {
    m.counts.clone()
}

fn ngtdm_as_array(m: &NgtdmMatrix) -> Array2<f64> {
    Array2::from_shape_fn((m.counts.len(), 3), |(r, c)| match c {
        0 => m.counts[r],
        1 => m.sums[r],
        _ => m.gray_levels[r],
    })
}

/// Our GLSZM, GLDM and NGTDM matrices laid out as PyRadiomics' (or the matrix's error).
fn matrices(
    disc: &Discretized,
    settings: &TextureSettings,
) -> [(&'static str, radiome::Result<Array2<f64>>); 3] {
    [
        (
            "glszm",
            glszm_matrix(disc, settings).map(|m| size_matrix_as_array(&m.zones)),
        ),
        (
            "gldm",
            gldm_matrix(disc, settings).map(|m| size_matrix_as_array(&m)),
        ),
        (
            "ngtdm",
            ngtdm_matrix(disc, settings).map(|m| ngtdm_as_array(&m)),
        ),
    ]
}

fn assert_matrix(label: &str, ours: &Array2<f64>, expected: &ArrayD<f64>) {
    assert_eq!(ours.shape(), expected.shape(), "{label}: shape");
    for (k, (&a, &b)) in ours.iter().zip(expected).enumerate() {
        assert!(
            within_tolerance(b, a),
            "{label}: element {k}: ours {a}, PyRadiomics {b}"
        );
    }
}

/// The settings of the baseline CSVs' plain `<case>` columns.
fn baseline_settings() -> TextureSettings {
    TextureSettings {
        voxel_array_shift: 2000.0,
        ..TextureSettings::default()
    }
}

/// The settings of the baseline CSVs' `<case>_FBN` columns.
fn fbn_settings() -> TextureSettings {
    TextureSettings {
        bin_count: Some(64),
        ..TextureSettings::default()
    }
}

#[test]
fn matrices_equal_the_baseline_matrices() {
    let baseline = fixtures().join("pyradiomics-data/baseline");
    for name in CASES {
        let case = load_case(name);
        let settings = baseline_settings();
        let disc = discretize(&case.image, &case.mask, &settings, PixelType::F64).unwrap();
        for (class, matrix) in matrices(&disc, &settings) {
            let matrix = matrix.unwrap();
            let expected = read_npy(&baseline.join(format!("{name}_{class}.npy")));
            assert_matrix(&format!("{name} {class}"), &matrix, &expected);
        }
    }
}

/// The `original_<class>_*` rows of a baseline CSV for one column, keyed `class_Name`.
fn baseline_column(class: &str, column: &str) -> Option<Vec<(String, f64)>> {
    let path = fixtures().join(format!("pyradiomics-data/baseline/baseline_{class}.csv"));
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let index = reader.headers().unwrap().iter().position(|h| h == column)?;
    let prefix = format!("original_{class}_");
    Some(
        reader
            .records()
            .map(|r| r.unwrap())
            .filter_map(|r| {
                let name = r.get(0)?.strip_prefix(&prefix)?;
                let value: f64 = r.get(index)?.parse().ok()?;
                Some((format!("{class}_{name}"), value))
            })
            .collect(),
    )
}

#[test]
fn features_match_the_baseline_csv_columns() {
    let mut compared = 0;
    for name in CASES {
        let case = load_case(name);
        let force2d = TextureSettings {
            force_2d: true,
            ..TextureSettings::default()
        };
        let flat = TextureSettings {
            bin_width: 5000.0,
            ..TextureSettings::default()
        };
        let columns = [
            ("", baseline_settings(), false),
            ("_FBN", fbn_settings(), false),
            ("_2d", force2d, false),
            ("_flatRegion", flat, true),
        ];
        for (suffix, settings, resegment_at_zero) in columns {
            let column = format!("{name}{suffix}");
            let ours = if resegment_at_zero {
                // resegmentRange [0]: the ROI keeps its voxels >= 0.
                let mask = ndarray::Zip::from(&case.mask)
                    .and(&case.image)
                    .map_collect(|&m, &v| m && v >= 0.0);
                let resegmented = Case {
                    image: case.image.clone(),
                    mask,
                    spacing: case.spacing,
                };
                all_features(&resegmented, &settings)
            } else {
                all_features(&case, &settings)
            };
            for class in ["firstorder", "glszm", "gldm", "ngtdm"] {
                if let Some(expected) = baseline_column(class, &column) {
                    compared += compare(&format!("{column} {class}"), &ours, &expected);
                }
            }
        }
    }
    // 5 cases x (18 + 16 + 14 + 5) plain + 5 x (16 + 14 + 5) for each of FBN, 2d, flatRegion.
    assert_eq!(compared, 5 * 53 + 3 * 5 * 35);
}

/// PyRadiomics settings (as in live.json) to ours.
fn settings_from_json(s: &Value) -> TextureSettings {
    let mut settings = TextureSettings {
        voxel_array_shift: s["voxelArrayShift"].as_f64().unwrap(),
        distances: serde_json::from_value(s["distances"].clone()).unwrap(),
        force_2d: s["force2D"].as_bool().unwrap(),
        force_2d_dimension: s["force2Ddimension"].as_u64().unwrap() as usize,
        gldm_a: s["gldm_a"].as_f64().unwrap(),
        ..TextureSettings::default()
    };
    if let Some(count) = s.get("binCount").filter(|c| !c.is_null()) {
        settings.bin_count = Some(count.as_u64().unwrap() as usize);
    } else {
        settings.bin_width = s["binWidth"].as_f64().unwrap();
    }
    settings
}

fn json_matrix(v: &Value) -> ArrayD<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    let shape = [rows.len(), rows.first().map_or(0, |r| r.len())];
    ArrayD::from_shape_vec(IxDyn(&shape), rows.into_iter().flatten().collect()).unwrap()
}

#[test]
fn force2d_distances_and_gldm_a_match_live_pyradiomics() {
    let path = fixtures().join("zone-features/live.json");
    let live: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut compared = 0;
    for (variant, entry) in live.as_object().unwrap() {
        let settings = settings_from_json(&entry["settings"]);
        for name in CASES {
            let case = load_case(name);
            let reference = &entry["cases"][name];
            let label = format!("{variant} {name}");
            let expected: Vec<(String, f64)> = reference["features"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(f64::NAN)))
                .collect();
            let ours = all_features(&case, &settings);
            assert!(ours.values().filter(|v| !v.1).count() == expected.len());
            compared += compare(&label, &ours, &expected);
            let disc: Discretized =
                discretize(&case.image, &case.mask, &settings, PixelType::F64).unwrap();
            for (class, matrix) in matrices(&disc, &settings) {
                let matrix = matrix.unwrap();
                let expected = json_matrix(&reference[class]);
                assert_matrix(&format!("{label} {class}"), &matrix, &expected);
            }
        }
    }
    assert_eq!(compared, 4 * 5 * 53);
}

#[test]
fn random_small_cases_match_live_pyradiomics() {
    let path = fixtures().join("zone-features/random.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut compared = 0;
    for entry in &cases {
        let label = entry["name"].as_str().unwrap();
        let shape: Vec<usize> = serde_json::from_value(entry["shape"].clone()).unwrap();
        let shape = (shape[0], shape[1], shape[2]);
        let bits: Vec<u64> = serde_json::from_value(entry["image_bits"].clone()).unwrap();
        let image: Vec<f64> = bits.into_iter().map(f64::from_bits).collect();
        let mask: Vec<u8> = serde_json::from_value(entry["mask"].clone()).unwrap();
        let spacing: Vec<f64> = serde_json::from_value(entry["spacing"].clone()).unwrap();
        let case = Case {
            image: Array3::from_shape_vec(shape, image).unwrap(),
            mask: Array3::from_shape_vec(shape, mask.into_iter().map(|m| m != 0).collect())
                .unwrap(),
            spacing: [spacing[0], spacing[1], spacing[2]],
        };
        let mut settings = settings_from_json(&entry["settings"]);
        if entry["settings"]["binCount"].is_null() {
            settings.bin_count = None;
        }
        let expected: Vec<(String, f64)> = entry["features"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(f64::NAN)))
            .collect();
        let failing: Vec<&str> = entry["errors"]
            .as_array()
            .map(|e| e.iter().filter_map(|c| c.as_str()).collect())
            .unwrap_or_default();
        let disc = discretize(&case.image, &case.mask, &settings, PixelType::F64).unwrap();
        let mut ours = HashMap::new();
        for class in CLASSES {
            let result = class_features(&case, &disc, &settings, class);
            if failing.contains(&class) {
                assert!(
                    result.is_err(),
                    "{label} {class}: PyRadiomics fails, ours does not"
                );
            } else {
                ours.extend(result.unwrap());
            }
        }
        assert_eq!(ours.len(), expected.len(), "{label}: feature count");
        compared += compare(label, &ours, &expected);
        for (class, matrix) in matrices(&disc, &settings) {
            if let Ok(matrix) = matrix {
                let expected = json_matrix(&entry[class]);
                assert_matrix(&format!("{label} {class}"), &matrix, &expected);
            }
        }
    }
    assert!(compared >= cases.len() * 40);
}

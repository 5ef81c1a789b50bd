//! GLCM and GLRLM parity with PyRadiomics 3.1: matrices against PyRadiomics' baseline `.npy`
//! files, features against its baseline CSVs and against live PyRadiomics runs on several
//! settings (fixtures/glcm-glrlm/reference.json, made by make_fixtures.py) and on small random
//! images (random*.json, made by make_random.py).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{fixture_json, fixtures, read_npy, read_npy3, within_tolerance};
use ndarray::Array3;
use radiome::features::{Feature, glcm, glrlm};
use radiome::image::PixelType;
use radiome::matrices::glcm::glcm_matrix;
use radiome::matrices::glrlm::glrlm_matrix;
use radiome::matrices::{Discretized, discretize};
use radiome::params::{TextureSettings, WeightingNorm};
use serde_json::Value;

const CASES: [&str; 5] = ["brain1", "brain2", "breast1", "lung1", "lung2"];

/// The cropped image and mask of a case, as PyRadiomics hands them to the feature classes.
struct Case {
    image: Array3<f64>,
    mask: Array3<bool>,
    spacing: [f64; 3],
}

fn reference() -> Value {
    fixture_json("glcm-glrlm/reference.json")
}

fn load_case(name: &str, reference: &Value) -> Case {
    let dir = fixtures().join("glcm-glrlm");
    let image = read_npy3(&dir.join(format!("{name}_image.npy.gz")));
    let mask = read_npy3(&dir.join(format!("{name}_mask.npy.gz"))).mapv(|v| v != 0.0);
    let spacing: Vec<f64> = reference[name]["spacing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    Case {
        image,
        mask,
        spacing: [spacing[0], spacing[1], spacing[2]],
    }
}

/// TextureSettings from a PyRadiomics settings dictionary (only the keys these classes read).
fn settings(json: &Value) -> TextureSettings {
    let mut s = TextureSettings::default();
    for (key, value) in json.as_object().unwrap() {
        match key.as_str() {
            "label" => {}
            "binWidth" => s.bin_width = value.as_f64().unwrap(),
            "binCount" => s.bin_count = Some(value.as_u64().unwrap() as usize),
            "symmetricalGLCM" => s.symmetrical_glcm = value.as_bool().unwrap(),
            "force2D" => s.force_2d = value.as_bool().unwrap(),
            "force2Ddimension" => s.force_2d_dimension = value.as_u64().unwrap() as usize,
            "distances" => {
                s.distances = value
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d.as_u64().unwrap() as usize)
                    .collect()
            }
            "weightingNorm" => {
                s.weighting_norm = Some(match value.as_str().unwrap() {
                    "manhattan" => WeightingNorm::Manhattan,
                    "euclidean" => WeightingNorm::Euclidean,
                    "infinity" => WeightingNorm::Infinity,
                    _ => WeightingNorm::NoWeighting,
                })
            }
            other => panic!("unexpected setting {other}"),
        }
    }
    s
}

fn discretized(case: &Case, settings: &TextureSettings) -> Discretized {
    discretize(&case.image, &case.mask, settings, PixelType::F64).unwrap()
}

/// Compare features with expected values; returns the mismatches as text.
fn compare(
    what: &str,
    features: &[Feature],
    expected: &BTreeMap<String, f64>,
    checked: &mut usize,
) -> Vec<String> {
    assert_eq!(
        features.len(),
        expected.len(),
        "{what}: feature count {:?}",
        features.iter().map(|f| f.name).collect::<Vec<_>>()
    );
    let mut bad = Vec::new();
    for f in features {
        let Some(&e) = expected.get(f.name) else {
            bad.push(format!("{what}: {} not in reference", f.name));
            continue;
        };
        *checked += 1;
        if !within_tolerance(e, f.value) {
            bad.push(format!(
                "{what} {}: got {:e}, expected {:e}",
                f.name, f.value, e
            ));
        }
    }
    bad
}

fn json_values(json: &Value) -> BTreeMap<String, f64> {
    json.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(f64::NAN)))
        .collect()
}

#[test]
fn matrices_equal_pyradiomics_baseline() {
    let reference = reference();
    let baseline = fixtures().join("pyradiomics-data/baseline");
    for name in CASES {
        let case = load_case(name, &reference);
        let settings = TextureSettings::default();
        let disc = discretized(&case, &settings);

        let expected = read_npy(&baseline.join(format!("{name}_glcm.npy")));
        let m = glcm_matrix(&disc, case.spacing, &settings).unwrap();
        let n = m.size();
        assert_eq!(expected.shape(), &[n, n, m.n_angles], "{name} glcm shape");
        for a in 0..m.n_angles {
            for i in 0..n {
                for j in 0..n {
                    assert_eq!(
                        m.angle(a)[i * n + j],
                        expected[[i, j, a]],
                        "{name} glcm[{i}, {j}, {a}]"
                    );
                }
            }
        }

        let expected = read_npy(&baseline.join(format!("{name}_glrlm.npy")));
        let m = glrlm_matrix(&disc, case.spacing, &settings).unwrap();
        let (ng, nr) = (m.gray_levels.len(), m.run_lengths.len());
        assert_eq!(
            expected.shape(),
            &[ng, nr, m.n_angles],
            "{name} glrlm shape"
        );
        for a in 0..m.n_angles {
            for i in 0..ng {
                for j in 0..nr {
                    assert_eq!(
                        m.angle(a)[i * nr + j],
                        expected[[i, j, a]],
                        "{name} glrlm[{i}, {j}, {a}]"
                    );
                }
            }
        }
    }
}

/// Our GLCM and GLRLM features of a case against `expected` (GLCM, GLRLM); returns the
/// mismatches as text.
fn compare_classes(
    what: &str,
    case: &Case,
    settings: &TextureSettings,
    [glcm_expected, glrlm_expected]: [&BTreeMap<String, f64>; 2],
    checked: &mut usize,
) -> Vec<String> {
    let disc = discretized(case, settings);
    let m = glcm_matrix(&disc, case.spacing, settings).unwrap();
    let mut bad = compare(
        &format!("{what} glcm"),
        &glcm::compute(&m).expect("GLCM features"),
        glcm_expected,
        checked,
    );
    let m = glrlm_matrix(&disc, case.spacing, settings).unwrap();
    bad.extend(compare(
        &format!("{what} glrlm"),
        &glrlm::compute(&m),
        glrlm_expected,
        checked,
    ));
    bad
}

/// Fails listing the mismatches, if any, out of `checked` values.
fn assert_all_match(bad: &[String], checked: usize) {
    assert!(
        bad.is_empty(),
        "{} of {checked} differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn features_match_pyradiomics_baseline_csv() {
    let reference = reference();
    let mut tables = BTreeMap::new();
    for class in ["glcm", "glrlm"] {
        let path = fixtures().join(format!("pyradiomics-data/baseline/baseline_{class}.csv"));
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        for record in reader.records() {
            let record = record.unwrap();
            let Some(feature) = record[0].strip_prefix(&format!("original_{class}_")) else {
                continue;
            };
            for (column, value) in header.iter().zip(record.iter()).skip(1) {
                tables
                    .entry((class, column.clone()))
                    .or_insert_with(BTreeMap::new)
                    .insert(feature.to_string(), value.parse::<f64>().unwrap());
            }
        }
    }
    let mut bad = Vec::new();
    let mut checked = 0;
    for name in CASES {
        let case = load_case(name, &reference);
        for (suffix, config) in [
            ("", "default"),
            ("_FBN", "FBN"),
            ("_combined", "combined"),
            ("_2d", "force2D"),
        ] {
            let column = format!("{name}{suffix}");
            let settings = settings(&reference[name]["configs"][config]["settings"]);
            let expected = [
                &tables[&("glcm", column.clone())],
                &tables[&("glrlm", column.clone())],
            ];
            bad.extend(compare_classes(
                &column,
                &case,
                &settings,
                expected,
                &mut checked,
            ));
        }
    }
    assert_all_match(&bad, checked);
    assert_eq!(checked, 5 * 4 * (24 + 16));
}

#[test]
fn features_match_pyradiomics_live_for_every_setting() {
    let reference = reference();
    let mut bad = Vec::new();
    let mut checked = 0;
    for (name, entry) in reference.as_object().unwrap() {
        let case = load_case(name, &reference);
        for (config, values) in entry["configs"].as_object().unwrap() {
            let settings = settings(&values["settings"]);
            let expected = [
                &json_values(&values["glcm"]),
                &json_values(&values["glrlm"]),
            ];
            bad.extend(compare_classes(
                &format!("{name} {config}"),
                &case,
                &settings,
                expected,
                &mut checked,
            ));
        }
    }
    assert_all_match(&bad, checked);
    // 6 cases x 14 settings x (24 GLCM + 16 GLRLM features)
    assert_eq!(checked, 6 * 14 * 40);
}

#[test]
fn features_match_pyradiomics_live_on_random_small_images() {
    // RADIOME_RANDOM_JSON: another file made by make_random.py (e.g. thousands of cases).
    let path = std::env::var_os("RADIOME_RANDOM_JSON")
        .map(PathBuf::from)
        .unwrap_or_else(|| fixtures().join("glcm-glrlm/random.json"));
    check_random_cases(&path);
}

/// Random cases where MCC takes numpy's complex-eigenvalue or negative-eigenvalue paths.
#[test]
fn mcc_matches_pyradiomics_on_complex_and_negative_eigenvalues() {
    check_random_cases(&fixtures().join("glcm-glrlm/random_mcc_edge.json"));
}

/// Random cases of 76 to ~400 grey levels, where numpy's eigenvalues for MCC come from LAPACK's
/// multishift QR and radiome's from the similar symmetric matrix.
#[test]
fn features_match_pyradiomics_live_with_many_grey_levels() {
    check_random_cases(&fixtures().join("glcm-glrlm/random_many_levels.json"));
}

/// Compare every feature of the cases in a file made by make_random.py.
fn check_random_cases(path: &Path) {
    let cases: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut bad = Vec::new();
    let mut checked = 0;
    for (n, case) in cases.as_array().unwrap().iter().enumerate() {
        let shape: Vec<usize> = case["shape"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let shape = (shape[0], shape[1], shape[2]);
        let flat = |key: &str| -> Vec<f64> {
            case[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        };
        let spacing = flat("spacing");
        let image = Array3::from_shape_vec(shape, flat("image")).unwrap();
        let mask = Array3::from_shape_vec(shape, flat("mask"))
            .unwrap()
            .mapv(|v| v != 0.0);
        let settings = settings(&case["settings"]);
        let spacing = [spacing[0], spacing[1], spacing[2]];
        let disc = discretize(&image, &mask, &settings, PixelType::F64).unwrap();
        let what = format!("random case {n} {}", case["settings"]);
        // PyRadiomics fails the whole class where we return an error.
        let expected = |class: &str| (case[class] != "error").then(|| json_values(&case[class]));
        match (glcm_matrix(&disc, spacing, &settings), expected("glcm")) {
            (Ok(m), Some(e)) => bad.extend(compare(
                &format!("{what} glcm"),
                &glcm::compute(&m).expect("GLCM features"),
                &e,
                &mut checked,
            )),
            (Err(_), None) => {}
            (m, _) => bad.push(format!("{what} glcm: {:?}", m.err())),
        }
        match (glrlm_matrix(&disc, spacing, &settings), expected("glrlm")) {
            (Ok(m), Some(e)) => bad.extend(compare(
                &format!("{what} glrlm"),
                &glrlm::compute(&m),
                &e,
                &mut checked,
            )),
            (Err(_), None) => {}
            (m, _) => bad.push(format!("{what} glrlm: {:?}", m.err())),
        }
    }
    assert_all_match(&bad, checked);
}

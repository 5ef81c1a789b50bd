//! Parity of the `shape` and `shape2D` classes with PyRadiomics 3.1 on the masks it hands to them
//! (fixtures/shape/cases.json, made by fixtures/shape/make_cases.py): the baseline CSVs, the
//! pyradiomics-filters outputs and synthetic masks run live.

mod common;

use common::within_tolerance;
use ndarray::Array3;
use radiome::features::{Feature, shape, shape2d};
use serde_json::Value;

const CASES: &str = include_str!("../fixtures/shape/cases.json");

fn mask(case: &Value) -> Array3<bool> {
    let dims: Vec<usize> = serde_json::from_value(case["shape"].clone()).expect("shape");
    let runs: Vec<usize> = serde_json::from_value(case["mask_rle"].clone()).expect("mask_rle");
    let mut voxels = Vec::with_capacity(dims.iter().product());
    for (i, run) in runs.iter().enumerate() {
        voxels.extend(std::iter::repeat_n(i % 2 == 1, *run));
    }
    Array3::from_shape_vec((dims[0], dims[1], dims[2]), voxels).expect("run lengths fill the shape")
}

fn features(case: &Value) -> Vec<Feature> {
    let spacing: [f64; 3] = serde_json::from_value(case["spacing"].clone()).expect("spacing");
    let mask = mask(case);
    match case["klass"].as_str() {
        Some("shape") => shape::compute(&mask, spacing),
        Some("shape2D") => {
            let dim = case["force_2d_dimension"]
                .as_u64()
                .expect("force_2d_dimension") as usize;
            shape2d::compute(&mask, spacing, dim).expect("a flat mask")
        }
        other => panic!("unknown class {other:?}"),
    }
}

/// Checks every value of `case[key]`; returns how many were checked, pushes mismatches.
fn check(case: &Value, key: &str, got: &[Feature], failures: &mut Vec<String>) -> usize {
    let name = case["name"].as_str().unwrap_or("?");
    let expected = case[key].as_object().expect("expected values");
    for (feature, want) in expected {
        let want = want.as_f64().unwrap_or(f64::NAN);
        match got.iter().find(|f| f.name == feature) {
            Some(f) if within_tolerance(want, f.value) => {}
            Some(f) => failures.push(format!(
                "{name} {key} {feature}: got {}, want {want}",
                f.value
            )),
            None => failures.push(format!("{name}: missing {feature}")),
        }
    }
    expected.len()
}

#[test]
fn shape_classes_match_pyradiomics() {
    let cases: Value = serde_json::from_str(CASES).expect("cases.json parses");
    let cases = cases["cases"].as_array().expect("case list");
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases {
        let got = features(case);
        checked += check(case, "expected", &got, &mut failures);
        checked += check(case, "live", &got, &mut failures);
        assert_eq!(got.len(), case["live"].as_object().map_or(0, |m| m.len()));
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} values differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 1000, "only {checked} values checked");
}

#[test]
fn deprecated_features_are_marked() {
    let mut mask = Array3::from_elem((3, 3, 3), false);
    mask[[1, 1, 1]] = true;
    let deprecated: Vec<_> = shape::compute(&mask, [1.0; 3])
        .into_iter()
        .filter(|f| f.deprecated)
        .map(|f| f.name)
        .collect();
    assert_eq!(
        deprecated,
        ["Compactness1", "Compactness2", "SphericalDisproportion"]
    );
}

#[test]
fn shape2d_rejects_a_thick_mask_and_a_bad_dimension() {
    let mask = Array3::from_elem((2, 3, 3), true);
    assert!(shape2d::compute(&mask, [1.0; 3], 0).is_err());
    assert!(shape2d::compute(&mask, [1.0; 3], 3).is_err());
    assert!(
        shape2d::compute(
            &mask.slice(ndarray::s![..1, .., ..]).to_owned(),
            [1.0; 3],
            0
        )
        .is_ok()
    );
}

#[test]
fn empty_masks_give_values_without_panicking() {
    for dims in [(0, 0, 0), (1, 4, 5), (3, 2, 2)] {
        let mask = Array3::from_elem(dims, false);
        let features = shape::compute(&mask, [1.0; 3]);
        assert_eq!(features.len(), 17);
        assert!(features.iter().any(|f| f.value.is_nan()));
    }
    let flat = Array3::from_elem((1, 4, 5), false);
    assert_eq!(
        shape2d::compute(&flat, [1.0; 3], 0).map(|f| f.len()).ok(),
        Some(10)
    );
}

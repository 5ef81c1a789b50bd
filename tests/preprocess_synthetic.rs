//! Resampling and mask correction against SimpleITK / PyRadiomics outputs on small random images,
//! bit for bit
//! (fixtures/preprocess/synthetic.json, made by fixtures/preprocess/make_fixtures.py).

mod common;
use common::fixture_json;

use ndarray::Array3;
use radiome::image::bbox::BoundingBox;
use radiome::image::resample::{Grid, resample_image};
use radiome::image::{Dimensionality, Geometry, Image, PixelType, Volume};
use radiome::params::Interpolator;
use radiome::params::PreprocessSettings;
use radiome::preprocess::mask::{check_mask, label_region};
use radiome::preprocess::resample_image_and_mask;
use serde_json::Value;

fn fixture() -> Value {
    fixture_json("preprocess/synthetic.json")
}

fn num(v: &Value) -> f64 {
    v.as_str().expect("float string").parse().expect("float")
}

fn nums<const N: usize>(v: &Value) -> [f64; N] {
    let a = v.as_array().expect("array");
    std::array::from_fn(|i| num(&a[i]))
}

fn grid(v: &Value) -> Grid {
    let size = v["size"].as_array().expect("size");
    let d: [f64; 9] = nums(&v["direction"]);
    Grid {
        size: std::array::from_fn(|i| size[i].as_u64().expect("size") as usize),
        geometry: Geometry {
            spacing: nums(&v["spacing"]),
            origin: nums(&v["origin"]),
            direction: [[d[0], d[1], d[2]], [d[3], d[4], d[5]], [d[6], d[7], d[8]]],
        },
    }
}

fn image(v: &Value) -> Image {
    let g = grid(v);
    let values: Vec<f64> = v["voxels"]
        .as_array()
        .expect("voxels")
        .iter()
        .map(num)
        .collect();
    let [nx, ny, nz] = g.size;
    let pixel_type = match v["pixel_type"].as_str().expect("type") {
        "I16" => PixelType::I16,
        "F32" => PixelType::F32,
        "F64" => PixelType::F64,
        "U8" => PixelType::U8,
        other => panic!("pixel type {other}"),
    };
    Image {
        volume: Volume {
            voxels: Array3::from_shape_vec((nz, ny, nx), values).expect("shape"),
            geometry: g.geometry,
        },
        pixel_type,
    }
}

fn interpolator(v: &Value) -> Interpolator {
    match v.as_str().expect("interpolator") {
        "NearestNeighbor" => Interpolator::NearestNeighbor,
        "Linear" => Interpolator::Linear,
        "BSpline" => Interpolator::BSpline,
        other => panic!("interpolator {other}"),
    }
}

/// Every voxel bit-identical to the reference.
fn assert_identical(name: &str, got: &Image, expected: &Image) {
    let (g, e) = (&got.volume.voxels, &expected.volume.voxels);
    assert_eq!(g.dim(), e.dim(), "{name}: shape");
    for ((i, a), b) in g.indexed_iter().zip(e.iter()) {
        assert_eq!(a.to_bits(), b.to_bits(), "{name}: voxel {i:?}: {a} vs {b}");
    }
    assert_eq!(
        got.volume.geometry, expected.volume.geometry,
        "{name}: geometry"
    );
}

/// Every case of a resampling fixture (`inputs`, `resample`) through [`resample_image`] for
/// images of `dimensionality`, bit for bit.
fn check_resampling(fixture: &Value, dimensionality: Dimensionality) {
    let inputs: Vec<Image> = fixture["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(image)
        .collect();
    for case in fixture["resample"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let input = &inputs[case["input"].as_u64().expect("input") as usize];
        let expected = image(&case["output"]);
        let out = resample_image(
            input,
            &grid(&case["output"]),
            interpolator(&case["interpolator"]),
            dimensionality,
        )
        .expect("resampled");
        assert_eq!(out.pixel_type, input.pixel_type);
        assert_identical(name, &out, &expected);
    }
}

#[test]
fn resample_filter_matches_simpleitk() {
    check_resampling(&fixture(), Dimensionality::Three);
}

/// 2D images against SimpleITK's 2D resampler (its B-spline sums the products of the plane).
#[test]
fn planar_resampling_matches_simpleitk() {
    check_resampling(&fixture_json("preprocess/planar.json"), Dimensionality::Two);
}

#[test]
fn pyradiomics_resample_image_matches() {
    let f = fixture();
    for case in f["pyradiomics_resample"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let img = image(&case["image"]);
        let mask = label_region(&image(&case["mask"]), 1).expect("label");
        let (out, out_mask) = resample_image_and_mask(
            &img,
            &mask,
            (nums(&case["spacing"]), interpolator(&case["interpolator"])),
            Dimensionality::Three,
            1,
            case["pad"].as_u64().expect("pad") as usize,
        )
        .expect("resampled");
        let expected = image(&case["out_image"]);
        // PyRadiomics' resampled mask can lose the label altogether: compare voxels as they are.
        let expected_mask = image(&case["out_mask"]).volume.voxels.mapv(|v| v == 1.0);
        assert_eq!(out.volume.size(), expected.volume.size(), "{name}: size");
        assert_identical(name, &out, &expected);
        assert_eq!(out_mask.voxels, expected_mask, "{name}: mask");
    }
}

#[test]
fn correct_mask_matches_pyradiomics() {
    let f = fixture();
    for case in f["correct_mask"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let img = image(&case["image"]);
        let mask = label_region(&image(&case["mask"]), 1).expect("label");
        let settings = PreprocessSettings {
            correct_mask: true,
            minimum_roi_dimensions: 1,
            ..PreprocessSettings::default()
        };
        let result = check_mask(&img, &mask, 1, &settings);
        if let Some(error) = case.get("error") {
            let message = result.expect_err("ROI outside the image").to_string();
            let expected = error.as_str().expect("message");
            assert!(
                message.starts_with("Bounding box of ROI is larger than image space")
                    && expected.starts_with("Bounding box of ROI is larger than image space"),
                "{name}: {message}"
            );
            continue;
        }
        let check = result.expect("corrected");
        let corrected = check.corrected.expect("mask was resampled");
        let expected = label_region(&image(&case["corrected"]), 1).expect("label");
        assert_eq!(corrected.voxels, expected.voxels, "{name}: corrected mask");
        assert_eq!(corrected.geometry, expected.geometry, "{name}: geometry");
        let bb: Vec<usize> = case["bounding_box"]
            .as_array()
            .expect("bb")
            .iter()
            .map(|v| v.as_u64().expect("index") as usize)
            .collect();
        assert_eq!(
            check.bounding_box.lower_upper().to_vec(),
            bb,
            "{name}: bounding box"
        );
        assert_eq!(BoundingBox::of_mask(&corrected), Some(check.bounding_box));
    }
}

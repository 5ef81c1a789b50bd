//! Images read as SimpleITK 2.5 (ITK 5.4) reads them: fixtures/io/expected.json holds what
//! SimpleITK reports for each file (made by fixtures/io/make_expected.py).

mod common;
use common::fixtures;

use radiome::image::{Dimensionality, Image, PixelType};
use radiome::io::{mask_hash, pixel_hash, read_image, read_image_2d_or_3d, read_mask};
use serde_json::Value;
use std::path::Path;

fn expected() -> Value {
    let text = std::fs::read_to_string(fixtures().join("io/expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("valid json")
}

/// A float stored exactly (Python's repr string; sizes are plain integers).
fn float(v: &Value) -> f64 {
    match v {
        Value::String(s) => s.parse().expect("float"),
        _ => v.as_f64().expect("number"),
    }
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(float).collect()
}

fn pixel_name(p: PixelType) -> &'static str {
    match p {
        PixelType::U8 => "U8",
        PixelType::I8 => "I8",
        PixelType::U16 => "U16",
        PixelType::I16 => "I16",
        PixelType::U32 => "U32",
        PixelType::I32 => "I32",
        PixelType::U64 => "U64",
        PixelType::I64 => "I64",
        PixelType::F32 => "F32",
        PixelType::F64 => "F64",
    }
}

/// Compares a read image with SimpleITK's description; returns the problems found.
fn compare(name: &str, image: &Image, want: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let g = &image.volume.geometry;
    let size: Vec<f64> = image.volume.size().iter().map(|&s| s as f64).collect();
    let direction: Vec<f64> = g.direction.iter().flatten().copied().collect();
    // Geometry is compared bit for bit.
    let checks: [(&str, Vec<f64>); 4] = [
        ("size", size),
        ("spacing", g.spacing.to_vec()),
        ("origin", g.origin.to_vec()),
        ("direction", direction),
    ];
    for (what, got) in checks {
        let w = floats(&want[what]);
        if got != w {
            problems.push(format!("{name}: {what} {got:?} != {w:?}"));
        }
    }
    if pixel_name(image.pixel_type) != want["pixel_type"] {
        problems.push(format!(
            "{name}: pixel type {:?} != {}",
            image.pixel_type, want["pixel_type"]
        ));
    }
    let v = &image.volume.voxels;
    let sum: f64 = v.iter().sum();
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for (what, got) in [("sum", sum), ("min", min), ("max", max)] {
        let w = float(&want[what]);
        if (got - w).abs() > 1e-9 * w.abs().max(1.0) {
            problems.push(format!("{name}: {what} {got} != {w}"));
        }
    }
    if pixel_hash(image) != want["hash"] {
        problems.push(format!(
            "{name}: hash {} != {}",
            pixel_hash(image),
            want["hash"]
        ));
    }
    if let Some(h) = want.get("mask_hash")
        && mask_hash(image) != *h
    {
        problems.push(format!("{name}: mask hash {} != {h}", mask_hash(image)));
    }
    problems
}

fn check_all(group: &str, dir: &Path) {
    let exp = expected();
    let mut problems = Vec::new();
    for (name, want) in exp[group].as_object().expect("object") {
        match read_image(&dir.join(name)) {
            Ok(image) => problems.extend(compare(name, &image, want)),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn pyradiomics_images_read_as_simpleitk() {
    check_all("pyradiomics", &fixtures().join("pyradiomics-data"));
}

#[test]
fn brain1_hashes_match_pyradiomics_diagnostics() {
    let data = fixtures().join("pyradiomics-data");
    let image = read_image(&data.join("brain1_image.nrrd")).expect("image");
    assert_eq!(
        pixel_hash(&image),
        "5c9ce3ca174f0f8324aa4d277e0fef82dc5ac566"
    );
    let mask = read_mask(&data.join("brain1_label.nrrd"), 0).expect("mask");
    assert_eq!(mask_hash(&mask), "9dc2c3137b31fd872997d92c9a92d5178126d9d3");
}

#[test]
fn nifti_and_nrrd_variants_read_as_simpleitk() {
    check_all("files", &fixtures().join("io"));
}

#[test]
fn nifti2_reads_with_itk_rules_in_double_precision() {
    let exp = expected();
    let dir = fixtures().join("io");
    for (name, want) in exp["nifti2"].as_object().expect("object") {
        let image = read_image(&dir.join(name)).expect("nifti2");
        let problems = compare(name, &image, want);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

#[test]
fn mask_layers_are_selected_as_pyradiomics_label_channel() {
    let exp = expected();
    let mut problems = Vec::new();
    for (key, want) in exp["masks"].as_object().expect("object") {
        let (name, channel) = key.split_once('#').expect("name#channel");
        let dir = if name.starts_with("brain") {
            fixtures().join("pyradiomics-data")
        } else {
            fixtures().join("io")
        };
        let channel: usize = channel.parse().expect("channel");
        match read_mask(&dir.join(name), channel) {
            Ok(mask) => problems.extend(compare(key, &mask, want)),
            Err(e) => problems.push(format!("{key}: {e}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let seg = fixtures().join("io/segmentation.seg.nrrd");
    let err = read_mask(&seg, 2).expect_err("only two layers").to_string();
    assert!(
        err.contains("segmentation.seg.nrrd") && err.contains("label_channel 2"),
        "{err}"
    );
    let err = read_image(&seg).expect_err("vector image").to_string();
    assert!(err.contains("2 components"), "{err}");
}

#[test]
fn wrong_dimensionality_is_a_one_line_error() {
    let exp = expected();
    for name in exp["errors"].as_array().expect("array") {
        let name = name.as_str().expect("name");
        let err = read_image(&fixtures().join("io").join(name))
            .expect_err(name)
            .to_string();
        assert!(err.contains(name) && !err.contains('\n'), "{err}");
        assert!(err.contains("2D") || err.contains("4D"), "{err}");
    }
}

#[test]
fn two_d_images_read_as_one_slice() {
    let exp = expected();
    let mut problems = Vec::new();
    for (name, want) in exp["two_d"].as_object().expect("object") {
        match read_image_2d_or_3d(&fixtures().join("io").join(name)) {
            Ok((image, Dimensionality::Two)) => problems.extend(compare(name, &image, want)),
            Ok((_, d)) => problems.push(format!("{name}: read as {d:?}")),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn nrrd_and_nifti_of_one_image_agree() {
    let dir = fixtures().join("io");
    let nrrd = read_image(&dir.join("pair.nrrd")).expect("nrrd");
    let nifti = read_image(&dir.join("pair.nii.gz")).expect("nifti");
    assert_eq!(nrrd.volume.voxels, nifti.volume.voxels);
    assert_eq!(nrrd.pixel_type, nifti.pixel_type);
    // NIfTI-1 stores geometry in single precision: agreement to that precision.
    let (a, b) = (&nrrd.volume.geometry, &nifti.volume.geometry);
    for i in 0..3 {
        assert!((a.spacing[i] - b.spacing[i]).abs() <= 1e-6 * a.spacing[i]);
        assert!((a.origin[i] - b.origin[i]).abs() <= 1e-5 * a.origin[i].abs().max(1.0));
        for j in 0..3 {
            assert!((a.direction[i][j] - b.direction[i][j]).abs() <= 1e-6);
        }
    }
}

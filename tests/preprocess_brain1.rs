//! PyRadiomics' own preprocessing of brain1 for the baseline's `brain1_resampling`,
//! `brain1_normalization` and `brain1_resegmentation` settings, and `correctMask` on
//! `brain1_label_2D`: our preprocessed and cropped image/mask against compact summaries of
//! pyrad-dump.py's output (fixtures/preprocess/brain1.json, made by make_fixtures.py).

mod common;
use common::fixture_json;

#[path = "preprocess_support/summary.rs"]
mod summary;

use std::path::PathBuf;

use radiome::io::{VoxelHashes, read_image, read_mask};
use radiome::params::{Interpolator, PreprocessSettings, ResegmentMode};
use radiome::preprocess::diagnostics::MaskDiagnostics;
use radiome::preprocess::mask::{check_mask, label_region};
use radiome::preprocess::{crop_to_tumor_mask, prepare};
use serde_json::Value;
use summary::{check_image, check_mask_summary};

fn data(name: &str) -> PathBuf {
    common::data().join(name)
}

fn fixture() -> Value {
    fixture_json("preprocess/brain1.json")
}

/// The numbers in a PyRadiomics diagnostics string such as `(np.float64(1.5), 2)`.
fn numbers(text: &str) -> Vec<f64> {
    text.replace("np.float64", "")
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e'))
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("number"))
        .collect()
}

fn check_mask_diagnostics(what: &str, d: &MaskDiagnostics, diag: &Value, prefix: &str) {
    let get = |k: &str| {
        numbers(
            diag[format!("diagnostics_Mask-{prefix}_{k}")]
                .as_str()
                .expect(k),
        )
    };
    let bb: Vec<f64> = d.bounding_box.iter().map(|&v| v as f64).collect();
    assert_eq!(bb, get("BoundingBox"), "{what}: bounding box");
    assert_eq!(
        d.voxel_num as f64,
        get("VoxelNum")[0],
        "{what}: voxel count"
    );
    assert_eq!(
        d.volume_num as f64,
        get("VolumeNum")[0],
        "{what}: components"
    );
    for (a, e) in get("CenterOfMassIndex").iter().enumerate() {
        assert_eq!(d.center_of_mass_index[a], *e, "{what}: centre index");
    }
    for (a, e) in get("CenterOfMass").iter().enumerate() {
        assert_eq!(d.center_of_mass[a], *e, "{what}: centre");
    }
    if let Some((mean, min, max)) = d.intensity {
        assert_eq!(mean, get("Mean")[0], "{what}: ROI mean");
        assert_eq!(
            (min, max),
            (get("Minimum")[0], get("Maximum")[0]),
            "{what}: ROI range"
        );
    }
}

fn run(config: &str, settings: PreprocessSettings) {
    let f = fixture();
    let e = &f[config];
    let image = read_image(&data("brain1_image.nrrd")).expect("brain1 image");
    let mask = read_mask(&data("brain1_label.nrrd"), 0).expect("brain1 mask");
    let prepared = prepare(&image, &mask, &settings).expect("preprocessed");
    let rel = if settings.normalize { 1e-10 } else { 0.0 };
    check_image(
        config,
        &prepared.image.widened(),
        &e["preprocessed_image"],
        rel,
    );
    let (cropped, cropped_mask) = crop_to_tumor_mask(
        &prepared.image.widened(),
        &prepared.mask,
        &prepared.bounding_box,
        0,
    );
    check_image(config, &cropped, &e["cropped_image"], rel);
    check_mask_summary(config, &cropped_mask, &e["cropped_mask"]);
    // pyrad-dump saves loadImage's mask: before resegmentation.
    check_mask_summary(config, prepared.shape_region(), &e["preprocessed_mask"]);

    let diag = &e["diagnostics"];
    let d = prepared.diagnostics.as_ref().expect("additionalInfo is on");
    let hashes = VoxelHashes::of(&image, &mask);
    for (k, got) in [("Image", &hashes.image), ("Mask", &hashes.mask)] {
        assert_eq!(
            Some(got.as_str()),
            diag[format!("diagnostics_{k}-original_Hash")].as_str()
        );
    }
    let image_value = |k: &str| numbers(diag[k].as_str().expect(k))[0];
    assert_eq!(
        d.image_original.mean,
        image_value("diagnostics_Image-original_Mean")
    );
    assert_eq!(
        d.image_original.minimum,
        image_value("diagnostics_Image-original_Minimum")
    );
    assert_eq!(
        d.image_original.maximum,
        image_value("diagnostics_Image-original_Maximum")
    );
    check_mask_diagnostics(
        config,
        d.mask_original.as_ref().expect("mask"),
        diag,
        "original",
    );
    if let Some(i) = &d.image_interpolated {
        assert_eq!(i.mean, image_value("diagnostics_Image-interpolated_Mean"));
        assert_eq!(
            i.minimum,
            image_value("diagnostics_Image-interpolated_Minimum")
        );
        assert_eq!(
            i.maximum,
            image_value("diagnostics_Image-interpolated_Maximum")
        );
        check_mask_diagnostics(
            config,
            d.mask_interpolated.as_ref().expect("mask"),
            diag,
            "interpolated",
        );
    }
    if let Some(m) = &d.mask_resegmented {
        check_mask_diagnostics(config, m, diag, "resegmented");
    }
}

#[test]
fn brain1_resampling() {
    run(
        "resampling",
        PreprocessSettings {
            resampled_pixel_spacing: Some(vec![2.0, 2.0, 2.0]),
            interpolator: Interpolator::BSpline,
            ..PreprocessSettings::default()
        },
    );
}

#[test]
fn brain1_normalization() {
    run(
        "normalization",
        PreprocessSettings {
            normalize: true,
            normalize_scale: 100.0,
            ..PreprocessSettings::default()
        },
    );
}

#[test]
fn brain1_resegmentation() {
    run(
        "resegmentation",
        PreprocessSettings {
            resegment_range: Some(vec![-3.0, 3.0]),
            resegment_mode: ResegmentMode::Sigma,
            ..PreprocessSettings::default()
        },
    );
}

#[test]
fn brain1_correct_mask_2d() {
    let f = fixture();
    let e = &f["correct_mask_2D"];
    let image = read_image(&data("brain1_image.nrrd")).expect("brain1 image");
    let mask = label_region(
        &read_mask(&data("brain1_label_2D.nrrd"), 0).expect("2D mask"),
        1,
    )
    .expect("label");
    let settings = PreprocessSettings {
        correct_mask: true,
        ..PreprocessSettings::default()
    };
    let check = check_mask(&image, &mask, 1, &settings).expect("corrected");
    let bb: Vec<u64> = check
        .bounding_box
        .lower_upper()
        .iter()
        .map(|&v| v as u64)
        .collect();
    let expected: Vec<u64> = e["bounding_box"]
        .as_array()
        .expect("bb")
        .iter()
        .map(|v| v.as_u64().expect("i"))
        .collect();
    assert_eq!(bb, expected);
    check_mask_summary(
        "correct_mask_2D",
        &check.corrected.expect("resampled"),
        &e["corrected"],
    );
    let strict = PreprocessSettings::default();
    let err = check_mask(&image, &mask, 1, &strict)
        .expect_err("size mismatch")
        .to_string();
    assert!(
        err.starts_with(
            "the mask has 256 × 256 × 1 voxels but the image 256 × 256 × 25 (x × y × z); \
             correctMask: true resamples the mask onto the image grid"
        ),
        "{err}"
    );
}

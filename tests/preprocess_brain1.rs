//! PyRadiomics' own preprocessing of brain1 for the baseline's `brain1_resampling`,
//! `brain1_normalization` and `brain1_resegmentation` settings, and `correctMask` on
//! `brain1_label_2D`: our preprocessed and cropped image/mask against compact summaries of
//! pyrad-dump.py's output (fixtures/preprocess/brain1.json, made by make_fixtures.py).

#[path = "preprocess_support/nrrd.rs"]
mod nrrd;

use std::path::PathBuf;

use radiome::image::{Image, Volume};
use radiome::params::{Interpolator, ResegmentMode, Settings};
use radiome::preprocess::diagnostics::MaskDiagnostics;
use radiome::preprocess::mask::{check_mask, label_region};
use radiome::preprocess::{crop_to_tumor_mask, prepare};
use serde_json::Value;
use sha1::{Digest, Sha1};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pyradiomics-data")
        .join(name)
}

fn fixture() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/preprocess/brain1.json"
    ))
    .expect("fixture");
    serde_json::from_str(&text).expect("json")
}

fn num(v: &Value) -> f64 {
    v.as_str().expect("float string").parse().expect("float")
}

fn hex(bytes: &[u8]) -> String {
    Sha1::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The numbers in a PyRadiomics diagnostics string such as `(np.float64(1.5), 2)`.
fn numbers(text: &str) -> Vec<f64> {
    text.replace("np.float64", "")
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e'))
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("number"))
        .collect()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1.0)
}

fn check_geometry(what: &str, got: &Volume<impl Sized>, e: &Value) {
    let size: Vec<usize> = e["size"]
        .as_array()
        .expect("size")
        .iter()
        .map(|v| v.as_u64().expect("n") as usize)
        .collect();
    assert_eq!(got.size().to_vec(), size, "{what}: size");
    for a in 0..3 {
        assert!(
            close(got.geometry.spacing[a], num(&e["spacing"][a]), 1e-15),
            "{what}: spacing"
        );
        assert!(
            close(got.geometry.origin[a], num(&e["origin"][a]), 1e-14),
            "{what}: origin {:?}",
            got.geometry.origin
        );
    }
}

fn check_image(what: &str, got: &Image, e: &Value, rel: f64) {
    check_geometry(what, &got.volume, e);
    let v = &got.volume.voxels;
    let sum: f64 = v.iter().sum();
    let squares: f64 = v.iter().map(|x| x * x).sum();
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // A sum can cancel to ~0 (normalised images): bound its error by the voxels' magnitude.
    let scale = num(&e["sum_squares"]).sqrt().max(num(&e["sum"]).abs());
    assert!(
        (sum - num(&e["sum"])).abs() <= rel * scale,
        "{what}: sum {sum} vs {}",
        e["sum"]
    );
    assert!(
        close(squares, num(&e["sum_squares"]), rel),
        "{what}: sum of squares"
    );
    assert!(
        close(min, num(&e["min"]), rel) && close(max, num(&e["max"]), rel),
        "{what}: range"
    );
    for s in e["samples"].as_array().expect("samples") {
        let i: Vec<usize> = s[0]
            .as_array()
            .expect("index")
            .iter()
            .map(|v| v.as_u64().expect("i") as usize)
            .collect();
        let got = v[[i[0], i[1], i[2]]];
        assert!(
            close(got, num(&s[1]), rel),
            "{what}: voxel {i:?}: {got} vs {}",
            s[1]
        );
    }
    if let Some(hash) = e.get("sha1_int16") {
        let bytes: Vec<u8> = v.iter().flat_map(|&x| (x as i16).to_le_bytes()).collect();
        assert_eq!(
            hex(&bytes),
            hash.as_str().expect("hash"),
            "{what}: int16 voxels"
        );
    }
}

fn check_mask_summary(what: &str, got: &Volume<bool>, e: &Value) {
    check_geometry(what, got, e);
    let count = got.voxels.iter().filter(|&&m| m).count();
    assert_eq!(
        count as u64,
        e["count"].as_u64().expect("count"),
        "{what}: count"
    );
    let bytes: Vec<u8> = got.voxels.iter().map(|&m| u8::from(m)).collect();
    assert_eq!(
        hex(&bytes),
        e["sha1"].as_str().expect("hash"),
        "{what}: voxels"
    );
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
        assert!(
            close(d.center_of_mass_index[a], *e, 1e-14),
            "{what}: centre index"
        );
    }
    for (a, e) in get("CenterOfMass").iter().enumerate() {
        assert!(close(d.center_of_mass[a], *e, 1e-14), "{what}: centre");
    }
    if let Some((mean, min, max)) = d.intensity {
        assert!(close(mean, get("Mean")[0], 1e-12), "{what}: ROI mean");
        assert_eq!(
            (min, max),
            (get("Minimum")[0], get("Maximum")[0]),
            "{what}: ROI range"
        );
    }
}

fn run(config: &str, settings: Settings) {
    let f = fixture();
    let e = &f[config];
    let image = nrrd::read(&data("brain1_image.nrrd"));
    let mask = nrrd::read(&data("brain1_label.nrrd"));
    let prepared = prepare(&image, &mask, &settings).expect("preprocessed");
    let rel = if settings.normalize { 1e-10 } else { 0.0 };
    check_image(config, &prepared.image, &e["preprocessed_image"], rel);
    let (cropped, cropped_mask) =
        crop_to_tumor_mask(&prepared.image, &prepared.mask, &prepared.bounding_box, 0);
    check_image(config, &cropped, &e["cropped_image"], rel);
    check_mask_summary(config, &cropped_mask, &e["cropped_mask"]);
    // pyrad-dump saves loadImage's mask: before resegmentation.
    let loaded = if settings.resegment_range.is_some() {
        &prepared.shape_mask
    } else {
        &prepared.mask
    };
    check_mask_summary(config, loaded, &e["preprocessed_mask"]);

    let diag = &e["diagnostics"];
    let d = &prepared.diagnostics;
    let image_value = |k: &str| numbers(diag[k].as_str().expect(k))[0];
    assert!(close(
        d.image_original.mean,
        image_value("diagnostics_Image-original_Mean"),
        1e-13
    ));
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
        assert!(close(
            i.mean,
            image_value("diagnostics_Image-interpolated_Mean"),
            1e-13
        ));
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
        Settings {
            resampled_pixel_spacing: Some([2.0, 2.0, 2.0]),
            interpolator: Interpolator::BSpline,
            ..Settings::default()
        },
    );
}

#[test]
fn brain1_normalization() {
    run(
        "normalization",
        Settings {
            normalize: true,
            normalize_scale: 100.0,
            ..Settings::default()
        },
    );
}

#[test]
fn brain1_resegmentation() {
    run(
        "resegmentation",
        Settings {
            resegment_range: Some(vec![-3.0, 3.0]),
            resegment_mode: ResegmentMode::Sigma,
            ..Settings::default()
        },
    );
}

#[test]
fn brain1_correct_mask_2d() {
    let f = fixture();
    let e = &f["correct_mask_2D"];
    let image = nrrd::read(&data("brain1_image.nrrd"));
    let mask = label_region(&nrrd::read(&data("brain1_label_2D.nrrd")), 1).expect("label");
    let settings = Settings {
        correct_mask: true,
        ..Settings::default()
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
    let strict = Settings::default();
    let err = check_mask(&image, &mask, 1, &strict)
        .expect_err("size mismatch")
        .to_string();
    assert!(
        err.starts_with("Image/Mask datatype or size mismatch"),
        "{err}"
    );
}

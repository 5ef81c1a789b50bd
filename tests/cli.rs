//! The command line as users run it: `radiome extract` piped into `radiome compare`, and bad
//! input giving one clear line and a non-zero exit.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{data, fixtures, path, radiome, temp_dir, within_tolerance};

/// `radiome extract IMAGE MASK` with further arguments.
fn extract(image: &Path, mask: &Path, extra: &[&str]) -> Output {
    radiome(&[&["extract", path(image), path(mask)], extra].concat())
}

/// `radiome extract` on breast1's image and mask, with further arguments.
fn extract_breast1(extra: &[&str]) -> Output {
    let image = data().join("breast1_image.nrrd");
    let mask = data().join("breast1_label.nrrd");
    extract(&image, &mask, extra)
}

/// [`extract_breast1`] with a parameter file (in a fresh temporary folder named after `tag`)
/// holding `yaml`.
fn extract_breast1_with_params(tag: &str, yaml: &str) -> Output {
    let params = temp_dir("cli", tag).join("params.yaml");
    std::fs::write(&params, yaml).unwrap();
    extract_breast1(&["--params", path(&params)])
}

/// Asserts a failure with exactly one line on standard error that contains every `needles`.
fn assert_one_line_error(output: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(
        stderr.lines().count(),
        1,
        "expected one line, got: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "'{needle}' not in: {stderr}");
    }
}

#[test]
fn extract_then_compare_reproduces_pyradiomics_original_features() {
    let dir = temp_dir("cli", "compare");
    let ours = dir.join("breast1.csv");
    let image = data().join("breast1_image.nrrd");
    let mask = data().join("breast1_label.nrrd");
    let params = fixtures().join("pyradiomics-configs/simple_filters.yaml");
    let out = extract(
        &image,
        &mask,
        &["--params", path(&params), "-o", path(&ours)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The reference holds five cases; keep its header and breast1's row.
    let reference_text =
        std::fs::read_to_string(fixtures().join("pyradiomics-filters/simple_filters.csv")).unwrap();
    let mut lines = reference_text.lines();
    let header = lines.next().unwrap();
    let breast1 = lines.find(|l| l.starts_with("breast1_image.nrrd")).unwrap();
    let reference = dir.join("reference.csv");
    std::fs::write(&reference, format!("{header}\n{breast1}\n")).unwrap();

    let out = radiome(&["compare", path(&reference), path(&ours)]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("original_glcm"), "{report}");
    assert!(report.contains("summary: 651/651"), "{report}");

    // A tampered value is found, named, and fails the comparison.
    let ours_text = std::fs::read_to_string(&ours).unwrap();
    let mut rows: Vec<Vec<String>> = ours_text
        .lines()
        .map(|l| {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(l.as_bytes())
                .records()
                .next()
                .unwrap()
                .unwrap()
                .iter()
                .map(String::from)
                .collect()
        })
        .collect();
    let col = rows[0]
        .iter()
        .position(|h| h == "original_firstorder_Mean")
        .unwrap();
    rows[1][col] = "12345.0".into();
    let mut writer = csv::Writer::from_path(&ours).unwrap();
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
    let out = radiome(&["compare", path(&reference), path(&ours)]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("original_firstorder_Mean"), "{report}");
}

#[test]
fn json_output_has_the_same_keys() {
    let out = extract_breast1(&["--format", "json"]);
    assert!(out.status.success());
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let object = value.as_object().unwrap();
    assert!(object["original_shape_VoxelVolume"].as_f64().unwrap() > 0.0);
    assert!(object["diagnostics_Configuration_Settings"].is_string());
}

#[test]
fn missing_file_is_named() {
    let mask = data().join("breast1_label.nrrd");
    let out = radiome(&["extract", "/nonexistent/image.nrrd", path(&mask)]);
    assert_one_line_error(&out, &["/nonexistent/image.nrrd"]);
}

#[test]
fn truncated_files_are_refused() {
    let dir = temp_dir("cli", "truncated");
    let mask = data().join("breast1_label.nrrd");
    let bytes = std::fs::read(data().join("breast1_image.nrrd")).unwrap();
    let header_only = dir.join("header.nrrd");
    std::fs::write(&header_only, &bytes[..40]).unwrap();
    let out = radiome(&["extract", path(&header_only), path(&mask)]);
    assert_one_line_error(&out, &["header.nrrd"]);
    let half = dir.join("half.nrrd");
    std::fs::write(&half, &bytes[..bytes.len() / 2]).unwrap();
    let out = radiome(&["extract", path(&half), path(&mask)]);
    assert_one_line_error(&out, &["half.nrrd"]);
}

#[test]
fn absent_label_is_reported() {
    let out = extract_breast1(&["--label", "7"]);
    assert_one_line_error(
        &out,
        &[
            "breast1_label.nrrd",
            "Label (7) not present",
            "labels present: 1",
            "--label 1",
        ],
    );
}

#[test]
fn geometry_mismatch_is_reported() {
    let image = data().join("breast1_image.nrrd");
    let mask = data().join("brain1_label.nrrd");
    let out = radiome(&["extract", path(&image), path(&mask)]);
    // breast1 is 45 × 120 × 21 voxels, brain1's mask 256 × 256 × 25: both sizes, and the way out.
    assert_one_line_error(
        &out,
        &[
            "brain1_label.nrrd",
            "256 × 256 × 25",
            "image 45 × 120 × 21",
            "correctMask: true resamples",
        ],
    );
}

#[test]
fn too_small_roi_is_reported() {
    let out = extract_breast1_with_params("small", "setting:\n  minimumROISize: 100000\n");
    assert_one_line_error(&out, &["breast1_label.nrrd", "too small"]);
}

#[test]
fn too_many_bins_name_the_image() {
    let out = extract_breast1_with_params("bins", "setting:\n  binWidth: 0.000000000001\n");
    assert_one_line_error(
        &out,
        &["breast1_image.nrrd", "binWidth", "do not fit in memory"],
    );
}

/// Shape runs beside the other classes, but as in PyRadiomics (which computes shape first) its
/// error is the one reported when both fail.
#[test]
fn a_shape_error_comes_before_the_other_classes_errors() {
    let out = extract_breast1_with_params(
        "shape-first",
        "featureClass:\n  shape2D:\n  firstorder:\n\
         setting:\n  force2D: true\n  binWidth: 0.000000000001\n",
    );
    assert_one_line_error(&out, &["breast1_label.nrrd", "shape2D", "it must be 1"]);
}

/// Distances longer than the region: a mask error naming the mask, whichever class meets it.
#[test]
fn distances_beyond_the_region_name_the_mask() {
    for class in ["glcm", "gldm", "ngtdm"] {
        let yaml = format!("featureClass:\n  {class}:\nsetting:\n  distances: [500]\n");
        let out = extract_breast1_with_params(&format!("distances-{class}"), &yaml);
        let name = class.to_uppercase();
        assert_one_line_error(
            &out,
            &[
                "breast1_label.nrrd",
                &name,
                "no neighbour offset at distances [500]",
            ],
        );
    }
}

#[test]
fn bad_params_name_the_key() {
    let out = extract_breast1_with_params("params", "setting:\n  binWidht: 25\n");
    assert_one_line_error(&out, &["binWidht", "params.yaml"]);
}

/// The two rows of a `radiome extract` CSV: header and values.
fn csv_rows(file: &Path) -> (Vec<String>, Vec<String>) {
    let mut reader = csv::Reader::from_path(file).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let values = reader.records().next().unwrap().unwrap();
    (header, values.iter().map(String::from).collect())
}

/// lung2's mask with its x axis tilted by 3e-7 (ITK's tolerance is 1e-6), written into `dir`.
/// The ROI starts near x = 318, where crops placed by each file's own direction sit
/// 318 * 0.627 * 3e-7 = 6e-5 mm apart, far beyond the tolerance of 6.3e-7 mm.
fn tilted_lung2_mask(dir: &Path) -> PathBuf {
    let bytes = std::fs::read(data().join("lung2_label.nrrd")).unwrap();
    let header_end = bytes.windows(2).position(|w| w == b"\n\n").unwrap();
    let header = String::from_utf8(bytes[..header_end].to_vec()).unwrap();
    let straight = "space directions: (0.62695310000000004,0,0)";
    assert!(header.contains(straight), "{header}");
    let tilted = "space directions: (0.62695310000000004,1.8808593e-7,0)";
    let tilted_mask = dir.join("lung2_label_tilted.nrrd");
    let mut tilted_bytes = header.replace(straight, tilted).into_bytes();
    tilted_bytes.extend_from_slice(&bytes[header_end..]);
    std::fs::write(&tilted_mask, tilted_bytes).unwrap();
    tilted_mask
}

/// `radiome extract` of lung2's image with `mask` and `extra` arguments into `dir/name`; the
/// CSV's header and values.
fn extract_lung2(
    dir: &Path,
    mask: &Path,
    name: &str,
    extra: &[&str],
) -> (Vec<String>, Vec<String>) {
    let csv = dir.join(name);
    let out = extract(
        &data().join("lung2_image.nrrd"),
        mask,
        &[&["-o", path(&csv)], extra].concat(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    csv_rows(&csv)
}

/// Asserts that every `original_*` value of run `a` (a CSV's header and values) is in run `b`
/// and agrees with it.
fn assert_same_original_features(a: &(Vec<String>, Vec<String>), b: &(Vec<String>, Vec<String>)) {
    for (name, value) in a.0.iter().zip(&a.1) {
        if name.starts_with("original_") {
            let j = b.0.iter().position(|h| h == name);
            let other = &b.1[j.unwrap_or_else(|| panic!("no column {name}"))];
            let (x, y): (f64, f64) = (value.parse().unwrap(), other.parse().unwrap());
            assert!(within_tolerance(x, y), "{name}: {x} vs {y}");
        }
    }
}

#[test]
fn mask_directions_within_tolerance_pass_far_from_the_origin() {
    // PyRadiomics checks the whole image and mask and goes on; the crops of the feature classes
    // are not checked again.
    let dir = temp_dir("cli", "tilted");
    let tilted_mask = tilted_lung2_mask(&dir);
    let straight = extract_lung2(&dir, &data().join("lung2_label.nrrd"), "straight.csv", &[]);
    let tilted = extract_lung2(&dir, &tilted_mask, "tilted.csv", &[]);
    // No mask correction (no `Mask-corrected` columns), and the same features (the tilt
    // lengthens the mask's x spacing, which shape features use, by 3e-14 mm).
    assert_eq!(tilted.0, straight.0);
    assert_same_original_features(&straight, &tilted);
}

#[test]
fn precrop_checks_the_cropped_image_and_mask_again() {
    // With `preCrop`, PyRadiomics crops image and mask first and checks the crops: placed by
    // each file's own direction, they no longer share their space (PyRadiomics 3.1 fails the
    // same way), unless `correctMask` resamples the cropped mask onto the cropped image.
    let dir = temp_dir("cli", "tilted-precrop");
    let tilted_mask = tilted_lung2_mask(&dir);
    let params = |name: &str, yaml: &str| {
        let file = dir.join(name);
        std::fs::write(&file, yaml).unwrap();
        file
    };
    let pre_crop = params("precrop.yaml", "setting:\n  preCrop: true\n");
    let out = extract(
        &data().join("lung2_image.nrrd"),
        &tilted_mask,
        &[
            "--params",
            path(&pre_crop),
            "-o",
            path(&dir.join("failed.csv")),
        ],
    );
    assert_one_line_error(
        &out,
        &["lung2_label_tilted.nrrd", "Image/Mask geometry mismatch"],
    );

    let corrected = params(
        "precrop_correct.yaml",
        "setting:\n  preCrop: true\n  correctMask: true\n",
    );
    let straight = extract_lung2(&dir, &data().join("lung2_label.nrrd"), "straight.csv", &[]);
    let corrected = extract_lung2(
        &dir,
        &tilted_mask,
        "corrected.csv",
        &["--params", path(&corrected)],
    );
    assert!(!straight.0.iter().any(|h| h.contains("Mask-corrected")));
    assert!(
        corrected
            .0
            .iter()
            .any(|h| h == "diagnostics_Mask-corrected_Size")
    );
    assert_same_original_features(&straight, &corrected);
}

/// A 2D phantom of fixtures/phantoms/.
fn planar_phantom(part: &str) -> PathBuf {
    fixtures().join(format!("phantoms/planar_border_{part}.nrrd"))
}

#[test]
fn planar_image_with_volume_mask_is_refused() {
    let image = planar_phantom("image");
    let mask = fixtures().join("phantoms/tiny_odd_mask.nrrd");
    let out = radiome(&["extract", path(&image), path(&mask)]);
    assert_one_line_error(&out, &["tiny_odd_mask.nrrd", "3D mask", "image is 2D"]);
}

#[test]
fn resampled_spacing_needs_one_value_per_image_axis() {
    let params = temp_dir("cli", "planar-spacing").join("params.yaml");
    std::fs::write(&params, "setting:\n  resampledPixelSpacing: [1, 1, 1]\n").unwrap();
    let (image, mask) = (planar_phantom("image"), planar_phantom("mask"));
    let out = extract(&image, &mask, &["--params", path(&params)]);
    assert_one_line_error(
        &out,
        &["planar_border_image.nrrd", "resampledPixelSpacing", "2D"],
    );
    std::fs::write(&params, "setting:\n  resampledPixelSpacing: [1, 1]\n").unwrap();
    let out = extract_breast1(&["--params", path(&params)]);
    assert_one_line_error(&out, &["breast1_image.nrrd", "resampledPixelSpacing", "3D"]);
}

//! Random phantoms (fixtures/phantoms/: odd sizes, anisotropic spacing, flipped axes, negative
//! intensities, regions touching the image border, a hole, label 2, NIfTI and NRRD, int16 / uint8 /
//! float32 / float64 pixels, 2D images) against PyRadiomics 3.1's outputs for them: every feature at relative
//! 1e-6 (absolute 1e-9).
//!
//! `RADIOME_PHANTOMS=DIR cargo test --test phantoms` checks instead a fresh set that
//! `make_phantoms.py --seed N --out DIR` generated with a live PyRadiomics.

mod common;

use std::path::PathBuf;

use common::{assert_tables_agree, fixtures};
use radiome::Extractor;
use radiome::compare::Table;
use radiome::params::Params;

/// Runs `params/<config>.yaml` on each phantom of `<config>.csv` (with the row's `Label`) and
/// compares the whole table, which must hold at least `at_least` values.
fn check(config: &str, at_least: usize) {
    let folder = std::env::var_os("RADIOME_PHANTOMS")
        .map_or_else(|| fixtures().join("phantoms"), PathBuf::from);
    let params_file = fixtures().join(format!("phantoms/params/{config}.yaml"));
    let mut reference = Table::read(&folder.join(format!("{config}.csv"))).unwrap();
    let column = |name: &str| reference.header.iter().position(|h| h == name).unwrap();
    let (image_col, mask_col, label_col) = (column("Image"), column("Mask"), column("Label"));
    let mut ours = Table {
        header: Vec::new(),
        rows: Vec::new(),
    };
    for row in &reference.rows {
        let mut params = Params::from_file(&params_file).unwrap();
        let label: i64 = row[label_col].parse().unwrap();
        params.set("label", label).unwrap();
        let result = Extractor::new(params)
            .extract_files(&folder.join(&row[image_col]), &folder.join(&row[mask_col]))
            .unwrap_or_else(|e| panic!("{config}, {}: {e}", row[image_col]));
        ours.header = result.keys().cloned().collect();
        ours.rows
            .push(result.values().map(|v| v.to_csv_field()).collect());
    }
    // `Label` is an input column of PyRadiomics' batch mode, not a feature.
    reference.header.remove(label_col);
    for row in &mut reference.rows {
        row.remove(label_col);
    }
    assert_tables_agree(config, &reference, &ours, at_least);
    assert_image_diagnostics_equal(config, &reference, &ours);
}

/// The `diagnostics_Image-*` and `diagnostics_Mask-*` entries (hashes, dimensionality, spacings,
/// sizes, boxes, centres, statistics) are written exactly as PyRadiomics writes them.
fn assert_image_diagnostics_equal(config: &str, reference: &Table, ours: &Table) {
    let mut compared = 0;
    for (i, name) in reference.header.iter().enumerate() {
        if !(name.starts_with("diagnostics_Image-") || name.starts_with("diagnostics_Mask-")) {
            continue;
        }
        let Some(j) = ours.header.iter().position(|h| h == name) else {
            panic!("{config}: no column {name}");
        };
        for (want, got) in reference.rows.iter().zip(&ours.rows) {
            assert_eq!(want[i], got[j], "{config}: {name}");
            compared += 1;
        }
    }
    assert!(compared > 10, "{config}: {compared} diagnostics compared");
}

#[test]
fn all_image_types() {
    check("all_filters", 500);
}

#[test]
fn resampled_normalised() {
    check("resampled", 500);
}

#[test]
fn force_2d() {
    check("force2d", 500);
}

#[test]
fn less_common_settings() {
    check("variants", 500);
}

#[test]
fn single_slice_shape_2d() {
    check("shape2d", 500);
}

#[test]
fn planar_images_every_image_type() {
    check("planar", 500);
}

#[test]
fn planar_images_force2d_resampled() {
    check("planar_force2d", 500);
}

#[test]
fn nan_intensities_in_the_region() {
    check("nan_voxels", 100);
}

#[test]
fn nan_intensities_resegmented_away() {
    check("nan_voxels_resegmented", 60);
}

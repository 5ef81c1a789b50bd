//! `Extractor::extract_regions`: one image, several regions, read and filtered once, gives what
//! one extraction per region (the region as a 0/1 UInt32 mask) gives, to the last digit.

mod common;

use common::{data, fixtures};
use radiome::Extractor;
use radiome::image::{Image, PixelType, Volume};
use radiome::io::{mask_hash, read_image, read_mask, read_stored_image, region_hash};
use radiome::output::ResultRow;
use radiome::params::Params;
use radiome::preprocess::mask::label_region;

fn region(file: &str) -> Volume<bool> {
    label_region(&read_mask(&data().join(file), 0).unwrap(), 1).unwrap()
}

fn as_mask(region: &Volume<bool>) -> Image {
    Image {
        volume: Volume {
            voxels: region.voxels.mapv(|inside| if inside { 1.0 } else { 0.0 }),
            geometry: region.geometry.clone(),
        },
        pixel_type: PixelType::U32,
    }
}

fn fields(row: &ResultRow) -> Vec<(String, String)> {
    row.iter()
        .map(|(k, v)| (k.clone(), v.to_csv_field()))
        .collect()
}

/// Every region's row from `extract_regions` equals `extract`'s for that region alone
/// (`config`: a file of fixtures' pyradiomics-configs, or `default`).
fn check(config: &str, case: &str, suffixes: &[&str]) {
    let params = match config {
        "default" => Params::default(),
        name => {
            Params::from_file(fixtures().join(format!("pyradiomics-configs/{name}.yaml"))).unwrap()
        }
    };
    let extractor = Extractor::new(params);
    let image_path = data().join(format!("{case}_image.nrrd"));
    let regions: Vec<Volume<bool>> = suffixes
        .iter()
        .map(|s| region(&format!("{case}_label{s}.nrrd")))
        .collect();
    let together =
        extractor.extract_regions(&read_stored_image(&image_path).unwrap(), regions.clone());
    let image = read_image(&image_path).unwrap();
    for (region, row) in regions.iter().zip(together) {
        let alone = extractor.extract(&image, &as_mask(region)).unwrap();
        let row = row.unwrap();
        assert!(row.len() > 100, "{config} {case}: {} values", row.len());
        assert_eq!(fields(&row), fields(&alone), "{config} {case}");
    }
}

#[test]
fn filters_shared_by_tumour_and_ring_give_each_region_its_own_values() {
    check("wavelet_log", "breast1", &["", "_peri3mm"]);
    check(
        "simple_filters",
        "brain1",
        &["_maxslice", "_maxslice_peri3mm"],
    );
}

#[test]
fn one_region_alone_is_filtered_from_the_whole_image() {
    check("wavelet_log", "breast1", &["_peri3mm"]);
    check("simple_filters", "brain1", &["_maxslice"]);
}

#[test]
fn original_only_regions_each_get_their_own_box() {
    check("default", "brain1", &["", "_peri3mm"]);
    check("default", "breast1", &["_peri3mm"]);
}

#[test]
fn a_normalised_image_is_shared_too() {
    check("mr_normalized", "breast1", &["", "_peri3mm"]);
}

#[test]
fn resampling_crops_around_each_region_so_each_is_filtered_alone() {
    check("resampled_ct", "breast1", &["", "_peri3mm"]);
}

#[test]
fn an_empty_region_fails_alone() {
    let extractor = Extractor::new(Params::default());
    let image = read_stored_image(&data().join("breast1_image.nrrd")).unwrap();
    let tumour = region("breast1_label.nrrd");
    let mut empty = tumour.clone();
    empty.voxels.fill(false);
    let rows = extractor.extract_regions(&image, vec![empty, tumour]);
    assert!(rows[0].is_err());
    assert!(rows[1].as_ref().is_ok_and(|row| row.len() > 100));
}

#[test]
fn a_region_hashes_as_its_uint32_mask() {
    let tumour = region("brain1_label.nrrd");
    assert_eq!(region_hash(&tumour), mask_hash(&as_mask(&tumour)));
    let mut other = tumour.clone();
    other.voxels[[0, 0, 0]] = !other.voxels[[0, 0, 0]];
    assert_ne!(region_hash(&other), region_hash(&tumour));
}

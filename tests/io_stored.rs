//! The compact readers (`read_stored_image`, `read_mask_region`) give exactly what the f64 readers
//! and the preprocessing functions give, on every fixture image (all pixel types, byte orders,
//! layouts, NIfTI rescaling, vector masks).

use radiome::io::{
    mask_hash, pixel_hash, read_image_2d_or_3d, read_mask_2d_or_3d, read_mask_region,
    read_stored_image,
};
use radiome::preprocess::diagnostics::image_diagnostics;
use radiome::preprocess::mask::label_region;
use std::path::{Path, PathBuf};

fn images() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files = Vec::new();
    for dir in ["io", "pyradiomics-data"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("fixture dir") {
            let path = entry.expect("entry").path();
            let name = path.to_string_lossy().to_string();
            if [".nrrd", ".nii", ".nii.gz"]
                .iter()
                .any(|e| name.ends_with(e))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[test]
fn stored_image_matches_widened_image() {
    let mut checked = 0;
    for path in images() {
        let stored = read_stored_image(&path);
        let (image, dimensionality) = match read_image_2d_or_3d(&path) {
            Ok(read) => read,
            Err(e) => {
                let err = stored.err().map(|e| e.to_string());
                assert_eq!(err, Some(e.to_string()), "{}", path.display());
                continue;
            }
        };
        let stored = stored.expect("stored image");
        assert_eq!(
            stored.dimensionality(),
            dimensionality,
            "{}",
            path.display()
        );
        assert_eq!(stored.pixel_type(), image.pixel_type, "{}", path.display());
        assert_eq!(stored.size(), image.volume.size());
        assert_eq!(
            stored.pending_hash().compute().expect("hash"),
            pixel_hash(&image),
            "{}",
            path.display()
        );
        let [nx, ny, nz] = stored.size();
        let whole = stored.crop([0; 3], [nx - 1, ny - 1, nz - 1]);
        assert_eq!(whole.volume.geometry, image.volume.geometry);
        assert!(
            whole
                .volume
                .voxels
                .iter()
                .zip(image.volume.voxels.iter())
                .all(|(&a, &b)| same(a, b)),
            "{}",
            path.display()
        );
        let upper = [nx / 2, ny - 1, nz / 2];
        let part = stored.crop([nx / 3, ny / 2, 0], upper);
        let expected = radiome::image::crop::crop(&image.volume, [nx / 3, ny / 2, 0], upper);
        assert_eq!(part.volume.geometry, expected.geometry);
        assert_eq!(part.volume.voxels, expected.voxels, "{}", path.display());
        if let Some((mean, min, max)) = stored.integer_mean_min_max() {
            let d = image_diagnostics(&image);
            assert_eq!((mean, min, max), (d.mean, d.minimum, d.maximum));
        }
        checked += 1;
    }
    assert!(checked > 10);
}

#[test]
fn mask_region_matches_label_region() {
    let mut checked = 0;
    for path in images() {
        let (mask, dimensionality) = match read_mask_2d_or_3d(&path, 0) {
            Ok(read) => read,
            Err(e) => {
                let err = read_mask_region(&path, 0, 1).err();
                assert_eq!(err.map(|e| e.to_string()), Some(e.to_string()));
                continue;
            }
        };
        let region = read_mask_region(&path, 0, 1).expect("mask region");
        assert_eq!(region.dimensionality, dimensionality, "{}", path.display());
        assert_eq!(
            region.hash.compute().ok(),
            Some(mask_hash(&mask)),
            "{}",
            path.display()
        );
        assert_eq!(region.region.geometry, mask.volume.geometry);
        let mut labels: Vec<u32> = mask.volume.voxels.iter().map(|&v| v as u32).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(region.labels, labels, "{}", path.display());
        if let Ok(expected) = label_region(&mask, 1) {
            assert_eq!(region.region.voxels, expected.voxels, "{}", path.display());
        }
        checked += 1;
    }
    assert!(checked > 10);
}

//! Signs that a file given as the mask is an image (image and mask swapped, or the wrong file).
//! PyRadiomics extracts from such a "mask" without a word; radiome warns.

use super::diagnostics::count_components;
use crate::image::Volume;
use crate::image::bbox::BoundingBox;

/// More distinct values than a label map plausibly holds.
const MAX_PLAUSIBLE_LABELS: usize = 32;
/// More separate regions than one region of interest plausibly has (PyRadiomics' prostate
/// phantom, a real label map, has 55 small ones).
const MAX_PLAUSIBLE_REGIONS: usize = 100;

/// Why a mask looks like an image rather than a label map, if it does: it holds non-integer
/// values (`holds_fractions`), more than 32 distinct values (`labels`, cast to UInt32 as
/// PyRadiomics casts them), or its label's voxels (`region`) form more than 100 separate
/// 26-connected regions.
pub fn implausible_mask(
    labels: &[u32],
    holds_fractions: bool,
    region: &Volume<bool>,
    label: i64,
) -> Option<String> {
    if holds_fractions {
        return Some("it holds non-integer values".into());
    }
    if labels.len() > MAX_PLAUSIBLE_LABELS {
        return Some(format!("it holds {} distinct values", labels.len()));
    }
    let regions = BoundingBox::of_mask(region).map_or(0, |bb| count_components(region, &bb));
    (regions > MAX_PLAUSIBLE_REGIONS)
        .then(|| format!("label {label} forms {regions} separate regions"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Geometry;
    use ndarray::Array3;

    fn region(voxels: Array3<bool>) -> Volume<bool> {
        Volume {
            voxels,
            geometry: Geometry::identity(),
        }
    }

    #[test]
    fn a_compact_region_with_few_labels_is_plausible() {
        let mut voxels = Array3::from_elem((4, 4, 4), false);
        voxels.slice_mut(ndarray::s![1..3, 1..3, 1..3]).fill(true);
        assert_eq!(
            implausible_mask(&[0, 1, 2], false, &region(voxels), 1),
            None
        );
    }

    #[test]
    fn fractions_many_values_or_scattered_voxels_are_not() {
        let one = region(Array3::from_elem((2, 2, 2), true));
        let many: Vec<u32> = (0..33).collect();
        assert!(
            implausible_mask(&[0, 1], true, &one, 1)
                .unwrap()
                .contains("non-integer")
        );
        assert!(
            implausible_mask(&many, false, &one, 1)
                .unwrap()
                .contains("33 distinct")
        );
        // Every other voxel of one line: 101 isolated voxels, one more than plausible.
        let mut voxels = Array3::from_elem((1, 3, 202), false);
        for x in (0..202).step_by(2) {
            voxels[[0, 0, x]] = true;
        }
        let scattered = implausible_mask(&[0, 1], false, &region(voxels.clone()), 1).unwrap();
        assert!(
            scattered.contains("label 1 forms 101 separate regions"),
            "{scattered}"
        );
        voxels[[0, 0, 200]] = false;
        assert_eq!(implausible_mask(&[0, 1], false, &region(voxels), 1), None);
    }
}

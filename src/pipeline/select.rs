//! Which computed features go into the result row, in PyRadiomics' order and names.

use crate::features::Feature;
use crate::image::bbox::BoundingBox;
use crate::output::{ResultRow, Value};
use crate::params::{FeatureClass, TextureSettings};

/// Adds the features `names` (in that order, as [`crate::params::Params::enabled_features`]
/// gives them) of one class to `row` as `<image_type>_<class>_<feature>`.
pub fn insert(
    row: &mut ResultRow,
    image_type: &str,
    class: FeatureClass,
    names: &[&str],
    computed: &[Feature],
) {
    for name in names {
        // Parameter files are validated against each class's feature list, so every name is computed.
        if let Some(f) = computed.iter().find(|f| f.name == *name) {
            row.insert(
                format!("{image_type}_{}_{name}", class.name()),
                if f.integral {
                    Value::Integer(f.value as i64)
                } else {
                    Value::Number(f.value)
                },
            );
        }
    }
}

/// PyRadiomics computes shape2D only with `force2D` and when the bounding box is wider than one
/// voxel along entry `force2Ddimension` of its `(x, y, z)`-ordered size (its own check, kept as is).
pub fn shape2d_applies(settings: &TextureSettings, bbox: &BoundingBox) -> bool {
    settings.force_2d
        && bbox
            .size()
            .get(settings.force_2d_dimension)
            .is_some_and(|&s| s > 1)
}

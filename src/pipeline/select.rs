//! Which computed features go into the result row, in PyRadiomics' order and names.

use crate::features::Feature;
use crate::output::{ResultRow, Value};
use crate::params::{FeatureClass, Settings};
use crate::preprocess::BoundingBox;
use crate::{Error, Result};

/// Adds a class's features to `row` as `<image_type>_<class>_<feature>`.
///
/// With no explicit list, every non-deprecated feature in PyRadiomics' order (its feature methods
/// `get<Name>FeatureValue` sorted by name); with a list, exactly those features in that order.
pub fn insert(
    row: &mut ResultRow,
    image_type: &str,
    class: FeatureClass,
    names: Option<&[String]>,
    mut computed: Vec<Feature>,
) -> Result<()> {
    let key = |name: &str| format!("{image_type}_{}_{name}", class.name());
    match names {
        None => {
            computed.retain(|f| !f.deprecated);
            computed.sort_by_cached_key(|f| format!("{}FeatureValue", f.name));
            for f in computed {
                row.insert(key(f.name), Value::Number(f.value));
            }
        }
        Some(names) => {
            for name in names {
                let f = computed.iter().find(|f| f.name == name).ok_or_else(|| {
                    Error::params("featureClass", format!("{} has no feature '{name}'", class.name()))
                })?;
                row.insert(key(f.name), Value::Number(f.value));
            }
        }
    }
    Ok(())
}

/// PyRadiomics computes shape2D only with `force2D` and when the bounding box is wider than one
/// voxel along axis `force2Ddimension` of its `(x, y, z)`-ordered size (its own check, kept as is).
pub fn shape2d_applies(settings: &Settings, bbox: &BoundingBox) -> bool {
    settings.force_2d && bbox.size()[settings.force_2d_dimension] > 1
}

//! Which computed features go into the result row, in PyRadiomics' order and names.

use crate::Result;
use crate::features::Feature;
use crate::features::table::Printed;
use crate::image::bbox::BoundingBox;
use crate::output::{ResultRow, Value};
use crate::params::{FeatureClass, TextureSettings};

/// Adds the features `names` (in that order, as [`crate::params::Params::enabled_features`]
/// gives them) of one class to `row` as `<image_type>_<class>_<feature>`, from `computed`, the
/// class's features with a value. A feature that PyRadiomics gives no value
/// ([`Printed::Nothing`]) gets no column; a name that is not in the class's table (possible only
/// in a [`crate::params::Params`] whose fields were edited directly) is an error.
pub fn insert(
    row: &mut ResultRow,
    image_type: &str,
    class: FeatureClass,
    names: &[&str],
    computed: &[Feature],
) -> Result<()> {
    for name in names {
        let info = class.checked_feature("Params::feature_classes", name)?;
        let Some(f) = computed.iter().find(|f| f.name == info.name) else {
            debug_assert_eq!(info.printed, Printed::Nothing, "{name} has a value");
            continue;
        };
        let value = if f.integral {
            Value::Integer(f.value as i64)
        } else {
            Value::Number(f.value)
        };
        row.insert(format!("{image_type}_{}_{name}", class.name()), value);
    }
    Ok(())
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

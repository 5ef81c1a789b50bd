//! The `diagnostics_*` entries PyRadiomics' `generalinfo` writes, in its order and formatting.

use crate::io::VoxelHashes;
use crate::output::{ResultRow, Value};
use crate::params::Params;
use crate::preprocess::Diagnostics;
use crate::preprocess::diagnostics::{ImageDiagnostics, MaskDiagnostics};
use crate::pyrepr::{numpy_float_tuple, python_float_repr, python_float_tuple, python_int_tuple};

/// What radiome reports in PyRadiomics' `diagnostics_Versions_*` columns: its own version in the
/// `PyRadiomics` column and "n/a" for the Python libraries it does not use.
const VERSIONS: [(&str, &str); 5] = [
    (
        "PyRadiomics",
        concat!("radiome-", env!("CARGO_PKG_VERSION")),
    ),
    ("Numpy", "n/a"),
    ("SimpleITK", "n/a"),
    ("PyWavelet", "n/a"),
    ("Python", "n/a"),
];

/// Adds every diagnostic entry for one case: versions, configuration (with radiome's
/// `Configuration_Device` when the texture matrices ran on a GPU), the original image and mask
/// (with their hashes) and the interpolated, corrected and resegmented variants when they apply.
pub fn write(
    row: &mut ResultRow,
    params: &Params,
    diag: &Diagnostics,
    hashes: &VoxelHashes,
    device: Option<String>,
) {
    let mut put = |key: String, value: String| {
        row.insert(format!("diagnostics_{key}"), Value::Text(value));
    };
    for (name, version) in VERSIONS {
        put(format!("Versions_{name}"), version.to_string());
    }
    put("Configuration_Settings".into(), params.settings_repr());
    put(
        "Configuration_EnabledImageTypes".into(),
        params.image_types_repr(),
    );
    if let Some(device) = device {
        put("Configuration_Device".into(), device);
    }
    put("Image-original_Hash".into(), hashes.image.clone());
    let axes = diag.dimensionality.axes();
    put("Image-original_Dimensionality".into(), format!("{axes}D"));
    image_entries(&mut put, axes, "original", &diag.image_original);
    put("Mask-original_Hash".into(), hashes.mask.clone());
    let masks = [
        ("original", &diag.mask_original),
        ("interpolated", &diag.mask_interpolated),
        ("corrected", &diag.mask_corrected),
        ("resegmented", &diag.mask_resegmented),
    ];
    for (prefix, mask) in masks {
        if prefix == "interpolated"
            && let Some(image) = &diag.image_interpolated
        {
            image_entries(&mut put, axes, prefix, image);
        }
        if let Some(mask) = mask {
            mask_entries(&mut put, axes, prefix, mask);
        }
    }
}

/// The image entries of one stage; tuples have one entry per image axis (`axes`, 2 or 3).
fn image_entries(
    put: &mut impl FnMut(String, String),
    axes: usize,
    prefix: &str,
    d: &ImageDiagnostics,
) {
    put(
        format!("Image-{prefix}_Spacing"),
        python_float_tuple(&d.spacing[..axes]),
    );
    put(
        format!("Image-{prefix}_Size"),
        python_int_tuple(&d.size[..axes]),
    );
    put(format!("Image-{prefix}_Mean"), python_float_repr(d.mean));
    put(
        format!("Image-{prefix}_Minimum"),
        python_float_repr(d.minimum),
    );
    put(
        format!("Image-{prefix}_Maximum"),
        python_float_repr(d.maximum),
    );
}

/// The mask entries of one stage; tuples have one entry per image axis (`axes`, 2 or 3), the
/// bounding box `axes` lower corner indices then `axes` sizes.
fn mask_entries(
    put: &mut impl FnMut(String, String),
    axes: usize,
    prefix: &str,
    d: &MaskDiagnostics,
) {
    put(
        format!("Mask-{prefix}_Spacing"),
        python_float_tuple(&d.spacing[..axes]),
    );
    put(
        format!("Mask-{prefix}_Size"),
        python_int_tuple(&d.size[..axes]),
    );
    let (lower, size) = d.bounding_box.split_at(3);
    put(
        format!("Mask-{prefix}_BoundingBox"),
        python_int_tuple(&[&lower[..axes], &size[..axes]].concat()),
    );
    put(format!("Mask-{prefix}_VoxelNum"), d.voxel_num.to_string());
    put(format!("Mask-{prefix}_VolumeNum"), d.volume_num.to_string());
    put(
        format!("Mask-{prefix}_CenterOfMassIndex"),
        numpy_float_tuple(&d.center_of_mass_index[..axes]),
    );
    put(
        format!("Mask-{prefix}_CenterOfMass"),
        python_float_tuple(&d.center_of_mass[..axes]),
    );
    if let Some((mean, minimum, maximum)) = d.intensity {
        put(format!("Mask-{prefix}_Mean"), python_float_repr(mean));
        put(format!("Mask-{prefix}_Minimum"), python_float_repr(minimum));
        put(format!("Mask-{prefix}_Maximum"), python_float_repr(maximum));
    }
}

//! Texture matrices on the CPU, and the discretisation they all start from.

pub mod angles;
pub mod discretize;
pub mod glcm;
pub mod gldm;
pub mod glrlm;
pub mod glszm;
pub mod neighbours;
pub mod ngtdm;
pub mod roi;
pub mod size_matrix;
pub mod weighting;

pub use discretize::{Discretized, discretize};

use crate::{Error, Result};

/// A table of `len` zeros indexed by grey level (up to `N_g`, as PyRadiomics sizes its
/// matrices), allocated zeroed (pages a sparse table never touches cost no memory); when so many
/// bins do not fit in memory, the error PyRadiomics' `MemoryError` becomes (`class`: the feature
/// class that needs the table).
pub fn level_table<T: bytemuck::Zeroable>(len: usize, class: &str) -> Result<Vec<T>> {
    bytemuck::allocation::try_zeroed_vec(len).map_err(|_| {
        Error::setting(
            class,
            format!(
                "a table of {len} grey levels does not fit in memory (PyRadiomics fails with a \
                 MemoryError): far too many bins for the ROI's intensity range"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_tables_that_cannot_exist_are_errors() {
        assert_eq!(level_table::<u32>(3, "glcm").unwrap(), vec![0, 0, 0]);
        let err = level_table::<f64>(usize::MAX / 4, "ngtdm").unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("ngtdm") && message.contains("does not fit in memory"),
            "{message}"
        );
    }

    /// A region too small for the distances is one mask error, worded alike, in every class
    /// that needs a neighbour offset; the case's mask file is the one it names.
    #[test]
    fn no_offset_that_fits_is_the_same_mask_error_in_every_class() {
        use crate::image::PixelType;
        use crate::params::TextureSettings;
        use std::path::Path;
        let image = ndarray::Array3::from_shape_fn((2, 2, 2), |(z, y, x)| (z + y + x) as f64);
        let mask = image.mapv(|_| true);
        let settings = TextureSettings {
            distances: vec![3],
            ..TextureSettings::default()
        };
        let disc = discretize(&image, &mask, &settings, PixelType::F64).unwrap();
        let errors = [
            ("GLCM", glcm::glcm_matrix(&disc, [1.0; 3], &settings).err()),
            ("GLDM", gldm::gldm_matrix(&disc, &settings).err()),
            ("NGTDM", ngtdm::ngtdm_matrix(&disc, &settings).err()),
        ];
        for (class, error) in errors {
            let error = error.unwrap_or_else(|| panic!("{class} accepted distance 3"));
            assert!(matches!(error, Error::Mask { .. }), "{class}: {error:?}");
            let message = error.in_case(Path::new("i.nrrd"), Path::new("m.nrrd"));
            assert_eq!(
                message.to_string(),
                format!(
                    "m.nrrd: {class}: no neighbour offset at distances [3] fits in the region's \
                     bounding box of size (z, y, x) [2, 2, 2] (PyRadiomics: \"Error getting \
                     angle count.\")"
                )
            );
        }
    }
}

//! What the texture matrices of a 2D image need changed: such an image is held as a volume of one
//! slice, so its arrays have a z axis that PyRadiomics' 2D arrays lack.

use crate::image::Dimensionality;
use crate::params::TextureSettings;

/// The settings the texture matrices use for an image of `dimensionality`.
///
/// For a 2D image PyRadiomics' `force2Ddimension` counts the axes of its 2D array (0 = y,
/// 1 = x), which are axes 1 and 2 of the one-slice volume, so the excluded axis moves up by one;
/// `force2Ddimension` 2 names no axis of a 2D array and excludes no direction. (No direction
/// leaves the single slice anyway.)
pub fn matrix_settings(
    settings: &TextureSettings,
    dimensionality: Dimensionality,
) -> TextureSettings {
    let mut matrix = settings.clone();
    if dimensionality == Dimensionality::Two && matrix.force_2d {
        match dimensionality.volume_axis(matrix.force_2d_dimension) {
            Some(axis) => matrix.force_2d_dimension = axis,
            None => matrix.force_2d = false,
        }
    }
    matrix
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrices::angles::angles;

    /// The in-plane directions PyRadiomics keeps for a 2D array under `force2D`, as offsets of
    /// the one-slice volume.
    fn kept(force_2d_dimension: usize) -> Vec<[i32; 3]> {
        let settings = TextureSettings {
            force_2d: true,
            force_2d_dimension,
            ..TextureSettings::default()
        };
        let planar = matrix_settings(&settings, Dimensionality::Two);
        angles([1, 10, 10], &[1], planar.force_2d_axis(), false)
    }

    #[test]
    fn force2d_dimension_counts_the_2d_arrays_axes() {
        // 0 = y: only the direction along x is left; 1 = x: only the one along y.
        assert_eq!(kept(0), vec![[0, 0, 1]]);
        assert_eq!(kept(1), vec![[0, 1, 0]]);
        // 2 names no axis of a 2D array: all four in-plane directions.
        assert_eq!(kept(2), vec![[0, 1, 1], [0, 1, 0], [0, 1, -1], [0, 0, 1]]);
        let three = TextureSettings::default();
        assert_eq!(matrix_settings(&three, Dimensionality::Three), three);
    }
}

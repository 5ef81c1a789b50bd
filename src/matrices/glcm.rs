//! Grey Level Co-occurrence Matrix, as PyRadiomics 3.1 computes it (`cmatrices.calculate_glcm`
//! followed by `RadiomicsGLCM._calculateMatrix`).

use rayon::prelude::*;

use super::Discretized;
use super::angles::angles;
use super::roi::{OUTSIDE, RoiIndex};
use super::weighting::{drop_empty_angles, glcm_weight, merge_angles};
use crate::params::Settings;
use crate::{Error, Result};

/// Normalised GLCMs, one per angle (or a single merged one when `weightingNorm` is set).
#[derive(Clone, Debug, PartialEq)]
pub struct GlcmMatrix {
    /// `p(i, j)` angle-major: `p[(a * n + i) * n + j]`, `n = gray_levels.len()`. Each angle sums
    /// to 1; an all-zero angle left alone (single angle) holds NaN, as in PyRadiomics.
    pub p: Vec<f64>,
    /// The grey levels present in the ROI (rows / columns of the matrix), ascending.
    pub gray_levels: Vec<f64>,
    /// Number of angles kept.
    pub n_angles: usize,
    /// PyRadiomics' `Ng`: the highest grey level in the ROI.
    pub ng: u32,
}

impl GlcmMatrix {
    /// Number of rows (= columns): the grey levels present.
    pub fn size(&self) -> usize {
        self.gray_levels.len()
    }

    /// The matrix of angle `a`, row-major.
    pub fn angle(&self, a: usize) -> &[f64] {
        let len = self.size() * self.size();
        &self.p[a * len..(a + 1) * len]
    }
}

/// The GLCM of `disc` for `settings` (`distances`, `force2D`, `force2Ddimension`,
/// `symmetricalGLCM`, `weightingNorm`); `spacing` in ITK `(x, y, z)` order weights angles.
///
/// Per angle (neighbour offset at an infinity-norm distance in `distances`, one direction per
/// pair), `P(i, j)` counts ROI voxels of level `i` whose neighbour at the offset is an ROI voxel
/// of level `j`. Then, as PyRadiomics: grey levels absent from the ROI are dropped,
/// `P += P^T` when symmetrical, angles are merged as `sum_a W_a P_a` when weighting, all-zero
/// angles are dropped (when more than one), and each angle is normalised to sum 1.
pub fn glcm_matrix(
    disc: &Discretized,
    spacing: [f64; 3],
    settings: &Settings,
) -> Result<GlcmMatrix> {
    if settings.distances.is_empty() || settings.distances.contains(&0) {
        return Err(Error::params(
            "settings",
            format!(
                "distances must be integers >= 1, got {:?}",
                settings.distances
            ),
        ));
    }
    let roi = RoiIndex::new(disc)?;
    let force2d_axis = settings.force_2d.then_some(settings.force_2d_dimension);
    let offsets = angles(roi.shape, &settings.distances, force2d_axis, false);
    if offsets.is_empty() {
        return Err(Error::mask(format!(
            "GLCM: no neighbour offset at distances {:?} fits in the cropped image of size {:?} (z, y, x)",
            settings.distances, roi.shape
        )));
    }
    let n = disc.gray_levels.len();
    let voxels = roi.voxels();
    let mut counts: Vec<f64> = offsets
        .par_iter()
        .flat_map_iter(|&offset| {
            let mut p = vec![0.0; n * n];
            let range = roi.valid_range(offset);
            let step = roi.step(offset);
            for v in &voxels {
                if (0..3).all(|d| v.index[d] >= range[d].0 && v.index[d] < range[d].1) {
                    let neighbour = roi.bins[(v.flat as isize + step) as usize];
                    if neighbour != OUTSIDE {
                        p[v.bin as usize * n + neighbour as usize] += 1.0;
                    }
                }
            }
            p
        })
        .collect();
    if settings.symmetrical_glcm {
        for p in counts.chunks_exact_mut(n * n) {
            for i in 0..n {
                for j in i..n {
                    let sum = p[i * n + j] + p[j * n + i];
                    p[i * n + j] = sum;
                    p[j * n + i] = sum;
                }
            }
        }
    }
    if let Some(norm) = settings.weighting_norm {
        let weights: Vec<f64> = offsets
            .iter()
            .map(|&o| glcm_weight(o, spacing, norm))
            .collect();
        counts = merge_angles(&counts, n * n, &weights);
    }
    let (mut p, totals) = drop_empty_angles(counts, n * n);
    for (block, total) in p.chunks_exact_mut(n * n).zip(&totals) {
        let total = if *total == 0.0 { f64::NAN } else { *total };
        block.iter_mut().for_each(|v| *v /= total);
    }
    Ok(GlcmMatrix {
        p,
        gray_levels: disc.gray_levels.iter().map(|&g| f64::from(g)).collect(),
        n_angles: totals.len(),
        ng: disc.ng,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrices::roi::test_levels as disc;

    /// PyRadiomics' documented 5x5 example: the symmetrical GLCM at 0 degrees.
    #[test]
    fn documented_example() {
        #[rustfmt::skip]
        let image = vec![
            1, 2, 5, 2, 3,
            3, 2, 1, 3, 1,
            1, 3, 5, 5, 2,
            1, 1, 1, 1, 2,
            1, 2, 4, 3, 5,
        ];
        let settings = Settings {
            weighting_norm: None,
            ..Settings::default()
        };
        let m = glcm_matrix(&disc(image, (1, 5, 5)), [1.0; 3], &settings).unwrap();
        assert_eq!(m.n_angles, 4);
        // angle (0, 0, 1) is the last in-plane offset
        let total = 40.0;
        #[rustfmt::skip]
        let expected = [
            6., 4., 3., 0., 0.,
            4., 0., 2., 1., 3.,
            3., 2., 0., 1., 2.,
            0., 1., 1., 0., 0.,
            0., 3., 2., 0., 2.,
        ];
        let got: Vec<f64> = m.angle(3).iter().map(|v| v * total).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn single_voxel_gives_no_angles() {
        let m = glcm_matrix(
            &disc(vec![0, 0, 0, 1], (1, 2, 2)),
            [1.0; 3],
            &Settings::default(),
        )
        .unwrap();
        assert_eq!(m.n_angles, 0);
        assert!(m.p.is_empty());
    }

    #[test]
    fn zero_distance_is_an_error() {
        let settings = Settings {
            distances: vec![0],
            ..Settings::default()
        };
        assert!(glcm_matrix(&disc(vec![1, 2], (1, 1, 2)), [1.0; 3], &settings).is_err());
    }
}

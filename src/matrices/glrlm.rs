//! Grey Level Run Length Matrix, as PyRadiomics 3.1 computes it (`cmatrices.calculate_glrlm`
//! followed by `RadiomicsGLRLM._calculateMatrix` and the run-length trimming of
//! `_calculateCoefficients`).

use rayon::prelude::*;

use super::Discretized;
use super::angles::angles_that_fit;
use super::roi::{OUTSIDE, RoiIndex};
use super::weighting::{drop_empty_angles, glrlm_weight, merge_angles};
use crate::Result;
use crate::params::TextureSettings;

/// Run-length counts, one matrix per angle (or a single merged one when `weightingNorm` is set).
#[derive(Clone, Debug, PartialEq)]
pub struct GlrlmMatrix {
    /// `P(i, j)` angle-major: `p[(a * gray_levels.len() + i) * run_lengths.len() + j]`: the
    /// (weighted) number of runs of grey level `gray_levels[i]` and length `run_lengths[j]`.
    pub p: Vec<f64>,
    /// The grey levels present in the ROI, ascending.
    pub gray_levels: Vec<f64>,
    /// The run lengths that occur in some angle, ascending.
    pub run_lengths: Vec<f64>,
    /// Number of angles kept.
    pub n_angles: usize,
}

impl GlrlmMatrix {
    /// The matrix of angle `a`, row-major (grey level, run length).
    pub fn angle(&self, a: usize) -> &[f64] {
        let len = self.gray_levels.len() * self.run_lengths.len();
        &self.p[a * len..(a + 1) * len]
    }
}

/// The GLRLM of `disc` for `settings` (`force2D`, `force2Ddimension`, `weightingNorm`);
/// `spacing` in ITK `(x, y, z)` order weights angles.
///
/// For each of the 13 (3D) or 4 (2D) directions, every line of voxels through the image along
/// the direction is split into runs: maximal sequences of consecutive ROI voxels of one grey
/// level. A direction in which no line crosses the ROI more than once is emptied. Then, as
/// PyRadiomics: grey levels absent from the ROI are dropped, angles are merged as
/// `sum_a W_a P_a` when weighting, all-zero angles are dropped (when more than one), and run
/// lengths that occur in no angle are dropped.
pub fn glrlm_matrix(
    disc: &Discretized,
    spacing: [f64; 3],
    settings: &TextureSettings,
) -> Result<GlrlmMatrix> {
    let plan = GlrlmPlan::new(disc, settings)?;
    let counts = run_counts(&plan);
    Ok(glrlm_from_counts(counts, &plan, disc, spacing, settings))
}

/// What the GLRLM counts: the ROI's grey-level bins, the directions (13 in 3D, 4 in 2D) that fit
/// in the cropped image, and the matrix size per direction.
pub struct GlrlmPlan {
    /// The ROI's grey-level bins, flattened.
    pub roi: RoiIndex,
    /// Unit offsets `(dz, dy, dx)`, in PyRadiomics' angle order.
    pub offsets: Vec<[i32; 3]>,
    /// Grey levels present in the ROI (rows of each direction's counts).
    pub n_gray: usize,
    /// The longest possible run: the largest image extent (columns of each direction's counts).
    pub max_run: usize,
}

impl GlrlmPlan {
    /// The plan of `disc` under `force2D`; an error when no direction fits in the image.
    pub fn new(disc: &Discretized, settings: &TextureSettings) -> Result<Self> {
        let roi = RoiIndex::new(disc)?;
        let force2d_axis = settings.force_2d_axis();
        let offsets = angles_that_fit("GLRLM", roi.shape, &[1], force2d_axis, false)?;
        let max_run = roi.shape.iter().copied().max().unwrap_or(0);
        Ok(GlrlmPlan {
            roi,
            offsets,
            n_gray: disc.gray_levels.len(),
            max_run,
        })
    }
}

/// Raw run counts of `plan`, angle-major, each direction row-major `n_gray x max_run`
/// (grey-level bin, run length - 1); a direction in which no line crosses the ROI more than once
/// is all zeros. Integers, exact whoever counts them.
pub fn run_counts(plan: &GlrlmPlan) -> Vec<f64> {
    plan.offsets
        .par_iter()
        .flat_map_iter(|&offset| count_runs(&plan.roi, offset, plan.n_gray, plan.max_run))
        .collect()
}

/// The GLRLM from [`run_counts`]: as PyRadiomics, directions are merged as `sum_a W_a P_a` when
/// weighting, all-zero directions dropped (when more than one), and run lengths that occur in no
/// direction dropped.
pub fn glrlm_from_counts(
    mut counts: Vec<f64>,
    plan: &GlrlmPlan,
    disc: &Discretized,
    spacing: [f64; 3],
    settings: &TextureSettings,
) -> GlrlmMatrix {
    let max_run = plan.max_run;
    let len = plan.n_gray * max_run;
    if let Some(norm) = settings.weighting_norm {
        let weights: Vec<f64> = plan
            .offsets
            .iter()
            .map(|&o| glrlm_weight(o, spacing, norm))
            .collect();
        counts = merge_angles(&counts, len, &weights);
    }
    let (counts, totals) = drop_empty_angles(counts, len);
    let n_angles = totals.len();
    let occurring: Vec<usize> = (0..max_run)
        .filter(|&r| counts.chunks_exact(max_run).any(|row| row[r] != 0.0))
        .collect();
    let p = counts
        .chunks_exact(max_run)
        .flat_map(|row| occurring.iter().map(move |&r| row[r]))
        .collect();
    GlrlmMatrix {
        p,
        gray_levels: disc.gray_levels.iter().map(|&g| f64::from(g)).collect(),
        run_lengths: occurring.iter().map(|&r| (r + 1) as f64).collect(),
        n_angles,
    }
}

/// Run counts `(grey-level bin, run length - 1)` along `offset`, row-major `n_gray x max_run`.
fn count_runs(roi: &RoiIndex, offset: [i32; 3], n_gray: usize, max_run: usize) -> Vec<f64> {
    let mut p = vec![0.0; n_gray * max_run];
    let [nz, ny, nx] = roi.shape;
    let step = roi.step(offset);
    let before = roi.valid_range(offset.map(|o| -o));
    // Whether some line holds more than one ROI voxel; if none does, PyRadiomics empties the angle.
    let mut multi_element = false;
    let mut ends = vec![0; max_run + 1];
    for z in 0..nz {
        for y in 0..ny {
            // A line starts where stepping back along the offset leaves the image: on this row,
            // everywhere when (z, y) alone already leaves it, else outside `before` along x.
            let inner =
                (before[0].0..before[0].1).contains(&z) && (before[1].0..before[1].1).contains(&y);
            let starts = if inner {
                [0..before[2].0, before[2].1..nx]
            } else {
                [0..nx, 0..0]
            };
            for x in starts.into_iter().flatten() {
                let voxels = line_length(roi.shape, [z, y, x], offset);
                let start = (z * ny + y) * nx + x;
                // The run being walked: its bin (OUTSIDE between runs) and length. Where it
                // ends, its cell of `p` is appended to `ends` (without a branch: the slot is
                // always written, and kept only when a run of the ROI ended).
                let (mut bin, mut length) = (OUTSIDE, 0usize);
                let mut elements = 0usize;
                let mut ended = 0;
                for k in 0..voxels {
                    let next = roi.bins[start.wrapping_add_signed(k as isize * step)];
                    elements += usize::from(next != OUTSIDE);
                    let change = next != bin;
                    ends[ended] = (bin as usize)
                        .wrapping_mul(max_run)
                        .wrapping_add(length)
                        .wrapping_sub(1);
                    ended += usize::from(change & (bin != OUTSIDE));
                    length = if change { 1 } else { length + 1 };
                    bin = next;
                }
                if bin != OUTSIDE {
                    ends[ended] = bin as usize * max_run + length - 1;
                    ended += 1;
                }
                for &cell in &ends[..ended] {
                    p[cell] += 1.0;
                }
                multi_element |= elements > 1;
            }
        }
    }
    if !multi_element {
        p.iter_mut().for_each(|v| *v = 0.0);
    }
    p
}

/// The number of voxels on the line from `index` along the unit `offset` (components -1, 0 or 1,
/// not all 0) until it leaves an image of `shape`.
fn line_length(shape: [usize; 3], index: [usize; 3], offset: [i32; 3]) -> usize {
    (0..3)
        .filter(|&d| offset[d] != 0)
        .map(|d| {
            if offset[d] > 0 {
                shape[d] - index[d]
            } else {
                index[d] + 1
            }
        })
        .min()
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrices::roi::test_levels as disc;

    #[test]
    fn runs_along_x() {
        // one row: 1 1 0 3 3 3 1 -> runs (1, 2), (3, 3), (1, 1)
        let m = glrlm_matrix(
            &disc(vec![1, 1, 0, 3, 3, 3, 1], (1, 1, 7)),
            [1.0; 3],
            &TextureSettings::default(),
        )
        .unwrap();
        assert_eq!(m.n_angles, 1);
        assert_eq!(m.gray_levels, vec![1.0, 3.0]);
        assert_eq!(m.run_lengths, vec![1.0, 2.0, 3.0]);
        assert_eq!(m.angle(0), &[1.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn angle_crossing_the_roi_once_per_line_is_dropped() {
        // A single row in a 2x2 image: the 3 other in-plane directions cross it once per line.
        let m = glrlm_matrix(
            &disc(vec![1, 2, 0, 0], (1, 2, 2)),
            [1.0; 3],
            &TextureSettings::default(),
        )
        .unwrap();
        assert_eq!(m.n_angles, 1);
        assert_eq!(m.run_lengths, vec![1.0]);
        assert_eq!(m.angle(0), &[1.0, 1.0]);
    }
}

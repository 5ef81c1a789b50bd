//! Cubic B-spline interpolation exactly as ITK's `BSplineInterpolateImageFunction` (spline order 3)
//! with its `BSplineDecompositionImageFilter` prefilter (ITK 5.4).
//!
//! Prefilter: along x, then y, then z, every image line is turned into B-spline coefficients by
//! the recursive filter with pole `z = √3 − 2`: gain `(1 − z)(1 − 1/z)`, a causal pass whose
//! initial value is a truncated sum over the first `ceil(ln 1e-10 / ln |z|)` samples (or ITK's
//! mirror-symmetric closed form for shorter lines), then an anti-causal pass. Lines of length 1
//! are left as they are.
//!
//! Evaluation at continuous index `x`: support `floor(float(x)) − 1 ..= floor(float(x)) + 2`
//! per axis (ITK rounds to single precision first), cubic weights of `w = x − (first + 1)`,
//! support indices mirrored at the image borders (`−k → k`, `n − 1 + k → n − 1 − k`), and the
//! 64 products summed with x fastest. A 2D image (held as one slice) has no z support: its 16
//! products carry the weights `1 · w_x · w_y`, as ITK's 2D function computes them.
//!
//! ITK mirrors once, so on an axis of 2 voxels the support index 3 (reached for `x ∈ [1, 1.5)`)
//! becomes −1. ITK then reads the coefficient buffer at that index's flat offset — the last
//! coefficient of the previous line — and radiome does the same; an offset before the buffer's
//! start (ITK reads memory outside the image there) is taken as 0.
//!
//! Coefficients are computed only on the box of indices the output grid can reach. That is
//! bit-identical to the whole-image prefilter: each pass works on whole lines, and a line's
//! result depends only on that line, so only the lines through the box (over the full extent
//! of the earlier passes' axes) are filtered.

use ndarray::Array3;
use rayon::prelude::*;

use super::resample::{Grid, IndexMap};
use super::{Dimensionality, Volume};
use crate::{Error, Result};

/// The pole of the cubic B-spline prefilter.
fn pole() -> f64 {
    3.0f64.sqrt() - 2.0
}

/// ITK's `DataToCoefficients1D` for the cubic spline, in place on [`LANES`] lines at once
/// (sample `i` of line `j` at `s[i][j]`): every line gets exactly the operations, in the order,
/// ITK applies to one line, so lanes only let the recursions of neighbouring lines overlap.
fn lines_to_coefficients(s: &mut [Lanes]) {
    let len = s.len();
    if len <= 1 {
        return;
    }
    let z = pole();
    let c0 = 1.0 * (1.0 - z) * (1.0 - 1.0 / z);
    for v in s.iter_mut().flatten() {
        *v *= c0;
    }
    // Initial causal coefficient.
    let horizon = ((1e-10f64).ln() / z.abs().ln()).ceil() as usize;
    let mut zn = z;
    if horizon < len {
        let mut sum = s[0];
        for v in &s[1..horizon] {
            for (total, &x) in sum.iter_mut().zip(v) {
                *total += zn * x;
            }
            zn *= z;
        }
        s[0] = sum;
    } else {
        let iz = 1.0 / z;
        let mut z2n = z.powf((len - 1) as f64);
        let mut sum: Lanes = std::array::from_fn(|j| s[0][j] + z2n * s[len - 1][j]);
        z2n = z2n * (z2n * iz);
        for v in &s[1..len - 1] {
            for (total, &x) in sum.iter_mut().zip(v) {
                *total += (zn + z2n) * x;
            }
            zn *= z;
            z2n *= iz;
        }
        let denominator = 1.0 - zn * zn;
        s[0] = sum.map(|total| total / denominator);
    }
    for n in 1..len {
        let previous = s[n - 1];
        for (v, p) in s[n].iter_mut().zip(previous) {
            *v += z * p;
        }
    }
    // Initial anti-causal coefficient.
    let (before_last, last) = (s[len - 2], s[len - 1]);
    s[len - 1] = std::array::from_fn(|j| (z / (z * z - 1.0)) * (z * before_last[j] + last[j]));
    for n in (0..len - 1).rev() {
        let next = s[n + 1];
        for (v, x) in s[n].iter_mut().zip(next) {
            *v = z * (x - *v);
        }
    }
}

/// Lines whose recursions [`lines_to_coefficients`] runs side by side.
const LANES: usize = 8;

/// One sample of each of [`LANES`] lines.
type Lanes = [f64; LANES];

/// Filters `count` lines of `len` samples, [`LANES`] at a time: `load(line, i)` is sample `i` of
/// a line (lines past `count` fill a last group with zeros), and `store(first_line, i, lanes)`
/// takes sample `i` of the group's lines from `first_line` on (only the first `count −
/// first_line` are lines).
fn filter_lines(
    (len, count): (usize, usize),
    load: impl Fn(usize, usize) -> f64,
    mut store: impl FnMut(usize, usize, &Lanes),
) {
    let mut group = vec![[0.0; LANES]; len];
    for first in (0..count).step_by(LANES) {
        let lines = LANES.min(count - first);
        for (i, lanes) in group.iter_mut().enumerate() {
            *lanes = std::array::from_fn(|j| if j < lines { load(first + j, i) } else { 0.0 });
        }
        lines_to_coefficients(&mut group);
        for (i, lanes) in group.iter().enumerate() {
            store(first, i, lanes);
        }
    }
}

/// ITK's mirror boundary condition for a support index on an axis of `n` voxels, applied once
/// as ITK does: the result is in `0..n` except on an axis of 2 voxels, where index 3 gives −1.
fn mirror(i: i64, n: usize) -> i64 {
    if n == 1 {
        return 0;
    }
    let end = n as i64 - 1;
    let mut i = i;
    if i < 0 {
        i = -i;
    }
    if i >= end {
        i = end - (i - end);
    }
    i
}

/// First support index along one axis: `floor(float(x)) − 1`.
fn support_start(x: f64) -> i64 {
    ((x as f32).floor() as i64) - 1
}

/// Cubic B-spline weights for `w = x − (first + 1)`, in ITK's evaluation order.
fn weights(w: f64) -> [f64; 4] {
    let w3 = (1.0 / 6.0) * w * w * w;
    let w0 = (1.0 / 6.0) + 0.5 * w * (w - 1.0) - w3;
    let w2 = w + w0 - 2.0 * w3;
    let w1 = 1.0 - w0 - w2 - w3;
    [w0, w1, w2, w3]
}

/// B-spline coefficients of an image on the index box `lower..lower + size` (ITK order).
#[derive(Clone, Debug)]
pub struct BSplineCoefficients {
    /// Coefficients of the box, `(z, y, x)`.
    coefficients: Array3<f64>,
    /// First index of the box, `(x, y, z)`.
    lower: [usize; 3],
    /// Size of the whole image, `(x, y, z)`.
    image_size: [usize; 3],
    /// Whether the image is 2D (one slice, no z support).
    planar: bool,
}

impl BSplineCoefficients {
    /// Coefficients on the box of `volume` indices that evaluating on `grid` can touch, for an
    /// image of `dimensionality`.
    pub fn for_grid(
        volume: &Volume<f64>,
        grid: &Grid,
        dimensionality: Dimensionality,
    ) -> Result<Self> {
        let (lower, upper) = reachable_box(volume, grid)?;
        Ok(Self::on_box(volume, lower, upper, dimensionality))
    }

    /// Coefficients of the whole image, of `dimensionality`.
    pub fn whole(volume: &Volume<f64>, dimensionality: Dimensionality) -> Self {
        let n = volume.size();
        Self::on_box(
            volume,
            [0; 3],
            n.map(|s| s.saturating_sub(1)),
            dimensionality,
        )
    }

    /// Coefficients on the inclusive index box `lower..=upper`.
    fn on_box(
        volume: &Volume<f64>,
        lower: [usize; 3],
        upper: [usize; 3],
        dimensionality: Dimensionality,
    ) -> Self {
        let [nx, ny, nz] = volume.size();
        let [sx, sy, sz] = [0, 1, 2].map(|a| upper[a] + 1 - lower[a]);
        let standard = volume.voxels.as_standard_layout();
        let src = standard.as_slice().expect("standard layout");
        // Pass 1, along x: every (y, z) line, keeping x in the box; LANES rows per group.
        let mut px = crate::huge_pages::zeros3::<f64>((nz, ny, sx));
        px.as_slice_mut()
            .expect("standard layout")
            .par_chunks_mut(sx * LANES)
            .zip(src.par_chunks(nx * LANES))
            .for_each(|(out, rows)| {
                let count = rows.len() / nx;
                let load = |line: usize, x: usize| rows[line * nx + x];
                filter_lines((nx, count), load, |_, x, lanes| {
                    if let Some(x) = x.checked_sub(lower[0]).filter(|&x| x < sx) {
                        for (line, &v) in lanes.iter().take(count).enumerate() {
                            out[line * sx + x] = v;
                        }
                    }
                });
            });
        // Pass 2, along y: every (x in box, z) line, keeping y in the box; neighbouring x
        // together.
        let mut py = crate::huge_pages::zeros3::<f64>((nz, sy, sx));
        py.as_slice_mut()
            .expect("standard layout")
            .par_chunks_mut(sy * sx)
            .enumerate()
            .for_each(|(z, plane)| {
                let load = |x: usize, y: usize| px[[z, y, x]];
                filter_lines((ny, sx), load, |first, y, lanes| {
                    if let Some(y) = y.checked_sub(lower[1]).filter(|&y| y < sy) {
                        let row = &mut plane[y * sx + first..(y + 1) * sx];
                        row.iter_mut().zip(lanes).for_each(|(o, &v)| *o = v);
                    }
                });
            });
        drop(px);
        // Pass 3, along z: every (x, y) line in the box, keeping z in the box; neighbouring x
        // together.
        let rows: Vec<Vec<f64>> = (0..sy)
            .into_par_iter()
            .map(|y| {
                let mut rows = vec![0.0; sz * sx];
                let load = |x: usize, z: usize| py[[z, y, x]];
                filter_lines((nz, sx), load, |first, z, lanes| {
                    if let Some(z) = z.checked_sub(lower[2]).filter(|&z| z < sz) {
                        let row = &mut rows[z * sx + first..(z + 1) * sx];
                        row.iter_mut().zip(lanes).for_each(|(o, &v)| *o = v);
                    }
                });
                rows
            })
            .collect();
        let pz = Array3::from_shape_fn((sz, sy, sx), |(z, y, x)| rows[y][z * sx + x]);
        BSplineCoefficients {
            coefficients: pz,
            lower,
            image_size: [nx, ny, nz],
            planar: dimensionality == Dimensionality::Two,
        }
    }

    /// The interpolated value at continuous index `ci` (ITK's `EvaluateAtContinuousIndex`).
    pub fn evaluate(&self, ci: [f64; 3]) -> f64 {
        // A 2D image has no z support: its one slice (index 0), weight 1 (exact).
        let axes = if self.planar { 2 } else { 3 };
        let mut mirrored = [[0i64; 4]; 3];
        let mut w = [[1.0, 0.0, 0.0, 0.0]; 3];
        for a in 0..axes {
            let first = support_start(ci[a]);
            w[a] = weights(ci[a] - (first + 1) as f64);
            for (k, slot) in mirrored[a].iter_mut().enumerate() {
                *slot = mirror(first + k as i64, self.image_size[a]);
            }
        }
        let depth = if self.planar { 1 } else { 4 };
        let c = &self.coefficients;
        if mirrored.iter().flatten().any(|&i| i < 0) {
            // An index of −1 (axis of 2 voxels): the box is the whole image (see
            // `reachable_box`), so the flat offset addresses the same buffer ITK reads.
            let [nx, ny, _] = self.image_size.map(|n| n as i64);
            let flat = |[ix, iy, iz]: [i64; 3]| {
                usize::try_from(ix + nx * (iy + ny * iz))
                    .ok()
                    .and_then(|o| c.as_slice()?.get(o).copied())
                    .unwrap_or(0.0)
            };
            return weighted_sum(&w, depth, |[kx, ky, kz]| {
                flat([mirrored[0][kx], mirrored[1][ky], mirrored[2][kz]])
            });
        }
        let local: [[usize; 4]; 3] = std::array::from_fn(|a| {
            let box_len = c.shape()[2 - a];
            mirrored[a].map(|i| (i as usize).saturating_sub(self.lower[a]).min(box_len - 1))
        });
        weighted_sum(&w, depth, |[kx, ky, kz]| {
            c[[local[2][kz], local[1][ky], local[0][kx]]]
        })
    }
}

/// `Σ w_x·w_y·w_z · coefficient(kx, ky, kz)` over the support (`depth` z rows), in ITK's order:
/// x fastest, each weight `1 · w_x · w_y · w_z`.
fn weighted_sum(w: &[[f64; 4]; 3], depth: usize, coefficient: impl Fn([usize; 3]) -> f64) -> f64 {
    let mut sum = 0.0;
    for kz in 0..depth {
        for ky in 0..4 {
            for kx in 0..4 {
                let weight = 1.0 * w[0][kx] * w[1][ky] * w[2][kz];
                sum += weight * coefficient([kx, ky, kz]);
            }
        }
    }
    sum
}

/// The inclusive index box of `volume` that B-spline evaluation on the in-buffer points of `grid`
/// can read (support of every reachable continuous index, after mirroring).
fn reachable_box(volume: &Volume<f64>, grid: &Grid) -> Result<([usize; 3], [usize; 3])> {
    let n = volume.size();
    if n.contains(&0) {
        return Err(Error::mask("cannot interpolate an empty image"));
    }
    let map = IndexMap::new(&volume.geometry)?;
    // The grid maps linearly into index space: the extremes are at its corners. A margin of one
    // voxel covers the scan-line rounding of the corner positions.
    let mut lo = [f64::INFINITY; 3];
    let mut hi = [f64::NEG_INFINITY; 3];
    for corner in 0..8 {
        let idx = [0, 1, 2].map(|a| {
            if corner & (1 << a) != 0 {
                grid.size[a].saturating_sub(1) as f64
            } else {
                0.0
            }
        });
        let ci = map.continuous_index(grid.geometry.index_to_physical(idx));
        for a in 0..3 {
            lo[a] = lo[a].min(ci[a]);
            hi[a] = hi[a].max(ci[a]);
        }
    }
    let mut lower = [0usize; 3];
    let mut upper = n.map(|s| s - 1);
    if n.contains(&2) {
        // Mirrored index −1 reads a neighbouring line's coefficient: keep the whole image.
        return Ok((lower, upper));
    }
    for a in 0..3 {
        // Only in-buffer points are evaluated: continuous index within [-0.5, n - 0.5).
        let from = lo[a].max(-0.5).floor() as i64 - 2;
        let to = hi[a].min(n[a] as f64 - 0.5).floor() as i64 + 3;
        let (mut l, mut u) = (usize::MAX, 0usize);
        for i in from..=to.max(from) {
            // A grid wholly outside the image on this axis reaches no coefficient: clamp.
            let m = mirror(i, n[a]).clamp(0, n[a] as i64 - 1) as usize;
            l = l.min(m);
            u = u.max(m);
        }
        lower[a] = l;
        upper[a] = u;
    }
    Ok((lower, upper))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Geometry;

    /// A volume of `(z, y, x)` size `dim`, identity geometry, voxel values
    /// `(x·w[0] + y·w[1] + z·w[2]) mod m`.
    fn patterned(dim: (usize, usize, usize), w: [usize; 3], m: usize) -> Volume<f64> {
        Volume {
            voxels: Array3::from_shape_fn(dim, |(z, y, x)| {
                ((x * w[0] + y * w[1] + z * w[2]) % m) as f64
            }),
            geometry: Geometry::identity(),
        }
    }

    #[test]
    fn coefficients_reproduce_samples() {
        // A B-spline through its coefficients interpolates the samples at grid points.
        let volume = patterned((5, 6, 7), [7, 3, 11], 13);
        let c = BSplineCoefficients::whole(&volume, Dimensionality::Three);
        for ((z, y, x), &v) in volume.voxels.indexed_iter() {
            let got = c.evaluate([x as f64, y as f64, z as f64]);
            assert!((got - v).abs() < 1e-9, "{got} vs {v} at {x},{y},{z}");
        }
    }

    #[test]
    fn axis_of_two_voxels_reads_the_previous_line_as_itk() {
        // Image 2 × 3 × 4 (x, y, z); expected values from SimpleITK 2.x `Resample` with
        // `sitkBSpline` at these continuous indices. For x ∈ [1, 1.5) ITK's mirrored support
        // index is −1, read at its flat offset; x = 0.6 is an ordinary point.
        let volume = patterned((4, 3, 2), [7, 3, 11], 13);
        let c = BSplineCoefficients::whole(&volume, Dimensionality::Three);
        for (point, itk) in [
            ([1.25, 1.0, 2.0], 6.939561631944442),
            ([1.4, 1.5, 1.25], 7.485323524305558),
            ([0.6, 1.7, 2.5], 5.548175349999999),
            ([1.0, 2.2, 3.3], 6.962104000000003),
        ] {
            let got = c.evaluate(point);
            assert!(
                (got - itk).abs() <= 1e-12 * itk,
                "{got} vs {itk} at {point:?}"
            );
        }
    }

    #[test]
    fn grid_beyond_the_image_gets_a_box_inside_it() {
        // Past the image on z (no point there is ever evaluated), the box is still a valid,
        // non-empty part of the image.
        let volume = Volume {
            voxels: Array3::from_elem((3, 6, 9), 1.0),
            geometry: Geometry::identity(),
        };
        let mut geometry = Geometry::identity();
        geometry.origin = [2.0, 1.0, 10.0];
        let grid = Grid {
            size: [4, 3, 2],
            geometry,
        };
        let (lower, upper) = reachable_box(&volume, &grid).unwrap();
        for a in 0..3 {
            assert!(
                lower[a] <= upper[a] && upper[a] < volume.size()[a],
                "{lower:?} {upper:?}"
            );
        }
    }

    #[test]
    fn box_coefficients_equal_whole_image_ones() {
        let volume = patterned((9, 10, 11), [5, 17, 3], 19);
        let whole = BSplineCoefficients::whole(&volume, Dimensionality::Three);
        let part =
            BSplineCoefficients::on_box(&volume, [2, 3, 1], [6, 8, 4], Dimensionality::Three);
        for z in 1..=4 {
            for y in 3..=8 {
                for x in 2..=6 {
                    assert_eq!(
                        whole.coefficients[[z, y, x]],
                        part.coefficients[[z - 1, y - 3, x - 2]]
                    );
                }
            }
        }
    }
}

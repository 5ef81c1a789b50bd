//! ITK's `RecursiveGaussianImageFilter` (ITK 5.4, as SimpleITK 2.x ships it), reproduced operation
//! for operation so that results round to the same `float32` values.
//!
//! The filter is the 4th-order Deriche-type recursive approximation of a Gaussian (order 0) or of its
//! second derivative (order 2), with the coefficients of Farnebäck & Westin, "Improving Deriche-style
//! recursive Gaussian filters" (2006), table 3. Along one axis each line is filtered by a causal and an
//! anticausal 4th-order recursion whose sum is the result:
//!
//! ```text
//! y⁺[i] = N0 x[i] + N1 x[i-1] + N2 x[i-2] + N3 x[i-3] − (D1 y⁺[i-1] + D2 y⁺[i-2] + D3 y⁺[i-3] + D4 y⁺[i-4])
//! y⁻[i] = M1 x[i+1] + M2 x[i+2] + M3 x[i+3] + M4 x[i+4] − (D1 y⁻[i+1] + … + D4 y⁻[i+4])
//! y[i]  = y⁺[i] + y⁻[i]
//! ```
//!
//! Outside the line the input is taken to continue with its border value `b`, and an output outside
//! the line contributes `b·BNk` (causal) or `b·BMk` (anticausal) in place of `Dk·y`, where
//! `BNk = Dk·ΣN/ΣD` and `BMk = Dk·ΣM/ΣD` are the steady-state responses to a constant `b`.
//! All arithmetic is in `f64` (ITK's `RealType` for every scalar pixel type); each pass stores its
//! result as `f32` (the `float` image type of ITK's Laplacian mini-pipeline).

use std::ops::Range;

use multiversion::multiversion;
use rayon::prelude::*;

use crate::{Error, Result};

/// Which Gaussian derivative a pass approximates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Smoothing with the Gaussian itself (ITK `ZeroOrder`).
    Zero,
    /// The second derivative of the Gaussian (ITK `SecondOrder`).
    Second,
}

/// The recursion coefficients of one pass (ITK's `m_N*`, `m_D*`, `m_M*`, `m_BN*`, `m_BM*`).
#[derive(Clone, Debug, PartialEq)]
pub struct Coefficients {
    n: [f64; 4],
    d: [f64; 4],
    m: [f64; 4],
    bn: [f64; 4],
    bm: [f64; 4],
}

/// Farnebäck & Westin's table 3 (as in ITK): amplitudes `A`, `B` for orders 0, 1, 2, and the
/// frequencies `W` and decays `L` of the two exponential pairs.
const A1: [f64; 3] = [1.3530, -0.6724, -1.3563];
const B1: [f64; 3] = [1.8151, -3.4327, 5.2318];
const W1: f64 = 0.6681;
const L1: f64 = -1.3932;
const A2: [f64; 3] = [-0.3531, 0.6724, 0.3446];
const B2: [f64; 3] = [0.0902, 0.6100, -2.2355];
const W2: f64 = 2.0787;
const L2: f64 = -1.3732;

/// Numerator coefficients of one exponential series, with their sums `SN`, `DN`, `EN`
/// (ITK `ComputeNCoefficients`).
struct Numerator {
    n: [f64; 4],
    sn: f64,
    dn: f64,
    en: f64,
}

fn numerator(sigmad: f64, a1: f64, b1: f64, a2: f64, b2: f64) -> Numerator {
    let (sin1, cos1, exp1) = (
        (W1 / sigmad).sin(),
        (W1 / sigmad).cos(),
        (L1 / sigmad).exp(),
    );
    let (sin2, cos2, exp2) = (
        (W2 / sigmad).sin(),
        (W2 / sigmad).cos(),
        (L2 / sigmad).exp(),
    );
    let n0 = a1 + a2;
    let mut n1 = exp2 * (b2 * sin2 - (a2 + 2.0 * a1) * cos2);
    n1 += exp1 * (b1 * sin1 - (a1 + 2.0 * a2) * cos1);
    let mut n2 = (a1 + a2) * cos2 * cos1;
    n2 -= b1 * cos2 * sin1 + b2 * cos1 * sin2;
    n2 *= 2.0 * exp1 * exp2;
    n2 += a2 * exp1 * exp1 + a1 * exp2 * exp2;
    let mut n3 = exp2 * exp1 * exp1 * (b2 * sin2 - a2 * cos2);
    n3 += exp1 * exp2 * exp2 * (b1 * sin1 - a1 * cos1);
    Numerator {
        n: [n0, n1, n2, n3],
        sn: n0 + n1 + n2 + n3,
        dn: n1 + 2.0 * n2 + 3.0 * n3,
        en: n1 + 4.0 * n2 + 9.0 * n3,
    }
}

/// Denominator coefficients `D1..D4` with their sums `SD`, `DD`, `ED` (ITK `ComputeDCoefficients`).
fn denominator(sigmad: f64) -> ([f64; 4], f64, f64, f64) {
    let (cos1, exp1) = ((W1 / sigmad).cos(), (L1 / sigmad).exp());
    let (cos2, exp2) = ((W2 / sigmad).cos(), (L2 / sigmad).exp());
    let d4 = exp1 * exp1 * exp2 * exp2;
    let mut d3 = -2.0 * cos1 * exp1 * exp2 * exp2;
    d3 += -2.0 * cos2 * exp2 * exp1 * exp1;
    let mut d2 = 4.0 * cos2 * cos1 * exp1 * exp2;
    d2 += exp1 * exp1 + exp2 * exp2;
    let d1 = -2.0 * (exp2 * cos2 + exp1 * cos1);
    let sd = 1.0 + d1 + d2 + d3 + d4;
    let dd = d1 + 2.0 * d2 + 3.0 * d3 + 4.0 * d4;
    let ed = d1 + 4.0 * d2 + 9.0 * d3 + 16.0 * d4;
    ([d1, d2, d3, d4], sd, dd, ed)
}

impl Coefficients {
    /// ITK `RecursiveGaussianImageFilter::SetUp(spacing)` for a Gaussian of `sigma_mm` on an axis of
    /// voxel size `spacing_mm`. With `normalize_across_scale`, the second derivative is multiplied by
    /// `sigma_mm²` (the zero order is never rescaled).
    pub fn new(
        sigma_mm: f64,
        spacing_mm: f64,
        order: Order,
        normalize_across_scale: bool,
    ) -> Result<Self> {
        let spacing = spacing_mm.abs();
        if spacing.is_nan() || spacing < 1e-8 {
            return Err(Error::params(
                "LoG",
                format!("the spacing {spacing_mm} is too small for a recursive Gaussian filter"),
            ));
        }
        if !sigma_mm.is_finite() || sigma_mm <= 0.0 {
            return Err(Error::params(
                "LoG",
                format!("sigma must be greater than 0, got {sigma_mm}"),
            ));
        }
        let sigmad = sigma_mm / spacing;
        let (d, sd, dd, ed) = denominator(sigmad);
        let n = match order {
            Order::Zero => {
                let z = numerator(sigmad, A1[0], B1[0], A2[0], B2[0]);
                let alpha0 = 2.0 * z.sn / sd - z.n[0];
                z.n.map(|v| v * (1.0 / alpha0))
            }
            Order::Second => {
                let scale = if normalize_across_scale {
                    sigma_mm * sigma_mm
                } else {
                    1.0
                };
                let z = numerator(sigmad, A1[0], B1[0], A2[0], B2[0]);
                let s = numerator(sigmad, A1[2], B1[2], A2[2], B2[2]);
                let beta = -(2.0 * s.sn - sd * s.n[0]) / (2.0 * z.sn - sd * z.n[0]);
                let n: [f64; 4] = std::array::from_fn(|k| s.n[k] + beta * z.n[k]);
                let sn = s.sn + beta * z.sn;
                let dn = s.dn + beta * z.dn;
                let en = s.en + beta * z.en;
                let mut alpha2 =
                    en * sd * sd - ed * sn * sd - 2.0 * dn * dd * sd + 2.0 * dd * dd * sn;
                alpha2 /= sd * sd * sd;
                n.map(|v| v * (scale / alpha2))
            }
        };
        // Both orders are symmetric kernels (ITK `ComputeRemainingCoefficients(true)`).
        let m = [
            n[1] - d[0] * n[0],
            n[2] - d[1] * n[0],
            n[3] - d[2] * n[0],
            -d[3] * n[0],
        ];
        let sn = n[0] + n[1] + n[2] + n[3];
        let sm = m[0] + m[1] + m[2] + m[3];
        let sd = 1.0 + d[0] + d[1] + d[2] + d[3];
        Ok(Coefficients {
            n,
            d,
            m,
            bn: d.map(|dk| dk * sn / sd),
            bm: d.map(|dk| dk * sm / sd),
        })
    }
}

/// Filters with `coefficients` a panel of `w` lines held column-interleaved (`x[i * w + j]` is sample `i` of line
/// `j`, `n = x.len() / w` samples per line) into the samples `keep` of `y`, using `anti` as
/// scratch. The causal recursion runs only up to the last kept sample and the anticausal one
/// only down to the first. Lines must have at least 4 samples.
///
/// Compiled also for AVX-512 and AVX2 and chosen at run time: each lane does the same
/// operations in the same order (Rust never fuses a multiply and an add), so every width
/// gives the same bits.
#[multiversion(targets("x86_64+avx512f", "x86_64+avx2", "aarch64+neon"))]
fn filter_panel(
    coefficients: &Coefficients,
    x: &[f64],
    y: &mut [f64],
    anti: &mut [f64],
    w: usize,
    keep: &Range<usize>,
) {
    let n = x.len() / w;
    let [n0, n1, n2, n3] = coefficients.n;
    let [d1, d2, d3, d4] = coefficients.d;
    let [m1, m2, m3, m4] = coefficients.m;
    // Causal pass. Samples before the line are the first sample; outputs before the line
    // contribute first·BNk instead of Dk·y.
    for i in 0..n.min(4).min(keep.end) {
        for j in 0..w {
            let xs = |k: usize| if k <= i { x[(i - k) * w + j] } else { x[j] };
            let e = xs(0) * n0 + xs(1) * n1 + xs(2) * n2 + xs(3) * n3;
            let fb = |k: usize| {
                if k <= i {
                    y[(i - k) * w + j] * coefficients.d[k - 1]
                } else {
                    x[j] * coefficients.bn[k - 1]
                }
            };
            let v = e - (fb(1) + fb(2) + fb(3) + fb(4));
            y[i * w + j] = v;
        }
    }
    for i in 4..keep.end {
        let (done, rest) = y.split_at_mut(i * w);
        let out = &mut rest[..w];
        let (y1, y2) = (&done[(i - 1) * w..i * w], &done[(i - 2) * w..(i - 1) * w]);
        let (y3, y4) = (
            &done[(i - 3) * w..(i - 2) * w],
            &done[(i - 4) * w..(i - 3) * w],
        );
        let (x0, x1) = (&x[i * w..(i + 1) * w], &x[(i - 1) * w..i * w]);
        let (x2, x3) = (&x[(i - 2) * w..(i - 1) * w], &x[(i - 3) * w..(i - 2) * w]);
        for j in 0..w {
            let e = x0[j] * n0 + x1[j] * n1 + x2[j] * n2 + x3[j] * n3;
            out[j] = e - (y1[j] * d1 + y2[j] * d2 + y3[j] * d3 + y4[j] * d4);
        }
    }
    // Anticausal pass, mirrored: samples after the line are the last sample; outputs after
    // the line contribute last·BMk.
    let last = (n - 1) * w;
    for i in (n.saturating_sub(4).max(keep.start)..n).rev() {
        for j in 0..w {
            let xs = |k: usize| {
                if i + k < n {
                    x[(i + k) * w + j]
                } else {
                    x[last + j]
                }
            };
            let e = xs(1) * m1 + xs(2) * m2 + xs(3) * m3 + xs(4) * m4;
            let fb = |k: usize| {
                if i + k < n {
                    anti[(i + k) * w + j] * coefficients.d[k - 1]
                } else {
                    x[last + j] * coefficients.bm[k - 1]
                }
            };
            let v = e - (fb(1) + fb(2) + fb(3) + fb(4));
            anti[i * w + j] = v;
        }
    }
    for i in (keep.start..n.saturating_sub(4)).rev() {
        let (head, done) = anti.split_at_mut((i + 1) * w);
        let out = &mut head[i * w..];
        let (a1, a2) = (&done[..w], &done[w..2 * w]);
        let (a3, a4) = (&done[2 * w..3 * w], &done[3 * w..4 * w]);
        let (x1, x2) = (&x[(i + 1) * w..(i + 2) * w], &x[(i + 2) * w..(i + 3) * w]);
        let (x3, x4) = (&x[(i + 3) * w..(i + 4) * w], &x[(i + 4) * w..(i + 5) * w]);
        for j in 0..w {
            let e = x1[j] * m1 + x2[j] * m2 + x3[j] * m3 + x4[j] * m4;
            out[j] = e - (a1[j] * d1 + a2[j] * d2 + a3[j] * d3 + a4[j] * d4);
        }
    }
    let kept = keep.start * w..keep.end * w;
    for (yv, av) in y[kept.clone()].iter_mut().zip(&anti[kept]) {
        *yv += *av;
    }
}

/// An image axis in ITK index order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    X = 0,
    Y = 1,
    Z = 2,
}

impl Axis {
    /// The axis's position in `(z, y, x)` dimension arrays.
    pub fn dim_index(self) -> usize {
        2 - self as usize
    }
}

/// Lines (or columns of a panel) filtered together by one task.
const PANEL_WIDTH: usize = 32;

/// Samples of a panel along y or z (lines × samples per line) to aim for.
const PANEL_SAMPLES: usize = 1 << 15;

/// Scratch buffers of one task: the gathered panel, the result and the anticausal pass.
#[derive(Default)]
struct Scratch {
    x: Vec<f64>,
    y: Vec<f64>,
    anti: Vec<f64>,
}

impl Scratch {
    fn resize(&mut self, len: usize) {
        self.x.resize(len, 0.0);
        self.y.resize(len, 0.0);
        self.anti.resize(len, 0.0);
    }
}

/// The dimensions `[nz, ny, nx]` of a pass's result: those of its input with the filtered axis
/// reduced to the kept samples.
pub fn kept_dims(dims: [usize; 3], axis: Axis, keep: &Range<usize>) -> [usize; 3] {
    let mut out = dims;
    out[axis.dim_index()] = keep.len();
    out
}

/// Filters `input` (voxels in `(z, y, x)` order, `dims = [nz, ny, nx]`) along `axis` with
/// `coefficients` and returns the samples `keep` of every line, each rounded to `f32`, in the same
/// layout (dimensions [`kept_dims`]). Each line is filtered whole — the recursion depends on every
/// sample — so a kept sample is exactly what filtering the whole image gives. Every line along
/// `axis` must have at least 4 voxels and `keep` must lie within it. Lines are filtered in
/// parallel, in panels of neighbouring lines so that memory is read contiguously whatever the axis.
pub fn filter_axis<T>(
    input: &[T],
    dims: [usize; 3],
    axis: Axis,
    coefficients: &Coefficients,
    keep: Range<usize>,
) -> Vec<f32>
where
    T: Copy + Into<f64> + Sync,
{
    let [nz, ny, nx] = dims;
    debug_assert_eq!(input.len(), nz * ny * nx);
    debug_assert!(keep.end <= dims[axis.dim_index()]);
    let kept = keep.len();
    let mut output = vec![0f32; input.len() / dims[axis.dim_index()].max(1) * kept];
    if output.is_empty() {
        return output;
    }
    match axis {
        Axis::X => {
            // Panels of PANEL_WIDTH consecutive rows, transposed so the recursion runs down columns.
            output
                .par_chunks_mut(kept * PANEL_WIDTH)
                .zip(input.par_chunks(nx * PANEL_WIDTH))
                .for_each_init(Scratch::default, |s, (out, inp)| {
                    let w = inp.len() / nx;
                    s.resize(nx * w);
                    // Sample by sample, so that the panel is written contiguously.
                    let rows: Vec<&[T]> = inp.chunks_exact(nx).collect();
                    for (i, samples) in s.x.chunks_exact_mut(w).enumerate() {
                        for (d, row) in samples.iter_mut().zip(&rows) {
                            *d = row[i].into();
                        }
                    }
                    filter_panel(coefficients, &s.x, &mut s.y, &mut s.anti, w, &keep);
                    for (j, row) in out.chunks_mut(kept).enumerate() {
                        for (o, i) in row.iter_mut().zip(keep.clone()) {
                            *o = s.y[i * w + j] as f32;
                        }
                    }
                });
        }
        Axis::Y | Axis::Z => {
            // A block holds whole lines: `n` rows of `stride` contiguous voxels, one row per sample;
            // its result keeps the rows `keep`.
            let (n, stride) = if axis == Axis::Y {
                (ny, nx)
            } else {
                (nz, ny * nx)
            };
            let block = n * stride;
            // Panels as wide as fit PANEL_SAMPLES: each sample's row is then a long contiguous
            // read (along z, rows of one panel lie a whole plane apart).
            let width = (PANEL_SAMPLES / n).clamp(PANEL_WIDTH, stride.max(PANEL_WIDTH));
            let mut tasks: Vec<(usize, Vec<&mut [f32]>)> = Vec::new();
            for (b, out_block) in output.chunks_mut(kept * stride).enumerate() {
                let first = tasks.len();
                for c in (0..stride).step_by(width) {
                    tasks.push((b * block + c, Vec::with_capacity(kept)));
                }
                for row in out_block.chunks_mut(stride) {
                    for (k, piece) in row.chunks_mut(width).enumerate() {
                        tasks[first + k].1.push(piece);
                    }
                }
            }
            tasks
                .into_par_iter()
                .for_each_init(Scratch::default, |s, (start, mut rows)| {
                    let w = rows[0].len();
                    s.resize(n * w);
                    for i in 0..n {
                        let src = &input[start + i * stride..start + i * stride + w];
                        for (d, &v) in s.x[i * w..(i + 1) * w].iter_mut().zip(src) {
                            *d = v.into();
                        }
                    }
                    filter_panel(coefficients, &s.x, &mut s.y, &mut s.anti, w, &keep);
                    for (row, i) in rows.iter_mut().zip(keep.clone()) {
                        for (o, &v) in row.iter_mut().zip(&s.y[i * w..(i + 1) * w]) {
                            *o = v as f32;
                        }
                    }
                });
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A constant line stays constant under smoothing and vanishes under the second derivative:
    /// the boundary coefficients model the constant extension exactly (up to rounding).
    #[test]
    fn constant_lines() {
        let input = vec![7.0f64; 5 * 6 * 9];
        let dims = [5, 6, 9];
        for axis in [Axis::X, Axis::Y, Axis::Z] {
            let whole = 0..dims[axis.dim_index()];
            let c = Coefficients::new(2.0, 0.7, Order::Zero, true).unwrap();
            let out = filter_axis(&input, dims, axis, &c, whole.clone());
            assert_eq!(out.len(), input.len());
            assert!(
                out.iter().all(|&v| (v - 7.0).abs() < 1e-5),
                "{axis:?}: {out:?}"
            );
            let c = Coefficients::new(2.0, 0.7, Order::Second, true).unwrap();
            let out = filter_axis(&input, dims, axis, &c, whole);
            assert!(out.iter().all(|&v| v.abs() < 1e-5), "{axis:?}: {out:?}");
        }
    }

    /// Keeping part of each line gives exactly those samples of the whole result.
    #[test]
    fn kept_samples_are_those_of_the_whole_lines() {
        let dims = [6, 7, 9];
        let input: Vec<f64> = (0..6 * 7 * 9).map(|i| ((i * 37) % 101) as f64).collect();
        let c = Coefficients::new(1.5, 0.8, Order::Second, true).unwrap();
        for axis in [Axis::X, Axis::Y, Axis::Z] {
            let a = axis.dim_index();
            let whole = filter_axis(&input, dims, axis, &c, 0..dims[a]);
            let keep = 2..5;
            let part = filter_axis(&input, dims, axis, &c, keep.clone());
            let out_dims = kept_dims(dims, axis, &keep);
            assert_eq!(part.len(), out_dims.iter().product::<usize>());
            for (k, &v) in part.iter().enumerate() {
                let mut index = [
                    k / (out_dims[1] * out_dims[2]),
                    k / out_dims[2] % out_dims[1],
                    k % out_dims[2],
                ];
                index[a] += keep.start;
                let w = whole[(index[0] * dims[1] + index[1]) * dims[2] + index[2]];
                assert_eq!(v.to_bits(), w.to_bits(), "{axis:?} {index:?}");
            }
        }
    }

    #[test]
    fn rejects_bad_sigma_and_spacing() {
        assert!(Coefficients::new(0.0, 1.0, Order::Zero, true).is_err());
        assert!(Coefficients::new(f64::NAN, 1.0, Order::Zero, true).is_err());
        assert!(Coefficients::new(1.0, 1e-9, Order::Second, true).is_err());
    }
}

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
            return Err(Error::setting(
                "LoG",
                format!("the spacing {spacing_mm} is too small for a recursive Gaussian filter"),
            ));
        }
        if !sigma_mm.is_finite() || sigma_mm <= 0.0 {
            return Err(Error::setting(
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

    /// The coefficients in the order a shader reads them: `N0..N3`, `D1..D4`, `M1..M4`,
    /// `BN1..BN4`, `BM1..BM4`.
    pub fn flat(&self) -> [f64; 20] {
        let mut out = [0.0; 20];
        for (k, part) in [self.n, self.d, self.m, self.bn, self.bm]
            .iter()
            .enumerate()
        {
            out[4 * k..4 * k + 4].copy_from_slice(part);
        }
        out
    }
}

/// Lines one recursion step advances together: their states stay in registers.
const CHUNK: usize = 16;

/// One value per line of a chunk.
type Lanes = [f64; CHUNK];

/// Where a set of lines lies: sample `i` of line `j` is `x[i * step + j * lane]`.
#[derive(Clone, Copy)]
struct Lines<'a, T> {
    x: &'a [T],
    step: usize,
    lane: usize,
}

impl<T: Copy + Into<f64>> Lines<'_, T> {
    /// Sample `i` of the first [`CHUNK`] lines, widened to `f64`; `CONTIGUOUS` when `lane` is 1.
    #[inline(always)]
    fn load<const CONTIGUOUS: bool>(&self, i: usize) -> Lanes {
        let at = i * self.step;
        let mut v = [0.0; CHUNK];
        if CONTIGUOUS {
            let src: &[T; CHUNK] = self.x[at..at + CHUNK].try_into().expect("a whole chunk");
            for (d, &s) in v.iter_mut().zip(src) {
                *d = s.into();
            }
        } else {
            let x = &self.x[at..at + (CHUNK - 1) * self.lane + 1];
            for (j, d) in v.iter_mut().enumerate() {
                *d = x[j * self.lane].into();
            }
        }
        v
    }

    /// The lines from line `j` on.
    fn skip_lines(self, j: usize) -> Self {
        Lines {
            x: &self.x[j * self.lane..],
            ..self
        }
    }

    /// The first `w` lines (`w < CHUNK`) of `n` samples, widened and padded with zero lines to a
    /// whole chunk.
    fn padded(self, n: usize, w: usize) -> Vec<f64> {
        let mut panel = vec![0.0; n * CHUNK];
        for (i, row) in panel.chunks_exact_mut(CHUNK).enumerate() {
            for (j, d) in row[..w].iter_mut().enumerate() {
                *d = self.x[i * self.step + j * self.lane].into();
            }
        }
        panel
    }
}

/// The chunk's slice `out[at..at + CHUNK]`.
#[inline(always)]
fn lanes_mut(out: &mut [f64], at: usize) -> &mut Lanes {
    (&mut out[at..at + CHUNK])
        .try_into()
        .expect("a whole chunk")
}

/// One steady step of either recursion: `(Σ f_k·c_k) − (Σ g_k·d_k)` lane by lane, summed from
/// `k = 1` up, as ITK's loop adds them.
#[inline(always)]
fn step(f: [&Lanes; 4], c: [f64; 4], g: [&Lanes; 4], d: [f64; 4]) -> Lanes {
    let mut out = [0.0; CHUNK];
    for (j, o) in out.iter_mut().enumerate() {
        let e = f[0][j] * c[0] + f[1][j] * c[1] + f[2][j] * c[2] + f[3][j] * c[3];
        *o = e - (g[0][j] * d[0] + g[1][j] * d[1] + g[2][j] * d[2] + g[3][j] * d[3]);
    }
    out
}

/// One step of either recursion near the line's end: like [`step`], but the output `k` steps
/// back (or ahead) is replaced by `edge·b_k` where `inside(k)` is false.
#[inline(always)]
fn edge_step(
    f: [&Lanes; 4],
    c: [f64; 4],
    (g, d): ([&Lanes; 3], [f64; 4]),
    (edge, b): (&Lanes, [f64; 4]),
    inside: impl Fn(usize) -> bool,
) -> Lanes {
    let mut out = [0.0; CHUNK];
    for (j, o) in out.iter_mut().enumerate() {
        let e = f[0][j] * c[0] + f[1][j] * c[1] + f[2][j] * c[2] + f[3][j] * c[3];
        let fb = |k: usize| {
            if inside(k) {
                g[k - 1][j] * d[k - 1]
            } else {
                edge[j] * b[k - 1]
            }
        };
        *o = e - (fb(1) + fb(2) + fb(3) + fb(4));
    }
    out
}

/// Filters with `coefficients` the first [`CHUNK`] `lines`, of `n` samples each. Writes the
/// samples `keep` of every line into `result` (sample `i` of line `j` at
/// `(i - keep.start) * result_stride + j`). The causal recursion runs only up to the last kept
/// sample and the anticausal one only down to the first, each with its four samples of history
/// in registers, so a step reads one sample per line and writes at most one result row.
/// Lines must have at least 4 samples.
///
/// Compiled also for AVX-512 and AVX2 and chosen at run time: each lane does the same
/// operations in the same order (Rust never fuses a multiply and an add), so every width
/// gives the same bits.
#[multiversion(targets("x86_64+avx512f", "x86_64+avx2", "aarch64+neon"))]
fn filter_chunk<T: Copy + Into<f64>>(
    coefficients: &Coefficients,
    lines: Lines<T>,
    n: usize,
    keep: &Range<usize>,
    result: (&mut [f64], usize),
) {
    if lines.lane == 1 {
        recurse::<T, true>(coefficients, lines, n, keep, result);
    } else {
        recurse::<T, false>(coefficients, lines, n, keep, result);
    }
}

/// The body of [`filter_chunk`], for contiguous or strided lines.
#[inline(always)]
fn recurse<T: Copy + Into<f64>, const CONTIGUOUS: bool>(
    coefficients: &Coefficients,
    lines: Lines<T>,
    n: usize,
    keep: &Range<usize>,
    (result, result_stride): (&mut [f64], usize),
) {
    let Coefficients {
        n: nk,
        d,
        m,
        bn,
        bm,
    } = *coefficients;
    let out_row = |i: usize| (i - keep.start) * result_stride;
    // Causal pass; `xk` is x[i - k] and `yk` is y⁺[i - k]. Samples before the line are the first
    // sample; outputs before the line contribute first·BNk instead of Dk·y.
    let edge = lines.load::<CONTIGUOUS>(0);
    let (mut x1, mut x2, mut x3) = (edge, edge, edge);
    let [mut y1, mut y2, mut y3, mut y4] = [[0.0; CHUNK]; 4];
    for i in 0..keep.end {
        let x0 = lines.load::<CONTIGUOUS>(i);
        let y0 = if i >= 4 {
            step([&x0, &x1, &x2, &x3], nk, [&y1, &y2, &y3, &y4], d)
        } else {
            let f = [&x0, &x1, &x2, &x3];
            edge_step(f, nk, ([&y1, &y2, &y3], d), (&edge, bn), |k| k <= i)
        };
        if i >= keep.start {
            *lanes_mut(result, out_row(i)) = y0;
        }
        (x3, x2, x1) = (x2, x1, x0);
        (y4, y3, y2, y1) = (y3, y2, y1, y0);
    }
    // Anticausal pass, mirrored: `xk` is x[i + k] and `ak` is y⁻[i + k]. Samples after the line
    // are the last sample; outputs after the line contribute last·BMk.
    let edge = lines.load::<CONTIGUOUS>(n - 1);
    let (mut x1, mut x2, mut x3, mut x4) = (edge, edge, edge, edge);
    let [mut a1, mut a2, mut a3, mut a4] = [[0.0; CHUNK]; 4];
    for i in (keep.start..n).rev() {
        let a0 = if i + 4 < n {
            step([&x1, &x2, &x3, &x4], m, [&a1, &a2, &a3, &a4], d)
        } else {
            let f = [&x1, &x2, &x3, &x4];
            edge_step(f, m, ([&a1, &a2, &a3], d), (&edge, bm), |k| i + k < n)
        };
        if i < keep.end {
            for (r, a) in lanes_mut(result, out_row(i)).iter_mut().zip(a0) {
                *r += a;
            }
        }
        let x0 = lines.load::<CONTIGUOUS>(i);
        (x4, x3, x2, x1) = (x3, x2, x1, x0);
        (a4, a3, a2, a1) = (a3, a2, a1, a0);
    }
}

/// Filters with `coefficients` `w` `lines` of `n` samples into `result`: the samples `keep` of
/// every line, sample-major (`keep.len() * w` values). Lines go [`CHUNK`] at a time; the last
/// chunk overlaps the one before it (its lines are filtered twice, to the same values), and fewer
/// lines than a chunk are padded to one.
fn filter_lines<T: Copy + Into<f64>>(
    coefficients: &Coefficients,
    lines: Lines<T>,
    (n, w): (usize, usize),
    keep: &Range<usize>,
    result: &mut Vec<f64>,
) {
    result.resize(keep.len() * w, 0.0);
    if w < CHUNK {
        let panel = lines.padded(n, w);
        let padded = Lines {
            x: &panel[..],
            step: CHUNK,
            lane: 1,
        };
        let mut wide = vec![0.0; keep.len() * CHUNK];
        filter_chunk(coefficients, padded, n, keep, (&mut wide, CHUNK));
        for (out, values) in result.chunks_exact_mut(w).zip(wide.chunks_exact(CHUNK)) {
            out.copy_from_slice(&values[..w]);
        }
        return;
    }
    for j in (0..w).step_by(CHUNK).map(|j| j.min(w - CHUNK)) {
        let chunk = lines.skip_lines(j);
        filter_chunk(coefficients, chunk, n, keep, (&mut result[j..], w));
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

/// Rows filtered together by one task along x. Each recursion step reads one sample of each
/// row (a strided read, but along rows that stay in the cache from step to step).
const ROWS: usize = CHUNK;

/// Lines filtered together by one task along y or z: neighbours along x, so that each sample is
/// one contiguous read.
const LANES: usize = 256;

/// Two buffers that successive passes write into in turn ([`filter_axis`]'s `output`), each pass
/// reading the one before: kept across passes (and images), their memory is faulted in and
/// zeroed by the kernel once rather than for every pass.
#[derive(Debug, Default)]
pub struct PassBuffers([Vec<f32>; 2]);

impl PassBuffers {
    /// The two buffers, for a pass to read one and write the other.
    pub fn pair(&mut self) -> [&mut Vec<f32>; 2] {
        let [a, b] = &mut self.0;
        [a, b]
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
/// `coefficients` and writes the samples `keep` of every line, each rounded to `f32`, into
/// `output` in the same layout (dimensions [`kept_dims`]; `output` is resized to them, and its
/// memory is reused when it has the capacity, so a buffer passed from pass to pass is faulted in
/// and zeroed by the kernel once). Each line is filtered whole — the recursion depends on every
/// sample — so a kept sample is exactly what filtering the whole image gives. Every line along
/// `axis` must have at least 4 voxels and `keep` must lie within it. Lines are filtered in
/// parallel, 16 neighbouring lines at a time, reading `input` in place: along y and z a
/// step reads contiguous voxels, along x one voxel of each of 16 rows.
pub fn filter_axis<T>(
    input: &[T],
    dims: [usize; 3],
    axis: Axis,
    coefficients: &Coefficients,
    keep: Range<usize>,
    output: &mut Vec<f32>,
) where
    T: Copy + Into<f64> + Sync,
{
    let [nz, ny, nx] = dims;
    debug_assert_eq!(input.len(), nz * ny * nx);
    debug_assert!(keep.end <= dims[axis.dim_index()]);
    let kept = keep.len();
    crate::huge_pages::resize_for_overwrite(
        output,
        input.len() / dims[axis.dim_index()].max(1) * kept,
    );
    if output.is_empty() {
        return;
    }
    match axis {
        Axis::X => {
            output
                .par_chunks_mut(kept * ROWS)
                .zip(input.par_chunks(nx * ROWS))
                .for_each_init(Vec::new, |result, (out, rows)| {
                    let lines = Lines {
                        x: rows,
                        step: 1,
                        lane: nx,
                    };
                    let w = rows.len() / nx;
                    filter_lines(coefficients, lines, (nx, w), &keep, result);
                    for (j, row) in out.chunks_mut(kept).enumerate() {
                        for (k, o) in row.iter_mut().enumerate() {
                            *o = result[k * w + j] as f32;
                        }
                    }
                });
        }
        Axis::Y | Axis::Z => {
            // A block holds whole lines: `n` rows of `stride` contiguous voxels, one row per
            // sample; its result keeps the rows `keep`. A task filters LANES neighbouring lines.
            let (n, stride) = if axis == Axis::Y {
                (ny, nx)
            } else {
                (nz, ny * nx)
            };
            let block = n * stride;
            let mut tasks: Vec<(usize, Vec<&mut [f32]>)> = Vec::new();
            for (b, out_block) in output.chunks_mut(kept * stride).enumerate() {
                let first = tasks.len();
                for c in (0..stride).step_by(LANES) {
                    tasks.push((b * block + c, Vec::with_capacity(kept)));
                }
                for row in out_block.chunks_mut(stride) {
                    for (k, piece) in row.chunks_mut(LANES).enumerate() {
                        tasks[first + k].1.push(piece);
                    }
                }
            }
            tasks
                .into_par_iter()
                .for_each_init(Vec::new, |result, (start, mut rows)| {
                    let w = rows[0].len();
                    let lines = Lines {
                        x: &input[start..start + (n - 1) * stride + w],
                        step: stride,
                        lane: 1,
                    };
                    filter_lines(coefficients, lines, (n, w), &keep, result);
                    for (row, values) in rows.iter_mut().zip(result.chunks_exact(w)) {
                        for (o, &v) in row.iter_mut().zip(values) {
                            *o = v as f32;
                        }
                    }
                });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`filter_axis`] into a new buffer.
    fn filtered<T: Copy + Into<f64> + Sync>(
        input: &[T],
        dims: [usize; 3],
        axis: Axis,
        coefficients: &Coefficients,
        keep: Range<usize>,
    ) -> Vec<f32> {
        let mut output = Vec::new();
        filter_axis(input, dims, axis, coefficients, keep, &mut output);
        output
    }

    /// A constant line stays constant under smoothing and vanishes under the second derivative:
    /// the boundary coefficients model the constant extension exactly (up to rounding).
    #[test]
    fn constant_lines() {
        let input = vec![7.0f64; 5 * 6 * 9];
        let dims = [5, 6, 9];
        for axis in [Axis::X, Axis::Y, Axis::Z] {
            let whole = 0..dims[axis.dim_index()];
            let c = Coefficients::new(2.0, 0.7, Order::Zero, true).unwrap();
            let out = filtered(&input, dims, axis, &c, whole.clone());
            assert_eq!(out.len(), input.len());
            assert!(
                out.iter().all(|&v| (v - 7.0).abs() < 1e-5),
                "{axis:?}: {out:?}"
            );
            let c = Coefficients::new(2.0, 0.7, Order::Second, true).unwrap();
            let out = filtered(&input, dims, axis, &c, whole);
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
            let whole = filtered(&input, dims, axis, &c, 0..dims[a]);
            let keep = 2..5;
            let part = filtered(&input, dims, axis, &c, keep.clone());
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

    /// One line filtered by the module doc's recursions, written out sample by sample.
    fn filter_line(c: &Coefficients, x: &[f64]) -> Vec<f32> {
        let n = x.len();
        let (first, last) = (x[0], x[n - 1]);
        let mut causal = vec![0.0; n];
        for i in 0..n {
            let xs = |k: usize| if k <= i { x[i - k] } else { first };
            let e = xs(0) * c.n[0] + xs(1) * c.n[1] + xs(2) * c.n[2] + xs(3) * c.n[3];
            let fb = |k: usize| {
                if k <= i {
                    causal[i - k] * c.d[k - 1]
                } else {
                    first * c.bn[k - 1]
                }
            };
            causal[i] = e - (fb(1) + fb(2) + fb(3) + fb(4));
        }
        let mut anti = vec![0.0; n];
        for i in (0..n).rev() {
            let xs = |k: usize| if i + k < n { x[i + k] } else { last };
            let e = xs(1) * c.m[0] + xs(2) * c.m[1] + xs(3) * c.m[2] + xs(4) * c.m[3];
            let fb = |k: usize| {
                if i + k < n {
                    anti[i + k] * c.d[k - 1]
                } else {
                    last * c.bm[k - 1]
                }
            };
            anti[i] = e - (fb(1) + fb(2) + fb(3) + fb(4));
        }
        causal
            .iter()
            .zip(&anti)
            .map(|(p, a)| (p + a) as f32)
            .collect()
    }

    /// Every axis gives, bit for bit, each line filtered on its own — with line counts that
    /// leave partial chunks, overlapping last chunks and panels narrower than a chunk.
    #[test]
    fn panels_match_lines_filtered_one_by_one() {
        let dims = [5, 37, 41];
        let input: Vec<i16> = (0..5 * 37 * 41)
            .map(|i| ((i * 7919) % 2003) as i16 - 1000)
            .collect();
        let c = Coefficients::new(2.5, 0.9, Order::Second, true).unwrap();
        let at = |z: usize, y: usize, x: usize| (z * dims[1] + y) * dims[2] + x;
        for axis in [Axis::X, Axis::Y, Axis::Z] {
            let a = axis.dim_index();
            let out = filtered(&input, dims, axis, &c, 0..dims[a]);
            let mut index = [0usize; 3];
            for line in 0..input.len() / dims[a] {
                let (others, mut rest) = ([0, 1, 2].map(|d| d != a), line);
                for d in (0..3).rev().filter(|&d| others[d]) {
                    index[d] = rest % dims[d];
                    rest /= dims[d];
                }
                let positions: Vec<usize> = (0..dims[a])
                    .map(|i| {
                        index[a] = i;
                        at(index[0], index[1], index[2])
                    })
                    .collect();
                let samples: Vec<f64> = positions.iter().map(|&p| input[p].into()).collect();
                let expected = filter_line(&c, &samples);
                for (&p, e) in positions.iter().zip(expected) {
                    assert_eq!(out[p].to_bits(), e.to_bits(), "{axis:?} at {p}");
                }
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

//! PyRadiomics' `Wavelet` image type: `imageoperations.getWaveletImage` / `_swt3`, built on PyWavelets'
//! stationary wavelet transform `pywt.swtn(data, wavelet, level=1, start_level=0, axes)`.
//!
//! What PyRadiomics computes, and what this module reproduces:
//! - The image array `(z, y, x)` is padded by one wrapped voxel (a copy of index 0) at the end of every
//!   axis of odd length, so every transformed axis has even length (PyRadiomics also pads an axis left
//!   out by `force2D`; it is cropped unchanged, so only transformed axes are padded here).
//! - Each decomposition level is one level-1 `swtn` of the previous level's approximation (PyRadiomics
//!   never asks PyWavelets for its dilated "à trous" levels). `start_level` levels are computed first and
//!   only their approximation is kept.
//! - One `swtn` filters along each transformed axis in turn, numpy axes `(2, 1, 0)` = x, y, z (under
//!   `force2D` the axis `force2Ddimension` is left out), with PyWavelets' periodic convolution:
//!   `out[o] = sum_m f[m] * in[(o + F/2 - m) mod N]`, `F` the filter length, in PyWavelets' summation
//!   order, in float32 for float32 images and float64 otherwise.
//! - A sub-band's name holds one letter per transformed axis in that order, `L` (low pass, `dec_lo`) or
//!   `H` (high pass, `dec_hi`): `wavelet-LLH` is low pass along x and y, high pass along z.
//!   Details of the first computed level are named `wavelet-…`, of the k-th `waveletk-…`; the last
//!   level's approximation (`LLL`) comes last. Every sub-band is cropped back to the input size and
//!   keeps the input's geometry.

use std::ops::{Add, Mul};

use ndarray::{Array3, s};
use rayon::prelude::*;

use super::wavelet_coefficients::{FILTER_BANKS, FilterBank};
use crate::image::{PixelType, Volume};
use crate::params::Settings;
use crate::{Error, Result};

/// The filter bank PyWavelets uses for the discrete wavelet `name` (e.g. `"coif1"`, `"bior2.2"`).
pub fn filter_bank(name: &str) -> Result<&'static FilterBank> {
    FILTER_BANKS.iter().find(|b| b.name == name).ok_or_else(|| {
        let names: Vec<&str> = FILTER_BANKS.iter().map(|b| b.name).collect();
        Error::params(
            "settings",
            format!(
                "wavelet \"{name}\" is not a discrete wavelet of PyWavelets; allowed: {}",
                names.join(", ")
            ),
        )
    })
}

/// The numpy axes (0 = z, 1 = y, 2 = x) PyRadiomics transforms, in its order: x, y, z, without
/// `force2Ddimension` when `force2D` is set.
pub fn wavelet_axes(settings: &Settings) -> Result<Vec<usize>> {
    let mut axes = vec![2, 1, 0];
    if settings.force_2d {
        let dim = settings.force_2d_dimension;
        if dim > 2 {
            return Err(Error::params(
                "settings",
                format!("force2Ddimension must be 0, 1 or 2, got {dim}"),
            ));
        }
        axes.retain(|&a| a != dim);
    }
    Ok(axes)
}

/// Runs PyRadiomics' wavelet decomposition of `image` and hands every sub-band to `sink`, in PyRadiomics'
/// order: the details of each level (`wavelet-LLH`, …, `wavelet-HHH`, then `wavelet2-LLH`, …), then the
/// last approximation (`wavelet-LLL`, or `waveletN-LLL` for `N` levels). Each sub-band has the input's
/// size and geometry; the sink may consume and drop it before the next one is computed.
///
/// `pixel_type` is the type PyRadiomics holds the image in: PyWavelets computes float32 images in float32
/// (the values handed to the sink are then exactly those float32 values) and every other type in float64.
/// Settings read: `wavelet`, `start_level`, `level`, `force2D`, `force2Ddimension`.
pub fn wavelet_images(
    image: &Volume<f64>,
    pixel_type: PixelType,
    settings: &Settings,
    sink: impl FnMut(&str, Volume<f64>) -> Result<()>,
) -> Result<()> {
    if image.voxels.is_empty() {
        return Err(Error::mask(
            "the Wavelet image type needs an image with voxels",
        ));
    }
    let bank = filter_bank(&settings.wavelet)?;
    let axes = wavelet_axes(settings)?;
    if settings.level == 0 {
        return Err(Error::params(
            "settings",
            "level must be at least 1 for the Wavelet image type",
        ));
    }
    let mut sink = sink;
    if pixel_type == PixelType::F32 {
        decompose::<f32>(image, bank, &axes, settings, &mut sink)
    } else {
        decompose::<f64>(image, bank, &axes, settings, &mut sink)
    }
}

/// A sample type PyWavelets computes in (float32 or float64).
trait Sample: Copy + Default + Send + Sync + Add<Output = Self> + Mul<Output = Self> + 'static {
    /// The value nearest to `v` (exact for the values PyRadiomics hands over in this precision).
    fn from_f64(v: f64) -> Self;
    /// The value widened to f64 (exact).
    fn to_f64(self) -> f64;
    /// `(dec_lo, dec_hi)` as PyWavelets applies them in this precision.
    fn filters(bank: &FilterBank) -> (&'static [Self], &'static [Self]);
}

impl Sample for f64 {
    fn from_f64(v: f64) -> Self {
        v
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn filters(bank: &FilterBank) -> (&'static [f64], &'static [f64]) {
        (bank.dec_lo, bank.dec_hi)
    }
}

impl Sample for f32 {
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn filters(bank: &FilterBank) -> (&'static [f32], &'static [f32]) {
        (bank.dec_lo_f32, bank.dec_hi_f32)
    }
}

/// The terms of PyWavelets' periodic level-1 SWT convolution of a signal of even length `n` with
/// `filter`, `filter.len()` per output index, each `(coefficient, source index)`, in the order PyWavelets'
/// `downsampling_convolution_periodization` adds them: output `o` reads position `i = o + F/2`; for
/// `i < n` the filter taps `m = 0..F` in turn, else first `m = i-n` down to `0`, then `m = i-n+1..F`;
/// tap `m` multiplies `in[(i - m) mod n]`.
fn periodic_taps<T: Sample>(filter: &[T], n: usize) -> Vec<(T, usize)> {
    let f = filter.len();
    let source = |i: usize, m: usize| (i + f * n - m) % n;
    let mut taps = Vec::with_capacity(f * n);
    for o in 0..n {
        let i = o + f / 2;
        if i < n {
            taps.extend((0..f).map(|m| (filter[m], source(i, m))));
        } else {
            taps.extend((0..=i - n).rev().map(|m| (filter[m], source(i, m))));
            taps.extend((i - n + 1..f).map(|m| (filter[m], source(i, m))));
        }
    }
    taps
}

/// One axis's filtering plan: its taps for the low and the high pass filter.
struct AxisPlan<T> {
    axis: usize,
    low: Vec<(T, usize)>,
    high: Vec<(T, usize)>,
}

/// Writes x-row `(z, y)` of `input` (shape `shape`, C order) filtered along `axis` with `taps` (from
/// [`periodic_taps`]) into `out` (one x-row). Along x each output sums samples of the same row; along y or z
/// it is a weighted sum of whole input rows, added row-wise so it vectorises.
fn filter_row<T: Sample>(
    input: &[T],
    shape: [usize; 3],
    axis: usize,
    taps: &[(T, usize)],
    (z, y): (usize, usize),
    out: &mut [T],
) {
    let [_, ny, nx] = shape;
    let f = taps.len() / shape[axis];
    if axis == 2 {
        let line = &input[(z * ny + y) * nx..][..nx];
        // Outputs whose window does not wrap, o in [f-1-f/2, nx-f/2), add the taps m = 0..f in turn with
        // source o + f/2 - m: computed tap by tap over the whole range so it vectorises.
        let (lo, hi) = (f - 1 - f / 2, nx.saturating_sub(f / 2));
        for (o, (d, terms)) in out.iter_mut().zip(taps.chunks_exact(f)).enumerate() {
            if !(lo..hi).contains(&o) {
                // PyWavelets' sums start at +0.
                *d = terms
                    .iter()
                    .fold(T::default(), |sum, &(c, s)| sum + c * line[s]);
            }
        }
        if lo < hi {
            for (m, &(c, _)) in taps[lo * f..(lo + 1) * f].iter().enumerate() {
                let sources = &line[lo + f / 2 - m..hi + f / 2 - m];
                let dst = &mut out[lo..hi];
                if m == 0 {
                    for (d, &x) in dst.iter_mut().zip(sources) {
                        *d = T::default() + c * x;
                    }
                } else {
                    for (d, &x) in dst.iter_mut().zip(sources) {
                        *d = *d + c * x;
                    }
                }
            }
        }
        return;
    }
    let o = if axis == 1 { y } else { z };
    for (k, &(c, src)) in taps[o * f..(o + 1) * f].iter().enumerate() {
        let row = if axis == 1 {
            z * ny + src
        } else {
            src * ny + y
        };
        let line = &input[row * nx..][..out.len()];
        if k == 0 {
            for (d, &x) in out.iter_mut().zip(line) {
                *d = T::default() + c * x;
            }
        } else {
            for (d, &x) in out.iter_mut().zip(line) {
                *d = *d + c * x;
            }
        }
    }
}

/// Rows per parallel task: at least a few thousand samples.
fn rows_per_task(row_len: usize) -> usize {
    (4096 / row_len.max(1)).max(1)
}

/// Filters `input` (shape `shape`) along `axis` with `taps` into `out` (same shape).
fn filter_axis<T: Sample>(
    input: &[T],
    shape: [usize; 3],
    axis: usize,
    taps: &[(T, usize)],
    out: &mut Vec<T>,
) {
    let [_, ny, nx] = shape;
    // Every element is overwritten below: a reused buffer of the right length needs no clearing.
    if out.len() != input.len() {
        out.clear();
        out.resize(input.len(), T::default());
    }
    out.par_chunks_mut(nx)
        .enumerate()
        .with_min_len(rows_per_task(nx))
        .for_each(|(r, row)| filter_row(input, shape, axis, taps, (r / ny, r % ny), row));
}

/// Like [`filter_axis`], but returns only the part of the result within `original` (the unpadded shape,
/// cropped at the end of each axis), widened to f64.
fn filter_axis_cropped<T: Sample>(
    input: &[T],
    shape: [usize; 3],
    original: [usize; 3],
    axis: usize,
    taps: &[(T, usize)],
) -> Array3<f64> {
    let [nz, ny, nx] = original;
    let mut values = vec![0.0; nz * ny * nx];
    values
        .par_chunks_mut(nx)
        .enumerate()
        .with_min_len(rows_per_task(nx))
        .for_each_init(
            || vec![T::default(); shape[2]],
            |row, (r, dst)| {
                filter_row(input, shape, axis, taps, (r / ny, r % ny), row);
                for (d, v) in dst.iter_mut().zip(row.iter()) {
                    *d = v.to_f64();
                }
            },
        );
    Array3::from_shape_vec((nz, ny, nx), values).expect("length is the product of the shape")
}

/// The state of one decomposition: padded shape, per-axis plans and reusable buffers.
struct Decomposer<T> {
    /// Shape after padding the transformed axes to even length.
    padded: [usize; 3],
    /// Shape of the input image.
    original: [usize; 3],
    plans: Vec<AxisPlan<T>>,
    /// One buffer per inner depth of the filtering tree, reused for its low and high pass.
    scratch: Vec<Vec<T>>,
}

impl<T: Sample> Decomposer<T> {
    /// Filters `input` along the plans from `depth` on. Every leaf of the tree is a sub-band: the all-`L`
    /// one (padded, the next level's input) goes into `approx`, the others, cropped to the input shape,
    /// to `emit` (skipped entirely when `details` is false).
    fn descend(
        &mut self,
        input: &[T],
        depth: usize,
        name: &mut String,
        details: bool,
        approx: &mut Vec<T>,
        emit: &mut dyn FnMut(&str, Array3<f64>) -> Result<()>,
    ) -> Result<()> {
        let passes: &[char] = if details { &['L', 'H'] } else { &['L'] };
        let last = depth + 1 == self.plans.len();
        for &letter in passes {
            let plan = &self.plans[depth];
            let taps = if letter == 'L' { &plan.low } else { &plan.high };
            name.push(letter);
            if !last {
                let mut buf = std::mem::take(&mut self.scratch[depth]);
                filter_axis(input, self.padded, plan.axis, taps, &mut buf);
                self.descend(&buf, depth + 1, name, details, approx, emit)?;
                self.scratch[depth] = buf;
            } else if name.chars().all(|c| c == 'L') {
                filter_axis(input, self.padded, plan.axis, taps, approx);
            } else {
                let band = filter_axis_cropped(input, self.padded, self.original, plan.axis, taps);
                emit(name, band)?;
            }
            name.pop();
        }
        Ok(())
    }
}

/// Crops a sub-band of shape `padded` back to the input shape `original`, widened to f64.
fn crop<T: Sample>(original: [usize; 3], padded: [usize; 3], data: &[T]) -> Array3<f64> {
    let [nz, ny, nx] = original;
    let [_, py, px] = padded;
    Array3::from_shape_fn((nz, ny, nx), |(z, y, x)| {
        data[(z * py + y) * px + x].to_f64()
    })
}

/// PyRadiomics' image type name of the `idx`-th computed level (1-based): `wavelet`, `wavelet2`, …
fn band_prefix(idx: usize) -> String {
    if idx == 1 {
        "wavelet".to_string()
    } else {
        format!("wavelet{idx}")
    }
}

/// [`wavelet_images`] in precision `T`.
fn decompose<T: Sample>(
    image: &Volume<f64>,
    bank: &FilterBank,
    axes: &[usize],
    settings: &Settings,
    sink: &mut dyn FnMut(&str, Volume<f64>) -> Result<()>,
) -> Result<()> {
    let (nz, ny, nx) = image.voxels.dim();
    let original = [nz, ny, nx];
    let mut padded = original;
    for &a in axes {
        padded[a] += padded[a] % 2;
    }
    let (low, high) = T::filters(bank);
    let plans: Vec<AxisPlan<T>> = axes
        .iter()
        .map(|&axis| AxisPlan {
            axis,
            low: periodic_taps(low, padded[axis]),
            high: periodic_taps(high, padded[axis]),
        })
        .collect();
    let mut dec = Decomposer {
        padded,
        original,
        scratch: vec![Vec::new(); plans.len()],
        plans,
    };

    // numpy.pad(..., 'wrap') by one voxel: the padded position equal to the length reads index 0.
    let [pz, py, px] = padded;
    let mut data = Vec::with_capacity(pz * py * px);
    for z in 0..pz {
        for y in 0..py {
            let row = image.voxels.slice(s![z % nz, y % ny, ..]);
            data.extend(row.iter().map(|&v| T::from_f64(v)));
            if px > nx {
                data.push(T::from_f64(row[0]));
            }
        }
    }

    let mut approx = Vec::new();
    let mut name = String::new();
    for _ in 0..settings.start_level {
        dec.descend(&data, 0, &mut name, false, &mut approx, &mut |_, _| Ok(()))?;
        std::mem::swap(&mut data, &mut approx);
    }
    let levels = settings.level;
    for idx in 1..=levels {
        let prefix = band_prefix(idx);
        let mut emit = |band: &str, voxels: Array3<f64>| {
            sink(
                &format!("{prefix}-{band}"),
                Volume {
                    voxels,
                    geometry: image.geometry.clone(),
                },
            )
        };
        dec.descend(&data, 0, &mut name, true, &mut approx, &mut emit)?;
        std::mem::swap(&mut data, &mut approx);
    }
    let approx_name = format!("{}-{}", band_prefix(levels), "L".repeat(axes.len()));
    drop((dec, approx));
    sink(
        &approx_name,
        Volume {
            voxels: crop(original, padded, &data),
            geometry: image.geometry.clone(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-15, "{x} vs {y}");
        }
    }

    #[test]
    fn coefficients_have_their_closed_forms() {
        let r = std::f64::consts::FRAC_1_SQRT_2;
        let haar = filter_bank("haar").unwrap();
        close(haar.dec_lo, &[r, r]);
        close(haar.dec_hi, &[-r, r]);
        assert_eq!(haar.dec_lo_f32, &[r as f32, r as f32]);
        // Daubechies 2: h = (1 + s, 3 + s, 3 - s, 1 - s) / (4 sqrt 2), s = sqrt 3; dec_lo is h reversed,
        // dec_hi[k] = (-1)^(k+1) h[k].
        let (s, d) = (3f64.sqrt(), 4.0 * 2f64.sqrt());
        let h = [(1.0 + s) / d, (3.0 + s) / d, (3.0 - s) / d, (1.0 - s) / d];
        let db2 = filter_bank("db2").unwrap();
        close(db2.dec_lo, &[h[3], h[2], h[1], h[0]]);
        close(db2.dec_hi, &[-h[0], h[1], -h[2], h[3]]);
        // bior2.2 analysis low pass: sqrt2 * (-1, 2, 6, 2, -1) / 8, padded with a leading zero.
        let q = 2f64.sqrt() / 8.0;
        let bior = filter_bank("bior2.2").unwrap();
        close(bior.dec_lo, &[0.0, -q, 2.0 * q, 6.0 * q, 2.0 * q, -q]);
    }

    #[test]
    fn every_filter_bank_is_consistent() {
        assert_eq!(FILTER_BANKS.len(), 106);
        for bank in FILTER_BANKS {
            let f = bank.dec_lo.len();
            assert!(f >= 2 && f % 2 == 0, "{}", bank.name);
            assert_eq!(bank.dec_hi.len(), f, "{}", bank.name);
            assert_eq!(bank.dec_lo_f32.len(), f, "{}", bank.name);
            assert_eq!(bank.dec_hi_f32.len(), f, "{}", bank.name);
            // The low pass has DC gain sqrt 2, the high pass none (dmey, a truncated approximation of
            // the Meyer wavelet, only nearly).
            let (lo, hi): (f64, f64) = (bank.dec_lo.iter().sum(), bank.dec_hi.iter().sum());
            let tol = if bank.name == "dmey" { 2e-3 } else { 1e-9 };
            assert!((lo - 2f64.sqrt()).abs() < 1e-9, "{}: {lo}", bank.name);
            assert!(hi.abs() < tol, "{}: {hi}", bank.name);
            for (a, b) in bank.dec_lo.iter().zip(bank.dec_lo_f32) {
                assert!((a - f64::from(*b)).abs() < 1e-6, "{}", bank.name);
            }
        }
    }

    #[test]
    fn unknown_wavelet_is_a_params_error_listing_the_names() {
        let settings = Settings {
            wavelet: "morl".to_string(),
            ..Settings::default()
        };
        let image = Volume {
            voxels: Array3::zeros((2, 2, 2)),
            geometry: crate::image::Geometry::identity(),
        };
        let err = wavelet_images(&image, PixelType::F64, &settings, |_, _| Ok(())).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Params { .. }));
        assert!(
            text.contains("\"morl\"") && text.contains("coif1") && text.contains("rbio6.8"),
            "{text}"
        );
    }

    #[test]
    fn force2d_drops_the_chosen_numpy_axis() {
        let mut settings = Settings::default();
        assert_eq!(wavelet_axes(&settings).unwrap(), vec![2, 1, 0]);
        settings.force_2d = true;
        for (dim, axes) in [(0, vec![2, 1]), (1, vec![2, 0]), (2, vec![1, 0])] {
            settings.force_2d_dimension = dim;
            assert_eq!(wavelet_axes(&settings).unwrap(), axes);
        }
        settings.force_2d_dimension = 3;
        assert!(wavelet_axes(&settings).is_err());
    }

    #[test]
    fn periodic_taps_visit_every_filter_tap_once() {
        let filter: Vec<f64> = (0..8).map(f64::from).collect();
        for n in [2, 4, 6, 10, 16] {
            let taps = periodic_taps(&filter, n);
            for (o, terms) in taps.chunks_exact(8).enumerate() {
                let mut seen: Vec<usize> = terms.iter().map(|&(c, _)| c as usize).collect();
                for &(c, src) in terms {
                    assert_eq!((src + c as usize) % n, (o + 4) % n);
                }
                seen.sort_unstable();
                assert_eq!(seen, (0..8).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn constant_image_has_flat_approximation_and_zero_details() {
        let image = Volume {
            voxels: Array3::from_elem((3, 4, 5), 7.0),
            geometry: crate::image::Geometry::identity(),
        };
        let mut names = Vec::new();
        wavelet_images(
            &image,
            PixelType::I16,
            &Settings::default(),
            |name, band| {
                let expected = if name.ends_with("LLL") {
                    7.0 * 2f64.powf(1.5)
                } else {
                    0.0
                };
                assert!(
                    band.voxels.iter().all(|v| (v - expected).abs() < 1e-12),
                    "{name}"
                );
                names.push(name.to_string());
                Ok(())
            },
        )
        .unwrap();
        let expected = ["LLH", "LHL", "LHH", "HLL", "HLH", "HHL", "HHH", "LLL"]
            .map(|b| format!("wavelet-{b}"));
        assert_eq!(names, expected);
    }
}

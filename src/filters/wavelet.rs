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
//!   `out[o] = sum_m f[m] * in[(o + F/2 - m) mod N]`, `F` the filter length, `N` the padded length, in
//!   PyWavelets' summation order, in float32 for float32 images and float64 otherwise.
//! - A sub-band's name holds one letter per transformed axis in that order, `L` (low pass, `dec_lo`) or
//!   `H` (high pass, `dec_hi`): `wavelet-LLH` is low pass along x and y, high pass along z.
//!   Details of the first computed level are named `wavelet-…`, of the k-th `waveletk-…`; the last
//!   level's approximation (`LLL`) comes last. PyRadiomics crops every sub-band back to the input size.
//!
//! Features only read the sub-bands inside the region's bounding box, so only what that box depends on is
//! computed:
//! - Along each axis, output `o` of one level reads the input positions `(o + F/2 - m) mod N`. Going back
//!   from the box through the levels (the `start_level` ones included) gives, per axis, the sorted set of
//!   positions each level reads; each level must produce the set the next one reads (it includes the box,
//!   as tap `m = F/2` reads the output's own position). Axes left out by `force2D` keep the box throughout.
//! - The padded image is gathered on the product of the first level's sets (on an axis of odd length `n`,
//!   padded position `n` reads index 0).
//! - Every level filters these compact grids axis by axis, with each output's terms in PyWavelets' order
//!   and their sources renumbered by rank within the input set: the same coefficients added in the same
//!   order, so every value is bit for bit the one the whole-image transform gives. Along x, outputs whose
//!   sources are contiguous are still added tap by tap over whole runs (vectorised).
//! - All sub-bands of a level are computed on the next level's set, and the details are cropped to the box
//!   when emitted; the last level's set is the box itself.
//!
//! A set that covers a whole axis is that whole axis, so a box covering the image computes the whole
//! transform at no extra cost.
//!
//! The planning and the walk through the filtering tree are shared with the GPU: an `AxisFilter`
//! filters one axis with a plan's terms, on the CPU (`OnCpu`, at once, in host memory) or on a
//! GPU ([`crate::gpu::wavelet`], which records every pass of the walk on device arrays and runs
//! them all in one round).

use std::ops::{Add, Mul, Range};

use ndarray::Array3;
use rayon::prelude::*;

use super::wavelet_coefficients::{FILTER_BANKS, FilterBank};
use crate::image::bbox::BoundingBox;
use crate::image::source::Element;
use crate::image::{Dimensionality, Geometry, PixelType, Volume};
use crate::params::Settings;
use crate::{Error, Result};

/// The filter bank PyWavelets uses for the discrete wavelet `name` (e.g. `"coif1"`, `"bior2.2"`).
pub fn filter_bank(name: &str) -> Result<&'static FilterBank> {
    FILTER_BANKS.iter().find(|b| b.name == name).ok_or_else(|| {
        let names: Vec<&str> = FILTER_BANKS.iter().map(|b| b.name).collect();
        Error::setting(
            "wavelet",
            format!(
                "\"{name}\" is not a discrete wavelet of PyWavelets; allowed: {}",
                names.join(", ")
            ),
        )
    })
}

/// The pixel type of the sub-bands of an image held as `stored`: PyWavelets keeps float32 images
/// in float32 and computes everything else in float64.
pub fn sub_band_pixel_type(stored: PixelType) -> PixelType {
    match stored {
        PixelType::F32 => PixelType::F32,
        _ => PixelType::F64,
    }
}

/// The numpy axes (0 = z, 1 = y, 2 = x) PyRadiomics transforms, in its order: x, y, z, without
/// `force2Ddimension` when `force2D` is set. A 2D image (one slice here) has the axes x and y,
/// and its `force2Ddimension` counts the 2D array's axes (0 = y, 1 = x); 2 names none, on which
/// PyRadiomics fails (`list.remove(x): x not in list`).
pub fn wavelet_axes(settings: &Settings, dimensionality: Dimensionality) -> Result<Vec<usize>> {
    let mut axes = match dimensionality {
        Dimensionality::Three => vec![2, 1, 0],
        Dimensionality::Two => vec![2, 1],
    };
    if settings.texture.force_2d {
        let Some(dim) = dimensionality.volume_axis(settings.texture.force_2d_dimension) else {
            return Err(Error::setting(
                "force2Ddimension",
                format!(
                    "{} is not an axis of this {}D image, which the Wavelet \
                     image type needs (PyRadiomics: \"list.remove(x): x not in list\")",
                    settings.texture.force_2d_dimension,
                    dimensionality.axes()
                ),
            ));
        };
        axes.retain(|&a| a != dim);
    }
    Ok(axes)
}

/// Runs PyRadiomics' wavelet decomposition of `image` and hands every sub-band, cropped to `region`, to
/// `sink`, in PyRadiomics' order: the details of each level (`wavelet-LLH`, …, `wavelet-HHH`, then
/// `wavelet2-LLH`, …), then the last approximation (`wavelet-LLL`, or `waveletN-LLL` for `N` levels). Each
/// sub-band is exactly `crop::crop(&whole_sub_band, region.lower, region.upper)` of the sub-band PyRadiomics
/// computes on the whole image, geometry included (the origin moves to the physical point of
/// `region.lower`), but only the voxels the box depends on are computed (see the module doc). The sink may
/// consume and drop a sub-band before the next one is computed.
///
/// `pixel_type` is the type PyRadiomics holds the image in: PyWavelets computes float32 images in float32
/// (the values handed to the sink are then exactly those float32 values) and every other type in float64.
/// Settings read: `wavelet`, `start_level`, `level`, `force2D`, `force2Ddimension`. `region` must lie
/// inside the image. A 2D image (`dimensionality`; one slice) is transformed in its plane.
pub fn wavelet_images<E: Element>(
    image: &Volume<E>,
    pixel_type: PixelType,
    settings: &Settings,
    region: &BoundingBox,
    dimensionality: Dimensionality,
    mut sink: impl FnMut(&str, Volume<f64>) -> Result<()>,
) -> Result<()> {
    let place = (region, dimensionality);
    let geometry = sub_band_geometry(&image.geometry, region);
    let emit = |name: &str, voxels| {
        let geometry = geometry.clone();
        sink(name, Volume { voxels, geometry })
    };
    wavelet_images_on(&OnCpu, image, pixel_type, settings, place, emit)
}

/// The geometry of a sub-band cropped to `region`, as `crop::crop` gives it: spacing and
/// direction kept, the origin at the physical point of the box's lower corner.
pub(crate) fn sub_band_geometry(image: &Geometry, region: &BoundingBox) -> Geometry {
    Geometry {
        origin: image.index_to_physical(region.lower.map(|i| i as f64)),
        ..image.clone()
    }
}

/// [`wavelet_images`] with every axis filtered by `filter` (the CPU's [`OnCpu`], or a GPU's):
/// hands each sub-band as `filter`'s [`AxisFilter::Band`] to `sink`, in the same order.
pub(crate) fn wavelet_images_on<E: Element, F: AxisFilter>(
    filter: &F,
    image: &Volume<E>,
    pixel_type: PixelType,
    settings: &Settings,
    (region, dimensionality): (&BoundingBox, Dimensionality),
    sink: impl FnMut(&str, F::Band) -> Result<()>,
) -> Result<()> {
    if image.voxels.is_empty() {
        return Err(Error::mask(
            "the Wavelet image type needs an image with voxels",
        ));
    }
    let size = image.size();
    if (0..3).any(|a| region.lower[a] > region.upper[a] || region.upper[a] >= size[a]) {
        return Err(Error::mask(format!(
            "the Wavelet image type got the box {:?}..={:?}, which does not lie inside the image of size {size:?}",
            region.lower, region.upper
        )));
    }
    let bank = filter_bank(settings.filters.wavelet.name())?;
    let axes = wavelet_axes(settings, dimensionality)?;
    if settings.filters.level == 0 {
        return Err(Error::setting(
            "level",
            "must be at least 1 for the Wavelet image type",
        ));
    }
    let mut sink = sink;
    if pixel_type == PixelType::F32 {
        decompose::<f32, E, F>(image, bank, &axes, settings, region, filter, &mut sink)
    } else {
        decompose::<f64, E, F>(image, bank, &axes, settings, region, filter, &mut sink)
    }
}

/// A sample type PyWavelets computes in (float32 or float64).
pub(crate) trait Sample:
    Copy + Default + Send + Sync + Add<Output = Self> + Mul<Output = Self> + bytemuck::Pod + 'static
{
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

/// The input position (of an axis of even length `n`) that tap `m` of a filter of length `f` multiplies for
/// output `o` of PyWavelets' periodic level-1 SWT convolution: `(o + f/2 - m) mod n`.
fn tap_source(f: usize, n: usize, o: usize, m: usize) -> usize {
    (o + f / 2 + f * n - m) % n
}

/// Appends the terms of output `o` of PyWavelets' periodic level-1 SWT convolution of a signal of even
/// length `n` with `filter`, each `(coefficient, local[source])`, in the order PyWavelets'
/// `downsampling_convolution_periodization` adds them: output `o` reads position `i = o + F/2`; for
/// `i < n` the filter taps `m = 0..F` in turn, else first `m = i-n` down to `0`, then `m = i-n+1..F`.
/// `local` numbers the positions the input holds (see [`AxisPlan`]).
fn push_terms<T: Copy>(
    filter: &[T],
    n: usize,
    o: usize,
    local: &[usize],
    terms: &mut Vec<(T, usize)>,
) {
    let f = filter.len();
    let term = |m: usize| (filter[m], local[tap_source(f, n, o, m)]);
    let i = o + f / 2;
    if i < n {
        terms.extend((0..f).map(term));
    } else {
        terms.extend((0..=i - n).rev().map(term));
        terms.extend((i - n + 1..f).map(term));
    }
}

/// The sorted positions (of an axis of even length `n`) that the outputs `outputs` of a filter of length `f`
/// read. They include `outputs` (tap `m = f/2` reads the output's own position).
fn tap_sources(outputs: &[usize], f: usize, n: usize) -> Vec<usize> {
    let mut read = vec![false; n];
    for &o in outputs {
        for m in 0..f {
            read[tap_source(f, n, o, m)] = true;
        }
    }
    (0..n).filter(|&p| read[p]).collect()
}

/// Consecutive outputs `start..end` (local indices) whose terms are the taps `m = 0..F` in turn, tap `m`
/// reading local input `j + shift - m` for output `j`: they are added tap by tap over the whole run, which
/// vectorises.
struct Run {
    start: usize,
    end: usize,
    shift: usize,
}

/// One level's filtering along one axis, from the positions its input holds to those its output must hold
/// (both sorted; outputs and inputs are numbered locally by their rank).
pub(crate) struct AxisPlan<T> {
    /// The numpy axis.
    pub axis: usize,
    /// Number of output positions.
    pub outputs: usize,
    /// Low and high pass terms, `F` per output (see [`push_terms`]), sources numbered locally.
    low: Vec<(T, usize)>,
    high: Vec<(T, usize)>,
    /// The outputs whose sources are contiguous and added in tap order (only used along x).
    runs: Vec<Run>,
}

impl<T: Copy> AxisPlan<T> {
    /// The plan along `axis` (padded length `n`) for the filters `(low, high)`, from the input positions
    /// `inputs` to the output positions `outputs` (each read position must be in `inputs`).
    fn new(
        axis: usize,
        (low, high): (&[T], &[T]),
        n: usize,
        inputs: &[usize],
        outputs: &[usize],
    ) -> Self {
        let f = low.len();
        let mut local = vec![usize::MAX; n];
        for (rank, &p) in inputs.iter().enumerate() {
            local[p] = rank;
        }
        let terms = |filter: &[T]| {
            let mut terms = Vec::with_capacity(f * outputs.len());
            for &o in outputs {
                push_terms(filter, n, o, &local, &mut terms);
            }
            terms
        };
        // Output o reads positions o + f/2 - m in tap order without wrapping when f - 1 <= o + f/2 < n;
        // they are all in `inputs`, so their ranks are consecutive too.
        let mut runs: Vec<Run> = Vec::new();
        for (j, &o) in outputs.iter().enumerate() {
            let i = o + f / 2;
            if i < n && i + 1 >= f {
                let shift = local[i] - j;
                match runs.last_mut() {
                    Some(run) if run.end == j && run.shift == shift => run.end += 1,
                    _ => runs.push(Run {
                        start: j,
                        end: j + 1,
                        shift,
                    }),
                }
            }
        }
        AxisPlan {
            axis,
            outputs: outputs.len(),
            low: terms(low),
            high: terms(high),
            runs,
        }
    }

    /// The shape of the result of filtering an array of shape `shape` along this plan's axis.
    pub fn output_shape(&self, shape: [usize; 3]) -> [usize; 3] {
        let mut out = shape;
        out[self.axis] = self.outputs;
        out
    }
}

/// Writes x-row `(z, y)` of the result of filtering `input` (shape `shape`, C order) along `plan.axis` with
/// `terms` (`plan.low` or `plan.high`) into `out`. Along x each output sums samples of the same row (the
/// plan's runs tap by tap so that it vectorises); along y or z it is a weighted sum of whole input rows,
/// added row-wise so it vectorises.
fn filter_row<T: Sample>(
    input: &[T],
    shape: [usize; 3],
    plan: &AxisPlan<T>,
    terms: &[(T, usize)],
    (z, y): (usize, usize),
    out: &mut [T],
) {
    let [_, ny, nx] = shape;
    let f = terms.len() / plan.outputs;
    // `out += c * sources`, or `out = +0 + c * sources` for the first term (PyWavelets' sums start at +0).
    let add_term = |first: bool, out: &mut [T], c: T, sources: &[T]| {
        if first {
            for (d, &x) in out.iter_mut().zip(sources) {
                *d = T::default() + c * x;
            }
        } else {
            for (d, &x) in out.iter_mut().zip(sources) {
                *d = *d + c * x;
            }
        }
    };
    if plan.axis == 2 {
        let line = &input[(z * ny + y) * nx..][..nx];
        let single = |j: usize| {
            terms[j * f..(j + 1) * f]
                .iter()
                .fold(T::default(), |sum, &(c, s)| sum + c * line[s])
        };
        let mut next = 0;
        for run in &plan.runs {
            for (j, d) in out.iter_mut().enumerate().take(run.start).skip(next) {
                *d = single(j);
            }
            for (m, &(c, _)) in terms[run.start * f..(run.start + 1) * f].iter().enumerate() {
                let sources = &line[run.start + run.shift - m..run.end + run.shift - m];
                add_term(m == 0, &mut out[run.start..run.end], c, sources);
            }
            next = run.end;
        }
        for (j, d) in out.iter_mut().enumerate().skip(next) {
            *d = single(j);
        }
        return;
    }
    let o = if plan.axis == 1 { y } else { z };
    for (k, &(c, src)) in terms[o * f..(o + 1) * f].iter().enumerate() {
        let row = if plan.axis == 1 {
            z * ny + src
        } else {
            src * ny + y
        };
        add_term(k == 0, out, c, &input[row * nx..][..out.len()]);
    }
}

/// Rows per parallel task: at least a few thousand samples.
fn rows_per_task(row_len: usize) -> usize {
    (4096 / row_len.max(1)).max(1)
}

/// Filters `input` (shape `shape`) along `plan.axis` with `terms` into `out` (shape
/// `plan.output_shape(shape)`).
fn filter_axis<T: Sample>(
    input: &[T],
    shape: [usize; 3],
    plan: &AxisPlan<T>,
    terms: &[(T, usize)],
    out: &mut Vec<T>,
) {
    let [nz, ny, nx] = plan.output_shape(shape);
    // Every element is overwritten below: a reused buffer of the right length needs no clearing.
    if out.len() != nz * ny * nx {
        out.clear();
        out.resize(nz * ny * nx, T::default());
    }
    out.par_chunks_mut(nx)
        .enumerate()
        .with_min_len(rows_per_task(nx))
        .for_each(|(r, row)| filter_row(input, shape, plan, terms, (r / ny, r % ny), row));
}

/// Like [`filter_axis`], but returns only the part of the result within `window` (ranges along numpy
/// axes `(z, y, x)` of the result), widened to f64.
fn filter_axis_window<T: Sample>(
    input: &[T],
    shape: [usize; 3],
    plan: &AxisPlan<T>,
    terms: &[(T, usize)],
    window: &[Range<usize>; 3],
) -> Array3<f64> {
    let [wz, wy, wx] = window.clone().map(|r| r.len());
    let row_len = plan.output_shape(shape)[2];
    let mut values = vec![0.0; wz * wy * wx];
    values
        .par_chunks_mut(wx)
        .enumerate()
        .with_min_len(rows_per_task(row_len))
        .for_each_init(
            || vec![T::default(); row_len],
            |row, (r, dst)| {
                let (z, y) = (window[0].start + r / wy, window[1].start + r % wy);
                filter_row(input, shape, plan, terms, (z, y), row);
                for (d, v) in dst.iter_mut().zip(&row[window[2].clone()]) {
                    *d = v.to_f64();
                }
            },
        );
    Array3::from_shape_vec((wz, wy, wx), values).expect("length is the product of the shape")
}

/// One decomposition level: its input's shape, its filtering along each transformed axis, and where the
/// box lies in its output.
struct Level<T> {
    /// Shape of the level's input (the positions it holds along each numpy axis).
    shape: [usize; 3],
    plans: Vec<AxisPlan<T>>,
    /// The box, as ranges of the output's local indices along numpy axes `(z, y, x)`.
    window: [Range<usize>; 3],
}

/// What filters one axis of a level: the CPU ([`OnCpu`]) or a GPU. `terms` is `plan`'s low or high
/// pass terms (`F` per output, `(coefficient, local source)` in PyWavelets' order), `input` has
/// shape `shape` (C order over numpy axes `(z, y, x)`), and each output is `+0` plus its terms'
/// products added in that order.
///
/// The walk ([`Decomposer::descend`]) is the same for both; what differs is where samples live
/// between passes ([`AxisFilter::Samples`]: host memory on the CPU, which filters at once; a device
/// array on a GPU, which only records the pass) and what an emitted sub-band is
/// ([`AxisFilter::Band`]: its values on the CPU; on a GPU, a read-back to come once the recorded
/// passes have run).
pub(crate) trait AxisFilter {
    /// A level's samples between passes (an empty one by default, to be filled by a pass).
    type Samples<T: Sample>: Default;
    /// A sub-band within the box, as [`AxisFilter::filter_window`] and
    /// [`AxisFilter::approximation`] give it.
    type Band;
    /// The gathered image (the first level's input).
    fn load<T: Sample>(&self, data: Vec<T>) -> Result<Self::Samples<T>>;
    /// Sets `out` to `input` filtered along `plan.axis` (shape `plan.output_shape(shape)`).
    fn filter<T: Sample>(
        &self,
        input: &Self::Samples<T>,
        shape: [usize; 3],
        plan: &AxisPlan<T>,
        terms: &[(T, usize)],
        out: &mut Self::Samples<T>,
    ) -> Result<()>;
    /// The part within `window` (ranges along numpy axes `(z, y, x)` of the result) of `input`
    /// filtered along `plan.axis`, widened to f64.
    fn filter_window<T: Sample>(
        &self,
        input: &Self::Samples<T>,
        shape: [usize; 3],
        plan: &AxisPlan<T>,
        terms: &[(T, usize)],
        window: &[Range<usize>; 3],
    ) -> Result<Self::Band>;
    /// The last level's approximation `data`, whose outputs are the box itself (of `shape` along
    /// numpy axes `(z, y, x)`), widened to f64.
    fn approximation<T: Sample>(
        &self,
        data: Self::Samples<T>,
        shape: [usize; 3],
    ) -> Result<Self::Band>;
}

/// Filtering on the CPU, in parallel rows ([`filter_axis`], [`filter_axis_window`]).
pub(crate) struct OnCpu;

impl AxisFilter for OnCpu {
    type Samples<T: Sample> = Vec<T>;
    type Band = Array3<f64>;

    fn load<T: Sample>(&self, data: Vec<T>) -> Result<Vec<T>> {
        Ok(data)
    }

    fn filter<T: Sample>(
        &self,
        input: &Vec<T>,
        shape: [usize; 3],
        plan: &AxisPlan<T>,
        terms: &[(T, usize)],
        out: &mut Vec<T>,
    ) -> Result<()> {
        filter_axis(input, shape, plan, terms, out);
        Ok(())
    }

    fn filter_window<T: Sample>(
        &self,
        input: &Vec<T>,
        shape: [usize; 3],
        plan: &AxisPlan<T>,
        terms: &[(T, usize)],
        window: &[Range<usize>; 3],
    ) -> Result<Array3<f64>> {
        Ok(filter_axis_window(input, shape, plan, terms, window))
    }

    fn approximation<T: Sample>(&self, data: Vec<T>, shape: [usize; 3]) -> Result<Array3<f64>> {
        let values = data.iter().map(|v| v.to_f64()).collect();
        let voxels = Array3::from_shape_vec((shape[0], shape[1], shape[2]), values);
        Ok(voxels.expect("the last level's output is the box"))
    }
}

/// A sub-band's consumer: its name (the `L`/`H` letters) and the sub-band within the box.
type Emit<'s, B> = dyn FnMut(&str, B) -> Result<()> + 's;

/// The state of one decomposition: reusable buffers and the name of the sub-band being computed.
struct Decomposer<'f, T: Sample, F: AxisFilter> {
    /// Filters each axis.
    filter: &'f F,
    /// One buffer per inner depth of the filtering tree, reused for its low and high pass.
    scratch: Vec<F::Samples<T>>,
    /// The last approximation computed (the next level's input).
    approx: F::Samples<T>,
    /// The letters of the filters applied so far.
    name: String,
}

impl<T: Sample, F: AxisFilter> Decomposer<'_, T, F> {
    /// Filters `input` (shape `shape`) along `level.plans` from `depth` on. Every leaf of the tree is a
    /// sub-band: the all-`L` one (the next level's input) goes into `self.approx`, the others, cropped to
    /// the box, to `emit` (skipped entirely when there is none).
    fn descend(
        &mut self,
        level: &Level<T>,
        input: &F::Samples<T>,
        shape: [usize; 3],
        depth: usize,
        mut emit: Option<&mut Emit<'_, F::Band>>,
    ) -> Result<()> {
        let passes: &[char] = if emit.is_some() { &['L', 'H'] } else { &['L'] };
        let plan = &level.plans[depth];
        let last = depth + 1 == level.plans.len();
        for &letter in passes {
            let terms = if letter == 'L' { &plan.low } else { &plan.high };
            self.name.push(letter);
            if !last {
                let mut buf = std::mem::take(&mut self.scratch[depth]);
                self.filter.filter(input, shape, plan, terms, &mut buf)?;
                let filtered = plan.output_shape(shape);
                self.descend(level, &buf, filtered, depth + 1, emit.as_deref_mut())?;
                self.scratch[depth] = buf;
            } else if self.name.chars().all(|c| c == 'L') {
                self.filter
                    .filter(input, shape, plan, terms, &mut self.approx)?;
            } else if let Some(emit) = emit.as_deref_mut() {
                let band = self
                    .filter
                    .filter_window(input, shape, plan, terms, &level.window)?;
                emit(&self.name, band)?;
            }
            self.name.pop();
        }
        Ok(())
    }
}

/// PyRadiomics' image type name of the `idx`-th computed level (1-based): `wavelet`, `wavelet2`, …
fn band_prefix(idx: usize) -> String {
    if idx == 1 {
        "wavelet".to_string()
    } else {
        format!("wavelet{idx}")
    }
}

/// The plans of `total` levels over `axes` (padded lengths `padded`) that compute the box `boxed`
/// (ranges along numpy axes `(z, y, x)`), and the positions of the image the first level reads.
/// Level `k` reads the positions level `k + 1` needs (the last: the box); axes left out by
/// force2D keep the box at every level.
fn plan_levels<T: Sample>(
    (low, high): (&[T], &[T]),
    axes: &[usize],
    (padded, boxed): ([usize; 3], &[Range<usize>; 3]),
    total: usize,
) -> (Vec<Level<T>>, [Vec<usize>; 3]) {
    let mut positions: Vec<[Vec<usize>; 3]> = vec![boxed.clone().map(|r| r.collect()); total + 1];
    for k in (0..total).rev() {
        for &a in axes {
            positions[k][a] = tap_sources(&positions[k + 1][a], low.len(), padded[a]);
        }
    }
    let levels = (0..total)
        .map(|k| {
            let (inputs, outputs) = (&positions[k], &positions[k + 1]);
            Level {
                shape: inputs.clone().map(|p| p.len()),
                plans: axes
                    .iter()
                    .map(|&a| AxisPlan::new(a, (low, high), padded[a], &inputs[a], &outputs[a]))
                    .collect(),
                window: [0, 1, 2].map(|a| {
                    let start = outputs[a].partition_point(|&p| p < boxed[a].start);
                    start..start + boxed[a].len()
                }),
            }
        })
        .collect();
    let first = positions.swap_remove(0);
    (levels, first)
}

/// The voxels of `image` at `positions` (along numpy axes `(z, y, x)`; C order) in precision
/// `T`, as `numpy.pad(..., 'wrap')` by one voxel reads them: the padded position equal to the
/// length reads index 0.
fn gather<T: Sample, E: Element>(image: &Volume<E>, positions: &[Vec<usize>; 3]) -> Vec<T> {
    let (nz, ny, nx) = image.voxels.dim();
    let original = [nz, ny, nx];
    let standard = image.voxels.as_standard_layout();
    let voxels = standard.as_slice().expect("standard layout is contiguous");
    let [zs, ys, xs] = [0, 1, 2].map(|a| {
        positions[a]
            .iter()
            .map(|&p| p % original[a])
            .collect::<Vec<_>>()
    });
    let mut data = Vec::with_capacity(zs.len() * ys.len() * xs.len());
    for &z in &zs {
        for &y in &ys {
            let row = &voxels[(z * ny + y) * nx..][..nx];
            data.extend(xs.iter().map(|&x| T::from_f64(row[x].into())));
        }
    }
    data
}

/// [`wavelet_images_on`] in precision `T`.
fn decompose<T: Sample, E: Element, F: AxisFilter>(
    image: &Volume<E>,
    bank: &FilterBank,
    axes: &[usize],
    settings: &Settings,
    region: &BoundingBox,
    filter: &F,
    sink: &mut Emit<'_, F::Band>,
) -> Result<()> {
    let (nz, ny, nx) = image.voxels.dim();
    let original = [nz, ny, nx];
    let mut padded = original;
    for &a in axes {
        padded[a] += padded[a] % 2;
    }
    // The box along numpy axes (z, y, x).
    let [bx, by, bz] = [0, 1, 2].map(|a| region.lower[a]..region.upper[a] + 1);
    let boxed = [bz, by, bx];
    let total = settings.filters.start_level + settings.filters.level;
    let (levels, first) = plan_levels(T::filters(bank), axes, (padded, &boxed), total);
    let mut data = filter.load(gather(image, &first))?;
    let mut dec = Decomposer {
        filter,
        scratch: axes.iter().map(|_| Default::default()).collect(),
        approx: Default::default(),
        name: String::new(),
    };
    let (start, computed) = levels.split_at(settings.filters.start_level);
    for level in start {
        dec.descend(level, &data, level.shape, 0, None)?;
        std::mem::swap(&mut data, &mut dec.approx);
    }
    for (idx, level) in computed.iter().enumerate() {
        let prefix = band_prefix(idx + 1);
        let mut emit = |band: &str, values| sink(&format!("{prefix}-{band}"), values);
        dec.descend(level, &data, level.shape, 0, Some(&mut emit))?;
        std::mem::swap(&mut data, &mut dec.approx);
    }
    drop((dec, levels));
    let approximation = filter.approximation(data, boxed.map(|r| r.len()))?;
    let name = band_prefix(settings.filters.level) + "-" + &"L".repeat(axes.len());
    sink(&name, approximation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::crop::crop;
    use crate::params::{FilterSettings, TextureSettings, Wavelet};

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
        let mut settings = Settings::default();
        settings.filters.wavelet = Wavelet::from_name("morl").unwrap();
        let image = Volume {
            voxels: Array3::zeros((2, 2, 2)),
            geometry: crate::image::Geometry::identity(),
        };
        let err = wavelet_images(
            &image,
            PixelType::F64,
            &settings,
            &whole(&image),
            Dimensionality::Three,
            |_, _| Ok(()),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Setting { .. }));
        assert!(
            text.contains("\"morl\"") && text.contains("coif1") && text.contains("rbio6.8"),
            "{text}"
        );
    }

    #[test]
    fn force2d_drops_the_chosen_numpy_axis() {
        let (two, three) = (Dimensionality::Two, Dimensionality::Three);
        let mut settings = Settings::default();
        assert_eq!(wavelet_axes(&settings, three).unwrap(), vec![2, 1, 0]);
        assert_eq!(wavelet_axes(&settings, two).unwrap(), vec![2, 1]);
        settings.texture.force_2d = true;
        for (dim, axes) in [(0, vec![2, 1]), (1, vec![2, 0]), (2, vec![1, 0])] {
            settings.texture.force_2d_dimension = dim;
            assert_eq!(wavelet_axes(&settings, three).unwrap(), axes);
        }
        // A 2D image's force2Ddimension counts its own axes: 0 = y, 1 = x.
        for (dim, axes) in [(0, vec![2]), (1, vec![1])] {
            settings.texture.force_2d_dimension = dim;
            assert_eq!(wavelet_axes(&settings, two).unwrap(), axes);
        }
        settings.texture.force_2d_dimension = 2;
        assert!(wavelet_axes(&settings, two).is_err());
        settings.texture.force_2d_dimension = 3;
        assert!(wavelet_axes(&settings, three).is_err());
    }

    #[test]
    fn terms_visit_every_filter_tap_once() {
        let filter: Vec<f64> = (0..8).map(f64::from).collect();
        for n in [2, 4, 6, 10, 16] {
            let identity: Vec<usize> = (0..n).collect();
            for o in 0..n {
                let mut terms = Vec::new();
                push_terms(&filter, n, o, &identity, &mut terms);
                let mut seen: Vec<usize> = terms.iter().map(|&(c, _)| c as usize).collect();
                for &(c, src) in &terms {
                    assert_eq!((src + c as usize) % n, (o + 4) % n);
                }
                seen.sort_unstable();
                assert_eq!(seen, (0..8).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn tap_sources_go_back_from_the_outputs() {
        // Length 4 (taps read o + 2 - m, m = 0..4) on 10 positions: outputs 3 and 4 read -1..=6.
        assert_eq!(tap_sources(&[3, 4], 4, 10), vec![2, 3, 4, 5, 6]);
        assert_eq!(tap_sources(&[0], 4, 10), vec![0, 1, 2, 9]);
        assert_eq!(tap_sources(&[9], 4, 10), vec![0, 1, 8, 9]);
        // A filter longer than the axis reads it whole.
        assert_eq!(tap_sources(&[1], 8, 4), vec![0, 1, 2, 3]);
    }

    /// The box covering the whole of `volume`.
    fn whole(volume: &Volume<f64>) -> BoundingBox {
        BoundingBox {
            lower: [0; 3],
            upper: volume.size().map(|n| n - 1),
        }
    }

    /// Every sub-band of `image` cropped to `region`, in order.
    fn sub_bands(
        image: &Volume<f64>,
        pixel_type: PixelType,
        settings: &Settings,
        region: &BoundingBox,
    ) -> Vec<(String, Volume<f64>)> {
        let mut bands = Vec::new();
        wavelet_images(
            image,
            pixel_type,
            settings,
            region,
            Dimensionality::Three,
            |name, band| {
                bands.push((name.to_string(), band));
                Ok(())
            },
        )
        .unwrap();
        bands
    }

    /// A deterministic pseudo-random sequence (SplitMix64), as values in `[0, 1)`.
    struct SplitMix(u64);

    impl SplitMix {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }

        fn below(&mut self, n: usize) -> usize {
            ((self.next() * n as f64) as usize).min(n - 1)
        }
    }

    /// Boxes in an image of ITK size `size`: the whole image, its first and last voxel, and random ones.
    fn boxes(size: [usize; 3], rng: &mut SplitMix) -> Vec<BoundingBox> {
        let last = size.map(|n| n - 1);
        let mut boxes = vec![
            BoundingBox {
                lower: [0; 3],
                upper: last,
            },
            BoundingBox {
                lower: [0; 3],
                upper: [0; 3],
            },
            BoundingBox {
                lower: last,
                upper: last,
            },
        ];
        for _ in 0..3 {
            let ends = size.map(|n| (rng.below(n), rng.below(n)));
            boxes.push(BoundingBox {
                lower: ends.map(|(a, b)| a.min(b)),
                upper: ends.map(|(a, b)| a.max(b)),
            });
        }
        boxes
    }

    #[test]
    fn box_sub_bands_are_the_whole_image_sub_bands_cropped_bit_for_bit() {
        let mut rng = SplitMix(20240611);
        let geometry = crate::image::Geometry {
            spacing: [0.7, 1.3, 2.5],
            origin: [-10.0, 4.5, 3.25],
            direction: [[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 1.0]],
        };
        // Numpy shapes (z, y, x): odd and even, some shorter than the filters.
        for shape in [(3, 5, 7), (4, 6, 8), (1, 9, 2), (7, 3, 12)] {
            // Magnitudes spread over decades, so that adding in another order changes the rounding.
            let voxels = Array3::from_shape_simple_fn(shape, || {
                (rng.next() - 0.5) * 10f64.powi(rng.below(7) as i32)
            });
            let image = Volume {
                voxels,
                geometry: geometry.clone(),
            };
            let boxes = boxes(image.size(), &mut rng);
            for (k, wavelet) in ["haar", "coif1", "db3", "bior2.2", "dmey"]
                .into_iter()
                .enumerate()
            {
                for force_2d in [None, Some(0), Some(1), Some(2)] {
                    let settings = Settings {
                        filters: FilterSettings {
                            wavelet: Wavelet::from_name(wavelet).unwrap(),
                            level: 1 + (k + shape.0) % 3,
                            start_level: k % 2,
                            ..FilterSettings::default()
                        },
                        texture: TextureSettings {
                            force_2d: force_2d.is_some(),
                            force_2d_dimension: force_2d.unwrap_or(0),
                            ..TextureSettings::default()
                        },
                        ..Settings::default()
                    };
                    for pixel_type in [PixelType::F32, PixelType::F64] {
                        let whole_bands = sub_bands(&image, pixel_type, &settings, &whole(&image));
                        for region in &boxes {
                            let bands = sub_bands(&image, pixel_type, &settings, region);
                            let what = format!(
                                "{shape:?} {wavelet} {force_2d:?} {pixel_type:?} {region:?}"
                            );
                            assert_eq!(bands.len(), whole_bands.len(), "{what}");
                            for ((name, band), (whole_name, whole_band)) in
                                bands.iter().zip(&whole_bands)
                            {
                                assert_eq!(name, whole_name, "{what}");
                                let expected = crop(whole_band, region.lower, region.upper);
                                assert_eq!(band.geometry, expected.geometry, "{what} {name}");
                                assert_eq!(band.voxels.dim(), expected.voxels.dim());
                                let bits = |v: &Volume<f64>| -> Vec<u64> {
                                    v.voxels.iter().map(|x| x.to_bits()).collect()
                                };
                                assert!(bits(band) == bits(&expected), "{what} {name}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_box_outside_the_image_is_an_error() {
        let image = Volume {
            voxels: Array3::<f64>::zeros((2, 3, 4)),
            geometry: crate::image::Geometry::identity(),
        };
        for (lower, upper) in [([0, 0, 0], [4, 2, 1]), ([2, 0, 0], [1, 2, 1])] {
            let region = BoundingBox { lower, upper };
            let result = wavelet_images(
                &image,
                PixelType::F64,
                &Settings::default(),
                &region,
                Dimensionality::Three,
                |_, _| Ok(()),
            );
            assert!(matches!(result, Err(Error::Mask { .. })), "{region:?}");
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
            &whole(&image),
            Dimensionality::Three,
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

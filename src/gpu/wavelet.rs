//! PyRadiomics' wavelet image type on the GPU (`shaders/wavelet.wgsl`). The CPU reference
//! ([`crate::filters::wavelet`]) plans the decomposition (the positions of each level that the
//! region's box depends on, each output's terms in PyWavelets' order) and walks its filtering
//! tree; here every axis of that tree is one compute pass, one invocation per output sample,
//! adding the same terms in the same order.

use std::cell::RefCell;
use std::ops::Range;

use ndarray::{Array3, s};

use super::filters::FilterJob;
use super::job::dispatch;
use super::{Gpu, GpuError, Precision};
use crate::filters::wavelet::{
    AxisFilter, AxisPlan, Sample, filter_bank, sub_band_pixel_type, wavelet_axes, wavelet_images_on,
};
use crate::image::bbox::BoundingBox;
use crate::image::source::SourceImage;
use crate::image::{Dimensionality, PixelType, Volume};
use crate::params::Settings;
use crate::{Error, Result, with_source_volume};

/// The sub-bands [`crate::filters::wavelet::wavelet_images`] hands to its sink, in its order,
/// computed on `gpu`. Declines images with non-finite voxels where the sub-bands read them (GPUs
/// need not keep NaN and infinities as IEEE does) and settings the CPU rejects (so that it
/// reports them).
pub fn wavelet_images(
    gpu: &Gpu,
    image: &SourceImage,
    settings: &Settings,
    region: &BoundingBox,
    dimensionality: Dimensionality,
) -> std::result::Result<Vec<(String, Volume<f64>)>, GpuError> {
    let on_gpu = OnGpu {
        gpu,
        failure: RefCell::new(None),
    };
    let mut bands = Vec::new();
    let collect = |name: &str, band| {
        bands.push((name.to_string(), band));
        Ok(())
    };
    let place = (region, dimensionality);
    let stored = image.pixel_type();
    let done = with_source_volume!(image, volume => wavelet_images_on(
        &on_gpu, volume, stored, settings, place, collect,
    ));
    match (on_gpu.failure.into_inner(), done) {
        (Some(failure), _) => Err(failure),
        (None, Err(e)) => Err(GpuError::Declined(e.to_string())),
        (None, Ok(())) => Ok(bands),
    }
}

/// A bound on the absolute difference between every sub-band value [`wavelet_images`] gives on
/// `gpu` and the CPU's, for an image held as `stored`, as a multiple of the image's largest
/// absolute value `max_abs` (infinite when the settings are the CPU's to reject).
///
/// Each level filters along each transformed axis: `P` passes in all, each output a sum of `F`
/// products (filter length `F`). A pass evaluated with unit roundoff `u` errs by at most
/// `(F + 2)·u` times the sum of its terms' magnitudes (the sum's `F` roundings, the rounding of
/// the coefficient and of the input), and carries its input's error times the filter's 1-norm
/// `N` (the larger of the two filters'). As no value exceeds `N^k·max_abs` after `k` passes,
/// each side errs from the exact transform by at most `P·(F + 2)·u·N^P·max_abs`, to first
/// order; the bound is the sum for the GPU's and the CPU's unit roundoffs, doubled for the
/// higher-order terms.
pub fn error_bound(
    gpu: &Gpu,
    stored: PixelType,
    settings: &Settings,
    dimensionality: Dimensionality,
) -> f64 {
    let (Ok(bank), Ok(axes)) = (
        filter_bank(settings.filters.wavelet.name()),
        wavelet_axes(settings, dimensionality),
    ) else {
        return f64::INFINITY;
    };
    let passes = (axes.len() * (settings.filters.start_level + settings.filters.level)) as f64;
    let taps = bank.dec_lo.len() as f64;
    let norm = |filter: &[f64]| filter.iter().map(|c| c.abs()).sum::<f64>();
    let gain = norm(bank.dec_lo).max(norm(bank.dec_hi)).powf(passes);
    let in_f32 = sub_band_pixel_type(stored) == PixelType::F32;
    let cpu = if in_f32 { F32_ROUNDOFF } else { F64_ROUNDOFF };
    let on_gpu = if in_f32 || gpu.precision == Precision::F32 {
        F32_ROUNDOFF
    } else {
        F64_ROUNDOFF
    };
    2.0 * passes * (taps + 2.0) * (cpu + on_gpu) * gain
}

/// The unit roundoffs of float32 and float64.
const F32_ROUNDOFF: f64 = f32::EPSILON as f64 / 2.0;
const F64_ROUNDOFF: f64 = f64::EPSILON / 2.0;

/// Filters each axis on the GPU; the first failure is kept to be returned as it is.
struct OnGpu<'g> {
    gpu: &'g Gpu,
    failure: RefCell<Option<GpuError>>,
}

impl OnGpu<'_> {
    /// [`filter_pass`], its failure kept and reported to the CPU's walk as an error.
    fn pass<T: Sample>(
        &self,
        input: &[T],
        shape: [usize; 3],
        plan: &AxisPlan<T>,
        terms: &[(T, usize)],
    ) -> Result<Vec<T>> {
        filter_pass(self.gpu, input, shape, plan, terms).map_err(|e| {
            let message = e.to_string();
            self.failure.borrow_mut().get_or_insert(e);
            Error::Unsupported(message)
        })
    }
}

impl AxisFilter for OnGpu<'_> {
    fn filter<T: Sample>(
        &self,
        input: &[T],
        shape: [usize; 3],
        plan: &AxisPlan<T>,
        terms: &[(T, usize)],
        out: &mut Vec<T>,
    ) -> Result<()> {
        *out = self.pass(input, shape, plan, terms)?;
        Ok(())
    }

    fn filter_window<T: Sample>(
        &self,
        input: &[T],
        shape: [usize; 3],
        plan: &AxisPlan<T>,
        terms: &[(T, usize)],
        window: &[Range<usize>; 3],
    ) -> Result<Array3<f64>> {
        let [nz, ny, nx] = plan.output_shape(shape);
        let values = self.pass(input, shape, plan, terms)?;
        let all = Array3::from_shape_vec((nz, ny, nx), values).expect("the output's shape");
        let [z, y, x] = window.clone();
        Ok(all.slice(s![z, y, x]).map(|v| v.to_f64()))
    }
}

/// `input` (shape `shape`) filtered along `plan.axis` with `terms` by one compute pass. f64
/// samples compute in f64 where the device does, all others in f32.
fn filter_pass<T: Sample>(
    gpu: &Gpu,
    input: &[T],
    shape: [usize; 3],
    plan: &AxisPlan<T>,
    terms: &[(T, usize)],
) -> std::result::Result<Vec<T>, GpuError> {
    if !input.iter().all(|v| v.to_f64().is_finite()) {
        return Err(GpuError::Declined("non-finite samples".into()));
    }
    let total: usize = plan.output_shape(shape).iter().product();
    let (workgroups, row_stride) = dispatch(gpu, total as u32);
    let [nz, ny, nx] = shape.map(|n| n as u32);
    let params: [u32; 8] = [
        nz,
        ny,
        nx,
        plan.axis as u32,
        plan.outputs as u32,
        (terms.len() / plan.outputs) as u32,
        total as u32,
        row_stride,
    ];
    let sources: Vec<u32> = terms.iter().map(|&(_, source)| source as u32).collect();
    let coefficients: Vec<T> = terms.iter().map(|&(c, _)| c).collect();
    let job = FilterJob {
        params: &params,
        samples: &[input, &coefficients],
        indices: &[&sources],
        outputs: total,
        workgroups,
    };
    gpu.filters.wavelet.run(gpu, &job)
}

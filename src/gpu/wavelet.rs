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
use super::{Gpu, GpuError};
use crate::filters::wavelet::{AxisFilter, AxisPlan, Sample, wavelet_images_on};
use crate::image::bbox::BoundingBox;
use crate::image::source::SourceImage;
use crate::image::{Dimensionality, Volume};
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

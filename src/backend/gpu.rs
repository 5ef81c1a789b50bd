//! The GPU backend: jobs run as WGSL compute shaders through [`crate::gpu`]; the jobs it has no
//! kernel for, and those it declines (too large for the device), run on the CPU.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{Backend, cpu_wavelet_images};
use crate::filters::gradient::gradient_image;
use crate::filters::point;
use crate::filters::recursive_gaussian::PassBuffers;
use crate::gpu::{Gpu, GpuError, glcm, glrlm, log, neighbours};
use crate::image::bbox::BoundingBox;
use crate::image::source::SourceImage;
use crate::image::{Dimensionality, Volume};
use crate::matrices::glcm::{GlcmPlan, count_pairs};
use crate::matrices::gldm::dependence_counts;
use crate::matrices::glrlm::{GlrlmPlan, run_counts};
use crate::matrices::glszm::zones;
use crate::matrices::neighbours::PaddedRoi;
use crate::matrices::ngtdm::{NeighbourSum, neighbour_sums};
use crate::params::Settings;
use crate::{Error, Result};

/// Texture matrices on a GPU.
pub struct GpuBackend {
    gpu: Arc<Gpu>,
    /// Under `--device auto`: a job that fails on the device is redone on the CPU with a
    /// warning, instead of failing the case.
    fall_back: bool,
    warned: AtomicBool,
}

impl GpuBackend {
    /// A backend on `gpu`; with `fall_back`, failed jobs are redone on the CPU.
    pub fn new(gpu: Arc<Gpu>, fall_back: bool) -> Self {
        GpuBackend {
            gpu,
            fall_back,
            warned: AtomicBool::new(false),
        }
    }

    /// The outcome of a GPU job: its value; the CPU's when the job was declined or (with
    /// `fall_back`) failed; else a one-line error.
    fn or_cpu<T>(
        &self,
        on_gpu: std::result::Result<T, GpuError>,
        on_cpu: impl FnOnce() -> T,
    ) -> Result<T> {
        match on_gpu {
            Ok(value) => Ok(value),
            Err(GpuError::Declined(_)) => Ok(on_cpu()),
            Err(e) if self.fall_back => {
                if !self.warned.swap(true, Ordering::Relaxed) {
                    eprintln!("radiome: warning: {e}; redone on the CPU");
                }
                Ok(on_cpu())
            }
            Err(e) => Err(Error::Unsupported(e.to_string())),
        }
    }
}

impl Backend for GpuBackend {
    fn name(&self) -> &'static str {
        "gpu"
    }

    fn device(&self) -> Option<String> {
        Some(self.gpu.description())
    }

    fn glcm_counts(&self, plan: &GlcmPlan) -> Result<Vec<f64>> {
        self.or_cpu(glcm::glcm_counts(&self.gpu, plan), || {
            count_pairs(&plan.roi, &plan.offsets, plan.levels)
        })
    }

    fn glrlm_counts(&self, plan: &GlrlmPlan) -> Result<Vec<f64>> {
        self.or_cpu(glrlm::run_counts(&self.gpu, plan), || run_counts(plan))
    }

    fn glszm_zones(&self, roi: &PaddedRoi) -> Result<Vec<(u32, usize)>> {
        self.or_cpu(neighbours::zones(&self.gpu, roi), || zones(roi))
    }

    fn gldm_counts(&self, roi: &PaddedRoi, max_diff: i64) -> Result<Vec<u32>> {
        self.or_cpu(neighbours::gldm_counts(&self.gpu, roi, max_diff), || {
            dependence_counts(roi, max_diff)
        })
    }

    fn ngtdm_counts(&self, roi: &PaddedRoi) -> Result<Vec<NeighbourSum>> {
        self.or_cpu(neighbours::ngtdm_counts(&self.gpu, roi), || {
            neighbour_sums(roi)
        })
    }

    fn log_image(
        &self,
        image: &SourceImage,
        sigma_mm: f64,
        region: &BoundingBox,
        dimensionality: Dimensionality,
        buffers: &mut PassBuffers,
    ) -> Result<Volume<f64>> {
        let on_gpu = crate::with_source_volume!(image, volume => log::log_image(
            &self.gpu, volume, sigma_mm, region, dimensionality,
        ));
        self.or_cpu(on_gpu.map(Ok), || {
            crate::with_source_volume!(image, volume => crate::filters::log::log_image(
                volume, sigma_mm, region, dimensionality, buffers,
            ))
        })?
    }

    fn wavelet_images(
        &self,
        image: &SourceImage,
        settings: &Settings,
        (region, dimensionality): (&BoundingBox, Dimensionality),
        sink: &mut dyn FnMut(&str, Volume<f64>) -> Result<()>,
    ) -> Result<()> {
        let on_gpu =
            crate::gpu::wavelet::wavelet_images(&self.gpu, image, settings, region, dimensionality);
        // The CPU streams its sub-bands to the sink itself; the GPU's come all at once.
        match self.or_cpu(on_gpu.map(Some), || None)? {
            Some(bands) => bands
                .into_iter()
                .try_for_each(|(name, band)| sink(&name, band)),
            None => cpu_wavelet_images(image, settings, (region, dimensionality), sink),
        }
    }

    fn square(&self, part: &Volume<f64>, m: f64) -> Result<Volume<f64>> {
        self.or_cpu(crate::gpu::point::square(&self.gpu, part, m), || {
            point::square(part, m)
        })
    }

    fn square_root(&self, part: &Volume<f64>, m: f64) -> Result<Volume<f64>> {
        self.or_cpu(crate::gpu::point::square_root(&self.gpu, part, m), || {
            point::square_root(part, m)
        })
    }

    fn logarithm(&self, part: &Volume<f64>, m: f64, max_log: f64) -> Result<Volume<f64>> {
        let on_gpu = crate::gpu::point::logarithm(&self.gpu, part, m, max_log);
        self.or_cpu(on_gpu, || point::logarithm(part, m, max_log))
    }

    fn exponential(&self, part: &Volume<f64>, m: f64) -> Result<Volume<f64>> {
        self.or_cpu(crate::gpu::point::exponential(&self.gpu, part, m), || {
            point::exponential(part, m)
        })
    }

    fn gradient_image(&self, image: &Volume<f64>, use_spacing: bool) -> Result<Volume<f64>> {
        let on_gpu = crate::gpu::point::gradient_image(&self.gpu, image, use_spacing);
        self.or_cpu(on_gpu.map(Ok), || gradient_image(image, use_spacing))?
    }
}

//! The filter kernels' pipelines (`shaders/wavelet.wgsl`, `shaders/point.wgsl`), compiled once
//! per device in every precision it computes in. Each shader declares `alias real = f64;`; its
//! f32 variant is the same source with `real` = `f32`.

use super::{GpuError, Precision, job};

/// The line by which a filter shader names its arithmetic type.
const REAL_F64: &str = "alias real = f64;";

/// A filter kernel in f32 and, on a device computing in f64, in f64.
pub(super) struct Variants {
    pub f32: wgpu::ComputePipeline,
    pub f64: Option<wgpu::ComputePipeline>,
}

impl Variants {
    /// Compiles `source` as `name` in f32, and in f64 when `precision` is f64.
    fn compile(
        device: &wgpu::Device,
        precision: Precision,
        name: &str,
        source: &str,
    ) -> Result<Self, GpuError> {
        if !source.contains(REAL_F64) {
            return Err(GpuError::Setup(format!(
                "shader {name}.wgsl has no `{REAL_F64}`"
            )));
        }
        let single = source.replace(REAL_F64, "alias real = f32;");
        let f64 = match precision {
            Precision::F64 => Some(job::pipeline(device, name, source)?),
            Precision::F32 => None,
        };
        Ok(Variants {
            f32: job::pipeline(device, &format!("{name} (f32)"), &single)?,
            f64,
        })
    }

    /// The pipeline for samples of `bytes` bytes (4 or 8): f64 samples run in f64 where the
    /// device computes in f64, everything else in f32.
    pub fn for_sample(&self, bytes: usize) -> (&wgpu::ComputePipeline, Precision) {
        match (&self.f64, bytes) {
            (Some(f64), 8) => (f64, Precision::F64),
            _ => (&self.f32, Precision::F32),
        }
    }
}

/// The pipelines of the filter kernels.
pub(super) struct FilterPipelines {
    pub wavelet: Variants,
    pub point: Variants,
}

impl FilterPipelines {
    /// Compiles every filter kernel for `device` in `precision` (and f32).
    pub fn compile(device: &wgpu::Device, precision: Precision) -> Result<Self, GpuError> {
        let wavelet = include_str!("../../shaders/wavelet.wgsl");
        let point = include_str!("../../shaders/point.wgsl");
        Ok(FilterPipelines {
            wavelet: Variants::compile(device, precision, "wavelet", wavelet)?,
            point: Variants::compile(device, precision, "point", point)?,
        })
    }
}

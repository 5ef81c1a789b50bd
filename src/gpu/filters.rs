//! The filter kernels' pipelines (`shaders/wavelet.wgsl`, `shaders/point.wgsl`), compiled once
//! per device in every precision it computes in. Each shader declares `alias real = f64;`; its
//! f32 variant is the same source with `real` = `f32`.

use super::job::{Binding, fits};
use super::{Gpu, GpuError, Precision, job};
use crate::filters::wavelet::Sample;

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

/// One dispatch of a filter kernel: its bindings in order (`params` as the uniform, each of
/// `samples` and then of `indices` as a read-only array) and an output of `outputs` samples.
pub(super) struct FilterJob<'a, T> {
    pub params: &'a [u32],
    pub samples: &'a [&'a [T]],
    pub indices: &'a [&'a [u32]],
    pub outputs: usize,
    pub workgroups: [u32; 2],
}

impl Variants {
    /// Runs `job` on the variant for samples of `T` ([`Variants::for_sample`]) and returns its
    /// output as `T`: on the f32 variant, f64 samples are rounded to f32 and the output widened
    /// back. Declines buffers beyond the device's limits.
    pub fn run<T: Sample>(&self, gpu: &Gpu, job: &FilterJob<T>) -> Result<Vec<T>, GpuError> {
        let (pipeline, precision) = self.for_sample(size_of::<T>());
        let bytes = precision.bytes();
        let largest = job.samples.iter().map(|s| s.len()).max().unwrap_or(0);
        fits(gpu, job.outputs * bytes, largest * bytes)?;
        let native = bytes == size_of::<T>();
        // On the f32 variant, f64 samples rounded to f32 (none when handed over as they are).
        let single: Vec<Vec<f32>> = if native {
            Vec::new()
        } else {
            let round = |s: &&[T]| s.iter().map(|v| v.to_f64() as f32).collect();
            job.samples.iter().map(round).collect()
        };
        let samples: Vec<&[u8]> = if native {
            job.samples
                .iter()
                .map(|s| bytemuck::cast_slice(s))
                .collect()
        } else {
            single.iter().map(|s| bytemuck::cast_slice(s)).collect()
        };
        let indices = job.indices.iter().map(|i| bytemuck::cast_slice(i));
        let mut bindings = vec![Binding::Uniform(bytemuck::cast_slice(job.params))];
        bindings.extend(samples.into_iter().chain(indices).map(Binding::Read));
        bindings.push(Binding::Output((job.outputs * bytes) as u64));
        let output = gpu.run(pipeline, &bindings, job.workgroups)?;
        // Copies: the bytes need not be aligned for the sample type.
        let output = &output[..job.outputs * bytes];
        if native {
            return Ok(bytemuck::pod_collect_to_vec(output));
        }
        let values: Vec<f32> = bytemuck::pod_collect_to_vec(output);
        Ok(values
            .into_iter()
            .map(|v| T::from_f64(f64::from(v)))
            .collect())
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

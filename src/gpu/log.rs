//! The LoG image type on the GPU (`shaders/log.wgsl`): the passes of
//! [`crate::filters::log::log_image`] in its order, one invocation per image line per pass, all
//! in one submission. In f64 the arithmetic is the CPU's, operation for operation, with every
//! pass rounded to f32 where the CPU (and ITK) rounds it; in f32 every operation is in f32.

use std::ops::Range;

use super::job::{Binding, dispatch, first_line, fits};
use super::{Gpu, GpuError, Precision};
use crate::filters::log::{LogTerm, kept_region, log_terms, region_volume};
use crate::filters::recursive_gaussian::kept_dims;
use crate::image::bbox::BoundingBox;
use crate::image::source::Element;
use crate::image::{Dimensionality, Volume};

/// `shaders/log.wgsl` in `precision`.
pub(super) fn shader(precision: Precision) -> String {
    let real = match precision {
        Precision::F64 => "f64",
        Precision::F32 => "f32",
    };
    format!(
        "alias real = {real};\n{}",
        include_str!("../../shaders/log.wgsl")
    )
}

/// One dispatch: the shader's `Params` and coefficients, the samples in and out of the pass, and
/// whether it reads the image (else the previous pass's result).
struct Pass {
    params: [u32; 8],
    coefficients: [f64; 21],
    lines: usize,
    outputs: usize,
    reads_image: bool,
}

/// The passes of `terms` over an image of `dims` (z, y, x) keeping `keep` (x, y, z).
fn passes(terms: &[LogTerm], dims: [usize; 3], keep: &[Range<usize>; 3]) -> Vec<Pass> {
    let mut out = Vec::new();
    for term in terms {
        let mut term_dims = dims;
        for (k, (axis, coefficients)) in term.passes.iter().enumerate() {
            let along = axis.dim_index();
            let kept = &keep[*axis as usize];
            let n = term_dims[along];
            let inner: usize = term_dims[along + 1..].iter().product();
            let lines = term_dims.iter().product::<usize>() / n;
            let last = k + 1 == term.passes.len();
            let mut flat = [0.0; 21];
            flat[..20].copy_from_slice(&coefficients.flat());
            flat[20] = term.inv_spacing2;
            out.push(Pass {
                params: [n, inner, lines, kept.start, kept.end, 0, last as usize, 0]
                    .map(|v| v as u32),
                coefficients: flat,
                lines,
                outputs: lines * kept.len(),
                reads_image: k == 0,
            });
            term_dims = kept_dims(term_dims, *axis, kept);
        }
    }
    out
}

/// `values` as the shader's `real`.
fn reals(values: impl Iterator<Item = f64>, precision: Precision) -> Vec<u8> {
    match precision {
        Precision::F64 => bytemuck::cast_slice(&values.collect::<Vec<f64>>()).to_vec(),
        Precision::F32 => {
            bytemuck::cast_slice(&values.map(|v| v as f32).collect::<Vec<f32>>()).to_vec()
        }
    }
}

/// The LoG of `image` at `sigma_mm` within `region`, as [`crate::filters::log::log_image`]
/// computes it. Declines what the CPU function rejects (it then reports the error) and images
/// whose buffers exceed the device's limits.
pub fn log_image<E: Element>(
    gpu: &Gpu,
    image: &Volume<E>,
    sigma_mm: f64,
    region: &BoundingBox,
    dimensionality: Dimensionality,
) -> Result<Volume<f64>, GpuError> {
    let terms = log_terms(image, sigma_mm, dimensionality)
        .map_err(|e| GpuError::Declined(e.to_string()))?;
    let (nz, ny, nx) = image.voxels.dim();
    let keep = kept_region(image, region);
    let passes = passes(&terms, [nz, ny, nx], &keep);
    let kept: usize = keep.iter().map(Range::len).product();
    let bytes = match gpu.precision {
        Precision::F64 => 8,
        Precision::F32 => 4,
    };
    let largest = passes.iter().map(|p| p.outputs).max().unwrap_or(0);
    fits(gpu, largest * bytes, image.voxels.len() * bytes)?;
    if image.voxels.len() > u32::MAX as usize {
        return Err(GpuError::Declined("an image of over 2³² voxels".into()));
    }
    let voxels = reals(image.voxels.iter().map(|&v| v.into()), gpu.precision);
    let acc = gpu.run_passes(&passes, &voxels, (largest * bytes, kept * bytes))?;
    let values: Vec<f32> = match gpu.precision {
        Precision::F64 => bytemuck::cast_slice::<u8, f64>(&acc[..kept * 8])
            .iter()
            .map(|&v| v as f32)
            .collect(),
        Precision::F32 => bytemuck::cast_slice(&acc[..kept * 4]).to_vec(),
    };
    region_volume(image, &keep, values).map_err(|e| GpuError::Job(e.to_string()))
}

impl Gpu {
    /// Runs `passes` in order in one submission: the first pass of each term reads `image`, the
    /// others the pass before, through two buffers of `sizes.0` bytes; returns the accumulated
    /// Laplacian (`sizes.1` bytes).
    fn run_passes(
        &self,
        passes: &[Pass],
        image: &[u8],
        (pass_bytes, acc_bytes): (usize, usize),
    ) -> Result<Vec<u8>, GpuError> {
        self.check_alive()?;
        let memory = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let submitted = self.submit_passes(passes, image, (pass_bytes, acc_bytes));
        let errors = [validation.pop(), memory.pop()].map(pollster::block_on);
        if let Some(e) = errors.into_iter().flatten().next() {
            return Err(GpuError::Job(first_line(e)));
        }
        let (readback, index) = submitted;
        self.read_back(&readback, index)
    }

    /// Records the passes and the copy of the Laplacian into a mappable buffer, and submits them.
    fn submit_passes(
        &self,
        passes: &[Pass],
        image: &[u8],
        (pass_bytes, acc_bytes): (usize, usize),
    ) -> (wgpu::Buffer, wgpu::SubmissionIndex) {
        let image = self.buffer(&Binding::Read(image));
        let ping_pong = [0, 1].map(|_| self.buffer(&Binding::Output(pass_bytes as u64)));
        let acc = self.buffer(&Binding::Output(acc_bytes as u64));
        let mut encoder = self.device.create_command_encoder(&Default::default());
        {
            let mut compute = encoder.begin_compute_pass(&Default::default());
            compute.set_pipeline(&self.log);
            let mut written = 1;
            for pass in passes {
                let input = if pass.reads_image {
                    &image
                } else {
                    &ping_pong[written]
                };
                written = if pass.reads_image { 0 } else { 1 - written };
                let (groups, row_stride) = dispatch(self, pass.lines as u32);
                let mut params = pass.params;
                params[5] = row_stride;
                let coefficients = reals(pass.coefficients.into_iter(), self.precision);
                let uniform = self.buffer(&Binding::Uniform(bytemuck::cast_slice(&params)));
                let constants = self.buffer(&Binding::Read(&coefficients));
                let buffers = [&uniform, &constants, input, &ping_pong[written], &acc];
                let group = self.bind_group(&self.log, &buffers);
                compute.set_bind_group(0, &group, &[]);
                compute.dispatch_workgroups(groups[0], groups[1], 1);
            }
        }
        let readback = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("log readback"),
            size: acc.size(),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        encoder.copy_buffer_to_buffer(&acc, 0, &readback, 0, acc.size());
        let index = self.queue.submit([encoder.finish()]);
        (readback, index)
    }

    /// A bind group of `buffers` for `pipeline`, in binding order.
    fn bind_group(
        &self,
        pipeline: &wgpu::ComputePipeline,
        buffers: &[&wgpu::Buffer],
    ) -> wgpu::BindGroup {
        let entries: Vec<wgpu::BindGroupEntry> = buffers
            .iter()
            .enumerate()
            .map(|(i, b)| wgpu::BindGroupEntry {
                binding: i as u32,
                resource: b.as_entire_binding(),
            })
            .collect();
        self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &pipeline.get_bind_group_layout(0),
            entries: &entries,
        })
    }
}

//! The LoG image type on the GPU (`shaders/log.wgsl`): the passes of
//! [`crate::filters::log::log_image`] in its order, one invocation per image line per pass, every
//! sigma of an image in one submission. Every pass is rounded to f32 where the CPU (and ITK)
//! rounds it. In f64 the arithmetic is the CPU's, operation for operation; in f32 (no
//! `SHADER_F64`, or `RADIOME_GPU_PRECISION=f32`) the recursion runs in double-f32 (pairs
//! `hi + lo` of f32, about 46 bits), since a plain f32 Deriche recursion misses relative 1e-4 on
//! up to 5% of the voxels, those where the LoG is near zero.

use std::ops::Range;

use super::job::{Binding, dispatch, fits};
use super::{Gpu, GpuError, Precision};
use crate::filters::log::{LogTerm, kept_region, log_terms, region_volume};
use crate::filters::recursive_gaussian::kept_dims;
use crate::image::bbox::BoundingBox;
use crate::image::source::Element;
use crate::image::{Dimensionality, Volume};

/// The arithmetic of `shaders/log.wgsl` in f64: f64's own.
const F64_PRELUDE: &str = "alias wide = f64;
fn add(a: f64, b: f64) -> f64 { return a + b; }
fn sub(a: f64, b: f64) -> f64 { return a - b; }
fn mul(a: f64, b: f64) -> f64 { return a * b; }
fn round_f32(a: f64) -> f64 { return f64(f32(a)); }
";

/// The arithmetic of `shaders/log.wgsl` in f32: double-f32 (`hi + lo`).
const F32_PRELUDE: &str = "alias wide = vec2<f32>;
fn add(a: wide, b: wide) -> wide { return df_add(a, b); }
fn sub(a: wide, b: wide) -> wide { return df_add(a, -b); }
fn mul(a: wide, b: wide) -> wide { return df_mul(a, b); }
fn round_f32(a: wide) -> wide { return wide(a.x, 0.0); }
";

/// `shaders/log.wgsl` in `precision`.
pub(super) fn shader(precision: Precision) -> String {
    let prelude = match precision {
        Precision::F64 => F64_PRELUDE,
        Precision::F32 => F32_PRELUDE,
    };
    format!("{prelude}{}", include_str!("../../shaders/log.wgsl"))
}

/// Bytes per value of every buffer: an f64, or a double-f32 pair.
const WIDE_BYTES: usize = 8;

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

/// `values` as the shader's `wide`: f64, or the double-f32 pair `hi = f32(v)`, `lo = f32(v - hi)`.
fn wide(values: impl Iterator<Item = f64>, precision: Precision) -> Vec<u8> {
    match precision {
        Precision::F64 => bytemuck::cast_slice(&values.collect::<Vec<f64>>()).to_vec(),
        Precision::F32 => {
            let pairs = values.map(|v| [v as f32, (v - f64::from(v as f32)) as f32]);
            bytemuck::cast_slice(&pairs.collect::<Vec<[f32; 2]>>()).to_vec()
        }
    }
}

/// The f32 values of `bytes` of the shader's `wide` (which holds f32 values only).
fn narrow(bytes: &[u8], precision: Precision) -> Vec<f32> {
    match precision {
        Precision::F64 => bytemuck::cast_slice::<u8, f64>(bytes)
            .iter()
            .map(|&v| v as f32)
            .collect(),
        Precision::F32 => bytemuck::cast_slice::<u8, [f32; 2]>(bytes)
            .iter()
            .map(|&[hi, _]| hi)
            .collect(),
    }
}

/// The LoG of `image` at `sigma_mm` within `region`, as [`crate::filters::log::log_image`]
/// computes it ([`log_images`] of one sigma).
pub fn log_image<E: Element>(
    gpu: &Gpu,
    image: &Volume<E>,
    sigma_mm: f64,
    region: &BoundingBox,
    dimensionality: Dimensionality,
) -> Result<Volume<f64>, GpuError> {
    let mut images = log_images(gpu, image, &[sigma_mm], region, dimensionality)?;
    images
        .pop()
        .ok_or_else(|| GpuError::Job("no LoG image came back".into()))
}

/// The LoG images of `image` at each of `sigmas_mm` within `region`, as
/// [`crate::filters::log::log_image`] computes them, in one submission that uploads the image
/// once. Declines what the CPU function rejects (it then reports the error) and images whose
/// buffers exceed the device's limits.
pub fn log_images<E: Element>(
    gpu: &Gpu,
    image: &Volume<E>,
    sigmas_mm: &[f64],
    region: &BoundingBox,
    dimensionality: Dimensionality,
) -> Result<Vec<Volume<f64>>, GpuError> {
    let (nz, ny, nx) = image.voxels.dim();
    let keep = kept_region(image, region);
    let sigmas: Vec<Vec<Pass>> = sigmas_mm
        .iter()
        .map(|&sigma_mm| {
            let terms = log_terms(image, sigma_mm, dimensionality)
                .map_err(|e| GpuError::Declined(e.to_string()))?;
            Ok(passes(&terms, [nz, ny, nx], &keep))
        })
        .collect::<Result<_, GpuError>>()?;
    let kept: usize = keep.iter().map(Range::len).product();
    let bytes = WIDE_BYTES;
    let largest = sigmas
        .iter()
        .flatten()
        .map(|p| p.outputs)
        .max()
        .unwrap_or(0);
    fits(gpu, largest * bytes, image.voxels.len() * bytes)?;
    if image.voxels.len() > u32::MAX as usize {
        return Err(GpuError::Declined("an image of over 2³² voxels".into()));
    }
    let voxels = wide(image.voxels.iter().map(|&v| v.into()), gpu.precision);
    let accs = gpu.run_passes(&sigmas, &voxels, (largest * bytes, kept * bytes))?;
    // Each Laplacian's buffer holds at least 4 bytes (bindings cannot be empty).
    let stride = (kept * bytes).max(4);
    (0..sigmas.len())
        .map(|i| {
            let values = narrow(&accs[i * stride..][..kept * bytes], gpu.precision);
            region_volume(image, &keep, values).map_err(|e| GpuError::Job(e.to_string()))
        })
        .collect()
}

impl Gpu {
    /// Runs the passes of each sigma in order, all in one submission: the first pass of each term
    /// reads `image`, the others the pass before, through two buffers of `sizes.0` bytes; returns
    /// the accumulated Laplacians (`sizes.1` bytes each), one after the other.
    fn run_passes(
        &self,
        sigmas: &[Vec<Pass>],
        image: &[u8],
        sizes: (usize, usize),
    ) -> Result<Vec<u8>, GpuError> {
        self.check_alive()?;
        let (readback, index) = self.submit_round(|| self.record_sigmas(sigmas, image, sizes))?;
        self.read_back(&readback, index)
    }

    /// Records every sigma's passes (each accumulating into its own buffer) and the copies of the
    /// Laplacians into one mappable buffer; returns the commands and that buffer.
    fn record_sigmas(
        &self,
        sigmas: &[Vec<Pass>],
        image: &[u8],
        (pass_bytes, acc_bytes): (usize, usize),
    ) -> (wgpu::CommandBuffer, wgpu::Buffer) {
        let image = self.buffer(&Binding::Read(image));
        let ping_pong = [0, 1].map(|_| self.buffer(&Binding::Output(pass_bytes as u64)));
        let accs: Vec<wgpu::Buffer> = sigmas
            .iter()
            .map(|_| self.buffer(&Binding::Output(acc_bytes as u64)))
            .collect();
        let mut encoder = self.device.create_command_encoder(&Default::default());
        {
            let mut compute = encoder.begin_compute_pass(&Default::default());
            compute.set_pipeline(&self.log);
            for (passes, acc) in sigmas.iter().zip(&accs) {
                self.record_passes(&mut compute, passes, [&image, acc], &ping_pong);
            }
        }
        let size = accs.iter().map(wgpu::Buffer::size).sum();
        let readback = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("log readback"),
            size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut at = 0;
        for acc in &accs {
            encoder.copy_buffer_to_buffer(acc, 0, &readback, at, acc.size());
            at += acc.size();
        }
        (encoder.finish(), readback)
    }

    /// Records one sigma's passes: each reads the image or the pass before (through
    /// `ping_pong`), and the last pass of each term adds into `acc`.
    fn record_passes(
        &self,
        compute: &mut wgpu::ComputePass,
        passes: &[Pass],
        [image, acc]: [&wgpu::Buffer; 2],
        ping_pong: &[wgpu::Buffer; 2],
    ) {
        let mut written = 1;
        for pass in passes {
            let input = if pass.reads_image {
                image
            } else {
                &ping_pong[written]
            };
            written = if pass.reads_image { 0 } else { 1 - written };
            let (groups, row_stride) = dispatch(self, pass.lines as u32);
            let mut params = pass.params;
            params[5] = row_stride;
            params[7] = 1f32.to_bits();
            let coefficients = wide(pass.coefficients.into_iter(), self.precision);
            let uniform = self.buffer(&Binding::Uniform(bytemuck::cast_slice(&params)));
            let constants = self.buffer(&Binding::Read(&coefficients));
            let buffers = [&uniform, &constants, input, &ping_pong[written], acc];
            let group = self.bind_group(&self.log, &buffers);
            compute.set_bind_group(0, &group, &[]);
            compute.dispatch_workgroups(groups[0], groups[1], 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shader that writes `df_add(a, b)` and `df_mul(a, b)` for each pair of double-f32 values.
    fn double_f32_shader() -> String {
        let wgsl = include_str!("../../shaders/log.wgsl");
        let arithmetic = &wgsl[wgsl.find("// Double-f32 arithmetic").expect("df functions")..];
        format!(
            "struct Params {{ one: f32, pad1: f32, pad2: f32, pad3: f32 }}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> xs: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {{
    if (id.x < arrayLength(&xs)) {{
        let x = xs[id.x];
        out[id.x] = vec4<f32>(df_add(x.xy, x.zw), df_mul(x.xy, x.zw));
    }}
}}
{arithmetic}"
        )
    }

    /// The shader's double-f32 sums and products of random values are within 2⁻⁴⁴ of the exact
    /// ones (f32 alone: 2⁻²⁴), cancelling sums included.
    #[test]
    fn double_f32_arithmetic_keeps_about_46_bits() {
        let gpu = match Gpu::open(true) {
            Ok(gpu) => gpu,
            Err(e) if std::env::var("RADIOME_REQUIRE_GPU").is_ok_and(|v| v == "1") => {
                panic!("RADIOME_REQUIRE_GPU=1 but {e}")
            }
            Err(_) => return,
        };
        let pipeline = gpu.compile("double-f32", &double_f32_shader()).unwrap();
        let mut next = crate::test_random::random_u64s(3);
        let mut uniform = move || (next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        let pairs: Vec<[f64; 2]> = (0..1024)
            .map(|k| {
                let a = uniform() * 1000.0;
                // Every fourth pair nearly cancels.
                let b = if k % 4 == 0 {
                    -a * (1.0 + uniform() * 1e-5)
                } else {
                    uniform() * 3.0
                };
                [a, b]
            })
            .collect();
        let xs: Vec<u8> = wide(pairs.iter().flatten().copied(), Precision::F32);
        let params = [1f32, 0.0, 0.0, 0.0];
        let bindings = [
            Binding::Uniform(bytemuck::cast_slice(&params)),
            Binding::Read(&xs),
            Binding::Output((pairs.len() * 16) as u64),
        ];
        let bytes = gpu.run(&pipeline, &bindings, [16, 1]).unwrap();
        let out: &[[f32; 4]] = bytemuck::cast_slice(&bytes);
        let value = |hi: f32, lo: f32| f64::from(hi) + f64::from(lo);
        for (&[a, b], &[s, e, p, f]) in pairs.iter().zip(out) {
            let (a, b) = (
                value(a as f32, (a - f64::from(a as f32)) as f32),
                value(b as f32, (b - f64::from(b as f32)) as f32),
            );
            let relative = |got: f64, exact: f64| ((got - exact) / exact).abs();
            assert!(relative(value(s, e), a + b) < 2f64.powi(-44), "{a} + {b}");
            assert!(relative(value(p, f), a * b) < 2f64.powi(-44), "{a} * {b}");
        }
    }
}

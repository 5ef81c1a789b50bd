//! PyRadiomics' voxel-wise image types and the gradient magnitude on the GPU
//! (`shaders/point.wgsl`), with the CPU reference's constants and operation order
//! ([`crate::filters::point`], [`crate::filters::gradient`]).
//!
//! `logarithm` and `exponential` need `ln` and `exp`, which WGSL has for f32 only: in f64 they
//! are declined (the CPU runs them), on an f32 device they run in f32. Images with non-finite
//! voxels or constants are declined too: GPUs need not keep NaN and infinities as IEEE does.

use ndarray::Array3;

use super::filters::FilterJob;
use super::job::dispatch;
use super::{Gpu, GpuError, Precision};
use crate::image::Volume;

/// The shader's operations (`params.op`).
#[derive(Clone, Copy)]
enum Op {
    Square = 0,
    SquareRoot = 1,
    Logarithm = 2,
    Exponential = 3,
    Gradient = 4,
}

/// `square` of part of an image whose largest absolute value is `m`
/// ([`crate::filters::point::square`]).
pub fn square(gpu: &Gpu, part: &Volume<f64>, m: f64) -> Result<Volume<f64>, GpuError> {
    run(gpu, Op::Square, part, [1.0 / m.sqrt(), 0.0, 0.0])
}

/// `squareroot` of part of an image whose largest absolute value is `m`
/// ([`crate::filters::point::square_root`]).
pub fn square_root(gpu: &Gpu, part: &Volume<f64>, m: f64) -> Result<Volume<f64>, GpuError> {
    run(gpu, Op::SquareRoot, part, [m, 0.0, 0.0])
}

/// `logarithm` of part of an image ([`crate::filters::point::logarithm`]); f32 devices only.
pub fn logarithm(
    gpu: &Gpu,
    part: &Volume<f64>,
    m: f64,
    max_log: f64,
) -> Result<Volume<f64>, GpuError> {
    run(gpu, Op::Logarithm, part, [m / max_log, 0.0, 0.0])
}

/// `exponential` of part of an image ([`crate::filters::point::exponential`]); f32 devices only.
pub fn exponential(gpu: &Gpu, part: &Volume<f64>, m: f64) -> Result<Volume<f64>, GpuError> {
    run(gpu, Op::Exponential, part, [m.ln() / m, 0.0, 0.0])
}

/// The gradient magnitude of `image` ([`crate::filters::gradient::gradient_image`]), float32
/// values widened to f64. A zero spacing used is declined (the CPU reports it).
pub fn gradient_image(
    gpu: &Gpu,
    image: &Volume<f64>,
    use_spacing: bool,
) -> Result<Volume<f64>, GpuError> {
    let spacing = image.geometry.spacing;
    if use_spacing && spacing.contains(&0.0) {
        return Err(GpuError::Declined("a zero spacing".into()));
    }
    let c = spacing.map(|s| if use_spacing { 0.5 * (1.0 / s) } else { 0.5 });
    let mut volume = run(gpu, Op::Gradient, image, c)?;
    volume.voxels.mapv_inplace(|v| f64::from(v as f32));
    Ok(volume)
}

/// Runs `op` on every voxel of `image` with `constants` (see the shader).
fn run(
    gpu: &Gpu,
    op: Op,
    image: &Volume<f64>,
    constants: [f64; 3],
) -> Result<Volume<f64>, GpuError> {
    let (_, precision) = gpu.filters.point.for_sample(size_of::<f64>());
    if precision == Precision::F64 && matches!(op, Op::Logarithm | Op::Exponential) {
        return Err(GpuError::Declined(
            "ln and exp in f64 (WGSL has none)".into(),
        ));
    }
    if !constants.iter().chain(&image.voxels).all(|v| v.is_finite()) {
        return Err(GpuError::Declined("non-finite voxels or constants".into()));
    }
    let voxels = image.voxels.len();
    let (nz, ny, nx) = image.voxels.dim();
    let (workgroups, row_stride) = dispatch(gpu, voxels as u32);
    let params: [u32; 8] = [
        op as u32,
        voxels as u32,
        row_stride,
        nx as u32,
        ny as u32,
        nz as u32,
        0,
        0,
    ];
    let input: Vec<f64> = image.voxels.iter().copied().collect();
    let job = FilterJob {
        params: &params,
        samples: &[&input, &constants],
        indices: &[],
        outputs: voxels,
        workgroups,
    };
    let values = gpu.filters.point.run(gpu, &job)?;
    Ok(Volume {
        voxels: Array3::from_shape_vec((nz, ny, nx), values).expect("one value per voxel"),
        geometry: image.geometry.clone(),
    })
}

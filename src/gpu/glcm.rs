//! GLCM co-occurrence counts on the GPU (`shaders/glcm.wgsl`): the same integers as
//! [`crate::matrices::glcm::count_pairs`], whatever order the atomics run in.

use super::job::Binding;
use super::{Gpu, GpuError};
use crate::matrices::glcm::GlcmPlan;

/// Invocations per workgroup (the shader's `@workgroup_size`).
const WORKGROUP: u32 = 64;

/// Raw co-occurrence counts of `plan`, angle-major, as f64 (exact: they are integers below 2³²).
/// Declines a plan whose buffers exceed the device's limits.
pub fn glcm_counts(gpu: &Gpu, plan: &GlcmPlan) -> Result<Vec<f64>, GpuError> {
    let [nz, ny, nx] = plan.roi.shape;
    let voxels = plan.roi.bins.len();
    let n = plan.levels;
    let counts = plan.offsets.len() * n * n;
    fits(gpu, counts * 4, voxels * 4)?;
    let offsets: Vec<[i32; 4]> = plan.offsets.iter().map(|o| [o[0], o[1], o[2], 0]).collect();
    let (groups, row_stride) = dispatch(gpu, voxels as u32);
    let params: [u32; 8] = [
        nx as u32,
        ny as u32,
        nz as u32,
        n as u32,
        offsets.len() as u32,
        voxels as u32,
        row_stride,
        0,
    ];
    let bytes = gpu.run(
        &gpu.glcm,
        &[
            Binding::Uniform(bytemuck::cast_slice(&params)),
            Binding::Read(bytemuck::cast_slice(&plan.roi.bins)),
            Binding::Read(bytemuck::cast_slice(&offsets)),
            Binding::Output((counts * 4) as u64),
        ],
        groups,
    )?;
    let values: &[u32] = bytemuck::cast_slice(&bytes[..counts * 4]);
    Ok(values.iter().map(|&c| f64::from(c)).collect())
}

/// Declines buffers larger than the device binds (or counts whose flat index overflows `u32`).
fn fits(gpu: &Gpu, output_bytes: usize, input_bytes: usize) -> Result<(), GpuError> {
    let limits = gpu.limits();
    let binding = limits
        .max_storage_buffer_binding_size
        .min(limits.max_buffer_size);
    let largest = output_bytes.max(input_bytes) as u64;
    if largest > binding || output_bytes / 4 > u32::MAX as usize {
        return Err(GpuError::Declined(format!(
            "a {largest}-byte buffer exceeds the device's {binding}-byte limit"
        )));
    }
    Ok(())
}

/// Workgroups `[x, y]` covering `invocations` in a 2D grid within the device's per-dimension
/// limit, and the invocations per row.
fn dispatch(gpu: &Gpu, invocations: u32) -> ([u32; 2], u32) {
    let groups = invocations.div_ceil(WORKGROUP).max(1);
    let x = groups.min(gpu.limits().max_compute_workgroups_per_dimension);
    ([x, groups.div_ceil(x)], x * WORKGROUP)
}

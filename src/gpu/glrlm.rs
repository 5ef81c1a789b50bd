//! GLRLM run counts on the GPU (`shaders/glrlm.wgsl`): the same integers as
//! [`crate::matrices::glrlm::run_counts`], whatever order the atomics run in.

use super::job::{Binding, dispatch, fits};
use super::{Gpu, GpuError};
use crate::matrices::glrlm::GlrlmPlan;

/// Raw run counts of `plan`, angle-major, as f64 (exact: integers below 2³²); a direction whose
/// lines never hold more than one ROI voxel is all zeros. Declines a plan whose buffers exceed the
/// device's limits.
pub fn run_counts(gpu: &Gpu, plan: &GlrlmPlan) -> Result<Vec<f64>, GpuError> {
    let [nz, ny, nx] = plan.roi.shape;
    let voxels = plan.roi.bins.len();
    let directions = plan.offsets.len();
    let per_direction = plan.n_gray * plan.max_run;
    let counts = directions * per_direction;
    fits(gpu, (counts + directions) * 4, voxels * 4)?;
    let offsets: Vec<[i32; 4]> = plan.offsets.iter().map(|o| [o[0], o[1], o[2], 0]).collect();
    let (groups, row_stride) = dispatch(gpu, voxels as u32);
    let params: [u32; 8] = [
        nx as u32,
        ny as u32,
        nz as u32,
        plan.n_gray as u32,
        directions as u32,
        voxels as u32,
        row_stride,
        plan.max_run as u32,
    ];
    let bytes = gpu.run(
        &gpu.glrlm,
        &[
            Binding::Uniform(bytemuck::cast_slice(&params)),
            Binding::Read(bytemuck::cast_slice(&plan.roi.bins)),
            Binding::Read(bytemuck::cast_slice(&offsets)),
            Binding::Output(((counts + directions) * 4) as u64),
        ],
        groups,
    )?;
    let words: &[u32] = bytemuck::cast_slice(&bytes[..(counts + directions) * 4]);
    let (values, flags) = words.split_at(counts);
    Ok(values
        .chunks_exact(per_direction.max(1))
        .zip(flags)
        .flat_map(|(direction, &multi_element)| {
            direction.iter().map(move |&c| {
                if multi_element == 0 {
                    0.0
                } else {
                    f64::from(c)
                }
            })
        })
        .collect())
}

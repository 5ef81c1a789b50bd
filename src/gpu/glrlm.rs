//! GLRLM run counts on the GPU (`shaders/glrlm.wgsl`): the same integers as
//! [`crate::matrices::glrlm::run_counts`], whatever order the atomics run in.

use super::job::{Dispatch, Input, dispatch, fits};
use super::{Gpu, GpuError};
use crate::matrices::glrlm::GlrlmPlan;

/// Raw run counts of `plan`, angle-major, as f64 (exact: integers below 2³²); a direction whose
/// lines never hold more than one ROI voxel is all zeros. Declines a plan whose buffers exceed the
/// device's limits.
pub fn run_counts(gpu: &Gpu, plan: &GlrlmPlan) -> Result<Vec<f64>, GpuError> {
    let words = gpu.run_batch(&[run_dispatch(gpu, plan)?])?;
    Ok(counts_from_words(plan, &words[0]))
}

/// The dispatch that counts `plan`'s runs (for a batch); declines a plan whose buffers exceed
/// the device's limits.
pub fn run_dispatch<'a>(gpu: &'a Gpu, plan: &'a GlrlmPlan) -> Result<Dispatch<'a>, GpuError> {
    let [nz, ny, nx] = plan.roi.shape;
    let voxels = plan.roi.bins.len();
    let directions = plan.offsets.len();
    let counts = directions * plan.n_gray * plan.max_run;
    fits(gpu, (counts + directions) * 4, voxels * 4)?;
    let offsets: Vec<[i32; 4]> = plan.offsets.iter().map(|o| [o[0], o[1], o[2], 0]).collect();
    let (workgroups, row_stride) = dispatch(gpu, voxels as u32);
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
    Ok(Dispatch {
        pipeline: &gpu.glrlm,
        inputs: vec![
            Input::Uniform(bytemuck::cast_slice(&params).to_vec().into()),
            Input::Read(bytemuck::cast_slice(&plan.roi.bins).into()),
            Input::Read(bytemuck::cast_slice(&offsets).to_vec().into()),
        ],
        output: ((counts + directions) * 4) as u64,
        workgroups,
    })
}

/// The counts a [`run_dispatch`] of `plan` wrote, as f64: the run counts, then one flag per
/// direction saying whether any line holds more than one ROI voxel (else the direction is zeros).
pub fn counts_from_words(plan: &GlrlmPlan, words: &[u32]) -> Vec<f64> {
    let per_direction = plan.n_gray * plan.max_run;
    let counts = plan.offsets.len() * per_direction;
    let (values, flags) = words.split_at(counts);
    values
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
        .collect()
}

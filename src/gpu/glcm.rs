//! GLCM co-occurrence counts on the GPU (`shaders/glcm.wgsl`): the same integers as
//! [`crate::matrices::glcm::count_pairs`], whatever order the atomics run in.

use super::job::{Dispatch, Input, dispatch, fits};
use super::{Gpu, GpuError};
use crate::matrices::glcm::GlcmPlan;

/// Raw co-occurrence counts of `plan`, angle-major, as f64 (exact: they are integers below 2³²).
/// Declines a plan whose buffers exceed the device's limits.
pub fn glcm_counts(gpu: &Gpu, plan: &GlcmPlan) -> Result<Vec<f64>, GpuError> {
    let words = gpu.run_batch(&[glcm_dispatch(gpu, plan)?])?;
    Ok(counts_from_words(&words[0]))
}

/// The dispatch that counts `plan`'s pairs (for a batch); declines a plan whose buffers exceed
/// the device's limits.
pub fn glcm_dispatch<'a>(gpu: &'a Gpu, plan: &'a GlcmPlan) -> Result<Dispatch<'a>, GpuError> {
    let [nz, ny, nx] = plan.roi.shape;
    let voxels = plan.roi.bins.len();
    let n = plan.levels;
    let counts = plan.offsets.len() * n * n;
    fits(gpu, counts * 4, voxels * 4)?;
    let offsets: Vec<[i32; 4]> = plan.offsets.iter().map(|o| [o[0], o[1], o[2], 0]).collect();
    let (workgroups, row_stride) = dispatch(gpu, voxels as u32);
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
    Ok(Dispatch {
        pipeline: &gpu.glcm,
        inputs: vec![
            Input::Uniform(bytemuck::cast_slice(&params).to_vec().into()),
            Input::Read(bytemuck::cast_slice(&plan.roi.bins).into()),
            Input::Read(bytemuck::cast_slice(&offsets).to_vec().into()),
        ],
        output: (counts * 4) as u64,
        workgroups,
    })
}

/// The counts a [`glcm_dispatch`] wrote, as f64.
pub fn counts_from_words(words: &[u32]) -> Vec<f64> {
    words.iter().map(|&c| f64::from(c)).collect()
}

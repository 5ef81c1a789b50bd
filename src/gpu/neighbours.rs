//! The kernels over a margin-padded ROI ([`PaddedRoi`]) on the GPU: NGTDM neighbour sums
//! (`shaders/ngtdm.wgsl`), GLDM dependence counts (`shaders/gldm.wgsl`) and GLSZM zones
//! (`shaders/glszm.wgsl`), each after their shared inputs (`shaders/neighbours.wgsl`); the same
//! integers as [`crate::matrices::ngtdm::neighbour_sums`],
//! [`crate::matrices::gldm::dependence_counts`] and [`crate::matrices::glszm::zones`], whatever
//! order the invocations run in.

use super::job::{Dispatch, Input, dispatch, fits};
use super::{Gpu, GpuError};
use crate::matrices::neighbours::PaddedRoi;
use crate::matrices::ngtdm::NeighbourSum;

/// The flag of an ROI voxel in the shaders' `cells` (its grey level in the low 31 bits).
const IN_ROI: u32 = 1 << 31;

/// NGTDM neighbour sums of every ROI voxel of `roi`. Declines an ROI whose sums could overflow
/// `u32` or whose buffers exceed the device's limits.
pub fn ngtdm_counts(gpu: &Gpu, roi: &PaddedRoi) -> Result<Vec<NeighbourSum>, GpuError> {
    Ok(sums_from_words(&run(gpu, ngtdm_dispatch(gpu, roi)?)?))
}

/// The dispatch of [`ngtdm_counts`] (for a batch).
pub fn ngtdm_dispatch<'a>(gpu: &'a Gpu, roi: &'a PaddedRoi) -> Result<Dispatch<'a>, GpuError> {
    let highest = roi.levels.iter().copied().max().unwrap_or(0);
    if u64::from(highest) * roi.neighbour_count() as u64 > u64::from(u32::MAX) {
        return Err(GpuError::Declined(format!(
            "grey level {highest} times {} neighbours overflows u32",
            roi.neighbour_count()
        )));
    }
    padded_dispatch(gpu, &gpu.ngtdm, roi, 2 * roi.roi.len(), 0)
}

/// The sums an [`ngtdm_dispatch`] wrote: (count, total) per ROI voxel.
pub fn sums_from_words(words: &[u32]) -> Vec<NeighbourSum> {
    words
        .chunks_exact(2)
        .map(|pair| NeighbourSum {
            count: pair[0],
            total: u64::from(pair[1]),
        })
        .collect()
}

/// GLDM dependence counts of every ROI voxel of `roi`: neighbours whose grey level differs by at
/// most `max_diff` ([`crate::matrices::gldm::dependence_limit`]).
pub fn gldm_counts(gpu: &Gpu, roi: &PaddedRoi, max_diff: i64) -> Result<Vec<u32>, GpuError> {
    run(gpu, gldm_dispatch(gpu, roi, max_diff)?)
}

/// The dispatch of [`gldm_counts`] (for a batch); it writes the counts themselves.
pub fn gldm_dispatch<'a>(
    gpu: &'a Gpu,
    roi: &'a PaddedRoi,
    max_diff: i64,
) -> Result<Dispatch<'a>, GpuError> {
    let below = (max_diff + 1).clamp(0, i64::from(u32::MAX)) as u32;
    padded_dispatch(gpu, &gpu.gldm, roi, roi.roi.len(), below)
}

/// The zones of `roi` (from [`crate::matrices::glszm::zone_roi`]) as `(grey level, size)`, in the
/// order of their first voxel: the GPU links each voxel to a smaller one of its zone, so that
/// each zone's tree has its first voxel as root; each voxel's root is then resolved in flat order.
pub fn zones(gpu: &Gpu, roi: &PaddedRoi) -> Result<Vec<(u32, usize)>, GpuError> {
    Ok(zones_from_words(roi, run(gpu, zones_dispatch(gpu, roi)?)?))
}

/// The dispatch of [`zones`] (for a batch).
pub fn zones_dispatch<'a>(gpu: &'a Gpu, roi: &'a PaddedRoi) -> Result<Dispatch<'a>, GpuError> {
    padded_dispatch(gpu, &gpu.glszm, roi, roi.levels.len(), 0)
}

/// The zones of `roi` from the parent links a [`zones_dispatch`] wrote.
pub fn zones_from_words(roi: &PaddedRoi, mut parent: Vec<u32>) -> Vec<(u32, usize)> {
    let mut size = vec![0u32; parent.len()];
    for &k in &roi.roi {
        // A parent precedes its child in flat order, so it already holds its root (+ 1).
        let root = match parent[k] {
            0 => k,
            p => parent[p as usize - 1] as usize - 1,
        };
        parent[k] = root as u32 + 1;
        size[root] += 1;
    }
    roi.roi
        .iter()
        .filter(|&&k| size[k] > 0)
        .map(|&k| (roi.levels[k], size[k] as usize))
        .collect()
}

/// Runs one dispatch alone and returns its output words.
fn run(gpu: &Gpu, dispatch: Dispatch) -> Result<Vec<u32>, GpuError> {
    let mut words = gpu.run_batch(&[dispatch])?;
    Ok(words.pop().unwrap_or_default())
}

/// The dispatch of `pipeline` over `roi`'s voxels with an output of `words` words and `extra`
/// as the last word of its parameters.
fn padded_dispatch<'a>(
    gpu: &'a Gpu,
    pipeline: &'a wgpu::ComputePipeline,
    roi: &'a PaddedRoi,
    words: usize,
    extra: u32,
) -> Result<Dispatch<'a>, GpuError> {
    let cells = cells(roi)?;
    let voxels = roi.roi.len();
    let output = words * 4;
    fits(gpu, output, cells.len() * 4)?;
    let indices: Vec<u32> = roi.roi.iter().map(|&i| i as u32).collect();
    let steps: Vec<i32> = roi.steps().iter().map(|&s| s as i32).collect();
    let (workgroups, row_stride) = dispatch(gpu, voxels as u32);
    let params: [u32; 4] = [voxels as u32, steps.len() as u32, row_stride, extra];
    Ok(Dispatch {
        pipeline,
        inputs: vec![
            Input::Uniform(bytemuck::cast_slice(&params).to_vec().into()),
            Input::Read(bytemuck::cast_slice(&cells).to_vec().into()),
            Input::Read(bytemuck::cast_slice(&indices).to_vec().into()),
            Input::Read(bytemuck::cast_slice(&steps).to_vec().into()),
        ],
        output: output as u64,
        workgroups,
    })
}

/// `roi`'s padded array as the shaders read it: grey level, with [`IN_ROI`] set in the ROI.
/// Declines an array whose flat indices (or grey levels) do not fit in 31 bits.
fn cells(roi: &PaddedRoi) -> Result<Vec<u32>, GpuError> {
    if roi.levels.len() > i32::MAX as usize || roi.levels.iter().any(|&l| l >= IN_ROI) {
        return Err(GpuError::Declined(format!(
            "a padded ROI of {} voxels exceeds 31-bit indices",
            roi.levels.len()
        )));
    }
    Ok(roi
        .levels
        .iter()
        .zip(&roi.in_roi)
        .map(|(&level, &inside)| if inside { level | IN_ROI } else { level })
        .collect())
}

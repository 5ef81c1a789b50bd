//! Grey Level Size Zone Matrix as PyRadiomics' `cmatrices.calculate_glszm` + `RadiomicsGLSZM`.

use super::Discretized;
use super::neighbours::{Neighbourhood, c_order, for_each_roi_voxel, shape_of};
use super::size_matrix::{SizeMatrix, SizeTally};
use crate::params::Settings;

/// The GLSZM: `P(i, j)` = number of zones of grey level `i` and size `j` voxels.
#[derive(Clone, Debug, PartialEq)]
pub struct GlszmMatrix {
    /// Zone counts by grey level and zone size (empty grey levels and sizes dropped).
    pub zones: SizeMatrix,
    /// Number of ROI voxels (PyRadiomics' `Np`; 1 for an empty ROI).
    pub n_voxels: f64,
}

/// Labels the zones of `disc`: maximal sets of ROI voxels with equal grey level connected through
/// PyRadiomics' bidirectional distance-1 angles (26-connectivity in 3D; 8-connectivity in the plane
/// under `force2D`; `distances` is not used), grown with an explicit stack.
pub fn glszm_matrix(disc: &Discretized, settings: &Settings) -> GlszmMatrix {
    let shape = shape_of(&disc.levels);
    let levels = c_order(&disc.levels);
    let mask = c_order(&disc.mask);
    let hood = Neighbourhood::bidirectional(shape, &[1], settings);
    let mut unvisited = mask.to_vec();
    let mut stack = Vec::new();
    let mut zones: Vec<(u32, usize)> = Vec::new();
    for_each_roi_voxel(shape, &mask, |start, _| {
        if !unvisited[start] {
            return;
        }
        let level = levels[start];
        unvisited[start] = false;
        stack.push(start);
        let mut size = 0;
        while let Some(k) = stack.pop() {
            size += 1;
            hood.for_each(hood.position(k), k, |j| {
                if unvisited[j] && levels[j] == level {
                    unvisited[j] = false;
                    stack.push(j);
                }
            });
        }
        zones.push((level, size));
    });
    let max_size = zones.iter().map(|&(_, s)| s).max().unwrap_or(0);
    let mut tally = SizeTally::new(disc, max_size);
    for &(level, size) in &zones {
        tally.add(level, size);
    }
    let n_voxels = zones.iter().map(|&(_, s)| s).sum::<usize>();
    GlszmMatrix {
        zones: tally.finish(),
        n_voxels: if n_voxels == 0 { 1.0 } else { n_voxels as f64 },
    }
}

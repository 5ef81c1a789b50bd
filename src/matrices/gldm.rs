//! Grey Level Dependence Matrix as PyRadiomics' `cmatrices.calculate_gldm` + `RadiomicsGLDM`.

use super::Discretized;
use super::neighbours::{Neighbourhood, c_order, for_each_roi_voxel, shape_of};
use super::size_matrix::{SizeMatrix, SizeTally};
use crate::params::Settings;

/// The GLDM: `P(i, j)` = number of ROI voxels of grey level `i` with `j - 1` dependent neighbours
/// (`sizes` holds `j`, i.e. the dependent-neighbour count plus one).
pub type GldmMatrix = SizeMatrix;

/// Counts, for every ROI voxel, its dependent neighbours: ROI voxels at PyRadiomics'
/// bidirectional angles for `settings.distances` (in-plane under `force2D`) whose grey level
/// differs by at most `settings.gldm_a` (PyRadiomics passes `gldm_a` to C as an integer; integral
/// values compare identically here).
pub fn gldm_matrix(disc: &Discretized, settings: &Settings) -> GldmMatrix {
    let shape = shape_of(&disc.levels);
    let levels = c_order(&disc.levels);
    let mask = c_order(&disc.mask);
    let hood = Neighbourhood::bidirectional(shape, &settings.distances, settings);
    let alpha = settings.gldm_a;
    let mut tally = SizeTally::new(disc, hood.len() + 1);
    for_each_roi_voxel(shape, &mask, |i, position| {
        let level = levels[i];
        let mut dependent = 0;
        hood.for_each(position, i, |j| {
            if mask[j] && f64::from(level.abs_diff(levels[j])) <= alpha {
                dependent += 1;
            }
        });
        tally.add(level, dependent + 1);
    });
    tally.finish()
}

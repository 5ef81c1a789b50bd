//! Exact Euclidean distance transform with anisotropic spacing.
//!
//! For a set of feature voxels F, the squared distance of voxel p is
//! `D(p) = min over q in F of Σ_k ((p_k − q_k) · s_k)²`, with `s_k` the spacing of index axis k
//! (mm): the distance between voxel centres in physical space (the direction matrix is a
//! rotation and does not change it). It is computed by separable passes, one per axis, each
//! the lower envelope of parabolas of Felzenszwalb and Huttenlocher ("Distance transforms of
//! sampled functions", Theory of Computing 8, 2012): after the pass along axis k,
//! `D_k(p) = min over j of D_{k−1}(p with p_k = j) + ((p_k − j) · s_k)²`, starting from 0 on F and
//! +∞ elsewhere. The passes run along x, then y, then z, so a distance is summed in that order.
//! Without feature voxels (in a slice, for the in-plane transform) the distance is +∞.

use ndarray::{Array3, Axis};

use super::Volume;

/// Squared distance (mm²) from each voxel centre of `features`' grid to the nearest `true`
/// voxel centre; `in_plane` measures within each axial slice (numpy axis 0 fixed), so the z
/// spacing plays no part.
pub fn squared_distance_map(features: &Volume<bool>, in_plane: bool) -> Array3<f64> {
    let mut distance = features
        .voxels
        .mapv(|f| if f { 0.0 } else { f64::INFINITY });
    let spacing = features.geometry.spacing;
    // numpy axis 2 is x (ITK axis 0), axis 0 is z.
    let passes: &[(usize, f64)] = if in_plane {
        &[(2, spacing[0]), (1, spacing[1])]
    } else {
        &[(2, spacing[0]), (1, spacing[1]), (0, spacing[2])]
    };
    let mut envelope = Envelope::default();
    for &(axis, step) in passes {
        let mut line = Vec::new();
        for mut lane in distance.lanes_mut(Axis(axis)) {
            line.clear();
            line.extend(lane.iter().copied());
            envelope.transform(&line, step, |i, d| lane[i] = d);
        }
    }
    distance
}

/// Work space of the one-dimensional transform: the parabolas of the lower envelope.
#[derive(Default)]
struct Envelope {
    /// Sample index of each parabola's vertex.
    vertex: Vec<usize>,
    /// Position (mm) from which each parabola is the lowest (up to the next one's start).
    start: Vec<f64>,
}

impl Envelope {
    /// The one-dimensional squared distance transform of `f` (samples `step` mm apart):
    /// `out(i) = min over j of f(j) + ((i − j) · step)²`, handed to `out` for every `i`.
    fn transform(&mut self, f: &[f64], step: f64, mut out: impl FnMut(usize, f64)) {
        self.build(f, step);
        let mut k = 0;
        for i in 0..f.len() {
            if self.vertex.is_empty() {
                out(i, f64::INFINITY);
                continue;
            }
            let position = i as f64 * step;
            while k + 1 < self.vertex.len() && self.start[k + 1] < position {
                k += 1;
            }
            let v = self.vertex[k];
            let offset = (i as f64 - v as f64) * step;
            out(i, f[v] + offset * offset);
        }
    }

    /// The lower envelope of the parabolas `y = f(j) + (x − j · step)²` for finite `f(j)`.
    fn build(&mut self, f: &[f64], step: f64) {
        self.vertex.clear();
        self.start.clear();
        for (q, _) in f.iter().enumerate().filter(|(_, v)| v.is_finite()) {
            let mut from = f64::NEG_INFINITY;
            while let (Some(&v), Some(&v_start)) = (self.vertex.last(), self.start.last()) {
                from = intersection(f, step, v, q);
                if from > v_start {
                    break;
                }
                self.vertex.pop();
                self.start.pop();
                from = f64::NEG_INFINITY;
            }
            self.vertex.push(q);
            self.start.push(from);
        }
    }
}

/// Position (mm) where the parabola of sample `q` drops below that of sample `v < q`.
fn intersection(f: &[f64], step: f64, v: usize, q: usize) -> f64 {
    let (pv, pq) = (v as f64 * step, q as f64 * step);
    ((f[q] + pq * pq) - (f[v] + pv * pv)) / (2.0 * (pq - pv))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Geometry;
    use crate::test_random::random_u64s;

    /// The definition, by brute force over all pairs, summed in the transform's order (x, y, z).
    fn oracle(features: &Volume<bool>, in_plane: bool) -> Array3<f64> {
        let s = features.geometry.spacing;
        let sites: Vec<_> = features
            .voxels
            .indexed_iter()
            .filter(|(_, f)| **f)
            .map(|(i, _)| i)
            .collect();
        Array3::from_shape_fn(features.voxels.dim(), |(z, y, x)| {
            let d = |a: usize, b: usize, step: f64| (a as f64 - b as f64) * step;
            sites
                .iter()
                .filter(|&&(qz, _, _)| !in_plane || qz == z)
                .map(|&(qz, qy, qx)| {
                    let (dx, dy, dz) = (d(x, qx, s[0]), d(y, qy, s[1]), d(z, qz, s[2]));
                    (dx * dx + dy * dy) + dz * dz
                })
                .fold(f64::INFINITY, f64::min)
        })
    }

    fn random_volume(seed: u64, dim: (usize, usize, usize), per_mille: u64) -> Volume<bool> {
        let mut next = random_u64s(seed);
        Volume {
            voxels: Array3::from_shape_fn(dim, |_| (next() >> 33) % 1000 < per_mille),
            geometry: Geometry {
                spacing: [0.5, 1.25, 3.0],
                ..Geometry::identity()
            },
        }
    }

    #[test]
    fn equals_brute_force_on_random_anisotropic_masks() {
        for seed in 0..40 {
            let volume = random_volume(seed, (5, 9, 11), [3, 20, 150][seed as usize % 3]);
            for in_plane in [false, true] {
                assert_eq!(
                    squared_distance_map(&volume, in_plane),
                    oracle(&volume, in_plane),
                    "seed {seed}, in_plane {in_plane}"
                );
            }
        }
    }

    #[test]
    fn empty_set_is_infinitely_far() {
        let volume = random_volume(1, (2, 3, 4), 0);
        let d = squared_distance_map(&volume, false);
        assert!(d.iter().all(|v| *v == f64::INFINITY));
    }
}

//! Maximum pairwise distances between mesh vertices, as PyRadiomics' `cshape.c` defines them, without
//! its O(n²) search over every vertex.
//!
//! Vertices come as doubled grid indices (see [`crate::features::marching_cubes::Mesh::vertices`]); the
//! distance of a pair is computed exactly as cshape does, `((a0-b0)² + (a1-b1)²) + (a2-b2)²` on the
//! positions `index / 2 * spacing`. Pruning: with every coordinate but one fixed, that floating-point
//! distance is monotone in the distance along the free axis (rounding is monotone), so some pair reaching
//! the maximum uses, on each side, a vertex at an end of its grid line along that axis. Keeping only the
//! line ends therefore gives the identical maximum, also for pairs restricted to a plane containing the
//! line. The remaining points are searched by branch and bound over blocks with rigorous bounds on the
//! computed distance, which again finds the identical maximum.

use rayon::prelude::*;

/// The vertices at either end of each grid line along `axis` (all other doubled coordinates equal),
/// line by line.
pub fn line_ends<const D: usize>(vertices: &[[i32; D]], axis: usize) -> Vec<[i32; D]> {
    let key = |v: &[i32; D]| {
        let mut k = *v;
        k[axis] = 0;
        k
    };
    let mut sorted = vertices.to_vec();
    sorted.sort_unstable_by_key(|v| (key(v), v[axis]));
    let mut ends = Vec::new();
    for line in sorted.chunk_by(|a, b| key(a) == key(b)) {
        ends.push(line[0]);
        if line.len() > 1 {
            ends.push(line[line.len() - 1]);
        }
    }
    ends
}

/// Largest distance (mm) between two of `vertices` that share their doubled coordinate on `plane_axis`,
/// or between any two when `plane_axis` is `None`. 0 when there is no such pair. (cshape compares the
/// positions in mm; distinct doubled indices give distinct positions, so the planes are the same.)
pub fn max_distance<const D: usize>(
    vertices: &[[i32; D]],
    spacing: [f64; D],
    plane_axis: Option<usize>,
) -> f64 {
    let plane = |v: &[i32; D]| plane_axis.map_or(0, |axis| v[axis]);
    let mut sorted = vertices.to_vec();
    sorted.sort_by_cached_key(|v| (plane(v), morton(v)));
    let groups: Vec<&[[i32; D]]> = sorted.chunk_by(|a, b| plane(a) == plane(b)).collect();
    let max_sq = groups
        .par_iter()
        .map(|group| {
            let points: Vec<[f64; D]> = group
                .iter()
                .map(|v| std::array::from_fn(|d| f64::from(v[d]) * 0.5 * spacing[d]))
                .collect();
            max_pair_distance_sq(&points)
        })
        .reduce(|| 0.0, f64::max);
    max_sq.sqrt()
}

/// Position of a non-negative grid point along the Z-order curve (bits interleaved, axis 0 highest), so
/// that runs of consecutive points are spatially compact.
fn morton<const D: usize>(v: &[i32; D]) -> u64 {
    let bits = 64 / D as u32;
    let mut code = 0u64;
    for bit in (0..bits).rev() {
        for &c in v {
            code = (code << 1) | ((c.max(0) as u64 >> bit) & 1);
        }
    }
    code
}

/// The distance cshape computes: `((0 + (a0-b0)²) + (a1-b1)²) + …`.
fn distance_sq<const D: usize>(a: &[f64; D], b: &[f64; D]) -> f64 {
    (0..D).fold(0.0, |sum, d| {
        let diff = a[d] - b[d];
        sum + diff * diff
    })
}

/// A run of points with its bounding box.
struct Block<'a, const D: usize> {
    points: &'a [[f64; D]],
    lo: [f64; D],
    hi: [f64; D],
}

impl<'a, const D: usize> Block<'a, D> {
    fn new(points: &'a [[f64; D]]) -> Self {
        let mut lo = [f64::INFINITY; D];
        let mut hi = [f64::NEG_INFINITY; D];
        for p in points {
            for d in 0..D {
                lo[d] = lo[d].min(p[d]);
                hi[d] = hi[d].max(p[d]);
            }
        }
        Block { points, lo, hi }
    }

    /// An upper bound on [`distance_sq`] between a point of `self` and one of `other`. Rounding is
    /// monotone, so `|fl(a - b)| ≤ max(fl(hi_a - lo_b), fl(hi_b - lo_a))` per axis, and squaring and
    /// summing in the same order keep the bound.
    fn bound(&self, other: &Self) -> f64 {
        (0..D).fold(0.0, |sum, d| {
            let diff = (self.hi[d] - other.lo[d]).max(other.hi[d] - self.lo[d]);
            sum + diff * diff
        })
    }

    /// Largest [`distance_sq`] between a point of `self` and one of `other` (within `self` when they
    /// are the same block).
    fn farthest(&self, other: &Self, same: bool) -> f64 {
        let mut max: f64 = 0.0;
        for (i, a) in self.points.iter().enumerate() {
            let others = if same {
                &other.points[..i]
            } else {
                other.points
            };
            for b in others {
                max = max.max(distance_sq(a, b));
            }
        }
        max
    }
}

/// Largest squared distance between two of `points` (0 for fewer than two), given in a spatially
/// coherent order. Branch and bound over blocks of consecutive points: block pairs are visited by
/// decreasing upper bound until no remaining bound exceeds the best distance found, which is therefore
/// the exhaustive maximum.
fn max_pair_distance_sq<const D: usize>(points: &[[f64; D]]) -> f64 {
    let block_len = (points.len() as f64).sqrt().ceil().max(16.0) as usize;
    let blocks: Vec<Block<D>> = points.chunks(block_len).map(Block::new).collect();
    let mut pairs: Vec<(f64, usize, usize)> = (0..blocks.len())
        .flat_map(|i| (i..blocks.len()).map(move |j| (i, j)))
        .map(|(i, j)| (blocks[i].bound(&blocks[j]), i, j))
        .collect();
    pairs.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    let mut best: f64 = 0.0;
    for batch in pairs.chunks(32) {
        if batch[0].0 <= best {
            break;
        }
        let found = batch
            .par_iter()
            .filter(|&&(bound, _, _)| bound > best)
            .map(|&(_, i, j)| blocks[i].farthest(&blocks[j], i == j))
            .reduce(|| 0.0, f64::max);
        best = best.max(found);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_random::random_u64s;

    /// cshape's exhaustive search, for comparison.
    fn brute_force(vertices: &[[i32; 3]], spacing: [f64; 3], plane_axis: Option<usize>) -> f64 {
        let mut max: f64 = 0.0;
        for (i, a) in vertices.iter().enumerate() {
            for b in &vertices[..i] {
                if plane_axis.is_some_and(|axis| a[axis] != b[axis]) {
                    continue;
                }
                let pa = [0, 1, 2].map(|d| f64::from(a[d]) * 0.5 * spacing[d]);
                let pb = [0, 1, 2].map(|d| f64::from(b[d]) * 0.5 * spacing[d]);
                let sq = (0..3).fold(0.0, |s, d| s + (pa[d] - pb[d]) * (pa[d] - pb[d]));
                max = max.max(sq);
            }
        }
        max.sqrt()
    }

    /// Deterministic pseudo-random integers below `n`.
    fn generator(seed: u64) -> impl FnMut(u64) -> i32 {
        let mut next = random_u64s(seed);
        move |n| ((next() >> 33) % n) as i32
    }

    fn assert_pruned_search_is_exhaustive(vertices: &[[i32; 3]], spacing: [f64; 3]) {
        let ends_x = line_ends(vertices, 2);
        for plane in [None, Some(0), Some(1)] {
            assert_eq!(
                max_distance(&ends_x, spacing, plane),
                brute_force(vertices, spacing, plane)
            );
        }
        let ends_y = line_ends(vertices, 1);
        assert_eq!(
            max_distance(&ends_y, spacing, Some(2)),
            brute_force(vertices, spacing, Some(2))
        );
    }

    #[test]
    fn random_cloud_gives_the_exhaustive_maximum() {
        let mut next = generator(12345);
        let vertices: Vec<[i32; 3]> = (0..600).map(|_| [next(9), next(30), next(25)]).collect();
        assert_pruned_search_is_exhaustive(&vertices, [2.7, 0.6269531, 0.7812499999999999]);
    }

    #[test]
    fn sphere_shell_gives_the_exhaustive_maximum() {
        // Many near-ties: grid points within a thin shell of radius 40 (doubled units).
        let mut next = generator(777);
        let vertices: Vec<[i32; 3]> = (0..40000)
            .map(|_| [next(83), next(83), next(83)])
            .filter(|v| {
                let r2: i32 = v.iter().map(|c| (c - 41) * (c - 41)).sum();
                (1521..=1600).contains(&r2)
            })
            .collect();
        assert!(vertices.len() > 1000);
        assert_pruned_search_is_exhaustive(&vertices, [1.0, 1.0, 1.0]);
        assert_pruned_search_is_exhaustive(&vertices, [0.7, 0.3, 1.1]);
    }

    #[test]
    fn no_pair_gives_zero() {
        assert_eq!(max_distance(&[[1, 2]], [1.0, 1.0], None), 0.0);
        assert_eq!(max_distance::<3>(&[], [1.0; 3], Some(0)), 0.0);
    }
}

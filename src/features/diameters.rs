//! Maximum pairwise distances between mesh vertices, as PyRadiomics' `cshape.c` defines them, without
//! its O(n²) search over every vertex.
//!
//! Vertices come as doubled grid indices (see [`crate::features::marching_cubes::Mesh::vertices`]); the
//! distance of a pair is computed exactly as cshape does, `((a0-b0)² + (a1-b1)²) + (a2-b2)²` on the
//! positions `index / 2 * spacing`. Pruning: with every coordinate but one fixed, that floating-point
//! distance is monotone in the distance along the free axis (rounding is monotone), so some pair reaching
//! the maximum uses, on each side, a vertex at an end of its grid line along that axis. Keeping only the
//! line ends therefore gives the identical maximum, also for pairs restricted to a plane containing the
//! line.

use rayon::prelude::*;

/// The vertices at either end of each grid line along `axis` (all other doubled coordinates equal),
/// sorted by their coordinates.
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
/// or between any two when `plane_axis` is `None`. 0 when there is no such pair.
pub fn max_distance<const D: usize>(
    vertices: &[[i32; D]],
    spacing: [f64; D],
    plane_axis: Option<usize>,
) -> f64 {
    let mut sorted = vertices.to_vec();
    if let Some(axis) = plane_axis {
        sorted.sort_unstable_by_key(|v| v[axis]);
    }
    let same_plane = |a: &[i32; D], b: &[i32; D]| plane_axis.is_none_or(|axis| a[axis] == b[axis]);
    let max_sq = sorted
        .chunk_by(same_plane)
        .map(|group| {
            let points: Vec<[f64; D]> = group
                .iter()
                .map(|v| std::array::from_fn(|d| f64::from(v[d]) * 0.5 * spacing[d]))
                .collect();
            max_pair_distance_sq(&points)
        })
        .fold(0.0, f64::max);
    max_sq.sqrt()
}

/// Largest squared distance between two of `points` (0 for fewer than two).
fn max_pair_distance_sq<const D: usize>(points: &[[f64; D]]) -> f64 {
    let farthest_before = |i: usize| {
        let a = points[i];
        points[..i].iter().fold(0.0, |max: f64, b| {
            let sq = (0..D).fold(0.0, |sum, d| {
                let diff = a[d] - b[d];
                sum + diff * diff
            });
            max.max(sq)
        })
    };
    // Small groups (one plane of a slice diameter) are not worth splitting across threads.
    if points.len() < 512 {
        (0..points.len()).map(farthest_before).fold(0.0, f64::max)
    } else {
        (0..points.len())
            .into_par_iter()
            .map(farthest_before)
            .reduce(|| 0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn line_ends_give_the_exhaustive_maximum() {
        // A deterministic pseudo-random cloud of grid points.
        let mut state = 12345u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % n) as i32
        };
        let vertices: Vec<[i32; 3]> = (0..600).map(|_| [next(9), next(30), next(25)]).collect();
        let spacing = [2.7, 0.6269531, 0.7812499999999999];
        let ends_x = line_ends(&vertices, 2);
        for plane in [None, Some(0), Some(1)] {
            assert_eq!(
                max_distance(&ends_x, spacing, plane),
                brute_force(&vertices, spacing, plane)
            );
        }
        let ends_y = line_ends(&vertices, 1);
        assert_eq!(
            max_distance(&ends_y, spacing, Some(2)),
            brute_force(&vertices, spacing, Some(2))
        );
    }

    #[test]
    fn no_pair_gives_zero() {
        assert_eq!(max_distance(&[[1, 2]], [1.0, 1.0], None), 0.0);
        assert_eq!(max_distance::<3>(&[], [1.0; 3], Some(0)), 0.0);
    }
}

//! trimesh's `creation.icosphere(subdivisions, radius)` vertices, in trimesh's order and to the
//! bit (checked against trimesh 5.2.0), as PyRadiomics' LBP3D samples its spheres on them.
//!
//! trimesh starts from its stored icosahedron (12 vertices, 20 faces). Each subdivision appends
//! one midpoint `(a + b) / 2` per unique edge, the edges `(min, max)` ordered by `max`, then
//! `min` (the order its row hashing gives), splits every face in four, and then moves every
//! vertex `v` onto the sphere as `v + (v / s) · (radius − s)`, `s = √((x² + y²) + z²)`. Without
//! subdivision that last step is applied once.

use std::collections::BTreeSet;

/// trimesh's icosahedron vertices (unit circumradius, rounded as trimesh stores them).
const A: f64 = 0.5257311121191336;
const B: f64 = 0.85065080835204;
const VERTICES: [[f64; 3]; 12] = [
    [-A, B, 0.0],
    [A, B, 0.0],
    [-A, -B, 0.0],
    [A, -B, 0.0],
    [0.0, -A, B],
    [0.0, A, B],
    [0.0, -A, -B],
    [0.0, A, -B],
    [B, 0.0, -A],
    [B, 0.0, A],
    [-B, 0.0, -A],
    [-B, 0.0, A],
];
/// trimesh's icosahedron faces.
const FACES: [[usize; 3]; 20] = [
    [0, 11, 5],
    [0, 5, 1],
    [0, 1, 7],
    [0, 7, 10],
    [0, 10, 11],
    [1, 5, 9],
    [5, 11, 4],
    [11, 10, 2],
    [10, 7, 6],
    [7, 1, 8],
    [3, 9, 4],
    [3, 4, 2],
    [3, 2, 6],
    [3, 6, 8],
    [3, 8, 9],
    [4, 9, 5],
    [2, 4, 11],
    [6, 2, 10],
    [8, 6, 7],
    [9, 8, 1],
];

/// The vertices `(x, y, z)` of trimesh's icosphere with `subdivisions` subdivisions and `radius`:
/// `10 · 4^subdivisions + 2` points.
pub fn icosphere(subdivisions: usize, radius: f64) -> Vec<[f64; 3]> {
    let mut vertices = VERTICES.to_vec();
    let mut faces = FACES.to_vec();
    for _ in 0..subdivisions {
        (vertices, faces) = subdivide(vertices, &faces);
        to_radius(&mut vertices, radius);
    }
    if subdivisions == 0 {
        to_radius(&mut vertices, radius);
    }
    vertices
}

/// One 1-to-4 subdivision: midpoints appended per unique edge in trimesh's order.
fn subdivide(
    mut vertices: Vec<[f64; 3]>,
    faces: &[[usize; 3]],
) -> (Vec<[f64; 3]>, Vec<[usize; 3]>) {
    let edge = |a: usize, b: usize| (a.max(b), a.min(b));
    let edges: BTreeSet<(usize, usize)> = faces
        .iter()
        .flat_map(|&[a, b, c]| [edge(a, b), edge(b, c), edge(c, a)])
        .collect();
    let first = vertices.len();
    let index: std::collections::HashMap<(usize, usize), usize> = edges
        .iter()
        .enumerate()
        .map(|(k, &e)| (e, first + k))
        .collect();
    for &(hi, lo) in &edges {
        let (p, q) = (vertices[lo], vertices[hi]);
        vertices.push([0, 1, 2].map(|d| (p[d] + q[d]) / 2.0));
    }
    let new_faces = faces
        .iter()
        .flat_map(|&[a, b, c]| {
            let (m0, m1, m2) = (index[&edge(a, b)], index[&edge(b, c)], index[&edge(c, a)]);
            [[a, m0, m2], [m0, b, m1], [m2, m1, c], [m0, m1, m2]]
        })
        .collect();
    (vertices, new_faces)
}

/// trimesh's projection of every vertex onto the sphere of `radius`.
fn to_radius(vertices: &mut [[f64; 3]], radius: f64) {
    for v in vertices {
        let s = ((v[0] * v[0] + v[1] * v[1]) + v[2] * v[2]).sqrt();
        let step = radius - s;
        for c in v.iter_mut() {
            *c += (*c / s) * step;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_radius() {
        for (sub, n) in [(0, 12), (1, 42), (2, 162), (3, 642)] {
            let v = icosphere(sub, 1.5);
            assert_eq!(v.len(), n);
            for p in &v {
                let r = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
                assert!((r - 1.5).abs() < 1e-14);
            }
        }
    }

    #[test]
    fn first_midpoint_is_trimesh_s() {
        // trimesh 5.2.0: icosphere(1, 1).vertices[12] is the midpoint of edge (0, 1) projected.
        let v = icosphere(1, 1.0);
        assert_eq!(v[12], [0.0, 1.0, 0.0]);
    }
}

//! Marching cubes over a binary mask, as PyRadiomics' `cshape.c` runs it: the isosurface vertices lie
//! halfway along every cube edge whose two corners differ, and PyRadiomics' own triangle table (128
//! configurations; a cube with corner 7 set is looked up complemented, with its volume sign flipped)
//! gives outward-facing triangles. From the mesh come the signed-tetrahedron volume and the surface area;
//! the distinct edge midpoints are kept for the maximum diameters.

use ndarray::Array3;
use rayon::prelude::*;

/// Corner offsets `(z, y, x)` of the marching cube; bit `i` of a cube index is corner `i`.
const CORNERS: [[usize; 3]; 8] = [
    [0, 0, 0],
    [0, 0, 1],
    [0, 1, 1],
    [0, 1, 0],
    [1, 0, 0],
    [1, 0, 1],
    [1, 1, 1],
    [1, 1, 0],
];

/// Midpoint `(z, y, x)` of each cube edge, relative to the cube origin. Edges 0-3 join corners
/// (1,0) (2,1) (3,2) (3,0); edges 4-7 join (5,4) (6,5) (7,6) (7,4); edges 8-11 join (4,0) (5,1) (6,2) (7,3).
const EDGE_MIDPOINTS: [[f64; 3]; 12] = [
    [0.0, 0.0, 0.5],
    [0.0, 0.5, 1.0],
    [0.0, 1.0, 0.5],
    [0.0, 0.5, 0.0],
    [1.0, 0.0, 0.5],
    [1.0, 0.5, 1.0],
    [1.0, 1.0, 0.5],
    [1.0, 0.5, 0.0],
    [0.5, 0.0, 0.0],
    [0.5, 0.0, 1.0],
    [0.5, 1.0, 1.0],
    [0.5, 1.0, 0.0],
];

/// Triangles (as edge numbers, counter-clockwise seen from outside) for cube indices 0-127, transcribed
/// from PyRadiomics' `triTable` (`radiomics/src/cshape.c`).
#[rustfmt::skip]
const TRIANGLES: [&[[u8; 3]]; 128] = [
    &[],
    &[[0, 8, 3]],
    &[[1, 9, 0]],
    &[[1, 8, 3], [1, 9, 8]],
    &[[1, 2, 10]],
    &[[0, 8, 3], [1, 2, 10]],
    &[[9, 2, 10], [0, 2, 9]],
    &[[2, 8, 3], [2, 10, 8], [10, 9, 8]],
    &[[11, 2, 3]],
    &[[11, 2, 0], [0, 8, 11]],
    &[[1, 9, 0], [11, 2, 3]],
    &[[11, 2, 1], [1, 9, 11], [9, 8, 11]],
    &[[3, 10, 1], [11, 10, 3]],
    &[[10, 1, 0], [0, 8, 10], [8, 11, 10]],
    &[[9, 0, 3], [3, 11, 9], [11, 10, 9]],
    &[[9, 8, 10], [11, 10, 8]],
    &[[4, 7, 8]],
    &[[0, 4, 3], [4, 7, 3]],
    &[[1, 9, 0], [4, 7, 8]],
    &[[1, 9, 4], [1, 4, 7], [1, 7, 3]],
    &[[1, 2, 10], [4, 7, 8]],
    &[[3, 4, 7], [3, 0, 4], [1, 2, 10]],
    &[[9, 2, 10], [9, 0, 2], [4, 7, 8]],
    &[[2, 10, 9], [2, 9, 7], [2, 7, 3], [4, 7, 9]],
    &[[4, 7, 8], [11, 2, 3]],
    &[[11, 4, 7], [11, 2, 4], [2, 0, 4]],
    &[[1, 9, 0], [4, 7, 8], [11, 2, 3]],
    &[[4, 7, 11], [9, 4, 11], [11, 2, 9], [1, 9, 2]],
    &[[3, 10, 1], [11, 10, 3], [4, 7, 8]],
    &[[11, 10, 1], [1, 4, 11], [1, 0, 4], [4, 7, 11]],
    &[[4, 7, 8], [9, 0, 3], [3, 11, 9], [11, 10, 9]],
    &[[4, 7, 11], [4, 11, 9], [9, 11, 10]],
    &[[9, 5, 4]],
    &[[9, 5, 4], [0, 8, 3]],
    &[[0, 5, 4], [0, 1, 5]],
    &[[8, 5, 4], [8, 3, 5], [3, 1, 5]],
    &[[1, 2, 10], [9, 5, 4]],
    &[[0, 8, 3], [1, 2, 10], [9, 5, 4]],
    &[[2, 10, 5], [5, 4, 2], [2, 4, 0]],
    &[[2, 10, 5], [3, 2, 5], [3, 5, 4], [8, 3, 4]],
    &[[9, 5, 4], [11, 2, 3]],
    &[[11, 2, 0], [0, 8, 11], [9, 5, 4]],
    &[[0, 5, 4], [0, 1, 5], [11, 2, 3]],
    &[[2, 1, 5], [2, 5, 8], [11, 2, 8], [5, 4, 8]],
    &[[3, 10, 1], [11, 10, 3], [9, 5, 4]],
    &[[5, 4, 9], [10, 1, 0], [0, 8, 10], [8, 11, 10]],
    &[[5, 4, 0], [5, 0, 11], [10, 5, 11], [11, 0, 3]],
    &[[5, 4, 8], [10, 5, 8], [11, 10, 8]],
    &[[7, 8, 9], [5, 7, 9]],
    &[[3, 0, 9], [5, 3, 9], [3, 5, 7]],
    &[[7, 8, 0], [0, 1, 7], [7, 1, 5]],
    &[[1, 5, 7], [1, 7, 3]],
    &[[7, 8, 9], [5, 7, 9], [1, 2, 10]],
    &[[1, 2, 10], [3, 0, 9], [3, 9, 5], [3, 5, 7]],
    &[[0, 2, 8], [8, 2, 5], [8, 5, 7], [2, 10, 5]],
    &[[2, 10, 5], [2, 5, 3], [3, 5, 7]],
    &[[5, 7, 9], [7, 8, 9], [11, 2, 3]],
    &[[5, 7, 9], [9, 7, 2], [2, 0, 9], [11, 2, 7]],
    &[[11, 2, 3], [0, 1, 8], [1, 7, 8], [1, 5, 7]],
    &[[2, 1, 11], [1, 7, 11], [1, 5, 7]],
    &[[7, 8, 9], [5, 7, 9], [3, 10, 1], [11, 10, 3]],
    &[[5, 7, 0], [5, 0, 9], [7, 11, 0], [10, 1, 0], [11, 10, 0]],
    &[[11, 10, 0], [0, 3, 11], [10, 5, 0], [0, 7, 8], [5, 7, 0]],
    &[[11, 10, 5], [5, 7, 11]],
    &[[6, 5, 10]],
    &[[0, 8, 3], [6, 5, 10]],
    &[[1, 9, 0], [6, 5, 10]],
    &[[1, 8, 3], [1, 9, 8], [6, 5, 10]],
    &[[1, 6, 5], [1, 2, 6]],
    &[[1, 6, 5], [1, 2, 6], [0, 8, 3]],
    &[[9, 6, 5], [9, 0, 6], [0, 2, 6]],
    &[[5, 9, 8], [5, 8, 2], [5, 2, 6], [8, 3, 2]],
    &[[11, 2, 3], [6, 5, 10]],
    &[[11, 2, 0], [0, 8, 11], [6, 5, 10]],
    &[[1, 9, 0], [11, 2, 3], [6, 5, 10]],
    &[[11, 2, 1], [1, 9, 11], [9, 8, 11], [6, 5, 10]],
    &[[6, 3, 11], [6, 5, 3], [5, 1, 3]],
    &[[0, 8, 11], [0, 11, 5], [0, 5, 1], [5, 11, 6]],
    &[[6, 3, 11], [0, 3, 6], [0, 6, 5], [0, 5, 9]],
    &[[6, 5, 9], [6, 9, 11], [11, 9, 8]],
    &[[4, 7, 8], [6, 5, 10]],
    &[[0, 4, 3], [4, 7, 3], [6, 5, 10]],
    &[[1, 9, 0], [4, 7, 8], [6, 5, 10]],
    &[[1, 9, 4], [1, 4, 7], [1, 7, 3], [6, 5, 10]],
    &[[4, 7, 8], [1, 6, 5], [1, 2, 6]],
    &[[0, 4, 3], [4, 7, 3], [1, 6, 5], [1, 2, 6]],
    &[[4, 7, 8], [9, 6, 5], [9, 0, 6], [0, 2, 6]],
    &[[7, 3, 9], [4, 7, 9], [3, 2, 9], [5, 9, 6], [2, 6, 9]],
    &[[11, 2, 3], [4, 7, 8], [6, 5, 10]],
    &[[11, 4, 7], [11, 2, 4], [2, 0, 4], [6, 5, 10]],
    &[[1, 9, 0], [11, 2, 3], [4, 7, 8], [6, 5, 10]],
    &[[4, 7, 11], [9, 4, 11], [11, 2, 9], [1, 9, 2], [6, 5, 10]],
    &[[4, 7, 8], [6, 3, 11], [6, 5, 3], [5, 1, 3]],
    &[[5, 1, 11], [5, 11, 6], [1, 0, 11], [4, 7, 11], [0, 4, 11]],
    &[[4, 7, 8], [6, 3, 11], [0, 3, 6], [0, 6, 5], [0, 5, 9]],
    &[[6, 5, 9], [6, 9, 11], [4, 7, 9], [7, 11, 9]],
    &[[10, 4, 9], [6, 4, 10]],
    &[[10, 4, 9], [6, 4, 10], [0, 8, 3]],
    &[[0, 1, 10], [10, 6, 0], [6, 4, 0]],
    &[[1, 8, 3], [1, 6, 8], [8, 6, 4], [6, 1, 10]],
    &[[1, 4, 9], [1, 2, 4], [2, 6, 4]],
    &[[1, 4, 9], [1, 2, 4], [2, 6, 4], [0, 8, 3]],
    &[[0, 2, 4], [4, 2, 6]],
    &[[8, 3, 2], [8, 2, 4], [4, 2, 6]],
    &[[11, 2, 3], [10, 4, 9], [6, 4, 10]],
    &[[11, 2, 0], [0, 8, 11], [10, 4, 9], [6, 4, 10]],
    &[[11, 2, 3], [0, 1, 10], [10, 6, 0], [6, 4, 0]],
    &[[6, 4, 1], [6, 1, 10], [1, 4, 8], [11, 2, 1], [1, 8, 11]],
    &[[9, 6, 4], [3, 6, 9], [1, 3, 9], [11, 6, 3]],
    &[[1, 8, 11], [0, 8, 1], [11, 6, 1], [1, 4, 9], [6, 4, 1]],
    &[[6, 3, 11], [0, 3, 6], [6, 4, 0]],
    &[[8, 6, 4], [6, 8, 11]],
    &[[6, 7, 10], [7, 8, 10], [8, 9, 10]],
    &[[6, 7, 10], [0, 10, 7], [0, 9, 10], [0, 7, 3]],
    &[[6, 7, 10], [1, 10, 7], [1, 7, 8], [0, 1, 8]],
    &[[6, 7, 10], [1, 10, 7], [1, 7, 3]],
    &[[1, 2, 6], [1, 6, 8], [1, 8, 9], [6, 7, 8]],
    &[[2, 6, 9], [1, 2, 9], [6, 7, 9], [3, 0, 9], [7, 3, 9]],
    &[[0, 7, 8], [7, 0, 6], [6, 0, 2]],
    &[[2, 7, 3], [2, 6, 7]],
    &[[11, 2, 3], [6, 7, 10], [7, 8, 10], [8, 9, 10]],
    &[[2, 0, 7], [11, 2, 7], [0, 9, 7], [6, 7, 10], [9, 10, 7]],
    &[[6, 7, 10], [1, 10, 7], [1, 7, 8], [0, 1, 8], [11, 2, 3]],
    &[[11, 2, 1], [1, 7, 11], [10, 6, 1], [1, 6, 7]],
    &[[8, 9, 6], [6, 7, 8], [1, 6, 9], [11, 6, 3], [1, 3, 6]],
    &[[0, 9, 1], [6, 7, 11]],
    &[[0, 7, 8], [7, 0, 6], [0, 3, 11], [11, 6, 0]],
    &[[6, 7, 11]],
];

/// The measures PyRadiomics takes from the mesh of a mask.
#[derive(Clone, Debug)]
pub struct Mesh {
    /// Sum of the triangle areas, in mm².
    pub surface_area: f64,
    /// Sum of the signed volumes of the tetrahedra spanned by each triangle and the origin, in mm³.
    pub volume: f64,
    /// Every distinct mesh vertex as a doubled voxel index `(2z, 2y, 2x)` of the padded grid (so edge
    /// midpoints are integers); its position in mm is `index / 2 * spacing` per axis.
    pub vertices: Vec<[i32; 3]>,
}

/// Runs marching cubes over `padded` (numpy `(z, y, x)` order; its outer layer must be all false) with
/// voxel `spacing` in the same `(z, y, x)` order.
pub fn mesh(padded: &Array3<bool>, spacing: [f64; 3]) -> Mesh {
    let voxels = padded.as_standard_layout();
    let voxels = voxels.as_slice().unwrap_or_default();
    let (nz, ny, nx) = padded.dim();
    // Flat offsets of the cube corners from the cube origin.
    let corner_offsets = CORNERS.map(|[dz, dy, dx]| (dz * ny + dy) * nx + dx);
    // One layer of cubes per task; the layers' sums are added in z order, as cshape adds them.
    let layers: Vec<Mesh> = (0..nz.saturating_sub(1))
        .into_par_iter()
        .map(|iz| {
            let mut layer = Mesh {
                surface_area: 0.0,
                volume: 0.0,
                vertices: Vec::new(),
            };
            for iy in 0..ny.saturating_sub(1) {
                for ix in 0..nx.saturating_sub(1) {
                    let origin = (iz * ny + iy) * nx + ix;
                    let corner = |c: usize| voxels[origin + corner_offsets[c]];
                    let mut index = (0..8).fold(0u8, |acc, c| acc | (u8::from(corner(c)) << c));
                    if index == 0 {
                        continue;
                    }
                    // Each grid edge belongs to the one cube whose corner 7 it touches (edges 6, 7
                    // and 11 join corner 7 to corners 6, 4 and 3); the edges no cube owns lie in the
                    // background outer layer.
                    for (edge, other) in [(6, 6), (7, 4), (11, 3)] {
                        if corner(7) != corner(other) {
                            layer.vertices.push(doubled_midpoint([iz, iy, ix], edge));
                        }
                    }
                    let sign = if index & 0x80 != 0 {
                        index ^= 0xff;
                        -1.0
                    } else {
                        1.0
                    };
                    for triangle in TRIANGLES[usize::from(index)] {
                        let [a, b, c] = triangle.map(|e| position([iz, iy, ix], e, spacing));
                        layer.volume += sign * dot(cross(a, b), c);
                        layer.surface_area += 0.5 * norm(cross(sub(a, c), sub(b, c)));
                    }
                }
            }
            layer
        })
        .collect();
    let mut mesh = Mesh {
        surface_area: 0.0,
        volume: 0.0,
        vertices: Vec::with_capacity(layers.iter().map(|l| l.vertices.len()).sum()),
    };
    for layer in layers {
        mesh.surface_area += layer.surface_area;
        mesh.volume += layer.volume;
        mesh.vertices.extend(layer.vertices);
    }
    mesh.volume /= 6.0;
    mesh
}

/// Position in mm of the midpoint of `edge` of the cube at `origin`, as `(origin + midpoint) * spacing`.
fn position(origin: [usize; 3], edge: u8, spacing: [f64; 3]) -> [f64; 3] {
    let m = EDGE_MIDPOINTS[usize::from(edge)];
    [0, 1, 2].map(|d| (origin[d] as f64 + m[d]) * spacing[d])
}

/// Doubled grid index of the midpoint of `edge` of the cube at `origin`.
fn doubled_midpoint(origin: [usize; 3], edge: usize) -> [i32; 3] {
    let m = EDGE_MIDPOINTS[edge];
    [0, 1, 2].map(|d| 2 * origin[d] as i32 + (2.0 * m[d]) as i32)
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - b[1] * a[2],
        a[2] * b[0] - b[2] * a[0],
        a[0] * b[1] - b[0] * a[1],
    ]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn norm(a: [f64; 3]) -> f64 {
    dot(a, a).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn padded(shape: (usize, usize, usize), voxels: &[[usize; 3]]) -> Array3<bool> {
        let mut m = Array3::from_elem(shape, false);
        for &[z, y, x] in voxels {
            m[[z, y, x]] = true;
        }
        m
    }

    #[test]
    fn single_voxel_is_an_octahedron() {
        let m = mesh(&padded((3, 3, 3), &[[1, 1, 1]]), [1.0, 1.0, 1.0]);
        // Octahedron with vertices at distance 1/2 along each axis: volume 1/6, area 8 * sqrt(3)/8.
        assert!((m.volume - 1.0 / 6.0).abs() < 1e-15);
        assert!((m.surface_area - 3f64.sqrt()).abs() < 1e-15);
        assert_eq!(m.vertices.len(), 6);
    }

    #[test]
    fn block_volume_is_positive_and_scales_with_spacing() {
        let voxels: Vec<_> = (1..3)
            .flat_map(|z| (1..4).flat_map(move |y| (1..3).map(move |x| [z, y, x])))
            .collect();
        let unit = mesh(&padded((4, 5, 4), &voxels), [1.0, 1.0, 1.0]);
        let scaled = mesh(&padded((4, 5, 4), &voxels), [2.0, 3.0, 0.5]);
        assert!(unit.volume > 0.0);
        assert!((scaled.volume - 3.0 * unit.volume).abs() < 1e-12);
    }
}

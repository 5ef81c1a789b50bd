//! Marching squares over a binary 2D mask, as PyRadiomics' `cshape.c` runs it for `shape2D`: contour
//! vertices lie halfway along every square edge whose two corners differ; PyRadiomics' line table gives
//! consistently oriented segments, so the signed triangles they span with the origin sum to the enclosed
//! area.

use ndarray::Array2;

/// Corner offsets `(y, x)` of the marching square; bit `i` of a square index is corner `i`.
const CORNERS: [[usize; 2]; 4] = [[0, 0], [0, 1], [1, 1], [1, 0]];

/// Midpoint `(y, x)` of each square edge: edges join corners (0,1) (1,2) (2,3) (3,0).
const EDGE_MIDPOINTS: [[f64; 2]; 4] = [[0.0, 0.5], [0.5, 1.0], [1.0, 0.5], [0.5, 0.0]];

/// Segments (pairs of edge numbers) for square indices 0-15, transcribed from PyRadiomics'
/// `lineTable2D` (`radiomics/src/cshape.c`).
const SEGMENTS: [&[[u8; 2]]; 16] = [
    &[],
    &[[3, 0]],
    &[[0, 1]],
    &[[3, 1]],
    &[[1, 2]],
    &[[1, 2], [3, 0]],
    &[[0, 2]],
    &[[3, 2]],
    &[[2, 3]],
    &[[2, 0]],
    &[[0, 1], [2, 3]],
    &[[2, 1]],
    &[[1, 3]],
    &[[1, 0]],
    &[[0, 3]],
    &[],
];

/// The measures PyRadiomics takes from the contour of a 2D mask.
#[derive(Clone, Debug)]
pub struct Contour {
    /// Total segment length, in mm.
    pub perimeter: f64,
    /// Enclosed area: half the sum of the signed cross products of the segment end points, in mm².
    pub surface: f64,
    /// Every distinct contour vertex as a doubled pixel index `(2y, 2x)` of the padded grid; its
    /// position in mm is `index / 2 * spacing` per axis.
    pub vertices: Vec<[i32; 2]>,
}

/// Runs marching squares over `padded` (`(y, x)` order; its outer layer must be all false) with pixel
/// `spacing` in the same order.
pub fn contour(padded: &Array2<bool>, spacing: [f64; 2]) -> Contour {
    let (ny, nx) = padded.dim();
    let mut perimeter = 0.0;
    let mut surface = 0.0;
    let mut vertices = Vec::new();
    for iy in 0..ny.saturating_sub(1) {
        for ix in 0..nx.saturating_sub(1) {
            let corner = |c: usize| padded[[iy + CORNERS[c][0], ix + CORNERS[c][1]]];
            let index = (0..4).fold(0usize, |acc, c| acc | (usize::from(corner(c)) << c));
            for segment in SEGMENTS[index] {
                let [a, b] = segment.map(|e| {
                    let m = EDGE_MIDPOINTS[usize::from(e)];
                    [
                        (iy as f64 + m[0]) * spacing[0],
                        (ix as f64 + m[1]) * spacing[1],
                    ]
                });
                surface += a[0] * b[1] - b[0] * a[1];
                let (dy, dx) = (a[0] - b[0], a[1] - b[1]);
                perimeter += (dy * dy + dx * dx).sqrt();
            }
            // Each grid edge belongs to the one square whose corner 3 it touches (edges 3 and 2
            // join corner 3 to corners 0 and 2); the edges no square owns lie in the background
            // outer layer.
            for (edge, other) in [(3, 0), (2, 2)] {
                if corner(3) != corner(other) {
                    let m = EDGE_MIDPOINTS[edge];
                    vertices.push([
                        2 * iy as i32 + (2.0 * m[0]) as i32,
                        2 * ix as i32 + (2.0 * m[1]) as i32,
                    ]);
                }
            }
        }
    }
    Contour {
        perimeter,
        surface: surface / 2.0,
        vertices,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_pixel_is_a_diamond() {
        let mut m = Array2::from_elem((3, 3), false);
        m[[1, 1]] = true;
        let c = contour(&m, [2.0, 1.0]);
        // Diamond with half-diagonals 1 (y) and 0.5 (x): area 1, side sqrt(1.25).
        assert!((c.surface - 1.0).abs() < 1e-15);
        assert!((c.perimeter - 4.0 * 1.25f64.sqrt()).abs() < 1e-14);
        assert_eq!(c.vertices.len(), 4);
    }
}

//! Physical point → continuous index, bit for bit as SimpleITK's
//! `TransformPhysicalPointToContinuousIndex` (ITK inverts `direction · diag(spacing)` with
//! `vnl_svd`), on random oblique, reflected, near-axis-aligned, axis-aligned and float32-rounded
//! directions, 3D and 2D (a 2D image's geometry held with a third axis e_z gives SimpleITK's 2D
//! indices) (fixtures/geometry/index_cases.json, made by make_index_cases.py). Resampling and
//! mask correction decide on which side of a voxel boundary a point falls from these indices.

mod common;
use common::fixtures;

use radiome::image::Geometry;
use radiome::image::resample::IndexMap;
use serde::Deserialize;

/// One geometry and its points; every value is an f64 bit pattern.
#[derive(Deserialize)]
struct IndexCase {
    kind: String,
    /// Row-major, as `GetDirection()`.
    direction: Vec<u64>,
    spacing: Vec<u64>,
    origin: Vec<u64>,
    /// Points, three coordinates each.
    points: Vec<u64>,
    /// SimpleITK's continuous index of each point.
    indices: Vec<u64>,
}

fn triple(bits: &[u64]) -> [f64; 3] {
    std::array::from_fn(|i| f64::from_bits(bits[i]))
}

#[test]
fn continuous_indices_match_simpleitk_bit_for_bit() {
    let path = fixtures().join("geometry/index_cases.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let cases: Vec<IndexCase> = serde_json::from_str(&text).unwrap();
    let mut compared = 0;
    let mut differing = Vec::new();
    for case in &cases {
        let geometry = Geometry {
            spacing: triple(&case.spacing),
            origin: triple(&case.origin),
            direction: std::array::from_fn(|r| triple(&case.direction[3 * r..])),
        };
        let map = IndexMap::new(&geometry).unwrap();
        for (point, expected) in case.points.chunks(3).zip(case.indices.chunks(3)) {
            let got = map.continuous_index(triple(point));
            let expected = triple(expected);
            compared += 1;
            if got.map(f64::to_bits) != expected.map(f64::to_bits) {
                differing.push(format!("{}: {got:?} != {expected:?}", case.kind));
            }
        }
    }
    assert!(compared >= 400, "{compared}");
    assert!(differing.is_empty(), "{}", differing.join("\n"));
}

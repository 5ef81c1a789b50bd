//! LoG against SimpleITK's LaplacianRecursiveGaussianImageFilter on small random volumes and 2D
//! images (fixtures/log-filters/log_cases.json, made by make_log_cases.py).

mod common;
use common::fixtures;

use ndarray::Array3;
use radiome::filters::log::log_image;
use radiome::filters::recursive_gaussian::PassBuffers;
use radiome::image::bbox::BoundingBox;
use radiome::image::{Dimensionality, Geometry, Volume};
use serde::Deserialize;

#[derive(Deserialize)]
struct LogCase {
    dtype: String,
    /// A 2D image has a third size of 1.
    size: [usize; 3],
    /// 2 for a 2D image, else 3.
    dims: usize,
    spacing: [f64; 3],
    sigma: f64,
    /// f64 bit patterns.
    input: Vec<u64>,
    /// f64 bit patterns.
    output: Vec<u64>,
}

fn fixture(name: &str) -> String {
    let path = fixtures().join("log-filters").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The box covering every voxel of `volume`.
fn whole(volume: &Volume<f64>) -> BoundingBox {
    BoundingBox {
        lower: [0; 3],
        upper: volume.size().map(|n| n - 1),
    }
}

fn bits(v: &[u64]) -> Vec<f64> {
    v.iter().map(|&b| f64::from_bits(b)).collect()
}

#[test]
fn log_matches_simpleitk() {
    let cases: Vec<LogCase> = serde_json::from_str(&fixture("log_cases.json")).unwrap();
    // One set of pass buffers for every case, as for the sigmas of one image: what a pass
    // leaves in them must not reach the next case's values.
    let mut buffers = PassBuffers::default();
    for case in cases {
        let [nx, ny, nz] = case.size;
        let geometry = Geometry {
            spacing: case.spacing,
            ..Geometry::identity()
        };
        let volume = Volume {
            voxels: Array3::from_shape_vec((nz, ny, nx), bits(&case.input)).unwrap(),
            geometry,
        };
        let dimensionality = match case.dims {
            2 => Dimensionality::Two,
            _ => Dimensionality::Three,
        };
        let got = log_image(
            &volume,
            case.sigma,
            &whole(&volume),
            dimensionality,
            &mut buffers,
        )
        .unwrap();
        let expected = bits(&case.output);
        let range = expected.iter().fold(0f64, |m, v| m.max(v.abs()));
        let mut worst = 0f64;
        let mut differing = 0;
        for (g, e) in got.voxels.iter().zip(&expected) {
            worst = worst.max((g - e).abs());
            differing += usize::from(g != e);
        }
        eprintln!(
            "{} {:?} sigma {}: {differing} voxels differ, max |diff| {worst:e} (range {range:e})",
            case.dtype, case.size, case.sigma
        );
        assert_eq!(
            differing, 0,
            "{} {:?} sigma {}",
            case.dtype, case.size, case.sigma
        );
    }
}

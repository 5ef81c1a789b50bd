//! Square, SquareRoot, Logarithm, Exponential, Gradient and LBP2D against PyRadiomics 3.1's own
//! filter functions on small random volumes (fixtures/log-filters/simple_cases.json, made by
//! make_simple_cases.py).

mod common;
use common::fixture_json;

use ndarray::Array3;
use radiome::filters::gradient::gradient_image;
use radiome::filters::lbp2d::{LbpMethod, lbp2d_image};
use radiome::filters::point::{
    exponential_image, logarithm_image, square_image, square_root_image,
};
use radiome::image::{Geometry, PixelType, Volume};
use serde::Deserialize;

#[derive(Deserialize)]
struct Output {
    name: String,
    settings: serde_json::Map<String, serde_json::Value>,
    pixel_type: String,
    voxels: Vec<u64>,
}

#[derive(Deserialize)]
struct Case {
    dtype: String,
    size: [usize; 3],
    spacing: [f64; 3],
    input: Vec<u64>,
    outputs: Vec<Output>,
}

fn pixel_type(dtype: &str) -> PixelType {
    match dtype {
        "int16" => PixelType::I16,
        "uint8" => PixelType::U8,
        "float32" => PixelType::F32,
        "float64" => PixelType::F64,
        other => panic!("unexpected dtype {other}"),
    }
}

fn bits(v: &[u64]) -> Vec<f64> {
    v.iter().map(|&b| f64::from_bits(b)).collect()
}

/// Largest difference in units of the last place of the expected value (0 when bit-equal,
/// NaN matching NaN).
fn max_ulps(got: &Volume<f64>, expected: &[f64]) -> f64 {
    got.voxels.iter().zip(expected).fold(0f64, |m, (&g, &e)| {
        if g == e || (g.is_nan() && e.is_nan()) {
            m
        } else {
            let ulp = f64::from_bits(e.abs().to_bits() + 1) - e.abs();
            m.max((g - e).abs() / ulp)
        }
    })
}

#[test]
fn simple_filters_match_pyradiomics() {
    let cases: Vec<Case> =
        serde_json::from_value(fixture_json("log-filters/simple_cases.json")).unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let [nx, ny, nz] = case.size;
        let image = Volume {
            voxels: Array3::from_shape_vec((nz, ny, nx), bits(&case.input)).unwrap(),
            geometry: Geometry {
                spacing: case.spacing,
                ..Geometry::identity()
            },
        };
        let ptype = pixel_type(&case.dtype);
        for out in &case.outputs {
            let s = &out.settings;
            let got = match out.name.as_str() {
                "square" => square_image(&image),
                "squareroot" => square_root_image(&image),
                "logarithm" => logarithm_image(&image),
                "exponential" => exponential_image(&image),
                "gradient" => {
                    gradient_image(&image, s["gradientUseSpacing"].as_bool().unwrap()).unwrap()
                }
                "lbp-2D" => lbp2d_image(
                    &image,
                    ptype,
                    s.get("lbp2DRadius").map_or(1.0, |v| v.as_f64().unwrap()),
                    s.get("lbp2DSamples")
                        .map_or(8, |v| v.as_u64().unwrap() as usize),
                    LbpMethod::from_name(
                        s.get("lbp2DMethod")
                            .map_or("uniform", |v| v.as_str().unwrap()),
                    )
                    .unwrap(),
                    s.get("force2Ddimension")
                        .map_or(0, |v| v.as_u64().unwrap() as usize),
                )
                .unwrap(),
                other => panic!("unexpected image type {other}"),
            };
            let ulps = max_ulps(&got, &bits(&out.voxels));
            eprintln!(
                "{} {} {:?} ({}): max {ulps} ulp",
                case.dtype, out.name, s, out.pixel_type
            );
            // Bit-equal, except numpy's own log/exp, which may differ from the platform's libm
            // by one unit in the last place.
            let allowed = if matches!(out.name.as_str(), "logarithm" | "exponential") {
                2.0
            } else {
                0.0
            };
            if ulps > allowed {
                failures.push(format!("{} {} {:?}: {ulps} ulp", case.dtype, out.name, s));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

//! Every filter of this area on PyRadiomics' breast1 case against the cropped filtered images
//! PyRadiomics 3.1 hands to its feature classes (fixtures/log-filters/breast1_filtered.json, made
//! by make_breast1.py from pyrad-dump.py output of wavelet_log.yaml's LoG and simple_filters.yaml).

use std::io::Read;

use ndarray::{Array3, s};
use radiome::filters::gradient::gradient_image;
use radiome::filters::lbp2d::{LbpMethod, lbp2d_image};
use radiome::filters::log::{log_image, log_image_name};
use radiome::filters::point::{
    exponential_image, logarithm_image, square_image, square_root_image,
};
use radiome::image::{Geometry, PixelType, Volume};
use serde::Deserialize;

#[derive(Deserialize)]
struct Filtered {
    name: String,
    start: [usize; 3],
    size: [usize; 3],
    /// f64 bit patterns, (z, y, x) order.
    voxels: Vec<u64>,
}

/// Just enough NRRD for breast1_image.nrrd: a gzip-encoded little-endian `short` volume with
/// axis-aligned space directions.
fn read_short_nrrd(path: &str) -> Volume<f64> {
    let bytes = std::fs::read(path).unwrap();
    let split = bytes.windows(2).position(|w| w == b"\n\n").unwrap();
    let header = std::str::from_utf8(&bytes[..split]).unwrap();
    let field = |key: &str| {
        header
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}: ")))
            .unwrap_or_else(|| panic!("{path}: no {key}"))
    };
    assert_eq!(
        (field("type"), field("encoding"), field("endian")),
        ("short", "gzip", "little")
    );
    let sizes: Vec<usize> = field("sizes")
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    let directions: Vec<Vec<f64>> = field("space directions")
        .split_whitespace()
        .map(|v| {
            v.trim_matches(|c| c == '(' || c == ')')
                .split(',')
                .map(|x| x.parse().unwrap())
                .collect()
        })
        .collect();
    let spacing: [f64; 3] =
        std::array::from_fn(|i| directions[i].iter().map(|x| x * x).sum::<f64>().sqrt());
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(&bytes[split + 2..])
        .read_to_end(&mut raw)
        .unwrap();
    let values: Vec<f64> = raw
        .chunks(2)
        .map(|b| f64::from(i16::from_le_bytes([b[0], b[1]])))
        .collect();
    Volume {
        voxels: Array3::from_shape_vec((sizes[2], sizes[1], sizes[0]), values).unwrap(),
        geometry: Geometry {
            spacing,
            ..Geometry::identity()
        },
    }
}

#[test]
fn breast1_filtered_images_match_pyradiomics() {
    let root = env!("CARGO_MANIFEST_DIR");
    let image = read_short_nrrd(&format!(
        "{root}/fixtures/pyradiomics-data/breast1_image.nrrd"
    ));
    let json =
        std::fs::read_to_string(format!("{root}/fixtures/log-filters/breast1_filtered.json"))
            .unwrap();
    let entries: Vec<Filtered> = serde_json::from_str(&json).unwrap();
    let mut names = Vec::new();
    for e in &entries {
        let whole = match e.name.as_str() {
            "square" => square_image(&image),
            "squareroot" => square_root_image(&image),
            "logarithm" => logarithm_image(&image),
            "exponential" => exponential_image(&image),
            "gradient" => gradient_image(&image, true).unwrap(),
            "lbp-2D" => lbp2d_image(&image, PixelType::I16, 1.0, 8, LbpMethod::Uniform, 0).unwrap(),
            log => {
                let sigma = [1.0, 3.0, 5.0]
                    .into_iter()
                    .find(|&s| log_image_name(s) == log)
                    .unwrap();
                log_image(&image, sigma).unwrap()
            }
        };
        let [x0, y0, z0] = e.start;
        let [nx, ny, nz] = e.size;
        let crop = whole
            .voxels
            .slice(s![z0..z0 + nz, y0..y0 + ny, x0..x0 + nx]);
        let mut worst_rel = 0f64;
        let mut differing = 0;
        for (&g, &bits) in crop.iter().zip(&e.voxels) {
            let expected = f64::from_bits(bits);
            if g != expected {
                differing += 1;
                worst_rel = worst_rel.max(((g - expected) / expected).abs());
            }
        }
        eprintln!(
            "{}: {differing} of {} voxels differ, max relative {worst_rel:e}",
            e.name,
            e.voxels.len()
        );
        // numpy's exp may differ from the platform's libm by one unit in the last place.
        let allowed = if e.name == "exponential" { 3e-16 } else { 0.0 };
        assert!(worst_rel <= allowed, "{}", e.name);
        names.push(e.name.clone());
    }
    assert_eq!(names.len(), 9);
}

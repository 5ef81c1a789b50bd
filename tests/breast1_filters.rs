//! Every filter of this area on PyRadiomics' breast1 case against the cropped filtered images
//! PyRadiomics 3.1 hands to its feature classes (fixtures/log-filters/breast1_filtered.json, made
//! by make_breast1.py from pyrad-dump.py output of wavelet_log.yaml's LoG and simple_filters.yaml).

mod common;

use common::{data, fixture_json};
use ndarray::s;
use radiome::filters::gradient::gradient_image;
use radiome::filters::lbp2d::{LbpMethod, lbp2d_image};
use radiome::filters::log::{log_image, log_image_name};
use radiome::filters::point::{
    exponential_image, logarithm_image, square_image, square_root_image,
};
use radiome::filters::recursive_gaussian::PassBuffers;
use radiome::image::bbox::BoundingBox;
use radiome::image::{Dimensionality, PixelType, Volume};
use radiome::io::read_image;
use serde::Deserialize;

#[derive(Deserialize)]
struct Filtered {
    name: String,
    start: [usize; 3],
    size: [usize; 3],
    /// f64 bit patterns, (z, y, x) order.
    voxels: Vec<u64>,
}

#[test]
fn breast1_filtered_images_match_pyradiomics() {
    let image = read_image(&data().join("breast1_image.nrrd"))
        .expect("breast1 image")
        .volume;
    let entries: Vec<Filtered> =
        serde_json::from_value(fixture_json("log-filters/breast1_filtered.json")).unwrap();
    let mut names = Vec::new();
    let mut buffers = PassBuffers::default();
    for e in &entries {
        let [x0, y0, z0] = e.start;
        let [nx, ny, nz] = e.size;
        let region = BoundingBox {
            lower: e.start,
            upper: [x0 + nx - 1, y0 + ny - 1, z0 + nz - 1],
        };
        let cut = |whole: Volume<f64>| {
            whole
                .voxels
                .slice(s![z0..z0 + nz, y0..y0 + ny, x0..x0 + nx])
                .to_owned()
        };
        let crop = match e.name.as_str() {
            "square" => cut(square_image(&image)),
            "squareroot" => cut(square_root_image(&image)),
            "logarithm" => cut(logarithm_image(&image)),
            "exponential" => cut(exponential_image(&image)),
            "gradient" => cut(gradient_image(&image, true).unwrap()),
            "lbp-2D" => {
                cut(lbp2d_image(&image, PixelType::I16, 1.0, 8, LbpMethod::Uniform, 0).unwrap())
            }
            log => {
                let sigma = [1.0, 3.0, 5.0]
                    .into_iter()
                    .find(|&s| log_image_name(s) == log)
                    .unwrap();
                // The LoG computes just the region.
                log_image(&image, sigma, &region, Dimensionality::Three, &mut buffers)
                    .unwrap()
                    .voxels
            }
        };
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

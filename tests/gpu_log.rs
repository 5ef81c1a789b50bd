//! The LoG image type on the GPU against the CPU reference, voxel by voxel: in f64 within
//! relative 1e-9 on at least 99.9% of the voxels, in f32 (`RADIOME_GPU_PRECISION=f32`) within
//! 1e-4 on at least 99%. Each comparison prints its share within tolerance and its largest
//! relative error (`--nocapture`); docs/parity.md records them. Without an adapter these tests
//! skip, unless `RADIOME_REQUIRE_GPU=1` makes that a failure.

mod common;

use std::process::Command;
use std::sync::Arc;

use common::{data, gpu};
use ndarray::Array3;
use radiome::filters::log::log_image;
use radiome::filters::recursive_gaussian::PassBuffers;
use radiome::gpu::{Gpu, Precision, log};
use radiome::image::bbox::BoundingBox;
use radiome::image::source::Element;
use radiome::image::{Dimensionality, Geometry, Volume};
use radiome::io::{read_image, read_mask};

/// The relative tolerance of `precision` and the share of voxels that must meet it.
fn tolerance(precision: Precision) -> (f64, f64) {
    match precision {
        Precision::F64 => (1e-9, 0.999),
        Precision::F32 => (1e-4, 0.99),
    }
}

/// Comparisons of the GPU's LoG with the CPU's, and those short of the share within tolerance.
struct Parity {
    gpu: Arc<Gpu>,
    failures: Vec<String>,
}

impl Parity {
    /// Compares the GPU's LoG of `image` with the CPU's and prints the share of voxels within
    /// tolerance and the largest relative error.
    fn check<E: Element>(
        &mut self,
        what: &str,
        image: &Volume<E>,
        (sigma, region): (f64, &BoundingBox),
        dimensionality: Dimensionality,
    ) {
        let mut buffers = PassBuffers::default();
        let on_cpu = log_image(image, sigma, region, dimensionality, &mut buffers)
            .unwrap_or_else(|e| panic!("{what}: CPU: {e}"));
        let on_gpu = log::log_image(&self.gpu, image, sigma, region, dimensionality)
            .unwrap_or_else(|e| panic!("{what}: GPU: {e}"));
        assert_eq!(on_gpu.geometry, on_cpu.geometry, "{what}");
        assert_eq!(on_gpu.voxels.dim(), on_cpu.voxels.dim(), "{what}");
        assert!(on_cpu.voxels.iter().any(|&v| v != 0.0), "{what}: all zero");
        let pairs = || on_gpu.voxels.iter().zip(&on_cpu.voxels);
        let errors: Vec<f64> = pairs()
            .map(|(&g, &c)| if g == c { 0.0 } else { (g - c).abs() / c.abs() })
            .collect();
        let (relative, share) = tolerance(self.gpu.precision);
        let within = errors.iter().filter(|&&e| e <= relative).count();
        let fraction = within as f64 / errors.len() as f64;
        let largest = errors.iter().copied().fold(0.0, f64::max);
        let identical = pairs().filter(|(g, c)| g.to_bits() == c.to_bits()).count();
        eprintln!(
            "{what} ({:?}): {within}/{} voxels within {relative:e} ({:.3}%), {identical} \
             bit-identical, largest relative error {largest:.2e}",
            self.gpu.precision,
            errors.len(),
            100.0 * fraction
        );
        if fraction < share {
            self.failures
                .push(format!("{what}: {fraction} within {relative:e}"));
        }
    }

    /// Fails listing every comparison short of the share within tolerance.
    fn assert(self) {
        assert!(self.failures.is_empty(), "{:#?}", self.failures);
    }
}

/// A random image of pseudo-random values in `-range..range` with an oblique, anisotropic
/// geometry.
fn random_image(
    shape: (usize, usize, usize),
    spacing: [f64; 3],
    range: f64,
    seed: u64,
) -> Volume<f64> {
    let mut random = common::random_u64s(seed);
    let mut next = move || (random() >> 11) as f64 / (1u64 << 53) as f64;
    Volume {
        voxels: Array3::from_shape_fn(shape, |_| range * (2.0 * next() - 1.0)),
        geometry: Geometry {
            spacing,
            origin: [4.0, -7.5, 12.25],
            direction: [[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 1.0]],
        },
    }
}

/// A box from `lower` to `upper` (x, y, z).
fn bbox(lower: [usize; 3], upper: [usize; 3]) -> BoundingBox {
    BoundingBox { lower, upper }
}

#[test]
fn log_of_random_images_matches_the_cpu() {
    let Some(gpu) = gpu(false) else { return };
    let mut parity = Parity {
        gpu,
        failures: Vec::new(),
    };
    let volume = random_image((9, 14, 12), [0.7, 1.1, 2.5], 1000.0, 1);
    let int16 = Volume {
        voxels: volume.voxels.mapv(|v| v.round() as i16),
        geometry: volume.geometry.clone(),
    };
    let (inner, whole) = (bbox([3, 2, 1], [9, 10, 6]), bbox([0; 3], [11, 13, 8]));
    for sigma in [0.8, 1.5, 3.0] {
        let what = format!("3D f64 sigma {sigma}, inner box");
        parity.check(&what, &volume, (sigma, &inner), Dimensionality::Three);
        let what = format!("3D int16 sigma {sigma}, whole image");
        parity.check(&what, &int16, (sigma, &whole), Dimensionality::Three);
    }
    let planar = random_image((1, 40, 36), [0.6, 0.9, 1.0], 500.0, 2);
    let region = bbox([4, 6, 0], [31, 35, 0]);
    for sigma in [0.5, 2.0] {
        let what = format!("2D sigma {sigma}");
        parity.check(&what, &planar, (sigma, &region), Dimensionality::Two);
    }
    parity.assert();
}

#[test]
fn log_of_breast1_matches_the_cpu() {
    let Some(gpu) = gpu(false) else { return };
    let mut parity = Parity {
        gpu,
        failures: Vec::new(),
    };
    let image = read_image(&data().join("breast1_image.nrrd")).expect("breast1 image");
    let mask = read_mask(&data().join("breast1_label.nrrd"), 0).expect("breast1 mask");
    let mask = Volume {
        voxels: mask.volume.voxels.mapv(|v| v == 1.0),
        geometry: mask.volume.geometry,
    };
    let region = BoundingBox::of_mask(&mask).expect("a labelled region");
    for sigma in [1.0, 3.0, 5.0] {
        let what = format!("breast1 sigma {sigma}, mask's bounding box");
        parity.check(
            &what,
            &image.volume,
            (sigma, &region),
            Dimensionality::Three,
        );
    }
    let whole = bbox([0; 3], image.volume.size().map(|n| n - 1));
    let what = "breast1 sigma 2, whole image";
    parity.check(what, &image.volume, (2.0, &whole), Dimensionality::Three);
    parity.assert();
}

/// The tests above once more in f32, in a child process (the precision is chosen when the
/// process opens its GPU).
#[test]
fn log_in_forced_f32_matches_the_cpu() {
    let Some(gpu) = gpu(false) else { return };
    if gpu.precision == Precision::F32 {
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["log_of_", "--nocapture", "--test-threads=1"])
        .env("RADIOME_GPU_PRECISION", "f32")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{stderr}");
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("(F32)"), "{stderr}");
}

/// Several sigmas in one submission (`log::log_images`, as a LoG image type runs) give each
/// sigma's image bit for bit as it alone does, in order.
#[test]
fn sigmas_in_one_submission_are_each_sigma_alone() {
    let Some(gpu) = gpu(false) else { return };
    let volume = random_image((9, 14, 12), [0.7, 1.1, 2.5], 1000.0, 3);
    let region = bbox([3, 2, 1], [9, 10, 6]);
    let sigmas = [0.8, 3.0, 1.5];
    let three_d = Dimensionality::Three;
    let together = log::log_images(&gpu, &volume, &sigmas, &region, three_d).unwrap();
    assert_eq!(together.len(), sigmas.len());
    for (sigma, image) in sigmas.iter().zip(&together) {
        let alone = log::log_image(&gpu, &volume, *sigma, &region, three_d).unwrap();
        assert_eq!(image.geometry, alone.geometry, "sigma {sigma}");
        let bits = |v: &Volume<f64>| v.voxels.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(image), bits(&alone), "sigma {sigma}");
    }
    assert_ne!(together[0].voxels, together[1].voxels);
}

//! CPU against GPU on a synthetic breast-sized MR case (352 × 352 × 160 voxels of 0.7 × 0.7 ×
//! 1 mm, a spherical tumour ROI of about 40,000 voxels): each texture-matrix family on the
//! discretised ROI, the discretisation of the ROI, the LoG image (sigma 3 mm) of the tumour's bounding box from the whole image,
//! and the whole case with the `wavelet_log` configuration (Original + 8
//! wavelet sub-bands + LoG 1/3/5 mm, every class, bin width 25), alone and as a batch of 16 run
//! side by side on one backend.
//!
//! `cargo bench --bench gpu`; without a GPU adapter only the CPU runs. `benches/gpu-device.sh`
//! runs it on a GPU machine from a binary built beforehand.

use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ndarray::{Array3, s};
use radiome::Extractor;
use radiome::backend::{Backend, DeviceChoice, FilterJob, PointFilter, select_backend};
use radiome::filters::point::max_abs;
use radiome::image::bbox::BoundingBox;
use radiome::image::crop::crop;
use radiome::image::source::SourceImage;
use radiome::image::{Dimensionality, Geometry, Image, PixelType, Volume};
use radiome::matrices::discretize::roi_bin_edges;
use radiome::matrices::{Discretized, discretize};
use radiome::params::{Params, TextureSettings};
use rayon::prelude::*;

/// Image size `(nz, ny, nx)`.
const SHAPE: (usize, usize, usize) = (160, 352, 352);
/// Spacing `(x, y, z)` in mm.
const SPACING: [f64; 3] = [0.7, 0.7, 1.0];
/// Tumour radius in voxels: 4/3 π 21.2³ ≈ 40,000 voxels.
const RADIUS: f64 = 21.2;

/// A smooth tissue background with a brighter tumour and deterministic noise, as MR-like
/// integers (0 to about 1000).
fn synthetic_image() -> Array3<f64> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let centre = [
        SHAPE.0 as f64 / 2.0,
        SHAPE.1 as f64 / 2.0,
        SHAPE.2 as f64 / 2.0,
    ];
    Array3::from_shape_fn(SHAPE, |(z, y, x)| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let noise = (state >> 40) as f64 / (1u64 << 24) as f64 * 120.0;
        let tissue = 300.0 + 150.0 * ((x as f64 / 17.0).sin() * (y as f64 / 23.0).cos());
        let r = distance([z, y, x], centre);
        let tumour = if r <= RADIUS { 350.0 - 4.0 * r } else { 0.0 };
        (tissue + tumour + noise + 20.0 * (z as f64 / 11.0).sin()).round()
    })
}

fn distance(p: [usize; 3], centre: [f64; 3]) -> f64 {
    (0..3)
        .map(|a| (p[a] as f64 - centre[a]).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// The tumour: voxels within [`RADIUS`] of the image centre.
fn synthetic_mask() -> Array3<bool> {
    let centre = [
        SHAPE.0 as f64 / 2.0,
        SHAPE.1 as f64 / 2.0,
        SHAPE.2 as f64 / 2.0,
    ];
    Array3::from_shape_fn(SHAPE, |(z, y, x)| distance([z, y, x], centre) <= RADIUS)
}

fn as_image(voxels: Array3<f64>, pixel_type: PixelType) -> Image {
    let geometry = Geometry {
        spacing: SPACING,
        ..Geometry::identity()
    };
    Image {
        volume: Volume { voxels, geometry },
        pixel_type,
    }
}

/// The discretised tumour, cropped to its bounding box.
/// The tumour's bounding box (with a voxel of margin) of the image and the mask.
fn roi_box(image: &Array3<f64>, mask: &Array3<bool>) -> (Array3<f64>, Array3<bool>) {
    let half = RADIUS.ceil() as isize + 1;
    let box_of = |n: usize| {
        let c = n as isize / 2;
        (c - half) as usize..(c + half + 1) as usize
    };
    let (z, y, x) = (box_of(SHAPE.0), box_of(SHAPE.1), box_of(SHAPE.2));
    let crop = s![z, y, x];
    (image.slice(crop).to_owned(), mask.slice(crop).to_owned())
}

fn discretised_roi(
    image: &Array3<f64>,
    mask: &Array3<bool>,
    settings: &TextureSettings,
) -> Discretized {
    let (image, mask) = roi_box(image, mask);
    discretize(&image, &mask, settings, PixelType::I16).unwrap()
}

/// The CPU and, when there is an adapter, the GPU (named on stderr).
fn backends() -> Vec<(&'static str, Box<dyn Backend>)> {
    let mut backends = vec![("cpu", select_backend(DeviceChoice::Cpu).unwrap().0)];
    match select_backend(DeviceChoice::Gpu) {
        Ok((gpu, picked)) => {
            eprintln!("GPU: {picked}");
            backends.push(("gpu", gpu));
        }
        Err(e) => eprintln!("no GPU, CPU only: {e}"),
    }
    backends
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The cases of the batch bench.
const BATCH: usize = 16;

fn bench_gpu(c: &mut Criterion) {
    let (image, mask) = (synthetic_image(), synthetic_mask());
    let params = Params::from_file(fixtures().join("pyradiomics-configs/wavelet_log.yaml"));
    let params = params.unwrap();
    let settings = params.settings().texture.clone();
    let disc = discretised_roi(&image, &mask, &settings);
    let spacing = SPACING;
    let backends = backends();
    let mut kernels = c.benchmark_group("kernels");
    kernels.sample_size(10);
    for (device, backend) in &backends {
        let id = |family: &str| BenchmarkId::new(family, device);
        kernels.bench_function(id("glcm"), |b| {
            b.iter(|| backend.glcm(&disc, spacing, &settings).unwrap())
        });
        kernels.bench_function(id("glrlm"), |b| {
            b.iter(|| backend.glrlm(&disc, spacing, &settings).unwrap())
        });
        kernels.bench_function(id("glszm"), |b| {
            b.iter(|| backend.glszm(&disc, &settings).unwrap())
        });
        kernels.bench_function(id("gldm"), |b| {
            b.iter(|| backend.gldm(&disc, &settings).unwrap())
        });
        kernels.bench_function(id("ngtdm"), |b| {
            b.iter(|| backend.ngtdm(&disc, &settings).unwrap())
        });
    }
    let (roi_image, roi_mask) = roi_box(&image, &mask);
    let edges = roi_bin_edges(&roi_image, &roi_mask, &settings, PixelType::I16).unwrap();
    for (device, backend) in &backends {
        kernels.bench_function(BenchmarkId::new("discretise", device), |b| {
            b.iter(|| backend.discretise(&roi_image, &roi_mask, &edges).unwrap())
        });
    }
    let geometry = as_image(Array3::zeros((1, 1, 1)), PixelType::I16)
        .volume
        .geometry;
    let tumour = Volume {
        voxels: mask.clone(),
        geometry: geometry.clone(),
    };
    let tumour = BoundingBox::of_mask(&tumour).unwrap();
    let source = SourceImage::I16(Volume {
        voxels: image.mapv(|v| v as i16),
        geometry,
    });
    for (device, backend) in &backends {
        let job = FilterJob::Log {
            image: &source,
            sigma_mm: 3.0,
            place: (&tumour, Dimensionality::Three),
        };
        kernels.bench_function(BenchmarkId::new("log_sigma_3", device), |b| {
            b.iter(|| run_filter(&**backend, &job))
        });
    }
    kernels.finish();
    let image = as_image(image, PixelType::I16);
    let mask = as_image(mask.mapv(f64::from), PixelType::U8);
    let mut case = c.benchmark_group("breast_sized_case");
    case.sample_size(10);
    for (device, backend) in backends {
        let extractor = Extractor::new(params.clone()).with_backend(backend);
        case.bench_function(BenchmarkId::new("wavelet_log", device), |b| {
            b.iter(|| extractor.extract(&image, &mask).unwrap())
        });
        // BATCH cases side by side on the one backend, as a cohort runs them.
        let batch = format!("wavelet_log_batch_{BATCH}");
        case.bench_function(BenchmarkId::new(batch, device), |b| {
            b.iter(|| {
                (0..BATCH)
                    .into_par_iter()
                    .map(|_| extractor.extract(&image, &mask).unwrap())
                    .count()
            })
        });
    }
    case.finish();
}

/// The GPU filter families on the synthetic image, CPU against GPU, on the tumour's bounding box
/// (as the pipeline computes them): the wavelet sub-bands (coif1, as `wavelet_log`), `square`,
/// and the gradient magnitude.
fn bench_filters(c: &mut Criterion) {
    let image = as_image(synthetic_image(), PixelType::I16);
    let params = Params::from_file(fixtures().join("pyradiomics-configs/wavelet_log.yaml"));
    let params = params.unwrap();
    let half = RADIUS.ceil() as usize + 1;
    let centre = [SHAPE.2 / 2, SHAPE.1 / 2, SHAPE.0 / 2];
    let region = BoundingBox {
        lower: centre.map(|c| c - half),
        upper: centre.map(|c| c + half),
    };
    let source = SourceImage::from(&image);
    let part = crop(&image.volume, region.lower, region.upper);
    let m = max_abs(&image.volume);
    let mut filters = c.benchmark_group("filters");
    filters.sample_size(10);
    for (device, backend) in &backends() {
        let id = |family: &str| BenchmarkId::new(family, device);
        let place = (&region, Dimensionality::Three);
        let jobs = [
            (
                "wavelet",
                FilterJob::Wavelet {
                    image: &source,
                    settings: params.settings(),
                    place,
                },
            ),
            (
                "square",
                FilterJob::Point {
                    filter: PointFilter::Square,
                    part: &part,
                    m,
                    max_log: 0.0,
                },
            ),
            (
                "gradient",
                FilterJob::Gradient {
                    image: &part,
                    use_spacing: true,
                },
            ),
        ];
        for (family, job) in &jobs {
            filters.bench_function(id(family), |b| b.iter(|| run_filter(&**backend, job)));
        }
    }
    filters.finish();
}

/// Runs one filter job on `backend`, its images dropped as they come.
fn run_filter(backend: &dyn Backend, job: &FilterJob) {
    let jobs = std::slice::from_ref(job);
    backend.run_filters(jobs, &mut |_, _, _| Ok(())).unwrap()
}

criterion_group!(benches, bench_gpu, bench_filters);
criterion_main!(benches);

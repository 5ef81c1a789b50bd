//! The filter kernels on the GPU (wavelet, point filters, gradient) against the CPU reference,
//! on small pseudo-random images, on whatever adapter the machine offers (Mesa's lavapipe in
//! CI); without one they skip, unless `RADIOME_REQUIRE_GPU=1` makes that a failure.
//!
//! In f64 every value is within 1e-12 of the CPU's, relative to the largest absolute value of its
//! image (the GPU adds the same products in the same order; only a fused multiply-add where the
//! CPU rounds twice may change the last bits). In f32 (an f32 device, or float32 images, which
//! PyWavelets transforms in float32) the bound is 1e-5.

mod common;

use common::gpu;

use ndarray::Array3;
use radiome::filters::{gradient, point, wavelet};
use radiome::gpu::{self as device, Gpu, GpuError};
use radiome::image::bbox::BoundingBox;
use radiome::image::source::SourceImage;
use radiome::image::{Dimensionality, Geometry, Image, PixelType, Volume};
use radiome::params::{FilterSettings, Settings, TextureSettings, Wavelet};

/// A volume of pseudo-random integer-valued voxels in `-400..400` (as an int16 image holds them),
/// with an anisotropic geometry.
fn random_volume((nz, ny, nx): (usize, usize, usize), seed: u64) -> Volume<f64> {
    let mut next = common::random_u64s(seed);
    let voxels =
        Array3::from_shape_simple_fn((nz, ny, nx), || ((next() >> 33) % 800) as f64 - 400.0);
    Volume {
        voxels,
        geometry: Geometry {
            spacing: [0.7, 1.3, 2.5],
            ..Geometry::identity()
        },
    }
}

/// Asserts that `gpu` is `cpu` within `tolerance` relative to `cpu`'s largest absolute value
/// (same shape and geometry).
fn assert_close(cpu: &Volume<f64>, gpu: &Volume<f64>, tolerance: f64, what: &str) {
    assert_eq!(cpu.geometry, gpu.geometry, "{what}");
    assert_eq!(cpu.voxels.dim(), gpu.voxels.dim(), "{what}");
    let scale = cpu.voxels.iter().fold(0f64, |m, v| m.max(v.abs()));
    for (c, g) in cpu.voxels.iter().zip(&gpu.voxels) {
        assert!(
            (c - g).abs() <= tolerance * scale,
            "{what}: cpu {c}, gpu {g}"
        );
    }
}

/// The CPU's sub-bands of `image` cropped to `region`, in order.
fn cpu_sub_bands(
    image: &SourceImage,
    settings: &Settings,
    region: &BoundingBox,
    dimensionality: Dimensionality,
) -> Vec<(String, Volume<f64>)> {
    let mut bands = Vec::new();
    let SourceImage::Widened(widened) = image else {
        unreachable!("the tests' images are widened")
    };
    wavelet::wavelet_images(
        &widened.volume,
        image.pixel_type(),
        settings,
        region,
        dimensionality,
        |name, band| {
            bands.push((name.to_string(), band));
            Ok(())
        },
    )
    .unwrap();
    bands
}

/// Wavelet settings: `name`, `start_level`, `level`, and `force2D` along `force_2d`.
fn wavelet_settings(
    name: &str,
    start_level: usize,
    level: usize,
    force_2d: Option<usize>,
) -> Settings {
    Settings {
        filters: FilterSettings {
            wavelet: Wavelet::from_name(name).unwrap(),
            start_level,
            level,
            ..FilterSettings::default()
        },
        texture: TextureSettings {
            force_2d: force_2d.is_some(),
            force_2d_dimension: force_2d.unwrap_or(0),
            ..TextureSettings::default()
        },
        ..Settings::default()
    }
}

/// Every sub-band the GPU computes is the CPU's, by name, in order, within `tolerance`.
fn check_wavelet(gpu: &Gpu, pixel_type: PixelType, tolerance: f64) {
    let shape = (7, 9, 10);
    let whole = random_volume(shape, 11);
    let image = SourceImage::from(Image {
        volume: whole,
        pixel_type,
    });
    let boxes = [
        ([2, 3, 1], [6, 5, 4]),
        ([0, 0, 0], [9, 8, 6]),
        ([9, 8, 6], [9, 8, 6]),
    ];
    let cases = [
        ("haar", 0, 1, None),
        ("coif1", 0, 1, None),
        ("haar", 1, 2, None),
        ("db3", 0, 2, Some(0)),
        ("bior2.2", 1, 1, Some(2)),
        ("sym4", 0, 1, None),
    ];
    for (k, &(name, start, level, force_2d)) in cases.iter().enumerate() {
        let settings = wavelet_settings(name, start, level, force_2d);
        let (lower, upper) = boxes[k % boxes.len()];
        let region = BoundingBox { lower, upper };
        let three = Dimensionality::Three;
        let on_cpu = cpu_sub_bands(&image, &settings, &region, three);
        let on_gpu = device::wavelet::wavelet_images(gpu, &image, &settings, &region, three)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let names = |bands: &[(String, Volume<f64>)]| -> Vec<String> {
            bands.iter().map(|(n, _)| n.clone()).collect()
        };
        assert_eq!(names(&on_cpu), names(&on_gpu), "{name}");
        for ((band, cpu), (_, gpu)) in on_cpu.iter().zip(&on_gpu) {
            let what = format!("{name} start {start} level {level} {pixel_type:?} {band}");
            assert_close(cpu, gpu, tolerance, &what);
        }
    }
}

/// The machine's GPU when it computes in f64 (else the test skips, saying why).
fn f64_gpu() -> Option<std::sync::Arc<Gpu>> {
    let gpu = gpu(false)?;
    if gpu.precision != device::Precision::F64 {
        eprintln!("skipped: {} computes in f32", gpu.adapter.name);
        return None;
    }
    Some(gpu)
}

#[test]
fn wavelet_sub_bands_equal_the_cpu_in_f64() {
    let Some(gpu) = f64_gpu() else { return };
    check_wavelet(&gpu, PixelType::I16, 1e-12);
}

#[test]
fn wavelet_sub_bands_of_float32_images_are_computed_in_f32() {
    let Some(gpu) = gpu(false) else { return };
    check_wavelet(&gpu, PixelType::F32, 1e-5);
}

#[test]
fn wavelet_sub_bands_on_an_f32_device_are_within_f32_rounding() {
    let Some(gpu) = gpu(true) else { return };
    assert_eq!(gpu.precision, device::Precision::F32);
    check_wavelet(&gpu, PixelType::I16, 1e-5);
}

/// The whole decomposition goes to the device in one round (the image uploaded once, every pass
/// of every level run on the device, only the sub-bands and the last approximation read back),
/// and in f64 every sub-band is the CPU's bit for bit.
#[test]
fn a_two_level_wavelet_is_one_round_and_the_cpus_bits_in_f64() {
    if f64_gpu().is_none() {
        return;
    }
    // A device of its own, so that no other test's rounds are counted.
    let gpu = Gpu::open_with(true, false).unwrap();
    let image = SourceImage::from(Image {
        volume: random_volume((9, 11, 10), 7),
        pixel_type: PixelType::I16,
    });
    let region = BoundingBox {
        lower: [2, 3, 1],
        upper: [7, 8, 6],
    };
    let three = Dimensionality::Three;
    for (start, name) in [(0, "coif1"), (1, "db2")] {
        let settings = wavelet_settings(name, start, 2, None);
        let on_cpu = cpu_sub_bands(&image, &settings, &region, three);
        let before = gpu.queue_submissions();
        let on_gpu =
            device::wavelet::wavelet_images(&gpu, &image, &settings, &region, three).unwrap();
        assert_eq!(gpu.queue_submissions() - before, 1, "{name}: rounds");
        assert_eq!(on_gpu.len(), 15, "{name}");
        for ((band, cpu), (gpu_band, gpu)) in on_cpu.iter().zip(&on_gpu) {
            assert_eq!(band, gpu_band);
            assert_eq!(cpu.geometry, gpu.geometry, "{band}");
            let bits =
                |v: &Volume<f64>| -> Vec<u64> { v.voxels.iter().map(|x| x.to_bits()).collect() };
            assert_eq!(cpu.voxels.dim(), gpu.voxels.dim(), "{band}");
            assert_eq!(bits(cpu), bits(gpu), "{name} start {start}: {band}");
        }
    }
}

/// A 2D image (one slice) is transformed in its plane: four sub-bands.
#[test]
fn wavelet_of_a_2d_image_has_four_sub_bands() {
    let Some(gpu) = gpu(false) else { return };
    let image = SourceImage::from(Image {
        volume: random_volume((1, 9, 8), 5),
        pixel_type: PixelType::I16,
    });
    let settings = wavelet_settings("coif1", 0, 1, None);
    let region = BoundingBox {
        lower: [1, 2, 0],
        upper: [5, 7, 0],
    };
    let two = Dimensionality::Two;
    let on_cpu = cpu_sub_bands(&image, &settings, &region, two);
    let on_gpu = device::wavelet::wavelet_images(&gpu, &image, &settings, &region, two).unwrap();
    assert_eq!(on_gpu.len(), 4);
    for ((name, cpu), (gpu_name, gpu)) in on_cpu.iter().zip(&on_gpu) {
        assert_eq!(name, gpu_name);
        assert_close(cpu, gpu, 1e-5, name);
    }
}

/// Settings the CPU rejects are declined, so that the CPU reports them.
#[test]
fn wavelet_settings_the_cpu_rejects_are_declined() {
    let Some(gpu) = gpu(false) else { return };
    let image = SourceImage::from(Image {
        volume: random_volume((4, 4, 4), 1),
        pixel_type: PixelType::I16,
    });
    let settings = wavelet_settings("haar", 0, 0, None);
    let region = BoundingBox {
        lower: [0; 3],
        upper: [3; 3],
    };
    let three = Dimensionality::Three;
    let result = device::wavelet::wavelet_images(&gpu, &image, &settings, &region, three);
    assert!(matches!(result, Err(GpuError::Declined(_))), "{result:?}");
}

/// The point filters and the gradient of `volume` on `gpu` against the CPU, within `tolerance`.
fn check_point_filters(gpu: &Gpu, tolerance: f64) {
    let mut volume = random_volume((5, 6, 7), 3);
    volume.voxels[[0, 0, 0]] = 0.0;
    let m = point::max_abs(&volume);
    let on_gpu = device::point::square(gpu, &volume, m).unwrap();
    assert_close(&point::square(&volume, m), &on_gpu, tolerance, "square");
    let on_gpu = device::point::square_root(gpu, &volume, m).unwrap();
    assert_close(
        &point::square_root(&volume, m),
        &on_gpu,
        tolerance,
        "squareroot",
    );
    for use_spacing in [true, false] {
        let on_cpu = gradient::gradient_image(&volume, use_spacing).unwrap();
        let on_gpu = device::point::gradient_image(gpu, &volume, use_spacing).unwrap();
        assert_close(&on_cpu, &on_gpu, tolerance.max(1e-7), "gradient");
    }
}

#[test]
fn point_filters_and_gradient_equal_the_cpu() {
    let Some(gpu) = gpu(false) else { return };
    let tolerance = match gpu.precision {
        device::Precision::F64 => 1e-15,
        device::Precision::F32 => 1e-6,
    };
    check_point_filters(&gpu, tolerance);
}

#[test]
fn point_filters_on_an_f32_device_are_within_f32_rounding() {
    let Some(gpu) = gpu(true) else { return };
    check_point_filters(&gpu, 1e-6);
    let volume = random_volume((5, 6, 7), 4);
    let m = point::max_abs(&volume);
    let max_log = point::max_abs_log(&volume, m);
    let on_gpu = device::point::logarithm(&gpu, &volume, m, max_log).unwrap();
    assert_close(
        &point::logarithm(&volume, m, max_log),
        &on_gpu,
        1e-6,
        "logarithm",
    );
    let on_gpu = device::point::exponential(&gpu, &volume, m).unwrap();
    assert_close(
        &point::exponential(&volume, m),
        &on_gpu,
        1e-5,
        "exponential",
    );
}

/// ln and exp exist in WGSL for f32 only; non-finite voxels may not survive a GPU.
#[test]
fn f64_logarithms_and_non_finite_voxels_are_declined() {
    let Some(gpu) = gpu(false) else { return };
    let mut volume = random_volume((3, 3, 3), 2);
    let m = point::max_abs(&volume);
    if gpu.precision == device::Precision::F64 {
        let declined = |r: Result<Volume<f64>, GpuError>| matches!(r, Err(GpuError::Declined(_)));
        assert!(declined(device::point::logarithm(&gpu, &volume, m, 1.0)));
        assert!(declined(device::point::exponential(&gpu, &volume, m)));
    }
    volume.voxels[[1, 1, 1]] = f64::NAN;
    let result = device::point::square(&gpu, &volume, m);
    assert!(matches!(result, Err(GpuError::Declined(_))), "{result:?}");
    let image = SourceImage::from(Image {
        volume,
        pixel_type: PixelType::F64,
    });
    let settings = wavelet_settings("haar", 0, 1, None);
    let region = BoundingBox {
        lower: [0; 3],
        upper: [1; 3],
    };
    let three = Dimensionality::Three;
    let result = device::wavelet::wavelet_images(&gpu, &image, &settings, &region, three);
    assert!(matches!(result, Err(GpuError::Declined(_))), "{result:?}");
}

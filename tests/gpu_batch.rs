//! The batching seam on the GPU (Mesa's lavapipe in CI): discretisation binned on the device
//! exactly as on the CPU, a batch of jobs in one submission or split to fit the device's limits,
//! many cases in one call, and `radiome batch --device`. Without an adapter the GPU tests skip,
//! unless `RADIOME_REQUIRE_GPU=1` (set by `.ci/run`) makes that a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use common::{data, fixtures, gpu, path, temp_dir};
use ndarray::Array3;
use radiome::Extractor;
use radiome::backend::{Backend, CpuBackend, GpuBackend, Job};
use radiome::gpu::{Gpu, discretise::discretise, split_batches};
use radiome::image::PixelType;
use radiome::io::{read_image, read_mask};
use radiome::matrices::discretize::{bin_levels, discretize, roi_bin_edges};
use radiome::matrices::glcm::GlcmPlan;
use radiome::matrices::gldm::dependence_limit;
use radiome::matrices::glrlm::GlrlmPlan;
use radiome::matrices::glszm::zone_roi;
use radiome::matrices::neighbours::PaddedRoi;
use radiome::params::{Params, TextureSettings};

const CASES: [&str; 5] = ["brain1", "brain2", "breast1", "lung1", "lung2"];

fn settings(bin_width: f64, bin_count: Option<usize>) -> TextureSettings {
    TextureSettings {
        bin_width,
        bin_count,
        ..TextureSettings::default()
    }
}

/// Bins `image` in `mask` on the GPU and on the CPU and asserts they are identical.
fn assert_same_bins(
    gpu: &Gpu,
    image: &Array3<f64>,
    mask: &Array3<bool>,
    edges: &[f64],
    what: &str,
) {
    let on_gpu = discretise(gpu, image, mask, edges).unwrap();
    let on_cpu = bin_levels(image, mask, edges);
    assert!(
        on_cpu.histogram.iter().filter(|&&c| c > 0).count() > 1,
        "{what}: one bin only"
    );
    assert_eq!(on_gpu, on_cpu, "{what}");
}

/// Every reference case, at PyRadiomics' default bin width, a fine width, a bin count, and as
/// float32 intensities: the GPU's bins are the CPU's.
#[test]
fn discretised_reference_cases_have_the_cpu_bins() {
    let Some(gpu) = gpu(false) else { return };
    for case in CASES {
        let image = read_image(&data().join(format!("{case}_image.nrrd"))).unwrap();
        let mask = read_mask(&data().join(format!("{case}_label.nrrd")), 0).unwrap();
        let (voxels, mask) = (&image.volume.voxels, mask.volume.voxels.mapv(|l| l == 1.0));
        for (settings, pixel_type) in [
            (settings(25.0, None), image.pixel_type),
            (settings(3.0, None), PixelType::F64),
            (settings(25.0, Some(64)), PixelType::F64),
            (settings(7.3, None), PixelType::F32),
        ] {
            let edges = roi_bin_edges(voxels, &mask, &settings, pixel_type).unwrap();
            let what = format!("{case} {:?} {pixel_type:?}", settings.bin_count);
            assert_same_bins(&gpu, voxels, &mask, &edges, &what);
        }
    }
}

/// Values on the edges, between them, below and above them, -0, infinities and NaN, at
/// ascending edges and at descending (wrapped integer) ones.
#[test]
fn discretised_edge_values_have_the_cpu_bins() {
    let Some(gpu) = gpu(false) else { return };
    let mut values = vec![
        -0.0,
        0.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -1e300,
        1e-310,
    ];
    for i in -40i32..=300 {
        values.push(f64::from(i) * 0.5);
        values.push(f64::from(i) * 0.5 + f64::EPSILON * f64::from(i.abs()));
    }
    let n = values.len();
    let image = Array3::from_shape_vec((1, 1, n), values).unwrap();
    let mask = Array3::from_shape_fn((1, 1, n), |(_, _, x)| x % 7 != 3);
    let ascending: Vec<f64> = (0..12).map(|i| -0.0 + 12.5 * f64::from(i) - 10.0).collect();
    assert_same_bins(&gpu, &image, &mask, &ascending, "ascending edges");
    // int8 edges that wrap (see the integer binning of crate::matrices::discretize).
    assert_same_bins(&gpu, &image, &mask, &[106.0, -125.0], "descending edges");
    assert_same_bins(&gpu, &image, &mask, &[-0.0, 0.0, 1.0], "signed zero edges");
}

/// A pseudo-random image of `shape` with about `fill` percent of its voxels in the ROI.
fn random_image(shape: (usize, usize, usize), fill: u64, seed: u64) -> (Array3<f64>, Array3<bool>) {
    let mut random = common::random_u64s(seed);
    let mut next = move || random() >> 33;
    let image = Array3::from_shape_fn(shape, |_| (next() % 200) as f64 - 50.0);
    let mask = Array3::from_shape_fn(shape, |_| next() % 100 < fill);
    (image, mask)
}

/// The jobs of one small image: its discretisation, then every class's matrix job.
struct Planned {
    image: Array3<f64>,
    mask: Array3<bool>,
    edges: Vec<f64>,
    glcm: GlcmPlan,
    glrlm: GlrlmPlan,
    zones: PaddedRoi,
    padded: PaddedRoi,
    max_diff: i64,
}

fn planned(seed: u64) -> Planned {
    let settings = settings(25.0, None);
    let (image, mask) = random_image((6, 9, 8), 70, seed);
    let disc = discretize(&image, &mask, &settings, PixelType::F64).unwrap();
    let padded = PaddedRoi::new("test", &disc, &settings.distances, &settings).unwrap();
    Planned {
        edges: disc.bin_edges.clone(),
        glcm: GlcmPlan::new(&disc, &settings).unwrap(),
        glrlm: GlrlmPlan::new(&disc, &settings).unwrap(),
        zones: zone_roi(&disc, &settings).unwrap(),
        max_diff: dependence_limit(settings.gldm_a),
        padded,
        image,
        mask,
    }
}

fn jobs(planned: &[Planned]) -> Vec<Job<'_>> {
    planned
        .iter()
        .flat_map(|p| {
            [
                Job::Discretise {
                    image: &p.image,
                    mask: &p.mask,
                    edges: &p.edges,
                },
                Job::GlcmCounts(&p.glcm),
                Job::GlrlmCounts(&p.glrlm),
                Job::GlszmZones(&p.zones),
                Job::GldmCounts {
                    roi: &p.padded,
                    max_diff: p.max_diff,
                },
                Job::NgtdmCounts(&p.padded),
            ]
        })
        .collect()
}

/// A batch of every kind of job runs in one submission; with a limit too small for two jobs it
/// is split into one submission a job, and with a middling one into fewer; the outputs are the
/// CPU's whatever the split.
#[test]
fn a_batch_is_one_submission_or_split_to_fit_the_limit() {
    let Some(gpu) = gpu(false) else { return };
    let planned: Vec<Planned> = (1..=3).map(planned).collect();
    let jobs = jobs(&planned);
    let on_cpu: Vec<_> = CpuBackend
        .run(&jobs)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let whole = GpuBackend::new(Arc::clone(&gpu), false);
    let tiny = GpuBackend::new(Arc::clone(&gpu), false).with_batch_limit(1);
    let half = GpuBackend::new(Arc::clone(&gpu), false).with_batch_limit(30_000);
    for (backend, what) in [(&whole, "whole"), (&tiny, "tiny"), (&half, "half")] {
        let on_gpu: Vec<_> = backend.run(&jobs).into_iter().map(Result::unwrap).collect();
        assert_eq!(on_gpu, on_cpu, "{what}");
    }
    assert_eq!(whole.submissions(), 1);
    assert_eq!(tiny.submissions(), jobs.len());
    assert!(
        (2..jobs.len()).contains(&half.submissions()),
        "{} submissions",
        half.submissions()
    );
    assert_eq!(split_batches(&[10_000; 18], 30_000).len(), 6);
}

fn case_files(case: &str) -> (PathBuf, PathBuf) {
    let file = |kind| data().join(format!("{case}_{kind}.nrrd"));
    (file("image"), file("label"))
}

/// A case with wavelet and LoG images (11 images, 5 classes each) takes two submissions on the
/// GPU: every image's discretisation, then every matrix; many cases in one call give one result
/// per case, a bad case an error, the others the CPU's rows.
#[test]
fn many_cases_extract_in_two_submissions_each() {
    let Some(gpu) = gpu(false) else { return };
    let config = fixtures().join("pyradiomics-configs/wavelet_log.yaml");
    let params = Params::from_file(&config).unwrap();
    let backend = Arc::new(GpuBackend::new(gpu, false));
    let on_gpu = Extractor::new(params.clone()).with_shared_backend(backend.clone());
    let missing = (data().join("nothing.nrrd"), data().join("lung2_label.nrrd"));
    let cases = [case_files("lung2"), missing, case_files("breast1")];
    let rows = on_gpu.extract_many(&cases);
    assert_eq!(backend.submissions(), 4);
    assert_eq!(rows.len(), 3);
    let error = rows[1].as_ref().unwrap_err().to_string();
    assert!(error.contains("nothing.nrrd"), "{error}");
    let on_cpu = Extractor::new(params);
    for (row, (image, mask)) in [(&rows[0], &cases[0]), (&rows[2], &cases[2])] {
        let mut row = row.as_ref().unwrap().clone();
        assert!(
            row.shift_remove("diagnostics_Configuration_Device")
                .is_some()
        );
        assert_eq!(row, on_cpu.extract_files(image, mask).unwrap());
    }
}

/// Runs `radiome batch` on `manifest` with `args`, without `RADIOME_DEVICE` unless in `env`.
fn batch(manifest: &Path, out: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_radiome"))
        .args(["batch", path(manifest), "-o", path(out)])
        .args(args)
        .env_remove("RADIOME_DEVICE")
        .envs(env.iter().copied())
        .output()
        .expect("run radiome")
}

/// A manifest of two reference cases in `dir`.
fn manifest(dir: &Path) -> PathBuf {
    let mut text = String::from("ID,Image,Mask\n");
    for case in ["breast1", "lung2"] {
        let (image, mask) = case_files(case);
        text += &format!("{case},{},{}\n", path(&image), path(&mask));
    }
    let manifest = dir.join("manifest.csv");
    std::fs::write(&manifest, text).unwrap();
    manifest
}

/// The output table's header and rows, without the device column.
fn table_without_device(out: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(out).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let device = header
        .iter()
        .position(|h| h == "diagnostics_Configuration_Device");
    let keep = |i: &usize| Some(*i) != device;
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (0..r.len())
                .filter(keep)
                .map(|i| r[i].to_string())
                .collect()
        })
        .collect();
    let header = (0..header.len())
        .filter(keep)
        .map(|i| header[i].clone())
        .collect();
    (header, rows)
}

/// `batch --device gpu` (or `RADIOME_DEVICE=gpu`) writes the rows `--device cpu` writes, plus
/// the device column.
#[test]
fn batch_on_the_gpu_gives_the_cpu_rows() {
    if gpu(false).is_none() {
        return;
    }
    let dir = temp_dir("gpu_batch", "rows");
    let manifest = manifest(&dir);
    let (cpu, gpu_out, env_out) = (
        dir.join("cpu.csv"),
        dir.join("gpu.csv"),
        dir.join("env.csv"),
    );
    for (out, args, env) in [
        (&cpu, &["--device", "cpu"][..], &[][..]),
        (&gpu_out, &["--device", "gpu"][..], &[][..]),
        (&env_out, &[][..], &[("RADIOME_DEVICE", "gpu")][..]),
    ] {
        let run = batch(&manifest, out, args, env);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let text = std::fs::read_to_string(&gpu_out).unwrap();
    assert!(text.contains("diagnostics_Configuration_Device") && text.contains("gpu: "));
    assert!(
        !std::fs::read_to_string(&cpu)
            .unwrap()
            .contains("Configuration_Device")
    );
    let expected = table_without_device(&cpu);
    assert_eq!(expected.1.len(), 2);
    assert_eq!(table_without_device(&gpu_out), expected);
    assert_eq!(table_without_device(&env_out), expected);
}

/// Hides every Vulkan driver from the loader: a machine without a GPU.
const NO_DRIVERS: [(&str, &str); 2] = [
    ("VK_DRIVER_FILES", "/nonexistent/icd.json"),
    ("VK_ICD_FILENAMES", "/nonexistent/icd.json"),
];

/// Without an adapter, `batch --device gpu` is a one-line error before any case runs, and
/// `--device auto` runs on the CPU.
#[test]
fn batch_without_an_adapter() {
    let dir = temp_dir("gpu_batch", "no-adapter");
    let manifest = manifest(&dir);
    let out = dir.join("gpu.csv");
    let run = batch(&manifest, &out, &["--device", "gpu"], &NO_DRIVERS);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("--device gpu: no usable GPU adapter (backends tried: "),
        "{stderr}"
    );
    assert!(!out.exists());
    let (auto, cpu) = (dir.join("auto.csv"), dir.join("cpu.csv"));
    let run = batch(&manifest, &auto, &["--device", "auto"], &NO_DRIVERS);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("--device auto picked the CPU"), "{stderr}");
    assert!(batch(&manifest, &cpu, &[], &[]).status.success());
    assert_eq!(table_without_device(&auto), table_without_device(&cpu));
    assert!(
        !std::fs::read_to_string(&auto)
            .unwrap()
            .contains("Configuration_Device")
    );
}

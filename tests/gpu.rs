//! The GPU backend on whatever adapter the machine offers (Mesa's lavapipe in CI). Without an
//! adapter these tests skip, unless `RADIOME_REQUIRE_GPU=1` (set by `.ci/run`) makes that a
//! failure. The tests of what happens without an adapter hide every Vulkan driver instead.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{data, gpu};
use ndarray::Array3;
use radiome::gpu::{self as device, glcm::glcm_counts, neighbours};
use radiome::matrices::Discretized;
use radiome::matrices::glcm::{GlcmPlan, count_pairs};
use radiome::matrices::gldm::dependence_counts;
use radiome::matrices::glrlm::{self, GlrlmPlan};
use radiome::matrices::glszm::{self, zone_roi};
use radiome::matrices::neighbours::PaddedRoi;
use radiome::matrices::ngtdm::neighbour_sums;
use radiome::params::TextureSettings;

/// A pseudo-random discretised volume: `levels` grey levels, about `fill` of the voxels in the ROI.
fn random_volume(shape: (usize, usize, usize), levels: u32, fill: u64, seed: u64) -> Discretized {
    let mut random = common::random_u64s(seed);
    let mut next = move || random() >> 33;
    let levels_of = Array3::from_shape_fn(shape, |_| 1 + (next() % u64::from(levels)) as u32);
    let mask = Array3::from_shape_fn(shape, |_| next() % 100 < fill);
    let mut gray_levels: Vec<u32> = levels_of
        .iter()
        .zip(&mask)
        .filter(|&(_, &inside)| inside)
        .map(|(&l, _)| l)
        .collect();
    gray_levels.sort_unstable();
    gray_levels.dedup();
    Discretized {
        ng: *gray_levels.last().unwrap(),
        levels: levels_of.mapv(|l| l) * mask.mapv(u32::from),
        mask,
        gray_levels,
        bin_edges: Vec::new(),
    }
}

#[test]
fn glcm_counts_equal_the_cpu_counts() {
    let Some(gpu) = gpu(false) else { return };
    let cases = [
        ((7, 9, 11), 5, 60, vec![1], false),
        ((1, 40, 33), 12, 80, vec![1, 2], false),
        ((16, 24, 20), 33, 50, vec![1, 3], false),
        ((9, 10, 12), 8, 90, vec![2], true),
        ((3, 2, 70), 3, 100, vec![1], false),
    ];
    for (seed, (shape, levels, fill, distances, force_2d)) in cases.into_iter().enumerate() {
        let disc = random_volume(shape, levels, fill, seed as u64 + 1);
        let settings = TextureSettings {
            distances,
            force_2d,
            ..TextureSettings::default()
        };
        let plan = GlcmPlan::new(&disc, &settings).unwrap();
        let on_gpu = glcm_counts(&gpu, &plan).unwrap();
        let on_cpu = count_pairs(&plan.roi, &plan.offsets, plan.levels);
        assert!(
            on_cpu.iter().sum::<f64>() > 0.0,
            "case {seed} counts nothing"
        );
        assert_eq!(on_gpu, on_cpu, "case {seed}: {shape:?}");
    }
}

/// Random volumes of several shapes, grey-level counts, fills and neighbourhoods.
fn random_cases() -> Vec<(Discretized, TextureSettings)> {
    let cases = [
        ((7, 9, 11), 5, 60, vec![1], false),
        ((1, 40, 33), 12, 80, vec![1, 2], false),
        ((16, 24, 20), 33, 50, vec![1, 3], false),
        ((9, 10, 12), 8, 90, vec![2], true),
        ((3, 2, 70), 3, 100, vec![1], false),
    ];
    cases
        .into_iter()
        .enumerate()
        .map(|(seed, (shape, levels, fill, distances, force_2d))| {
            let settings = TextureSettings {
                distances,
                force_2d,
                ..TextureSettings::default()
            };
            (
                random_volume(shape, levels, fill, seed as u64 + 11),
                settings,
            )
        })
        .collect()
}

#[test]
fn ngtdm_neighbour_sums_equal_the_cpu_sums() {
    let Some(gpu) = gpu(false) else { return };
    for (case, (disc, settings)) in random_cases().iter().enumerate() {
        let roi = PaddedRoi::new("test", disc, &settings.distances, settings).unwrap();
        let on_cpu = neighbour_sums(&roi);
        assert!(
            on_cpu.iter().any(|s| s.total > 0),
            "case {case} sums nothing"
        );
        let on_gpu = neighbours::ngtdm_counts(&gpu, &roi).unwrap();
        assert_eq!(on_gpu, on_cpu, "case {case}");
    }
}

#[test]
fn gldm_dependence_counts_equal_the_cpu_counts() {
    let Some(gpu) = gpu(false) else { return };
    for (case, (disc, settings)) in random_cases().iter().enumerate() {
        let roi = PaddedRoi::new("test", disc, &settings.distances, settings).unwrap();
        // Never, exact matches only, and within 1, 2 and every grey level.
        for max_diff in [-1, 0, 1, 2, i64::from(u32::MAX) + 5] {
            let on_cpu = dependence_counts(&roi, max_diff);
            let on_gpu = neighbours::gldm_counts(&gpu, &roi, max_diff).unwrap();
            assert_eq!(on_gpu, on_cpu, "case {case}, max_diff {max_diff}");
        }
        let some = dependence_counts(&roi, 1);
        assert!(some.iter().any(|&d| d > 0), "case {case}: no dependence");
    }
}

#[test]
fn glrlm_run_counts_equal_the_cpu_counts() {
    let Some(gpu) = gpu(false) else { return };
    for (case, (disc, settings)) in random_cases().iter().enumerate() {
        let plan = GlrlmPlan::new(disc, settings).unwrap();
        let on_cpu = glrlm::run_counts(&plan);
        assert!(
            on_cpu.iter().any(|&c| c > 0.0),
            "case {case} counts nothing"
        );
        let on_gpu = device::glrlm::run_counts(&gpu, &plan).unwrap();
        assert_eq!(on_gpu, on_cpu, "case {case}");
    }
    // A column of single ROI voxels: no line crosses the ROI twice except along z.
    let mut sparse = random_volume((4, 5, 6), 3, 100, 99);
    sparse
        .mask
        .indexed_iter_mut()
        .for_each(|((_, y, x), m)| *m = y == 2 && x == 3);
    sparse.levels = sparse.levels.clone() * sparse.mask.mapv(u32::from);
    let plan = GlrlmPlan::new(&sparse, &TextureSettings::default()).unwrap();
    let on_gpu = device::glrlm::run_counts(&gpu, &plan).unwrap();
    assert_eq!(on_gpu, glrlm::run_counts(&plan));
}

#[test]
fn glszm_zones_equal_the_cpu_zones() {
    let Some(gpu) = gpu(false) else { return };
    let mut cases = random_cases();
    // Few grey levels and a full ROI: large zones winding through the volume.
    cases.push((
        random_volume((12, 30, 25), 2, 100, 7),
        TextureSettings::default(),
    ));
    for (case, (disc, settings)) in cases.iter().enumerate() {
        let roi = zone_roi(disc, settings).unwrap();
        let on_cpu = glszm::zones(&roi);
        assert!(
            on_cpu.iter().any(|&(_, size)| size > 1),
            "case {case}: no zone"
        );
        let on_gpu = neighbours::zones(&gpu, &roi).unwrap();
        assert_eq!(on_gpu, on_cpu, "case {case}");
    }
}

#[test]
fn a_shader_that_does_not_validate_is_an_error_not_a_panic() {
    let Some(gpu) = gpu(false) else { return };
    let broken = "@compute @workgroup_size(64) fn main() { let x: u32 = 1.5; }";
    let error = gpu.compile("broken", broken).unwrap_err().to_string();
    assert!(error.starts_with("GPU shader broken.wgsl: "), "{error}");
    assert!(!error.contains('\n'), "{error}");
}

fn radiome(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_radiome"))
        .args(args)
        .envs(env.iter().copied())
        .env_remove("RADIOME_DEVICE")
        .output()
        .expect("run radiome")
}

/// Hides every Vulkan driver from the loader: a machine without a GPU.
const NO_DRIVERS: [(&str, &str); 2] = [
    ("VK_DRIVER_FILES", "/nonexistent/icd.json"),
    ("VK_ICD_FILENAMES", "/nonexistent/icd.json"),
];

fn extract_case(case: &str, device: &str, env: &[(&str, &str)]) -> Output {
    let image = data().join(format!("{case}_image.nrrd"));
    let mask = data().join(format!("{case}_label.nrrd"));
    let path = |p: &Path| p.to_str().unwrap().to_string();
    radiome(
        &["extract", &path(&image), &path(&mask), "--device", device],
        env,
    )
}

/// Header and row of a one-case CSV, without the GPU's `Configuration_Device` column.
fn without_device_column(output: &Output) -> (Vec<String>, Vec<String>) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut reader = csv::Reader::from_reader(&output.stdout[..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let row = reader.records().next().unwrap().unwrap();
    header
        .into_iter()
        .zip(row.iter().map(String::from))
        .filter(|(h, _)| h != "diagnostics_Configuration_Device")
        .unzip()
}

#[test]
fn extraction_on_the_gpu_equals_the_cpu_byte_for_byte() {
    if gpu(false).is_none() {
        return;
    }
    for case in ["brain1", "breast1", "lung1"] {
        let on_gpu = extract_case(case, "gpu", &[]);
        let text = String::from_utf8_lossy(&on_gpu.stdout);
        assert!(text.contains("diagnostics_Configuration_Device"), "{text}");
        assert!(text.contains("gpu: "), "{text}");
        let on_cpu = extract_case(case, "cpu", &[]);
        assert!(!String::from_utf8_lossy(&on_cpu.stdout).contains("Configuration_Device"));
        assert_eq!(
            without_device_column(&on_gpu),
            without_device_column(&on_cpu),
            "{case}"
        );
    }
}

#[test]
fn f32_precision_can_be_forced_and_gives_the_same_counts() {
    if gpu(false).is_none() {
        return;
    }
    let forced = extract_case("breast1", "gpu", &[("RADIOME_GPU_PRECISION", "f32")]);
    assert!(String::from_utf8_lossy(&forced.stdout).contains(", f32)"));
    let on_cpu = extract_case("breast1", "cpu", &[]);
    assert_eq!(
        without_device_column(&forced),
        without_device_column(&on_cpu)
    );
}

#[test]
fn gpu_without_an_adapter_is_a_one_line_error() {
    let out = extract_case("breast1", "gpu", &NO_DRIVERS);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("--device gpu: no usable GPU adapter (backends tried: ")
            && stderr.contains("Vulkan"),
        "{stderr}"
    );
}

#[test]
fn auto_without_a_gpu_runs_on_the_cpu_and_says_so() {
    let auto = extract_case("breast1", "auto", &NO_DRIVERS);
    let stderr = String::from_utf8_lossy(&auto.stderr);
    assert!(stderr.contains("--device auto picked the CPU"), "{stderr}");
    let on_cpu = extract_case("breast1", "cpu", &[]);
    assert_eq!(auto.stdout, on_cpu.stdout);
}

#[test]
fn devices_lists_the_adapters() {
    let none = radiome(&["devices"], &NO_DRIVERS);
    assert!(String::from_utf8_lossy(&none.stdout).starts_with("no GPU adapter"));
    let Some(gpu) = gpu(false) else { return };
    let listed = String::from_utf8_lossy(&radiome(&["devices"], &[]).stdout).into_owned();
    assert!(listed.contains(&gpu.adapter.name), "{listed}");
}

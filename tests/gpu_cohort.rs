//! Cases side by side on one GPU (Mesa's lavapipe in CI): `Extractor::extract_many` runs its
//! cases together and gives the CPU's rows in order, a bad case failing alone; the rounds of the
//! cases in flight go to the device in shared submissions. Without an adapter these tests skip,
//! unless `RADIOME_REQUIRE_GPU=1` makes that a failure.

mod common;

use std::path::PathBuf;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::{data, gpu};
use ndarray::Array3;
use radiome::Extractor;
use radiome::backend::GpuBackend;
use radiome::gpu::discretise::{binned_from_words, discretise_dispatch};
use radiome::gpu::{Binding, Gpu};
use radiome::matrices::discretize::bin_levels;
use radiome::params::Params;

/// A device of its own, so that no other test's rounds count in its submissions; `None` skips
/// (as [`gpu`] decides).
fn own_gpu() -> Option<Gpu> {
    gpu(false)?;
    Some(Gpu::open(true).expect("the adapter opened before opens again"))
}

fn case(image: &str, mask: &str) -> (PathBuf, PathBuf) {
    (data().join(image), data().join(mask))
}

/// Four small cases and a missing image in the middle, on the GPU: every good case gets the
/// CPU's row (less the device column), in order; the bad one a one-line error naming its file.
/// Coalescing never adds submissions: at most one per round.
#[test]
fn many_cases_side_by_side_give_the_cpu_rows() {
    let Some(gpu) = own_gpu() else { return };
    let gpu = Arc::new(gpu);
    let backend = Arc::new(GpuBackend::new(Arc::clone(&gpu), false));
    let params = Params::default();
    let on_gpu = Extractor::new(params.clone()).with_shared_backend(backend.clone());
    let cases = [
        case("breast1_image.nrrd", "breast1_label.nrrd"),
        case("brain1_image.nrrd", "brain1_label_maxslice.nrrd"),
        case("nothing.nrrd", "breast1_label.nrrd"),
        case("breast1_image.nrrd", "breast1_label_peri3mm.nrrd"),
        case("brain2_image.nrrd", "brain2_label_maxslice.nrrd"),
    ];
    let rows = on_gpu.extract_many(&cases);
    assert_eq!(rows.len(), cases.len());
    let error = rows[2].as_ref().unwrap_err().to_string();
    assert!(
        error.contains("nothing.nrrd") && !error.contains('\n'),
        "{error}"
    );
    let on_cpu = Extractor::new(params);
    let good = [0, 1, 3, 4];
    for (row, (image, mask)) in good.map(|i| (&rows[i], &cases[i])) {
        let mut row = row.as_ref().unwrap().clone();
        let device = row.shift_remove("diagnostics_Configuration_Device");
        assert!(device.is_some(), "{}", mask.display());
        assert_eq!(row, on_cpu.extract_files(image, mask).unwrap());
    }
    // Two rounds a case (discretisations, then matrix counts).
    assert_eq!(backend.submissions(), 8);
    assert!((1..=8).contains(&gpu.queue_submissions()));
}

/// A small pseudo-random image with its mask and bin edges, different for each `seed`.
fn small_image(seed: u64) -> (Array3<f64>, Array3<bool>, Vec<f64>) {
    let image = Array3::from_shape_fn((4, 5, 6), |(z, y, x)| {
        ((z * 31 + y * 7 + x * 3) as u64 * (seed + 3) % 97) as f64
    });
    let mask = Array3::from_shape_fn((4, 5, 6), |(z, y, x)| {
        !(z + y + x + seed as usize).is_multiple_of(3)
    });
    (image, mask, vec![0.0, 25.0, 50.0, 75.0, 100.0])
}

/// A registered case's one small round (a discretisation of its own image, from `seed`), run
/// once every case has registered at `registered`; its bins are its own image's.
fn round_of_a_registered_case(gpu: &Gpu, seed: u64, registered: &Barrier) {
    let (image, mask, edges) = small_image(seed);
    let _case = gpu.participate();
    registered.wait();
    let dispatch = discretise_dispatch(gpu, &image, &mask, &edges).unwrap();
    let words = gpu.run_batch(&[dispatch]).unwrap();
    let binned = binned_from_words(image.dim(), &words[0]);
    assert_eq!(binned, bin_levels(&image, &mask, &edges), "case {seed}");
}

/// The rounds of `n` registered cases, all starting together.
fn rounds_of_registered_cases(gpu: &Gpu, n: u64) {
    let registered = Barrier::new(n as usize);
    std::thread::scope(|scope| {
        for seed in 0..n {
            let registered = &registered;
            scope.spawn(move || round_of_a_registered_case(gpu, seed, registered));
        }
    });
}

/// Four cases in flight whose rounds all arrive within the window go to the device in one
/// submission; a fifth round, once they are done, in one of its own. (The window is long, so
/// that a loaded machine cannot make the rounds miss it; the leader waits only until every
/// round is in.)
#[test]
fn the_rounds_of_cases_in_flight_share_one_submission() {
    let Some(gpu) = own_gpu() else { return };
    gpu.set_coalesce_window(Duration::from_secs(60));
    rounds_of_registered_cases(&gpu, 4);
    assert_eq!(gpu.queue_submissions(), 1);
    assert_eq!(gpu.expired_windows(), 0);
    rounds_of_registered_cases(&gpu, 1);
    assert_eq!(gpu.queue_submissions(), 2);
    assert_eq!(gpu.expired_windows(), 0);
}

/// A lone case, or a caller with no case registered, is never held for the window: each round
/// is submitted at once.
#[test]
fn a_lone_case_is_not_held_for_the_window() {
    let Some(gpu) = own_gpu() else { return };
    gpu.set_coalesce_window(Duration::from_secs(60));
    let (image, mask, edges) = small_image(1);
    let round = || {
        let dispatch = discretise_dispatch(&gpu, &image, &mask, &edges).unwrap();
        gpu.run_batch(&[dispatch]).unwrap()
    };
    round();
    let case = gpu.participate();
    round();
    round();
    drop(case);
    assert_eq!(gpu.queue_submissions(), 3);
    assert_eq!(gpu.expired_windows(), 0);
}

/// A registered case that never hands in a round does not hold the others past the window.
#[test]
fn a_case_that_never_comes_delays_a_round_by_the_window_only() {
    let Some(gpu) = own_gpu() else { return };
    gpu.set_coalesce_window(Duration::from_millis(10));
    let _absent = gpu.participate();
    rounds_of_registered_cases(&gpu, 1);
    assert_eq!(gpu.queue_submissions(), 1);
    assert_eq!(gpu.expired_windows(), 1);
}

/// Two cases in flight, one of whose rounds fails validation (more workgroups than the device
/// allows): that round is its case's one-line error, caught before it is handed in; the other
/// case's round goes out alone, once the failed case is no longer in flight, and gives its bins.
#[test]
fn a_failed_round_fails_its_own_case_only() {
    let Some(gpu) = own_gpu() else { return };
    gpu.set_coalesce_window(Duration::from_secs(60));
    let shader = "@group(0) @binding(0) var<storage, read_write> out: array<u32>;
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            if id.x < arrayLength(&out) { out[id.x] = id.x; }
        }";
    let pipeline = gpu.compile("count", shader).unwrap();
    let registered = Barrier::new(2);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let _case = gpu.participate();
            registered.wait();
            let too_many = [gpu.limits().max_compute_workgroups_per_dimension + 1, 1];
            let error = gpu.run(&pipeline, &[Binding::Output(64)], too_many);
            let error = error.unwrap_err().to_string();
            assert!(
                error.starts_with("GPU job failed") && !error.contains('\n'),
                "{error}"
            );
        });
        scope.spawn(|| round_of_a_registered_case(&gpu, 0, &registered));
    });
    assert_eq!(gpu.queue_submissions(), 1);
    assert_eq!(gpu.expired_windows(), 0);
}

/// Figures for docs/benchmarks.md (run by hand: `cargo test --release --test gpu_cohort --
/// --ignored --nocapture`): four cases (breast1, brain1, brain2, lung2; then lung2 four times)
/// with the default parameters and with wavelet_log, one after the other with every round
/// submitted alone (as before cases shared submissions), then through `extract_many` without
/// coalescing, with the default window and with a 50 ms one: rounds, queue submissions and wall
/// time of each.
#[test]
#[ignore]
fn figures_of_four_cases() {
    let Some(gpu) = own_gpu() else { return };
    let gpu = Arc::new(gpu);
    let of = |c: &str| case(&format!("{c}_image.nrrd"), &format!("{c}_label.nrrd"));
    let mixed = ["breast1", "brain1", "brain2", "lung2"].map(of);
    let alike = ["lung2"; 4].map(of);
    for (config, (what, cases)) in ["default", "wavelet_log"]
        .into_iter()
        .flat_map(|config| [("mixed", &mixed), ("lung2 x4", &alike)].map(|c| (config, c)))
    {
        let params = match config {
            "default" => Params::default(),
            name => Params::from_file(
                common::fixtures().join(format!("pyradiomics-configs/{name}.yaml")),
            )
            .unwrap(),
        };
        for (mode, window, side_by_side) in [
            ("one after another, alone", Duration::ZERO, false),
            ("extract_many, alone", Duration::ZERO, true),
            (
                "extract_many, coalesced",
                radiome::gpu::COALESCE_WINDOW,
                true,
            ),
            (
                "extract_many, 50 ms window",
                Duration::from_millis(50),
                true,
            ),
        ] {
            gpu.set_coalesce_window(window);
            let backend = Arc::new(GpuBackend::new(Arc::clone(&gpu), false));
            let extractor = Extractor::new(params.clone()).with_shared_backend(backend.clone());
            let before = (gpu.queue_submissions(), gpu.expired_windows());
            let start = std::time::Instant::now();
            let rows = match side_by_side {
                true => extractor.extract_many(cases),
                false => cases
                    .iter()
                    .map(|(image, mask)| extractor.extract_files(image, mask))
                    .collect(),
            };
            let seconds = start.elapsed().as_secs_f64();
            assert!(rows.iter().all(Result::is_ok));
            println!(
                "{config}, {what}: {mode}: {} rounds, {} queue submissions ({} after the window \
                 ran out), {seconds:.2} s",
                backend.submissions(),
                gpu.queue_submissions() - before.0,
                gpu.expired_windows() - before.1,
            );
        }
    }
}

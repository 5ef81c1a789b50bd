//! `radiome batch` and `radiome merge` as users run them: PyRadiomics' reference tables
//! reproduced from manifests, failed cases as error rows, a killed run resumed, shards merged.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{assert_tables_agree, data, fixtures, path, radiome, temp_dir};
use radiome::compare::Table;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes `dir/manifest.csv` with columns `ID,Image,Mask` for `(image, mask)` file names in
/// the fixtures' data folder (absolute paths).
fn manifest(dir: &Path, cases: &[(&str, &str)]) -> PathBuf {
    let mut text = String::from("ID,Image,Mask\n");
    for (i, (image, mask)) in cases.iter().enumerate() {
        let cell = |name: &str| data().join(name).to_str().unwrap().to_string();
        text += &format!("case{},{},{}\n", i + 1, cell(image), cell(mask));
    }
    let path = dir.join("manifest.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// The five reference cases with masks `<case>_label<suffix>.nrrd`.
fn reference_cases(suffix: &str) -> Vec<(String, String)> {
    ["brain1", "brain2", "breast1", "lung1", "lung2"]
        .iter()
        .map(|c| (format!("{c}_image.nrrd"), format!("{c}_label{suffix}.nrrd")))
        .collect()
}

fn as_refs(cases: &[(String, String)]) -> Vec<(&str, &str)> {
    cases
        .iter()
        .map(|(i, m)| (i.as_str(), m.as_str()))
        .collect()
}

/// `radiome batch MANIFEST --params CONFIG -o OUT` with further arguments.
fn batch(manifest: &Path, config: &str, out: &Path, extra: &[&str]) -> Output {
    let params = fixtures().join(format!("pyradiomics-configs/{config}.yaml"));
    let args = [
        &[
            "batch",
            path(manifest),
            "--params",
            path(&params),
            "-o",
            path(out),
        ],
        extra,
    ]
    .concat();
    radiome(&args)
}

/// Runs `config` over the reference cases (mask suffix `suffix`) and compares the output with
/// PyRadiomics' table `reference`.
fn check_reference(config: &str, suffix: &str, reference: &str) {
    let dir = temp_dir("batch", reference);
    let cases = reference_cases(suffix);
    let manifest = manifest(&dir, &as_refs(&cases));
    let out = dir.join("out.csv");
    let run = batch(&manifest, config, &out, &["--jobs", "2"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let reference_table =
        Table::read(&fixtures().join(format!("pyradiomics-filters/{reference}.csv"))).unwrap();
    let ours = Table::read(&out).unwrap();
    assert_eq!(ours.rows.len(), 5);
    assert_tables_agree(reference, &reference_table, &ours, 1000);
    // Manifest order, and the ID column carried through.
    let id = ours.header.iter().position(|h| h == "ID").unwrap();
    let ids: Vec<&str> = ours.rows.iter().map(|r| r[id].as_str()).collect();
    assert_eq!(ids, ["case1", "case2", "case3", "case4", "case5"]);
}

#[test]
fn batch_reproduces_wavelet_log() {
    check_reference("wavelet_log", "", "wavelet_log");
}

#[test]
fn batch_reproduces_wavelet_log_on_peritumoral_rings() {
    check_reference("wavelet_log", "_peri3mm", "wavelet_log__peri3mm");
}

#[test]
fn batch_reproduces_mr_2d_on_maximum_slices() {
    check_reference("mr_2d", "_maxslice", "mr_2d__maxslice");
}

/// The value cells of a one-row CSV, by column.
fn row_by_column(text: &str) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let row = reader.records().next().unwrap().unwrap();
    header
        .into_iter()
        .zip(row.iter().map(String::from))
        .collect()
}

#[test]
fn a_batch_row_is_what_extract_writes_for_the_case() {
    let dir = temp_dir("batch", "same-as-extract");
    let manifest = manifest(&dir, &[("breast1_image.nrrd", "breast1_label.nrrd")]);
    let out = dir.join("out.csv");
    assert!(
        batch(&manifest, "simple_filters", &out, &[])
            .status
            .success()
    );
    let single = dir.join("single.csv");
    let params = fixtures().join("pyradiomics-configs/simple_filters.yaml");
    let (image, mask) = (
        data().join("breast1_image.nrrd"),
        data().join("breast1_label.nrrd"),
    );
    let run = radiome(&[
        "extract",
        path(&image),
        path(&mask),
        "--params",
        path(&params),
        "-o",
        path(&single),
    ]);
    assert!(run.status.success());
    let batch_row = row_by_column(&std::fs::read_to_string(&out).unwrap());
    let extract_row = row_by_column(&std::fs::read_to_string(&single).unwrap());
    let leading = ["manifest_row", "ID", "Image", "Mask", "error"];
    let names: Vec<&str> = batch_row.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[..5], leading);
    assert_eq!(batch_row[5..], extract_row[2..]);
    assert_eq!(batch_row[2].1, extract_row[0].1);
}

#[test]
fn failed_cases_become_error_rows_and_the_batch_goes_on() {
    let dir = temp_dir("batch", "errors");
    let corrupt = dir.join("corrupt_image.nrrd");
    let original = std::fs::read(data().join("breast1_image.nrrd")).unwrap();
    std::fs::write(&corrupt, &original[..original.len() / 2]).unwrap();
    let missing = dir.join("missing_image.nrrd");
    let label = data().join("breast1_label.nrrd");
    let manifest = manifest(
        &dir,
        &[
            ("breast1_image.nrrd", "breast1_label.nrrd"),
            (path(&corrupt), path(&label)),
            (path(&missing), path(&label)),
            ("brain1_image.nrrd", "brain1_label.nrrd"),
        ],
    );
    let out = dir.join("out.csv");
    let run = batch(&manifest, "simple_filters", &out, &["--jobs", "2"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(stderr(&run).contains("2 failed"), "{}", stderr(&run));
    let table = Table::read(&out).unwrap();
    let column = |name: &str| table.header.iter().position(|h| h == name).unwrap();
    let (error, contrast) = (column("error"), column("original_glcm_Contrast"));
    let errors: Vec<&str> = table.rows.iter().map(|r| r[error].as_str()).collect();
    assert_eq!(errors[0], "");
    assert_eq!(errors[3], "");
    assert!(errors[1].contains("corrupt_image.nrrd"), "{}", errors[1]);
    assert!(
        errors[2].contains("missing_image.nrrd") && errors[2].contains("No such file"),
        "{}",
        errors[2]
    );
    assert!(table.rows[0][contrast].parse::<f64>().unwrap() > 0.0);
    assert_eq!(table.rows[1][contrast], "");
}

/// A manifest of `n` brain1/breast1 cases (alternating).
fn repeated_manifest(dir: &Path, n: usize) -> PathBuf {
    let pairs = [
        ("brain1_image.nrrd", "brain1_label.nrrd"),
        ("breast1_image.nrrd", "breast1_label.nrrd"),
    ];
    let cases: Vec<(&str, &str)> = (0..n).map(|i| pairs[i % 2]).collect();
    manifest(dir, &cases)
}

fn data_lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |t| t.lines().count().saturating_sub(1))
}

#[test]
fn a_killed_run_resumed_equals_an_uninterrupted_one() {
    let dir = temp_dir("batch", "resume");
    let manifest = repeated_manifest(&dir, 8);
    let whole = dir.join("whole.csv");
    assert!(
        batch(&manifest, "wavelet_log", &whole, &["--jobs", "1"])
            .status
            .success()
    );

    let killed = dir.join("killed.csv");
    let params = fixtures().join("pyradiomics-configs/wavelet_log.yaml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_radiome"))
        .args([
            "batch",
            path(&manifest),
            "--params",
            path(&params),
            "--jobs",
            "1",
            "-o",
            path(&killed),
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while data_lines(&killed) < 2 && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let kept = data_lines(&killed);
    assert!((2..8).contains(&kept), "{kept} rows when killed");
    // A row cut short by the kill is dropped on resume.
    let mut text = std::fs::read(&killed).unwrap();
    text.extend_from_slice(b"7,case7,/x/brain1_image.nrrd,/x/br");
    std::fs::write(&killed, text).unwrap();

    let resumed = batch(
        &manifest,
        "wavelet_log",
        &killed,
        &["--jobs", "2", "--resume"],
    );
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert!(
        stderr(&resumed).contains(&format!("{kept} already in the output")),
        "{}",
        stderr(&resumed)
    );
    assert_eq!(
        std::fs::read_to_string(&killed).unwrap(),
        std::fs::read_to_string(&whole).unwrap()
    );
}

#[test]
fn resume_refuses_the_output_of_another_manifest() {
    let dir = temp_dir("batch", "resume-other");
    let manifest_a = repeated_manifest(&dir, 2);
    let out = dir.join("out.csv");
    assert!(
        batch(&manifest_a, "simple_filters", &out, &[])
            .status
            .success()
    );
    let other = manifest(&dir, &[("breast1_image.nrrd", "breast1_label.nrrd")]);
    let run = batch(&other, "simple_filters", &out, &["--resume"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("not an output of this manifest"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn three_shards_merged_equal_one_run() {
    let dir = temp_dir("batch", "shards");
    let manifest = repeated_manifest(&dir, 7);
    let whole = dir.join("whole.csv");
    assert!(
        batch(&manifest, "simple_filters", &whole, &[])
            .status
            .success()
    );
    let shards: Vec<PathBuf> = (1..=3).map(|k| dir.join(format!("shard{k}.csv"))).collect();
    for (k, shard) in shards.iter().enumerate() {
        let spec = format!("{}/3", k + 1);
        let run = batch(&manifest, "simple_filters", shard, &["--shard", &spec]);
        assert!(run.status.success(), "{}", stderr(&run));
    }
    assert_eq!(data_lines(&shards[0]), 3); // rows 1, 4, 7
    let merged = dir.join("merged.csv");
    let run = radiome(&[
        "merge",
        path(&shards[2]),
        path(&shards[0]),
        path(&shards[1]),
        "--manifest",
        path(&manifest),
        "-o",
        path(&merged),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(
        std::fs::read_to_string(&merged).unwrap(),
        std::fs::read_to_string(&whole).unwrap()
    );

    // The same shard twice is refused, and nothing is written.
    let refused = dir.join("refused.csv");
    let run = radiome(&[
        "merge",
        path(&shards[0]),
        path(&shards[0]),
        "-o",
        path(&refused),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("manifest row 1 appears twice"),
        "{}",
        stderr(&run)
    );
    assert!(!refused.exists());

    // A missing shard is reported by manifest row.
    let partial = dir.join("partial.csv");
    let run = radiome(&[
        "merge",
        path(&shards[0]),
        path(&shards[2]),
        "--manifest",
        path(&manifest),
        "-o",
        path(&partial),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("2 cases missing (manifest rows 2, 5)"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn a_case_estimated_above_the_memory_ceiling_fails_alone() {
    let dir = temp_dir("batch", "memory");
    let manifest = manifest(
        &dir,
        &[
            ("lung1_image.nrrd", "lung1_label.nrrd"),
            ("breast1_image.nrrd", "breast1_label.nrrd"),
        ],
    );
    let out = dir.join("out.csv");
    let run = batch(&manifest, "simple_filters", &out, &["--max-memory", "64M"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let table = Table::read(&out).unwrap();
    let error = table.header.iter().position(|h| h == "error").unwrap();
    assert!(
        table.rows[0][error].contains("more than --max-memory 64 MiB"),
        "{}",
        table.rows[0][error]
    );
    assert_eq!(table.rows[1][error], "");
}

#[test]
fn ctrl_c_finishes_the_cases_in_flight_and_leaves_a_sorted_table() {
    let dir = temp_dir("batch", "sigint");
    let manifest = repeated_manifest(&dir, 12);
    let out = dir.join("out.csv");
    let params = fixtures().join("pyradiomics-configs/wavelet_log.yaml");
    let child = Command::new(env!("CARGO_BIN_EXE_radiome"))
        .args([
            "batch",
            path(&manifest),
            "--params",
            path(&params),
            "--jobs",
            "2",
            "-o",
            path(&out),
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while data_lines(&out) < 1 && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(5));
    }
    // SAFETY: kill with a child's own process id.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let run = child.wait_with_output().unwrap();
    assert_eq!(run.status.code(), Some(130), "{}", stderr(&run));
    assert!(stderr(&run).contains("--resume"), "{}", stderr(&run));
    let table = Table::read(&out).unwrap();
    assert!(
        (1..12).contains(&table.rows.len()),
        "{} rows",
        table.rows.len()
    );
    let keys: Vec<usize> = table.rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
}

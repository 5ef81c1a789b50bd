//! `radiome synth`: the same seed writes the same bytes, another seed other bytes; grids and
//! class counts as specified; the mask carries onto the other sequences; `radiome extract`
//! runs on a synthesized case.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use radiome::cohort::synth::{
    Design, FileFormat, MANIFEST_COLUMNS, Sequence, SynthOptions, VolumeSize, synthesize,
};
use radiome::image::regions::resample_mask_to;
use radiome::image::resample::Grid;
use radiome::io::{read_image, read_mask};
use radiome::preprocess::mask::label_region;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("radiome-synth-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn small(cases: usize, seed: u64, format: FileFormat) -> SynthOptions {
    SynthOptions {
        cases,
        seed,
        size: VolumeSize::Small,
        format,
    }
}

/// Every file under `dir` (relative path → bytes).
fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("inside").to_path_buf();
                files.insert(relative, std::fs::read(&path).expect("read"));
            }
        }
    }
    files
}

fn manifest(dir: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(dir.join("manifest.csv")).expect("manifest");
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.iter().collect::<Vec<_>>(), MANIFEST_COLUMNS);
    reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            header
                .iter()
                .zip(r.iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    for format in [FileFormat::Nrrd, FileFormat::Nifti] {
        let dir = |name: &str| temp_dir(&format!("{name}-{format:?}"));
        let (a, b, c) = (dir("a"), dir("b"), dir("c"));
        synthesize(&a, &small(4, 7, format)).expect("a");
        synthesize(&b, &small(4, 7, format)).expect("b");
        synthesize(&c, &small(4, 8, format)).expect("c");
        let (ca, cb, cc) = (contents(&a), contents(&b), contents(&c));
        assert_eq!(ca.len(), 4 * 4 + 1, "four files a case and the manifest");
        assert!(ca == cb, "{format:?}: same seed, same bytes");
        for (path, bytes) in &ca {
            assert_ne!(
                Some(bytes),
                cc.get(path),
                "{format:?}: {path:?} same for seeds 7 and 8"
            );
        }
    }
}

#[test]
fn class_counts_follow_the_study() {
    let study = Design::for_cases(252);
    let counts = |d: Design| {
        [
            d.internal_positive,
            d.internal_negative,
            d.external_positive,
            d.external_negative,
        ]
    };
    assert_eq!(counts(study), [70, 132, 20, 30]);
    assert_eq!(counts(Design::for_cases(100)), [28, 52, 8, 12]);
    for n in [0, 1, 7, 25, 503] {
        assert_eq!(counts(Design::for_cases(n)).iter().sum::<usize>(), n);
    }
    let dir = temp_dir("counts");
    synthesize(&dir, &small(25, 3, FileFormat::Nrrd)).expect("cohort");
    let rows = manifest(&dir);
    let count = |set: &str, label: &str| {
        rows.iter()
            .filter(|r| r["set"] == set && r["HER2"] == label)
            .count()
    };
    let d = Design::for_cases(25);
    assert_eq!(
        [
            count("internal", "1"),
            count("internal", "0"),
            count("external", "1"),
            count("external", "0")
        ],
        counts(d)
    );
}

/// The sequences' grids of one case, with their images read back.
fn grids(dir: &Path, row: &BTreeMap<String, String>) -> Vec<Grid> {
    Sequence::ALL
        .iter()
        .map(|s| Grid::of(&read_image(&dir.join(&row[s.name()])).expect("image").volume))
        .collect()
}

#[test]
fn full_size_geometry_and_mask_across_sequences() {
    let dir = temp_dir("full");
    let options = SynthOptions {
        size: VolumeSize::Full,
        ..small(1, 5, FileFormat::Nrrd)
    };
    synthesize(&dir, &options).expect("cohort");
    let row = &manifest(&dir)[0];
    let grids = grids(&dir, row);
    let expected = [
        ([352, 352, 160], [1.0, 1.0, 1.2]),
        ([256, 256, 48], [1.375, 1.375, 4.0]),
        ([176, 176, 48], [2.0, 2.0, 4.0]),
    ];
    for (grid, (size, spacing)) in grids.iter().zip(expected) {
        assert_eq!((grid.size, grid.geometry.spacing), (size, spacing));
    }
    assert_ne!(grids[0].geometry.origin, grids[1].geometry.origin);
    assert_ne!(grids[1].geometry.origin, grids[2].geometry.origin);
    let mask = read_mask(&dir.join(&row["mask"]), 0).expect("mask");
    assert_eq!(
        Grid::of(&mask.volume),
        grids[0],
        "the mask lies on the DCE grid"
    );
    let tumour = label_region(&mask, 1).expect("label 1");
    for grid in &grids[1..] {
        let carried = resample_mask_to(&tumour, grid).expect("sequences overlap");
        assert!(carried.voxels.iter().filter(|&&v| v).count() > 10);
    }
}

#[test]
fn cli_writes_a_cohort_that_extract_reads() {
    let dir = temp_dir("cli");
    let radiome = env!("CARGO_BIN_EXE_radiome");
    let out = Command::new(radiome)
        .args(["synth", "--cases", "2", "--seed", "11", "--small", "-o"])
        .arg(&dir)
        .output()
        .expect("run synth");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let row = &manifest(&dir)[1];
    let grids = grids(&dir, row);
    assert_eq!(grids[0].size, [80, 80, 50]);
    let out = Command::new(radiome)
        .arg("extract")
        .args([dir.join(&row["dce"]), dir.join(&row["mask"])])
        .output()
        .expect("run extract");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.contains("original_glcm_Contrast"), "{csv}");
    assert_eq!(csv.lines().count(), 2, "header and one row");
}

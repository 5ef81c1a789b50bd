//! `radiome extract --save-filtered DIR` on breast1 (Original + LoG + Wavelet): the files written
//! are the cropped images the feature classes get, with the geometry of the ROI's bounding box.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use radiome::image::Volume;
use radiome::image::bbox::BoundingBox;
use radiome::io::{read_image, read_mask};

const PARAMS: &str = "\
imageType:
  Original: {}
  LoG:
    sigma: [1.0, 3.0]
  Wavelet: {}
featureClass:
  firstorder: [Mean]
setting:
  voxelArrayShift: 0
";

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pyradiomics-data")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("radiome-save-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn extract(params: &Path, save: &Path, csv: &Path) -> Output {
    let (image, mask) = (
        data().join("breast1_image.nrrd"),
        data().join("breast1_label.nrrd"),
    );
    Command::new(env!("CARGO_BIN_EXE_radiome"))
        .arg("extract")
        .args([&image, &mask])
        .arg("--params")
        .arg(params)
        .arg("--save-filtered")
        .arg(save)
        .arg("-o")
        .arg(csv)
        .output()
        .expect("run radiome")
}

/// The CSV's one row as (column, value) pairs.
fn read_row(csv: &Path) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(csv).unwrap();
    let header = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    header
        .iter()
        .map(String::from)
        .zip(row.iter().map(String::from))
        .collect()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn saved_images_are_the_cropped_filtered_images() {
    let dir = temp_dir("breast1");
    let params = dir.join("params.yaml");
    std::fs::write(&params, PARAMS).unwrap();
    let (save, csv) = (dir.join("filtered"), dir.join("features.csv"));
    let output = extract(&params, &save, &csv);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let names: Vec<String> = ["original", "log-sigma-1-0-mm-3D", "log-sigma-3-0-mm-3D"]
        .into_iter()
        .map(String::from)
        .chain(
            ["LLH", "LHL", "LHH", "LLL", "HLH", "HHL", "HHH", "HLL"]
                .map(|band| format!("wavelet-{band}")),
        )
        .collect();
    let written: BTreeSet<String> = std::fs::read_dir(&save)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let expected: BTreeSet<String> = names
        .iter()
        .map(String::as_str)
        .chain(["mask"])
        .map(|n| format!("{n}.nii.gz"))
        .collect();
    assert_eq!(written, expected);

    // The ROI's bounding box in the full image.
    let full_mask = read_mask(&data().join("breast1_label.nrrd"), 0).unwrap();
    let region = Volume {
        voxels: full_mask.volume.voxels.mapv(|v| v == 1.0),
        geometry: full_mask.volume.geometry.clone(),
    };
    let bbox = BoundingBox::of_mask(&region).unwrap();
    let corner = full_mask
        .volume
        .geometry
        .index_to_physical(bbox.lower.map(|i| i as f64));
    let full = full_mask.volume.geometry;

    let mask = read_image(&save.join("mask.nii.gz")).unwrap().volume;
    let inside: Vec<bool> = mask.voxels.iter().map(|&v| v == 1.0).collect();
    assert_eq!(
        inside.iter().filter(|&&i| i).count(),
        region.voxels.iter().filter(|&&i| i).count()
    );
    let row = read_row(&csv);
    for name in names.iter().map(String::as_str).chain(["mask"]) {
        let volume = read_image(&save.join(format!("{name}.nii.gz")))
            .unwrap()
            .volume;
        let g = &volume.geometry;
        assert_eq!(volume.size(), bbox.size(), "{name}");
        // NIfTI-1 stores geometry in single precision.
        for a in 0..3 {
            assert!(
                close(g.origin[a], corner[a], 1e-4),
                "{name} origin {:?} vs {corner:?}",
                g.origin
            );
            assert!(close(g.spacing[a], full.spacing[a], 1e-6), "{name} spacing");
            for b in 0..3 {
                assert!(
                    close(g.direction[a][b], full.direction[a][b], 1e-6),
                    "{name} direction"
                );
            }
        }
        if name == "mask" {
            continue;
        }
        let values: Vec<f64> = volume
            .voxels
            .iter()
            .zip(&inside)
            .filter(|(_, i)| **i)
            .map(|(v, _)| *v)
            .collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let column = format!("{name}_firstorder_Mean");
        let reported: f64 = row
            .iter()
            .find(|(c, _)| *c == column)
            .unwrap_or_else(|| panic!("no {column}"))
            .1
            .parse()
            .unwrap();
        assert!(
            close(mean, reported, 1e-9 * reported.abs().max(1.0)),
            "{name}: mean of the saved image {mean} vs {column} {reported}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unwritable_folder_is_one_line_error() {
    let dir = temp_dir("unwritable");
    let params = dir.join("params.yaml");
    std::fs::write(&params, PARAMS).unwrap();
    // A folder below a regular file cannot be created.
    let blocker = dir.join("not-a-folder");
    std::fs::write(&blocker, "").unwrap();
    let output = extract(
        &params,
        &blocker.join("filtered"),
        &dir.join("features.csv"),
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("radiome: ") && stderr.contains("not-a-folder"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

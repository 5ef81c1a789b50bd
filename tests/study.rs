//! `radiome batch --study`: study files reproduce PyRadiomics' tables of the whole-tumour,
//! peritumoral-ring and maximum-slice masks from the tumour labels alone; sequences without a
//! mask take the reference's; clinical columns pass through; a non-overlapping sequence is an
//! error row.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{assert_tables_agree, data, fixtures};
use radiome::compare::Table;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("radiome-study-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn config(name: &str) -> String {
    let path = fixtures().join(format!("pyradiomics-configs/{name}.yaml"));
    path.to_str().unwrap().to_string()
}

/// `radiome batch MANIFEST --study STUDY -o OUT` with the files written into `dir`.
fn run_study(dir: &Path, manifest: &str, study: &str) -> (Output, PathBuf) {
    let (manifest_path, study_path, out) = (
        dir.join("manifest.csv"),
        dir.join("study.yaml"),
        dir.join("out.csv"),
    );
    std::fs::write(&manifest_path, manifest).unwrap();
    std::fs::write(&study_path, study).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_radiome"))
        .args(["batch", manifest_path.to_str().unwrap(), "--study"])
        .args([
            study_path.to_str().unwrap(),
            "--jobs",
            "2",
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    (output, out)
}

/// A manifest `ID,Image,Mask` of the cases' images and tumour labels.
fn label_manifest(cases: &[&str]) -> String {
    let mut text = String::from("ID,Image,Mask\n");
    for case in cases {
        let (image, mask) = (
            data().join(format!("{case}_image.nrrd")),
            data().join(format!("{case}_label.nrrd")),
        );
        text += &format!("{case},{},{}\n", image.display(), mask.display());
    }
    text
}

/// The columns of `table` named `<prefix><feature>`, renamed `<feature>` (rows kept in order).
fn strip_prefix(table: &Table, prefix: &str) -> Table {
    let kept: Vec<(usize, String)> = (table.header.iter().enumerate())
        .filter_map(|(i, h)| h.strip_prefix(prefix).map(|name| (i, name.to_string())))
        .collect();
    Table {
        header: kept.iter().map(|(_, name)| name.clone()).collect(),
        rows: (table.rows.iter())
            .map(|row| kept.iter().map(|&(i, _)| row[i].clone()).collect())
            .collect(),
    }
}

/// PyRadiomics' table `name`, restricted to the rows of `cases`.
fn reference(name: &str, cases: &[&str]) -> Table {
    let mut table =
        Table::read(&fixtures().join(format!("pyradiomics-filters/{name}.csv"))).unwrap();
    let image = table.header.iter().position(|h| h == "Image").unwrap();
    table.rows.retain(|row| {
        cases
            .iter()
            .any(|c| row[image] == format!("{c}_image.nrrd"))
    });
    assert_eq!(table.rows.len(), cases.len());
    table
}

fn check_regions(mode: &str, config_name: &str, cases: &[&str], intra: &str, peri: &str) {
    let dir = temp_dir(mode);
    let study = format!(
        "mode: {mode}\nregions: {{intra: {{}}, peri: {{mm: 3}}}}\nsequences:\n  - {{name: s, image: Image, mask: Mask, params: {}}}\n",
        config(config_name)
    );
    let (output, out) = run_study(&dir, &label_manifest(cases), &study);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ours = Table::read(&out).unwrap();
    assert_tables_agree(
        intra,
        &reference(intra, cases),
        &strip_prefix(&ours, "s_intra_"),
        500,
    );
    assert_tables_agree(
        peri,
        &reference(peri, cases),
        &strip_prefix(&ours, "s_peri_"),
        500,
    );
}

#[test]
fn whole_volume_study_reproduces_tumour_and_ring_tables() {
    // The lungs take most of the time; three cases cover brain and breast.
    let cases = ["brain1", "brain2", "breast1"];
    check_regions(
        "3d",
        "wavelet_log",
        &cases,
        "wavelet_log",
        "wavelet_log__peri3mm",
    );
}

#[test]
fn maximum_slice_study_reproduces_slice_and_slice_ring_tables() {
    let cases = ["brain1", "brain2", "breast1", "lung1", "lung2"];
    check_regions(
        "maxslice",
        "mr_2d",
        &cases,
        "mr_2d__maxslice",
        "mr_2d__maxslice_peri3mm",
    );
}

#[test]
fn sequences_share_the_reference_mask_and_clinical_columns_pass_through() {
    let dir = temp_dir("sequences");
    let (breast, label, lung) = (
        data().join("breast1_image.nrrd"),
        data().join("breast1_label.nrrd"),
        data().join("lung1_image.nrrd"),
    );
    let manifest = format!(
        "ID,HER2,A,A_mask,B\np1,1,{b},{l},{b}\np2,0,{b},{l},{lung}\n",
        b = breast.display(),
        l = label.display(),
        lung = lung.display()
    );
    let params = config("simple_filters");
    let study = format!(
        "mode: 3d\nregions: {{intra: {{}}}}\nsequences:\n  - {{name: a, image: A, mask: A_mask, params: {params}}}\n  - {{name: b, image: B, params: {params}}}\n"
    );
    let (output, out) = run_study(&dir, &manifest, &study);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let table = Table::read(&out).unwrap();
    let column = |name: &str| table.header.iter().position(|h| h == name).unwrap();
    assert_eq!(table.rows[0][column("HER2")], "1");
    assert_eq!(table.rows[1][column("ID")], "p2");
    // The same image under the reference's mask (same grid): the same features.
    let (a, b) = (
        strip_prefix(&table, "a_intra_"),
        strip_prefix(&table, "b_intra_"),
    );
    assert!(a.header.len() > 100);
    assert_eq!(a.header, b.header);
    let features: Vec<usize> = (0..a.header.len())
        .filter(|&i| !a.header[i].starts_with("diagnostics_"))
        .collect();
    for &i in &features {
        assert_eq!(a.rows[0][i], b.rows[0][i], "{}", a.header[i]);
    }
    // The breast tumour does not lie within the lung image: an error row naming the mask.
    let error = &table.rows[1][column("error")];
    assert!(
        error.contains("breast1_label.nrrd") && error.contains("does not overlap"),
        "{error}"
    );
    assert_eq!(table.rows[1][column("a_intra_original_glcm_Contrast")], "");
}

#[test]
fn a_bad_study_file_is_named() {
    let dir = temp_dir("bad");
    let study = format!(
        "mode: 3d\nregions: {{intra: {{}}}}\nsequences:\n  - {{name: a, image: Image, params: {}}}\n",
        config("simple_filters")
    );
    let (output, _) = run_study(&dir, &label_manifest(&["breast1"]), &study);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("study.yaml") && stderr.contains("no sequence has a mask column"),
        "{stderr}"
    );
    let (output, _) = run_study(&dir, &label_manifest(&["breast1"]), "mode: 2d\n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("study.yaml") && stderr.contains("mode"),
        "{stderr}"
    );
}

#[test]
fn a_tissue_mask_trims_the_ring() {
    use radiome::image::regions::{RingOptions, restrict_to_mask, ring};
    use radiome::io::{read_mask, write_mask};
    use radiome::preprocess::mask::label_region;
    let dir = temp_dir("tissue");
    let label = data().join("breast1_label.nrrd");
    let tumour = label_region(&read_mask(&label, 0).unwrap(), 1).unwrap();
    // Tissue: the image's half of lower x indices, up to the tumour's middle column.
    let nx = tumour.voxels.dim().2;
    let columns: Vec<usize> = tumour
        .voxels
        .indexed_iter()
        .filter(|&(_, &t)| t)
        .map(|((_, _, x), _)| x)
        .collect();
    let middle = columns.iter().sum::<usize>() / columns.len();
    let mut tissue = tumour.clone();
    tissue
        .voxels
        .indexed_iter_mut()
        .for_each(|((_, _, x), v)| *v = x <= middle);
    assert!(middle < nx);
    write_mask(&dir.join("tissue.nrrd"), &tissue).unwrap();
    let whole_ring = ring(&tumour, &RingOptions::default()).unwrap();
    let trimmed = restrict_to_mask(&whole_ring, &tissue).unwrap();
    let count =
        |region: &radiome::image::Volume<bool>| region.voxels.iter().filter(|&&v| v).count();
    assert!(0 < count(&trimmed) && count(&trimmed) < count(&whole_ring));
    std::fs::write(
        dir.join("firstorder.yaml"),
        "featureClass:\n  firstorder:\n",
    )
    .unwrap();
    let manifest = format!(
        "ID,Image,Mask,Tissue\nb1,{},{},{}\n",
        data().join("breast1_image.nrrd").display(),
        label.display(),
        dir.join("tissue.nrrd").display()
    );
    let voxels_in_ring = |tissue: &str| {
        let study = format!(
            "mode: 3d\nregions: {{peri: {{}}}}\nsequences:\n  - {{name: s, image: Image, mask: Mask, params: firstorder.yaml{tissue}}}\n"
        );
        let (output, out) = run_study(&dir, &manifest, &study);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let table = Table::read(&out).unwrap();
        let column = table
            .header
            .iter()
            .position(|h| h == "s_peri_diagnostics_Mask-original_VoxelNum")
            .unwrap();
        table.rows[0][column].parse::<usize>().unwrap()
    };
    assert_eq!(voxels_in_ring(""), count(&whole_ring));
    assert_eq!(voxels_in_ring(", tissue: Tissue"), count(&trimmed));
}

//! What a new user trips over: tables whose rows name their files differently, arguments
//! swapped (an image given as the mask), and options whose defaults `--help` must show. (A
//! size mismatch and an absent label are in `cli.rs`.)

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{data, path, radiome, temp_dir};
use ndarray::Array3;
use radiome::image::{Geometry, Volume};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A one-row feature table for `image` with the given Contrast value.
fn one_row_table(dir: &Path, name: &str, image: &str, contrast: &str) -> PathBuf {
    let file = dir.join(name);
    let text = format!("Image,Mask,original_glcm_Contrast\n{image},mask.nrrd,{contrast}\n");
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn compare_pairs_differently_named_rows_by_order_and_says_so() {
    let dir = temp_dir("new-user", "compare");
    let reference = one_row_table(&dir, "ref.csv", "case1.nrrd", "1.5");
    let ours = one_row_table(&dir, "ours.csv", "/other/name.nii.gz", "1.5");
    let out = radiome(&["compare", path(&reference), path(&ours)]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.starts_with("rows paired by order\n"), "{report}");
    assert!(report.contains("summary: 1/1"), "{report}");

    let out = radiome(&["compare", path(&reference), path(&ours), "--pair", "names"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("no matching row"), "{report}");
}

#[test]
fn an_image_given_as_the_mask_is_named_in_a_warning() {
    let image = data().join("breast1_image.nrrd");
    let out = radiome(&["extract", path(&image), path(&image)]);
    let err = stderr(&out);
    assert!(
        err.contains("breast1_image.nrrd: the mask looks like an image")
            && err.contains("distinct values")
            && err.contains("int16 voxels")
            && err.contains("are image and mask swapped?"),
        "{err}"
    );
}

fn write_volume(file: &Path, voxels: Array3<f64>) {
    let volume = Volume {
        voxels,
        geometry: Geometry::identity(),
    };
    radiome::io::write_nifti(file, &volume).unwrap();
}

/// A 1 × 8 × 250 image of varied values.
fn varied_image(dir: &Path) -> PathBuf {
    let file = dir.join("image.nii.gz");
    write_volume(
        &file,
        Array3::from_shape_fn((1, 8, 250), |(_, y, x)| (x * 7 + y * 3) as f64),
    );
    file
}

#[test]
fn a_label_scattered_into_many_regions_is_named_in_a_warning() {
    let dir = temp_dir("new-user", "scattered");
    let image = varied_image(&dir);
    // Label 1 on every other voxel of one row (125 regions), plus a compact 2D block.
    let mask = dir.join("mask.nii.gz");
    write_volume(
        &mask,
        Array3::from_shape_fn((1, 8, 250), |(_, y, x)| {
            f64::from(u8::from((y == 0 && x % 2 == 0) || (y > 3 && x < 10)))
        }),
    );
    let out = radiome(&["extract", path(&image), path(&mask)]);
    let err = stderr(&out);
    assert!(
        err.contains(
            "mask.nii.gz: the mask looks like an image, not a label map (label 1 forms 126 separate regions"
        ),
        "{err}"
    );
}

#[test]
fn a_float_mask_with_fractions_is_named_but_an_integral_float_mask_is_not() {
    let dir = temp_dir("new-user", "float");
    let image = varied_image(&dir);
    let block = |y: usize, x: usize| y > 3 && x < 10;
    let integral = dir.join("integral.nii.gz");
    write_volume(
        &integral,
        Array3::from_shape_fn((1, 8, 250), |(_, y, x)| f64::from(u8::from(block(y, x)))),
    );
    let out = radiome(&["extract", path(&image), path(&integral)]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));

    let fractions = dir.join("fractions.nii.gz");
    write_volume(
        &fractions,
        Array3::from_shape_fn(
            (1, 8, 250),
            |(_, y, x)| if block(y, x) { 1.0 } else { 0.25 },
        ),
    );
    let err = stderr(&radiome(&["extract", path(&image), path(&fractions)]));
    assert!(
        err.contains("fractions.nii.gz: the mask looks like an image, not a label map (it holds non-integer values; float64 voxels)"),
        "{err}"
    );
}

/// The subcommands a `--help` text lists (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|&name| name != "help")
        .map(String::from)
        .collect()
}

/// The options a `--help` text lists, each with its description (which clap puts on the
/// following lines when the help is long).
fn option_entries(help: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for line in help.lines() {
        let trimmed = line.trim_start();
        // `--name` or `-n, --name`; not a possible value's `- value:` line.
        if trimmed.starts_with("--") || trimmed.get(2..3) == Some(",") {
            entries.push(trimmed.to_string());
        } else if let Some(entry) = entries.last_mut().filter(|_| line.starts_with("    ")) {
            entry.push(' ');
            entry.push_str(trimmed);
        }
    }
    entries
}

/// Every option of `command` (and of its subcommands) that takes a value and is not required
/// shows its default.
fn assert_defaults_shown(command: &[String]) {
    let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
    args.push("--help");
    let help = String::from_utf8_lossy(&radiome(&args).stdout).into_owned();
    let usage = help.lines().find(|l| l.starts_with("Usage:")).unwrap_or("");
    for entry in option_entries(&help) {
        let flag = entry
            .split_whitespace()
            .find(|w| w.starts_with("--"))
            .unwrap_or("");
        let flag = flag.trim_end_matches(',');
        let head = entry.split("  ").next().unwrap_or("");
        let exempt = !head.contains('<') || usage.contains(flag);
        assert!(
            exempt || entry.contains("[default: "),
            "{command:?}: {entry}"
        );
    }
    for sub in subcommands(&help) {
        assert_defaults_shown(&[command, &[sub]].concat());
    }
}

#[test]
fn help_shows_every_option_default() {
    let top = String::from_utf8_lossy(&radiome(&["--help"]).stdout).into_owned();
    let commands = subcommands(&top);
    assert!(commands.contains(&"extract".to_string()), "{top}");
    for command in commands {
        assert_defaults_shown(&[command]);
    }
}

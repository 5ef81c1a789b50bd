//! Derived regions: the peritumoral ring and the maximum slice equal the reference masks of the
//! five PyRadiomics cases (through the library and through `radiome mask`), and agree with the
//! definitions by brute force on small random anisotropic volumes; restriction to a tissue mask
//! or an intensity window; masks carried across grids; the mask writers' round trip.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use ndarray::Array3;
use radiome::image::regions::{
    RingOptions, max_slice, max_slice_index, resample_mask_to, restrict_to_mask,
    restrict_to_window, ring,
};
use radiome::image::resample::Grid;
use radiome::image::{Geometry, PixelType, Volume};
use radiome::io::{read_image, read_mask, write_mask, write_nrrd};
use radiome::preprocess::mask::label_region;

use common::{data, path};

const CASES: [&str; 5] = ["brain1", "brain2", "breast1", "lung1", "lung2"];

fn read_region(path: &Path) -> Volume<bool> {
    let mask = read_mask(path, 0).unwrap_or_else(|e| panic!("{e}"));
    Volume {
        voxels: mask.volume.voxels.mapv(|v| v != 0.0),
        geometry: mask.volume.geometry,
    }
}

fn tumour(case: &str) -> Volume<bool> {
    let mask = read_mask(&data().join(format!("{case}_label.nrrd")), 0).expect("label");
    label_region(&mask, 1).expect("label 1")
}

fn reference(case: &str, kind: &str) -> Volume<bool> {
    read_region(&data().join(format!("{case}_label_{kind}.nrrd")))
}

fn assert_same_region(ours: &Volume<bool>, expected: &Volume<bool>, what: &str) {
    assert_eq!(ours.geometry, expected.geometry, "{what}: geometry");
    let differ = ours
        .voxels
        .iter()
        .zip(expected.voxels.iter())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(ours.voxels.dim(), expected.voxels.dim(), "{what}: size");
    assert_eq!(differ, 0, "{what}: {differ} voxels differ");
}

#[test]
fn library_reproduces_reference_masks() {
    for case in CASES {
        let t = tumour(case);
        let max = max_slice(&t).expect("max slice");
        assert_same_region(&max, &reference(case, "maxslice"), case);
        let peri = ring(&t, &RingOptions::default()).expect("ring");
        assert_same_region(&peri, &reference(case, "peri3mm"), case);
        let planar = RingOptions {
            in_plane: true,
            ..RingOptions::default()
        };
        let max_peri = ring(&max, &planar).expect("in-plane ring");
        assert_same_region(&max_peri, &reference(case, "maxslice_peri3mm"), case);
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("radiome-regions-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn radiome_mask(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_radiome"))
        .arg("mask")
        .args(args)
        .output()
        .expect("run radiome");
    assert!(
        out.status.success(),
        "radiome mask {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn cli_reproduces_reference_masks() {
    let dir = temp_dir("cli");
    for (i, case) in CASES.iter().enumerate() {
        let label = data().join(format!("{case}_label.nrrd"));
        let label = label.to_str().expect("path");
        // NRRD for some cases and NIfTI for the others: both carry the label's grid.
        let ext = ["nrrd", "nii.gz", "nrrd", "nii", "nrrd"][i];
        let out = |kind: &str| dir.join(format!("{case}_{kind}.{ext}"));
        let s = |p: &Path| p.to_str().expect("path").to_string();
        let (max, peri, max_peri) = (out("maxslice"), out("peri3mm"), out("maxslice_peri3mm"));
        radiome_mask(&["maxslice", label, "-o", &s(&max)]);
        radiome_mask(&["ring", label, "--mm", "3", "-o", &s(&peri)]);
        radiome_mask(&["ring", &s(&max), "--in-plane", "-o", &s(&max_peri)]);
        for (path, kind) in [
            (max, "maxslice"),
            (peri, "peri3mm"),
            (max_peri, "maxslice_peri3mm"),
        ] {
            let ours = read_image(&path).expect("written mask");
            assert_eq!(ours.pixel_type, PixelType::U8, "{case} {kind}");
            let expected = reference(case, kind);
            let expected_values = expected.voxels.mapv(|v| f64::from(u8::from(v)));
            assert!(
                ours.volume.voxels == expected_values,
                "{case} {kind}: voxels"
            );
            if ext == "nrrd" {
                assert_eq!(ours.volume.geometry, expected.geometry, "{case} {kind}");
            }
        }
    }
}

/// Pseudo-random numbers of 31 bits from `seed` ([`common::random_u64s`]).
fn random(seed: u64) -> impl FnMut() -> u64 {
    let mut next = common::random_u64s(seed);
    move || next() >> 33
}

/// Spacings whose squared distances are exact in f64, so that ties with R are decided exactly.
fn anisotropic() -> Geometry {
    Geometry {
        spacing: [0.5, 1.25, 2.0],
        origin: [-3.0, 4.5, 10.0],
        direction: [[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 1.0]],
    }
}

/// A blob: voxels within a random ellipsoid, plus random specks.
fn random_tumour(seed: u64, dim: (usize, usize, usize)) -> Volume<bool> {
    let mut next = random(seed);
    let centre = [dim.0, dim.1, dim.2].map(|n| (next() % n as u64) as f64);
    let radius = [0, 1, 2].map(|_| 0.5 + (next() % 4) as f64);
    let specks = next() % 40;
    let voxels = Array3::from_shape_fn(dim, |(z, y, x)| {
        let r: f64 = [z, y, x]
            .iter()
            .enumerate()
            .map(|(a, &i)| ((i as f64 - centre[a]) / radius[a]).powi(2))
            .sum();
        r <= 1.0 || next() % 1000 < specks
    });
    Volume {
        voxels,
        geometry: anisotropic(),
    }
}

/// The ring by its definition, over all pairs of voxels.
fn ring_oracle(t: &Volume<bool>, options: &RingOptions) -> Array3<bool> {
    let s = t.geometry.spacing;
    let cells: Vec<((usize, usize, usize), bool)> =
        t.voxels.indexed_iter().map(|(i, &v)| (i, v)).collect();
    let nearest = |p: (usize, usize, usize), of: bool| {
        let d = |a: usize, b: usize, step: f64| (a as f64 - b as f64) * step;
        cells
            .iter()
            .filter(|(q, v)| *v == of && (!options.in_plane || q.0 == p.0))
            .map(|(q, _)| {
                let (dx, dy, dz) = (d(p.2, q.2, s[0]), d(p.1, q.1, s[1]), d(p.0, q.0, s[2]));
                (dx * dx + dy * dy) + dz * dz
            })
            .fold(f64::INFINITY, f64::min)
    };
    let (r, a) = (options.outer_mm, options.inner_mm);
    Array3::from_shape_fn(t.voxels.dim(), |p| match t.voxels[p] {
        false => nearest(p, true) <= r * r,
        true => a > 0.0 && nearest(p, false) <= a * a,
    })
}

#[test]
fn ring_equals_brute_force_on_random_anisotropic_masks() {
    // Radii on and between exact voxel distances (e.g. 2.5 = 2 × 1.25 = 5 × 0.5).
    let radii = [0.0, 0.5, 1.25, 2.0, 2.5, 3.0, 3.7];
    for seed in 0..60u64 {
        let t = random_tumour(seed, (6, 9, 13));
        if !t.voxels.iter().any(|&v| v) {
            continue;
        }
        let options = RingOptions {
            outer_mm: radii[seed as usize % radii.len()],
            inner_mm: [0.0, 0.5, 1.25, 2.0][seed as usize % 4],
            in_plane: seed % 3 == 0,
        };
        let ours = ring(&t, &options).expect("ring");
        assert_eq!(ours.geometry, t.geometry);
        assert_eq!(
            ours.voxels,
            ring_oracle(&t, &options),
            "seed {seed}: {options:?}"
        );
    }
}

#[test]
fn inner_margin_takes_the_tumour_rim() {
    // A 5-voxel run along x (0.5 mm voxels) in a 1 × 1 × 11 volume.
    let mut voxels = Array3::from_elem((1, 1, 11), false);
    (3..8).for_each(|x| voxels[[0, 0, x]] = true);
    let t = Volume {
        voxels,
        geometry: anisotropic(),
    };
    let options = RingOptions {
        outer_mm: 1.0,
        inner_mm: 0.5,
        in_plane: false,
    };
    let r = ring(&t, &options).expect("ring");
    let row: Vec<bool> = r.voxels.iter().copied().collect();
    // Outside: x = 1, 2 and 8, 9 (within 1 mm); inside: x = 3 and 7 (0.5 mm from background).
    let expected: Vec<bool> = (0..11).map(|x| matches!(x, 1..=3 | 7..=9)).collect();
    assert_eq!(row, expected);
}

#[test]
fn ring_refuses_empty_tumour_and_bad_distances() {
    let empty = Volume {
        voxels: Array3::from_elem((2, 3, 4), false),
        geometry: anisotropic(),
    };
    let err = ring(&empty, &RingOptions::default()).expect_err("empty");
    assert!(err.to_string().contains("empty region"), "{err}");
    assert!(max_slice(&empty).is_err());
    let t = random_tumour(3, (4, 5, 6));
    for (outer_mm, inner_mm) in [(-1.0, 0.0), (3.0, f64::NAN)] {
        let options = RingOptions {
            outer_mm,
            inner_mm,
            in_plane: false,
        };
        assert!(ring(&t, &options).is_err(), "{outer_mm} {inner_mm}");
    }
}

#[test]
fn ring_restricted_to_tissue_and_intensity_window() {
    let t = random_tumour(7, (6, 9, 13));
    let full = ring(&t, &RingOptions::default()).expect("ring");
    let tissue = random_tumour(8, (6, 9, 13));
    let in_tissue = restrict_to_mask(&full, &tissue).expect("tissue");
    let expected = Array3::from_shape_fn(t.voxels.dim(), |p| full.voxels[p] && tissue.voxels[p]);
    assert_eq!(in_tissue.voxels, expected);

    let image = Volume {
        voxels: Array3::from_shape_fn(t.voxels.dim(), |(z, y, x)| (z * 7 + y * 3 + x) as f64),
        geometry: anisotropic(),
    };
    let windowed = restrict_to_window(&full, &image, 10.0, 20.0).expect("window");
    let expected = Array3::from_shape_fn(t.voxels.dim(), |p| {
        full.voxels[p] && (10.0..=20.0).contains(&image.voxels[p])
    });
    assert_eq!(windowed.voxels, expected);
    assert!(
        windowed.voxels.iter().any(|&v| v),
        "window keeps some voxels"
    );
    assert!(restrict_to_window(&full, &image, 20.0, 10.0).is_err());

    let mut moved = tissue.clone();
    moved.geometry.origin[0] += 1.0;
    let err = restrict_to_mask(&full, &moved).expect_err("other grid");
    assert!(
        err.to_string().contains("not on the region's grid"),
        "{err}"
    );
}

#[test]
fn max_slice_ties_go_to_the_lowest_index() {
    let mut voxels = Array3::from_elem((5, 3, 3), false);
    voxels[[1, 0, 0]] = true;
    voxels[[1, 2, 2]] = true;
    voxels[[3, 1, 1]] = true;
    voxels[[3, 1, 2]] = true;
    voxels[[4, 0, 1]] = true;
    let region = Volume {
        voxels,
        geometry: anisotropic(),
    };
    assert_eq!(max_slice_index(&region), Some(1));
    let max = max_slice(&region).expect("max slice");
    let kept: Vec<_> = max
        .voxels
        .indexed_iter()
        .filter(|(_, v)| **v)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(kept, vec![(1, 0, 0), (1, 2, 2)]);
    // One more voxel in slice 3 makes it the maximum.
    let mut more = region.clone();
    more.voxels[[3, 0, 0]] = true;
    assert_eq!(max_slice_index(&more), Some(3));
}

/// Nearest-neighbour resampling by its definition for axis-aligned grids: the target voxel
/// centre's continuous source index, rounded half up, inside `[-0.5, n - 0.5)` on every axis.
fn resample_oracle(source: &Volume<bool>, target: &Grid) -> Array3<bool> {
    let (gs, gt) = (&source.geometry, &target.geometry);
    let n = source.size();
    let [nx, ny, nz] = target.size;
    Array3::from_shape_fn((nz, ny, nx), |(z, y, x)| {
        let index = [x, y, z];
        let ci = [0, 1, 2].map(|a| {
            let p = gt.origin[a] + index[a] as f64 * gt.spacing[a];
            (p - gs.origin[a]) / gs.spacing[a]
        });
        if (0..3).any(|a| ci[a] < -0.5 || ci[a] >= n[a] as f64 - 0.5) {
            return false;
        }
        let i = ci.map(|c| (c + 0.5).floor() as usize);
        source.voxels[[i[2], i[1], i[0]]]
    })
}

#[test]
fn mask_carried_onto_another_grid() {
    let source = Volume {
        geometry: Geometry {
            spacing: [0.5, 0.5, 1.25],
            origin: [-2.0, -1.0, 3.0],
            direction: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        },
        ..random_tumour(11, (8, 16, 16))
    };
    let target = Grid {
        size: [7, 6, 4],
        geometry: Geometry {
            spacing: [1.5, 1.0, 4.0],
            origin: [-1.0, 0.5, 2.0],
            direction: source.geometry.direction,
        },
    };
    let carried = resample_mask_to(&source, &target).expect("overlap");
    assert_eq!(carried.geometry, target.geometry);
    assert_eq!(carried.voxels, resample_oracle(&source, &target));
    assert!(carried.voxels.iter().any(|&v| v));

    // `radiome mask resample` carries a mask file onto an image file's grid the same way.
    let dir = temp_dir("resample");
    let (mask_file, image_file, out) = (dir.join("m.nrrd"), dir.join("i.nrrd"), dir.join("o.nrrd"));
    write_mask(&mask_file, &source).expect("write mask");
    let [nx, ny, nz] = target.size;
    let image = Volume {
        voxels: Array3::from_elem((nz, ny, nx), 7i16),
        geometry: target.geometry.clone(),
    };
    write_nrrd(&image_file, &image).expect("write image");
    radiome_mask(&[
        "resample",
        path(&mask_file),
        "--onto",
        path(&image_file),
        "-o",
        path(&out),
    ]);
    assert_same_region(&read_region(&out), &carried, "mask resample");

    let far = Grid {
        geometry: Geometry {
            origin: [500.0, 0.0, 0.0],
            ..target.geometry.clone()
        },
        ..target
    };
    let err = resample_mask_to(&source, &far).expect_err("no overlap");
    let message = err.to_string();
    assert!(message.contains("does not overlap"), "{message}");
    assert!(!message.contains('\n'), "one line: {message}");
}

#[test]
fn written_masks_read_back_with_voxels_and_geometry() {
    let dir = temp_dir("write");
    let region = Volume {
        geometry: Geometry {
            spacing: [0.7812499999999999, 0.9, 6.499999999999998],
            origin: [-99.60937499999999, 99.60937499999999, -77.99999999999996],
            direction: [[-1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, -1.0]],
        },
        ..random_tumour(5, (5, 6, 7))
    };
    let expected = region.voxels.mapv(|v| f64::from(u8::from(v)));
    for name in ["m.nrrd", "m.nii", "m.nii.gz", "M.NRRD"] {
        let path = dir.join(name);
        write_mask(&path, &region).expect("write");
        let back = read_image(&path).expect("read back");
        assert_eq!(back.pixel_type, PixelType::U8, "{name}");
        assert_eq!(back.volume.voxels, expected, "{name}");
        let (g, w) = (&back.volume.geometry, &region.geometry);
        if name.to_ascii_lowercase().ends_with(".nrrd") {
            assert_eq!(g, w, "{name}: NRRD keeps every bit");
        } else {
            // NIfTI-1 holds the geometry in single precision.
            for i in 0..3 {
                assert_eq!(g.spacing[i], w.spacing[i] as f32 as f64, "{name}");
                assert_eq!(g.origin[i], w.origin[i] as f32 as f64, "{name}");
            }
            assert_eq!(g.direction, w.direction, "{name}");
        }
    }
    let err = write_mask(&dir.join("m.png"), &region).expect_err("extension");
    assert!(err.to_string().contains("m.png"), "{err}");
}

//! LBP3D (`lbp-3D-m1` … `lbp-3D-k`) against PyRadiomics 3.1's own `getLBP3DImage` on small random
//! volumes (fixtures/lbp3d/lbp3d_cases.json, made by make_lbp3d_cases.py with SciPy's missing
//! `sph_harm` restored from `sph_harm_y`).

use ndarray::Array3;
use radiome::filters::lbp3d::{Lbp3dSettings, lbp3d_images};
use radiome::image::{Geometry, PixelType, Volume};
use serde::Deserialize;

#[derive(Deserialize)]
struct Output {
    name: String,
    settings: serde_json::Map<String, serde_json::Value>,
    voxels: Vec<u64>,
}

#[derive(Deserialize)]
struct Case {
    dtype: String,
    size: [usize; 3],
    spacing: [f64; 3],
    label: u8,
    input: Vec<u64>,
    mask: Vec<u8>,
    outputs: Vec<Output>,
}

fn pixel_type(dtype: &str) -> PixelType {
    match dtype {
        "int16" => PixelType::I16,
        "int32" => PixelType::I32,
        "uint8" => PixelType::U8,
        "float32" => PixelType::F32,
        "float64" => PixelType::F64,
        other => panic!("unexpected dtype {other}"),
    }
}

fn settings(map: &serde_json::Map<String, serde_json::Value>) -> Lbp3dSettings {
    let get = |key: &str| map.get(key).and_then(|v| v.as_f64());
    Lbp3dSettings {
        levels: get("lbp3DLevels").unwrap_or(2.0) as usize,
        radius: get("lbp3DIcosphereRadius").unwrap_or(1.0),
        subdivision: get("lbp3DIcosphereSubdivision").unwrap_or(1.0) as usize,
    }
}

/// Agreement: equal bits, both NaN, or within `tolerance` relative (absolute near zero).
fn close(got: f64, expected: f64, tolerance: f64) -> bool {
    got.to_bits() == expected.to_bits()
        || (got.is_nan() && expected.is_nan())
        || (got - expected).abs() <= tolerance * expected.abs().max(1.0)
}

/// PyRadiomics as it runs here: numpy's SIMD `arccos`/`arctan2` may put the sphere's angles an
/// ulp from the C library's, so values agree to 1e-12 (most to the bit).
#[test]
fn lbp3d_matches_pyradiomics() {
    let (compared, equal_bits) = check_cases("lbp3d_cases.json", 1e-12);
    assert!(
        equal_bits * 10 > compared * 7,
        "{equal_bits} of {compared} bit-equal"
    );
}

/// PyRadiomics with the C library's `acos`/`atan2` for the sphere's angles: bit for bit.
#[test]
fn lbp3d_matches_pyradiomics_bit_for_bit_with_libm_angles() {
    let (compared, equal_bits) = check_cases("lbp3d_cases_libm_angles.json", 0.0);
    assert_eq!(equal_bits, compared);
}

/// Compares every case of a fixture file; returns (values compared, values bit-equal or both NaN).
fn check_cases(file: &str, tolerance: f64) -> (usize, usize) {
    let path = format!("{}/fixtures/lbp3d/{file}", env!("CARGO_MANIFEST_DIR"));
    let cases: Vec<Case> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let (mut compared, mut equal_bits, mut nans) = (0, 0, 0);
    for case in &cases {
        let shape = (case.size[2], case.size[1], case.size[0]);
        let geometry = Geometry {
            spacing: case.spacing,
            ..Geometry::identity()
        };
        let voxels = case.input.iter().map(|&b| f64::from_bits(b)).collect();
        let image = Volume {
            voxels: Array3::from_shape_vec(shape, voxels).unwrap(),
            geometry: geometry.clone(),
        };
        let inside = case.mask.iter().map(|&m| m == case.label).collect();
        let mask = Volume {
            voxels: Array3::from_shape_vec(shape, inside).unwrap(),
            geometry,
        };
        let mut expected = case.outputs.iter();
        let mut last_settings = None;
        for output in &case.outputs {
            if last_settings == Some(&output.settings) {
                continue;
            }
            last_settings = Some(&output.settings);
            let lbp = settings(&output.settings);
            let images = lbp3d_images(&image, pixel_type(&case.dtype), &mask, lbp).unwrap();
            assert_eq!(images.len(), lbp.levels + 1);
            for (name, volume) in images {
                let reference = expected.next().unwrap();
                let what = format!("{} {:?} {name}", case.dtype, reference.settings);
                assert_eq!(name, reference.name, "{what}");
                let got: Vec<f64> = volume
                    .voxels
                    .iter()
                    .zip(mask.voxels.iter())
                    .filter(|(_, inside)| **inside)
                    .map(|(v, _)| *v)
                    .collect();
                assert_eq!(got.len(), reference.voxels.len(), "{what}");
                for (i, (&g, &e)) in got.iter().zip(&reference.voxels).enumerate() {
                    let e = f64::from_bits(e);
                    assert!(
                        close(g, e, tolerance),
                        "{file} {what} voxel {i}: got {g:e}, PyRadiomics {e:e}"
                    );
                    compared += 1;
                    equal_bits +=
                        usize::from(g.to_bits() == e.to_bits() || (g.is_nan() && e.is_nan()));
                    nans += usize::from(e.is_nan());
                }
            }
        }
    }
    eprintln!("{file}: {compared} values, {equal_bits} bit-equal, {nans} NaN");
    assert!(compared > 1000 && nans > 0);
    (compared, equal_bits)
}

#[test]
fn lbp3d_refuses_one_level() {
    let image = Volume {
        voxels: Array3::zeros((3, 3, 3)),
        geometry: Geometry::identity(),
    };
    let mask = Volume {
        voxels: Array3::from_elem((3, 3, 3), true),
        geometry: Geometry::identity(),
    };
    let lbp = Lbp3dSettings {
        levels: 1,
        radius: 1.0,
        subdivision: 1,
    };
    let err = lbp3d_images(&image, PixelType::F64, &mask, lbp).unwrap_err();
    assert!(err.to_string().contains("lbp3DLevels"), "{err}");
}

/// breast1 end to end: every feature of the LBP3D images against PyRadiomics 3.1
/// (fixtures/lbp3d/breast1_lbp3d.csv, made by make_breast1.py).
#[test]
fn breast1_lbp3d_features_match_pyradiomics() {
    use radiome::compare::{Table, Tolerance, compare};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("fixtures/pyradiomics-data");
    let extractor =
        radiome::Extractor::from_params_file(&root.join("fixtures/lbp3d/lbp3d_breast1.yaml"))
            .unwrap();
    let row = extractor
        .extract_files(
            &data.join("breast1_image.nrrd"),
            &data.join("breast1_label.nrrd"),
        )
        .unwrap();
    let ours = std::env::temp_dir().join(format!("radiome-lbp3d-{}.csv", std::process::id()));
    let mut file = std::fs::File::create(&ours).unwrap();
    radiome::output::write_csv(&mut file, std::slice::from_ref(&row)).unwrap();
    drop(file);
    let reference = Table::read(&root.join("fixtures/lbp3d/breast1_lbp3d.csv")).unwrap();
    let result = compare(
        &reference,
        &Table::read(&ours).unwrap(),
        Tolerance::default(),
    );
    std::fs::remove_file(&ours).unwrap();
    assert!(
        result.total() >= 279,
        "{}",
        result.report(Tolerance::default(), 10)
    );
    assert!(
        result.all_agree(),
        "{}",
        result.report(Tolerance::default(), 10)
    );
}

//! Integer images whose PyRadiomics `binWidth` edges wrap around in the image's own type (the
//! default `binWidth: 25` is a Python int; NumPy 2 keeps integer scalars in their type), against
//! PyRadiomics 3.1 outputs (fixtures/integer-binning/, made by make_integer_binning.py).

mod common;

use common::{assert_tables_agree, extract_table, fixtures};
use radiome::Extractor;
use radiome::compare::Table;
use radiome::image::PixelType;
use radiome::matrices::discretize::{bin_edges, digitize};
use radiome::params::{Params, TextureSettings};

#[test]
fn wrapped_bin_edges_match_pyradiomics() {
    let dir = fixtures().join("integer-binning");
    let reference = Table::read(&dir.join("pyradiomics.csv")).unwrap();
    assert_eq!(reference.rows.len(), 4);
    let ours = extract_table(&Extractor::new(Params::default()), &reference, &dir);
    assert_tables_agree("integer-binning", &reference, &ours, 400);
}

/// Where every ROI voxel falls outside the wrapped edges PyRadiomics fails (fixtures'
/// failing.txt); radiome refuses the case with an error naming the cause.
#[test]
fn voxels_outside_every_bin_are_an_error() {
    let dir = fixtures().join("integer-binning");
    for case in ["u8_max206", "i8_90"] {
        let err = Extractor::new(Params::default())
            .extract_files(
                &dir.join(format!("{case}_image.nrrd")),
                &dir.join(format!("{case}_label.nrrd")),
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("binWidth"), "{case}: {err}");
    }
}

/// With `binWidth` written as a float, nothing wraps: the same uint8 image gets many bins.
#[test]
fn float_bin_width_does_not_wrap() {
    let dir = fixtures().join("integer-binning");
    let mut params = Params::default();
    params.set("binWidth", 25.0).unwrap();
    assert!(!params.settings().texture.bin_width_is_int);
    let row = Extractor::new(params)
        .extract_files(
            &dir.join("u8_max206_image.nrrd"),
            &dir.join("u8_max206_label.nrrd"),
        )
        .unwrap();
    let entropy = row["original_firstorder_Entropy"].as_number().unwrap();
    assert!(entropy > 2.0, "{entropy}");
}

#[derive(serde::Deserialize)]
struct EdgeCase {
    dtype: String,
    width: u32,
    values: Vec<i64>,
    edge_count: usize,
    /// The first three and last three edges.
    edge_ends: Vec<f64>,
    levels: Vec<u32>,
}

/// 400 random integer ROIs near the ends of their type's range (fixtures/integer-binning/
/// edges.json, make_edges.py): PyRadiomics' edges (count and ends) and numpy's digitize.
#[test]
fn random_wrapped_edges_match_numpy() {
    let cases: Vec<EdgeCase> =
        serde_json::from_value(common::fixture_json("integer-binning/edges.json")).unwrap();
    assert_eq!(cases.len(), 400);
    for case in &cases {
        let pixel_type = match case.dtype.as_str() {
            "uint8" => PixelType::U8,
            "int8" => PixelType::I8,
            "uint16" => PixelType::U16,
            "int16" => PixelType::I16,
            "uint32" => PixelType::U32,
            "int32" => PixelType::I32,
            other => panic!("{other}"),
        };
        let settings = TextureSettings {
            bin_width: f64::from(case.width),
            ..TextureSettings::default()
        };
        let values: Vec<f64> = case.values.iter().map(|&v| v as f64).collect();
        let edges = bin_edges(&values, &settings, pixel_type).unwrap();
        let n = edges.len();
        let ends: Vec<f64> = edges[..n.min(3)]
            .iter()
            .chain(&edges[n.saturating_sub(3)..])
            .copied()
            .collect();
        let what = format!("{} width {} {:?}", case.dtype, case.width, case.values);
        assert_eq!(
            (n, ends),
            (case.edge_count, case.edge_ends.clone()),
            "{what}"
        );
        let levels: Vec<u32> = values.iter().map(|&v| digitize(v, &edges)).collect();
        assert_eq!(levels, case.levels, "{what}");
    }
}

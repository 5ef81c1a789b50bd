//! The feature tables (one per class, in src/features/) against PyRadiomics 3.1's feature names
//! (fixtures/params/feature_names.json, made by fixtures/params/make_feature_names.py): the same
//! names in the same order, the same deprecation flags and the same way of printing the value;
//! and the output of a case follows the tables.

use radiome::Extractor;
use radiome::features::table::Printed;
use radiome::output::{ResultRow, Value};
use radiome::params::{FeatureClass, Params};
use serde_json::Value as Json;

const PYRADIOMICS: &str = include_str!("../fixtures/params/feature_names.json");

/// The fixture's word for `printed`.
fn printed_word(printed: Printed) -> &'static str {
    match printed {
        Printed::Float => "float",
        Printed::IntegerWhenFlat => "integer_when_flat",
        Printed::Nothing => "nothing",
    }
}

#[test]
fn tables_match_pyradiomics_names_deprecation_and_printing() {
    let fixture: Json = serde_json::from_str(PYRADIOMICS).expect("feature_names.json parses");
    let classes = fixture["classes"].as_object().expect("classes");
    let mut ours: Vec<&str> = FeatureClass::ALL.iter().map(|c| c.name()).collect();
    let mut pyradiomics: Vec<&str> = classes.keys().map(String::as_str).collect();
    ours.sort_unstable();
    pyradiomics.sort_unstable();
    assert_eq!(ours, pyradiomics, "feature classes");
    for class in FeatureClass::ALL {
        let expected: Vec<(String, bool, String)> = classes[class.name()]
            .as_array()
            .expect("feature list")
            .iter()
            .map(|f| {
                let text = |key: &str| f[key].as_str().expect(key).to_string();
                (
                    text("name"),
                    f["deprecated"].as_bool().expect("flag"),
                    text("printed"),
                )
            })
            .collect();
        let ours: Vec<(String, bool, String)> = class
            .features()
            .iter()
            .map(|f| {
                (
                    f.name.to_string(),
                    f.deprecated,
                    printed_word(f.printed).into(),
                )
            })
            .collect();
        assert_eq!(ours, expected, "class {}", class.name());
    }
}

/// The result row of breast1 with `params`.
fn extract(params: Params) -> radiome::Result<ResultRow> {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pyradiomics-data");
    Extractor::new(params).extract_files(
        &data.join("breast1_image.nrrd"),
        &data.join("breast1_label.nrrd"),
    )
}

#[test]
fn output_follows_the_tables() {
    let mut params = Params::default();
    for class in FeatureClass::ALL {
        params.disable_feature_class(class);
    }
    // A named list keeps its order; a feature without value gets no column.
    let glcm = ["SumVariance", "MCC", "Dissimilarity", "Contrast"];
    params
        .enable_feature_class(FeatureClass::Glcm, Some(&glcm))
        .unwrap();
    params
        .enable_feature_class(FeatureClass::Gldm, None)
        .unwrap();
    // One grey level: MCC is the int 1.
    params.set("binWidth", 1e6).unwrap();
    let row = extract(params).expect("breast1 extracts");
    let features: Vec<(&str, &Value)> = row
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("original_")?, v)))
        .collect();
    let gldm: Vec<String> = FeatureClass::Gldm
        .default_features()
        .iter()
        .map(|name| format!("gldm_{name}"))
        .collect();
    let keys: Vec<&str> = features.iter().map(|(k, _)| *k).collect();
    let mut expected = vec!["glcm_MCC", "glcm_Contrast"];
    expected.extend(gldm.iter().map(String::as_str));
    assert_eq!(keys, expected);
    assert_eq!(features[0].1, &Value::Integer(1));
    assert_eq!(features[1].1, &Value::Number(0.0));
}

#[test]
fn a_name_outside_the_tables_is_an_error() {
    let mut params = Params::default();
    params
        .feature_classes
        .insert(FeatureClass::Ngtdm, Some(vec!["Busy".into()]));
    let err = extract(params).expect_err("an unknown feature");
    assert!(
        err.to_string()
            .contains("/featureClass/ngtdm: unknown feature 'Busy'"),
        "{err}"
    );
}

//! Every value of PyRadiomics' own baseline (fixtures/pyradiomics-data/baseline/baseline_*.csv),
//! each column run the way PyRadiomics' test harness runs it: its settings from
//! `diagnostics_Configuration_Settings`, only that file's feature class enabled, image type Original.

mod common;

use common::{Transposed, data, python_settings_to_yaml, within_tolerance};
use radiome::{Extractor, params::Params};

/// Values where the baseline was made by an older PyRadiomics that 3.1 no longer reproduces:
/// (column, feature, PyRadiomics 3.1's value, as in fixtures/pyradiomics-filters/wavelet_log.csv).
/// See the README's parity section.
const PYRADIOMICS_31_VALUES: &[(&str, &str, f64)] = &[
    ("brain1", "original_shape_MeshVolume", 16147.51180013021),
    ("brain1", "original_shape_SurfaceArea", 6438.821603779402),
    (
        "brain1",
        "original_shape_SurfaceVolumeRatio",
        0.3987500788652454,
    ),
    ("brain1", "original_shape_Sphericity", 0.4798234536231475),
];

fn check_class(class: &str) {
    let table = Transposed::read(&data().join(format!("baseline/baseline_{class}.csv")));
    let cases = table.row("diagnostics_Configuration_TestCase").to_vec();
    let settings = table.row("diagnostics_Configuration_Settings").to_vec();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (j, column) in table.columns.iter().enumerate() {
        let case = &cases[j];
        let (image, mask) = match case.strip_suffix("_2D") {
            Some(base) => (
                format!("{base}_image.nrrd"),
                format!("{base}_label_2D.nrrd"),
            ),
            None => (format!("{case}_image.nrrd"), format!("{case}_label.nrrd")),
        };
        let yaml = format!(
            "imageType: {{Original: {{}}}}\nfeatureClass: {{{class}: }}\nsetting: {}\n",
            python_settings_to_yaml(&settings[j])
        );
        let params = Params::from_str(&yaml, column).unwrap_or_else(|e| panic!("{column}: {e}"));
        let row = Extractor::new(params)
            .extract_files(&data().join(&image), &data().join(&mask))
            .unwrap_or_else(|e| panic!("{column}: {e}"));
        for (name, values) in &table.rows {
            if !name.starts_with("original_") || values[j].is_empty() {
                continue;
            }
            let reference = PYRADIOMICS_31_VALUES
                .iter()
                .find(|(c, f, _)| c == column && f == name)
                .map(|(_, _, v)| *v)
                .unwrap_or_else(|| values[j].parse().unwrap());
            checked += 1;
            match row.get(name.as_str()).and_then(|v| v.as_number()) {
                Some(ours) if within_tolerance(reference, ours) => {}
                ours => failures.push(format!(
                    "{column} {name}: reference {reference:e}, ours {ours:?}"
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{class}: {} of {checked} values differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 0);
}

#[test]
fn firstorder() {
    check_class("firstorder");
}

#[test]
fn glcm() {
    check_class("glcm");
}

#[test]
fn glrlm() {
    check_class("glrlm");
}

#[test]
fn glszm() {
    check_class("glszm");
}

#[test]
fn gldm() {
    check_class("gldm");
}

#[test]
fn ngtdm() {
    check_class("ngtdm");
}

#[test]
fn shape() {
    check_class("shape");
}

#[test]
fn shape2d() {
    check_class("shape2D");
}

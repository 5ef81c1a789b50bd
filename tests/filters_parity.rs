//! Every feature of every PyRadiomics 3.1 output in fixtures/pyradiomics-filters/ (6 parameter
//! files; whole-tumour, maximum-slice and 3 mm peritumoral-ring masks), recomputed and compared at
//! relative 1e-6 (absolute 1e-9); the diagnostics' voxel hashes exactly.

mod common;

use common::{assert_tables_agree, data, extract_table, fixtures};
use radiome::Extractor;
use radiome::compare::Table;
use radiome::params::Params;

/// Runs `config` on each case of the reference table `<config>[__<kind>].csv` with the masks
/// `<case>_label[_<kind>].nrrd` and compares the whole table.
fn check(config: &str, kind: Option<&str>) {
    let name = match kind {
        Some(kind) => format!("{config}__{kind}"),
        None => config.to_string(),
    };
    let reference =
        Table::read(&fixtures().join(format!("pyradiomics-filters/{name}.csv"))).unwrap();
    let params =
        Params::from_file(fixtures().join(format!("pyradiomics-configs/{config}.yaml"))).unwrap();
    let extractor = Extractor::new(params);
    let ours = extract_table(&extractor, &reference, &data());
    assert_tables_agree(&name, &reference, &ours, 1000);
    // The comparison skips diagnostics; the voxel hashes must be PyRadiomics' exactly.
    for key in ["Image", "Mask"].map(|k| format!("diagnostics_{k}-original_Hash")) {
        let cells = |table: &Table| {
            let col = table.header.iter().position(|h| *h == key).unwrap();
            table
                .rows
                .iter()
                .map(|r| r[col].clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(cells(&ours), cells(&reference), "{name}: {key}");
    }
}

#[test]
fn wavelet_log() {
    check("wavelet_log", None);
}

#[test]
fn wavelet_log_peritumoral_ring() {
    check("wavelet_log", Some("peri3mm"));
}

#[test]
fn simple_filters() {
    check("simple_filters", None);
}

#[test]
fn resampled_ct() {
    check("resampled_ct", None);
}

#[test]
fn mr_normalized() {
    check("mr_normalized", None);
}

#[test]
fn mr_2d_maximum_slice() {
    check("mr_2d", Some("maxslice"));
}

#[test]
fn mr_2d_maximum_slice_ring() {
    check("mr_2d", Some("maxslice_peri3mm"));
}

#[test]
fn wavelet_variants() {
    check("wavelet_variants", None);
}

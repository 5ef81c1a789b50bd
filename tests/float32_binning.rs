//! Float32 images discretised as PyRadiomics does in float32 (fixtures/float32-binning/): ROI values
//! on and one ulp around the float32 bin edges, which float64 binning puts in other bins. Every
//! firstorder, glcm and glszm feature of PyRadiomics 3.1's output is compared at relative 1e-6
//! (absolute 1e-9).

mod common;

use common::{assert_tables_agree, extract_table, fixtures};
use radiome::Extractor;
use radiome::compare::Table;
use radiome::params::Params;

/// Runs `params_<config>.yaml` on each image of `<config>.csv` and compares the whole table.
fn check(config: &str) {
    let dir = fixtures().join("float32-binning");
    let reference = Table::read(&dir.join(format!("{config}.csv"))).unwrap();
    let params = Params::from_file(dir.join(format!("params_{config}.yaml"))).unwrap();
    let extractor = Extractor::new(params);
    let ours = extract_table(&extractor, &reference, &dir);
    assert_tables_agree(config, &reference, &ours, 50 * reference.rows.len() - 1);
}

#[test]
fn bin_width_25() {
    check("bw25");
}

#[test]
fn bin_width_0_3() {
    check("bw03");
}

#[test]
fn bin_count_16() {
    check("bc16");
}

//! `radiome stats` against golden values from scikit-learn, statsmodels, SciPy and pingouin
//! (fixtures/stats/make_golden.py), and bad input giving one clear line and a non-zero exit.
//!
//! Tolerance: |ours − reference| ≤ 1e-6 · max(1, |reference|), i.e. absolute 1e-6 for values
//! up to 1 in magnitude and relative 1e-6 above.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stats")
}

fn golden() -> Value {
    let text = std::fs::read_to_string(fixtures().join("golden.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn radiome(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_radiome"))
        .args(args)
        .output()
        .expect("run radiome")
}

/// `radiome stats SUBCOMMAND FILE ARGS…` on a fixture, parsed as JSON.
fn stats(subcommand: &str, file: &str, args: &[&str]) -> Value {
    let path = fixtures().join(file);
    let output = radiome(&[&["stats", subcommand, path.to_str().unwrap()], args].concat());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Asserts `ours` equals `reference` within the tolerance, recursing through arrays and
/// objects (every key of `reference` must be present in `ours`).
fn assert_close(ours: &Value, reference: &Value, at: &str) {
    match (ours, reference) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-6 * b.abs().max(1.0),
                "{at}: {a} vs reference {b}"
            );
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{at}: length");
            for (i, (a, b)) in a.iter().zip(b).enumerate() {
                assert_close(a, b, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, b) in b {
                let a = a.get(key).unwrap_or_else(|| panic!("{at}: no key {key}"));
                assert_close(a, b, &format!("{at}.{key}"));
            }
        }
        _ => assert_eq!(ours, reference, "{at}"),
    }
}

/// `--flag value` for each value.
fn repeated<'a>(flag: &'a str, values: &'a [Value]) -> Vec<&'a str> {
    values
        .iter()
        .flat_map(|v| [flag, v.as_str().unwrap()])
        .collect()
}

#[test]
fn roc_auc_delong_and_youden_match_references() {
    for (file, reference) in golden()["roc"].as_object().unwrap() {
        // The scores in input order: the first of each DeLong pair, then its partners.
        let pairs = reference["delong"].as_array().unwrap();
        let first = pairs[0]["a"].clone();
        let partners = pairs
            .iter()
            .filter(|p| p["a"] == first)
            .map(|p| p["b"].clone());
        let names: Vec<Value> = std::iter::once(first.clone()).chain(partners).collect();
        let args = [vec!["--label", "malignant"], repeated("--score", &names)].concat();
        let ours = stats("roc", file, &args);
        assert_close(&ours, reference, file);
        assert_eq!(ours["delong"].as_array().unwrap().len(), 6);
    }
}

#[test]
fn logit_matches_statsmodels() {
    for (file, reference) in golden()["logit"].as_object().unwrap() {
        let args = [
            vec!["--label", "malignant"],
            repeated("--x", reference["x"].as_array().unwrap()),
        ]
        .concat();
        let ours = stats("logit", file, &args);
        assert_eq!(ours["n"], reference["n"]);
        assert_close(&ours["coefficients"], &reference["coefficients"], file);
    }
}

#[test]
fn lasso_at_fixed_lambda_matches_scikit_learn_with_the_same_selection() {
    for (file, reference) in golden()["lasso"].as_object().unwrap() {
        let lambda = reference["lambda"].to_string();
        let args = [
            vec!["--label", "malignant", "--lambda", &lambda],
            repeated("--x", reference["x"].as_array().unwrap()),
        ]
        .concat();
        let ours = stats("lasso", file, &args);
        for key in ["coefficients", "coefficients_original"] {
            assert_close(&ours[key], &reference[key], &format!("{file} {key}"));
            let selected = |v: &Value| -> Vec<String> {
                let map = v.as_object().unwrap();
                map.iter()
                    .filter(|(_, b)| b.as_f64() != Some(0.0))
                    .map(|(k, _)| k.clone())
                    .collect()
            };
            assert_eq!(
                selected(&ours[key]),
                selected(&reference[key]),
                "{file} {key}"
            );
        }
    }
}

#[test]
fn lasso_cross_validation_follows_glmnet_rules() {
    let ours = stats(
        "lasso",
        "subset.csv",
        &["--label", "malignant", "--folds", "5", "--seed", "3"],
    );
    let path = ours["path"].as_array().unwrap();
    let field = |i: usize, key: &str| path[i][key].as_f64().unwrap();
    // The path starts at λ_max with every coefficient zero and descends geometrically.
    assert!(path[0]["coefficients"].as_object().unwrap().is_empty());
    assert!(!path[1]["coefficients"].as_object().unwrap().is_empty());
    let ratio = field(1, "lambda") / field(0, "lambda");
    assert!((field(2, "lambda") / field(1, "lambda") - ratio).abs() < 1e-12);
    // λ_min: the largest λ at the minimum CV deviance; λ_1se: the largest within one SE.
    let deviances: Vec<f64> = (0..path.len()).map(|i| field(i, "cv_deviance")).collect();
    let lowest = deviances.iter().copied().fold(f64::INFINITY, f64::min);
    let min = deviances.iter().position(|&d| d == lowest).unwrap();
    assert_eq!(ours["lambda_min"], path[min]["lambda"]);
    assert_eq!(ours["lambda"], path[min]["lambda"]);
    let bound = lowest + field(min, "cv_se");
    let one_se = deviances.iter().position(|&d| d <= bound).unwrap();
    assert_eq!(ours["lambda_1se"], path[one_se]["lambda"]);
    assert!(one_se < min, "λ_1se should be larger than λ_min here");
    // The same seed gives the same folds and result.
    let again = stats(
        "lasso",
        "subset.csv",
        &["--label", "malignant", "--folds", "5", "--seed", "3"],
    );
    assert_eq!(ours, again);
}

#[test]
fn icc_matches_pingouin() {
    let ours = stats(
        "icc",
        "icc.csv",
        &["--target", "Wine", "--rater", "Judge", "--value", "Scores"],
    );
    assert_close(&ours["icc"], &golden()["icc"], "icc");
}

#[test]
fn net_benefit_matches_decision_curve_formula() {
    let ours = stats(
        "dca",
        "dca.csv",
        &[
            "--label",
            "malignant",
            "--score",
            "risk_size",
            "--score",
            "risk_shape",
        ],
    );
    assert_close(&ours, &golden()["dca"], "dca");
    assert!(
        ours["treat_none"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v == 0.0)
    );
}

#[test]
fn table1_tests_match_scipy() {
    let ours = stats("compare", "table1.csv", &["--by", "malignant"]);
    assert_close(&ours["variables"], &golden()["table1"], "table1");
    assert_eq!(ours["groups"], serde_json::json!(["0", "1"]));
}

/// Runs `radiome stats ARGS…` on a CSV written from `csv`; returns the exit success and stderr.
fn run_on_csv(name: &str, csv: &str, args: &[&str]) -> (bool, String) {
    let dir = std::env::temp_dir().join(format!("radiome-stats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, csv).unwrap();
    let file = path.to_str().unwrap();
    let args: Vec<&str> = args
        .iter()
        .map(|a| if *a == "FILE" { file } else { a })
        .collect();
    let output = radiome(&[&["stats"], args.as_slice()].concat());
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn bad_input_gives_one_line_naming_file_and_column() {
    let good = "y,a,b\n0,1.0,2\n1,2.5,1\n0,0.5,3\n1,3.0,2\n0,1.5,4\n1,2.0,1\n";
    let cases: [(&str, &str, &[&str], &str); 6] = [
        (
            "missing.csv",
            good,
            &["roc", "FILE", "--label", "y", "--score", "c"],
            "column 'c': no such column",
        ),
        (
            "label.csv",
            "y,a\n0,1\n2,2\n",
            &["roc", "FILE", "--label", "y", "--score", "a"],
            "column 'y': label must be 0 or 1",
        ),
        (
            "constant.csv",
            "y,a\n0,1\n1,1\n",
            &["logit", "FILE", "--label", "y", "--x", "a"],
            "column 'a': constant column",
        ),
        (
            "nan.csv",
            "y,a\n0,1\n1,NaN\n",
            &["lasso", "FILE", "--label", "y", "--lambda", "0.1"],
            "column 'a': row 2: NaN",
        ),
        (
            "folds.csv",
            good,
            &["lasso", "FILE", "--label", "y", "--folds", "5"],
            "5 folds need at least 5 cases of each class",
        ),
        (
            "separated.csv",
            "y,a,b\n0,1,5\n0,2,3\n0,3,4\n1,4,3\n1,5,5\n1,6,4\n",
            &["logit", "FILE", "--label", "y", "--x", "b", "--x", "a"],
            "variable 'a': perfect",
        ),
    ];
    for (name, csv, args, expected) in cases {
        let (success, stderr) = run_on_csv(name, csv, args);
        assert!(!success, "{name} should fail");
        assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains(expected),
            "{name}: {stderr}"
        );
    }
}

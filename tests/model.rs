//! `radiome model` on a small seeded synthetic table: selection keeps the informative features,
//! the three models and results.json's fields exist, the split is stratified and seeded,
//! transforms are fitted on the training set only, and bad input fails with one line naming
//! the file and the column.

use std::path::{Path, PathBuf};

use rand::RngExt;
use rand_distr::{Distribution, Normal};
use rand_pcg::Pcg64;

use radiome::model::config::ModelConfig;
use radiome::model::pipeline::{Cohort, fit};
use radiome::model::split::{DataSet, stratified_test_rows};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("radiome-model-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A table of `n` cases: outcome `y` (about 35% positive), split column `set` (internal /
/// external), feature group `rad_`: two informative features (`rad_inf1`, `rad_inf2`), a near
/// copy of `rad_inf1` (`rad_copy`, |r| > 0.99), a constant (`rad_const`) and six noise
/// features; clinical `clin_x` (informative, 0 / 1) and `clin_age` (noise).
fn table_rows(n: usize, seed: u64) -> (Vec<String>, Vec<Vec<f64>>, Vec<&'static str>) {
    let mut rng = Pcg64::new(u128::from(seed), 7);
    let noise = Normal::new(0.0, 1.0).unwrap();
    let header: Vec<String> = [
        "case_id",
        "y",
        "rad_inf1",
        "rad_copy",
        "rad_inf2",
        "rad_const",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain((1..=6).map(|i| format!("rad_noise{i}")))
    .chain(["clin_x".to_string(), "clin_age".to_string()])
    .collect();
    let mut rows = Vec::new();
    let mut sets = Vec::new();
    for i in 0..n {
        let y = f64::from(u8::from(rng.random::<f64>() < 0.35));
        let inf1 = 1.2 * y + noise.sample(&mut rng);
        let mut row = vec![
            i as f64,
            y,
            inf1,
            2.0 * inf1 + 0.01 * noise.sample(&mut rng),
        ];
        row.push(-y + noise.sample(&mut rng));
        row.push(5.0);
        row.extend((0..6).map(|_| noise.sample(&mut rng)));
        row.push(f64::from(u8::from(rng.random::<f64>() < 0.25 + 0.4 * y)));
        row.push(50.0 + 10.0 * noise.sample(&mut rng));
        rows.push(row);
        sets.push(if i % 5 == 4 { "external" } else { "internal" });
    }
    (header, rows, sets)
}

/// Writes the table (with `edit` applied to each row) and a model file; returns the model file.
fn write_study(dir: &Path, edit: impl Fn(usize, &mut Vec<String>)) -> PathBuf {
    let (header, rows, sets) = table_rows(300, 11);
    let mut text = header.join(",") + ",set\n";
    for (i, (row, set)) in rows.iter().zip(sets).enumerate() {
        let mut cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        cells.push(set.to_string());
        edit(i, &mut cells);
        text += &(cells.join(",") + "\n");
    }
    std::fs::write(dir.join("table.csv"), text).unwrap();
    let model = "\
tables: [table.csv]
outcome: y
split: {test_fraction: 0.3, seed: 3, external: {column: set, value: external}}
groups: [rad_]
clinical: [clin_x, clin_age]
folds: 5
seed: 2
";
    std::fs::write(dir.join("model.yaml"), model).unwrap();
    dir.join("model.yaml")
}

fn config(dir: &Path) -> ModelConfig {
    ModelConfig::from_file(&write_study(dir, |_, _| {})).unwrap()
}

#[test]
fn selection_keeps_the_informative_features_and_drops_copies_and_constants() {
    let dir = temp_dir("selection");
    let config = config(&dir);
    let cohort = Cohort::load(&config).unwrap();
    let fitted = fit(&config, &cohort).unwrap();
    let group = &fitted.selection[0];
    assert_eq!(group.candidates, 10);
    assert_eq!(group.after_variance, 9, "the constant goes");
    assert_eq!(group.after_correlation, 8, "the near copy goes");
    for informative in ["rad_inf1", "rad_inf2"] {
        assert!(
            group.selected.contains(&informative.to_string()),
            "{:?}",
            group.selected
        );
    }
    assert!(
        !group
            .selected
            .iter()
            .any(|f| f == "rad_copy" || f == "rad_const")
    );
    assert_eq!(fitted.features, group.selected);
    assert_eq!(fitted.models[1].variables, ["clin_x"], "clin_age is noise");
    assert_eq!(fitted.models[2].variables, ["Rad-score", "clin_x"]);
}

#[test]
fn split_is_stratified_and_seeded() {
    let labels: Vec<bool> = (0..100).map(|i| i % 3 == 0).collect();
    let rows: Vec<usize> = (0..90).collect();
    let test = stratified_test_rows(&labels, &rows, 0.3, 5);
    let positives = rows.iter().filter(|&&i| labels[i]).count();
    let test_positives = test.iter().filter(|&&i| labels[i]).count();
    assert_eq!(test_positives, (positives as f64 * 0.3).round() as usize);
    assert_eq!(
        test.len() - test_positives,
        ((90 - positives) as f64 * 0.3).round() as usize
    );
    assert!(test.iter().all(|&i| i < 90), "only the rows given");
    assert_eq!(test, stratified_test_rows(&labels, &rows, 0.3, 5));
    assert_ne!(test, stratified_test_rows(&labels, &rows, 0.3, 6));
}

#[test]
fn transforms_and_models_are_fitted_on_the_training_set_only() {
    let dir = temp_dir("train-only");
    let config = config(&dir);
    let cohort = Cohort::load(&config).unwrap();
    let fitted = fit(&config, &cohort).unwrap();
    let held_out: Vec<usize> = (0..cohort.sets.len())
        .filter(|&i| cohort.sets[i] != DataSet::Train)
        .collect();
    assert!(!held_out.is_empty());
    let changed = temp_dir("train-only-changed");
    let model = write_study(&changed, |i, cells| {
        if held_out.contains(&i) {
            for cell in &mut cells[2..14] {
                *cell = (cell.parse::<f64>().unwrap() * 100.0 + 7.0).to_string();
            }
        }
    });
    let config2 = ModelConfig::from_file(&model).unwrap();
    let cohort2 = Cohort::load(&config2).unwrap();
    assert_eq!(
        cohort2.sets, cohort.sets,
        "the split depends on labels and seed only"
    );
    let refitted = fit(&config2, &cohort2).unwrap();
    assert_eq!(refitted.scaler, fitted.scaler);
    assert_eq!(refitted.features, fitted.features);
    for (a, b) in refitted.models.iter().zip(&fitted.models) {
        assert_eq!(a.coefficients(), b.coefficients());
    }
}

#[test]
fn results_json_report_and_tables_are_written() {
    let dir = temp_dir("outputs");
    let model = write_study(&dir, |_, _| {});
    let out = dir.join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_radiome"))
        .args(["model", "--config"])
        .arg(&model)
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(out.join("results.json")).unwrap();
    let results: serde_json::Value = serde_json::from_str(&text).unwrap();
    for model in ["radiomics", "clinical", "combined"] {
        assert!(results["models"][model]["coefficients"]["(Intercept)"]["estimate"].is_f64());
        for set in ["train", "train_cv", "test", "external"] {
            let auc = &results["metrics"][set]["models"][model]["auc"];
            assert!(
                auc.as_f64().is_some_and(|a| a > 0.5),
                "{model} {set}: {auc}"
            );
            assert_eq!(
                results["metrics"][set]["models"][model]["ci"]
                    .as_array()
                    .unwrap()
                    .len(),
                2
            );
        }
    }
    assert_eq!(
        results["metrics"]["test"]["delong"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(
        results["radscore"]["formula"]
            .as_str()
            .unwrap()
            .contains("rad_inf1")
    );
    assert!(
        results["selection"][0]["selected"]
            .as_array()
            .unwrap()
            .len()
            >= 2
    );
    for file in [
        "report.html",
        "metrics.csv",
        "selection.csv",
        "clinical_screening.csv",
        "delong.csv",
        "predictions.csv",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.matches("<svg").count() >= 5);
}

/// Runs `radiome model` on the table edited by `edit` (with `model_edit` applied to the
/// model file) and returns its standard error; the run must fail.
fn failure(name: &str, edit: impl Fn(usize, &mut Vec<String>), model_edit: (&str, &str)) -> String {
    let dir = temp_dir(name);
    let model = write_study(&dir, edit);
    let text = std::fs::read_to_string(&model)
        .unwrap()
        .replace(model_edit.0, model_edit.1);
    std::fs::write(&model, text).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_radiome"))
        .args(["model", "--config"])
        .arg(&model)
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    stderr
}

#[test]
fn bad_input_names_the_file_and_the_column() {
    let missing = failure("missing", |_, _| {}, ("outcome: y", "outcome: HER2"));
    assert!(
        missing.contains("table.csv")
            && missing.contains("'HER2'")
            && missing.contains("no such column"),
        "{missing}"
    );
    let non_binary = failure(
        "non-binary",
        |i, c| {
            if i == 4 {
                c[1] = "2".into()
            }
        },
        ("", ""),
    );
    assert!(
        non_binary.contains("table.csv: column 'y'") && non_binary.contains("0 or 1"),
        "{non_binary}"
    );
    let constant = failure("constant", |_, c| c[12] = "1".into(), ("", ""));
    assert!(
        constant.contains("column 'clin_x'") && constant.contains("constant"),
        "{constant}"
    );
    let few = failure(
        "few-events",
        |i, c| c[1] = u8::from(i < 6).to_string(),
        ("", ""),
    );
    assert!(
        few.contains("column 'y'") && few.contains("fewer than the 5 folds"),
        "{few}"
    );
    let nan = failure(
        "nan",
        |i, c| {
            if i == 7 {
                c[4] = "NaN".into()
            }
        },
        ("", ""),
    );
    assert!(
        nan.contains("table.csv: column 'rad_inf2'") && nan.contains("row 8"),
        "{nan}"
    );
}

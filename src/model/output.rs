//! What `radiome model` writes: `results.json`, the study's tables as CSV, `predictions.csv`
//! and `report.html`.

use std::path::Path;

use serde_json::json;

use crate::model::config::ModelConfig;
use crate::model::data::{ModelError, Result};
use crate::model::dca::{net_benefit, treat_all};
use crate::model::pipeline::{Cohort, Evaluation, Fitted, MODEL_NAMES, SetMetrics, take};
use crate::model::report::{
    self, CalibrationBin, CalibrationCurve, CalibrationPanel, DecisionPanel, Level, NetBenefit,
    Nomogram, NomogramVariable, ReportData, RocCurve, RocPanel, Table, VariableScale,
};
use crate::model::roc::roc_curve;
use crate::model::split::DataSet;

/// Number of equal-width bins of predicted probability in the calibration plots.
const CALIBRATION_BINS: usize = 10;

/// Writes every output of a model run into `out` (created if needed).
pub fn write_all(
    config: &ModelConfig,
    cohort: &Cohort,
    fitted: &Fitted,
    evaluation: &Evaluation,
    out: &Path,
) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|e| io_error(out, e))?;
    let results = results_json(config, cohort, fitted, evaluation);
    let text = serde_json::to_string_pretty(&results).expect("results serialise");
    write_file(&out.join("results.json"), text.as_bytes())?;
    let data = report_data(config, cohort, fitted, evaluation);
    for (table, name) in data.tables.iter().zip(TABLE_FILES) {
        write_csv(&out.join(name), &table.header, &table.rows)?;
    }
    write_predictions(&out.join("predictions.csv"), config, cohort, fitted)?;
    let path = out.join("report.html");
    report::write(&data, &path).map_err(|e| ModelError::Table {
        file: path.display().to_string(),
        problem: e.to_string(),
    })
}

/// The CSV file of each report table, in table order.
const TABLE_FILES: [&str; 5] = [
    "metrics.csv",
    "selection.csv",
    "radiomics_coefficients.csv",
    "clinical_screening.csv",
    "delong.csv",
];

fn io_error(path: &Path, e: impl std::fmt::Display) -> ModelError {
    ModelError::Table {
        file: path.display().to_string(),
        problem: e.to_string(),
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| io_error(path, e))
}

fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) -> Result<()> {
    let mut writer = csv::Writer::from_path(path).map_err(|e| io_error(path, e))?;
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        writer.write_record(row).map_err(|e| io_error(path, e))?;
    }
    writer.flush().map_err(|e| io_error(path, e))
}

/// Each case's set, outcome and the three models' predicted probabilities.
fn write_predictions(
    path: &Path,
    config: &ModelConfig,
    cohort: &Cohort,
    fitted: &Fitted,
) -> Result<()> {
    let ids = cohort
        .table
        .text(&config.id)
        .map(<[String]>::to_vec)
        .unwrap_or_else(|_| (1..=cohort.labels.len()).map(|i| i.to_string()).collect());
    let probabilities: Vec<Vec<f64>> = (fitted.models.iter().zip(&fitted.designs))
        .map(|(m, d)| {
            m.linear_predictor(d)
                .into_iter()
                .map(crate::model::logit::sigmoid)
                .collect()
        })
        .collect();
    let mut header = vec![config.id.clone(), "set".into(), config.outcome.clone()];
    header.extend(MODEL_NAMES.iter().map(|m| m.to_string()));
    let rows: Vec<Vec<String>> = (0..ids.len())
        .map(|i| {
            let mut row = vec![
                ids[i].clone(),
                cohort.sets[i].key().into(),
                u8::from(cohort.labels[i]).to_string(),
            ];
            row.extend(probabilities.iter().map(|p| p[i].to_string()));
            row
        })
        .collect();
    write_csv(path, &header, &rows)
}

/// The Rad-score formula on the original feature values.
pub fn radscore_formula(fitted: &Fitted) -> String {
    let beta = fitted.models[0].coefficients();
    let mut formula = format!("Rad-score = {:.6}", beta[0]);
    for (j, name) in fitted.features.iter().enumerate() {
        let (mean, sd) = (fitted.scaler.means[j], fitted.scaler.sds[j]);
        formula += &format!(" {:+.6} × ({name} − {mean:.6}) / {sd:.6}", beta[j + 1]);
    }
    formula
}

/// results.json: settings, cohort, selection, models, Rad-score, metrics and DeLong tests.
fn results_json(
    config: &ModelConfig,
    cohort: &Cohort,
    fitted: &Fitted,
    evaluation: &Evaluation,
) -> serde_json::Value {
    let sets: serde_json::Map<String, serde_json::Value> = (DataSet::ALL.iter())
        .map(|&s| {
            let labels = cohort.labels_of(s);
            let positives = labels.iter().filter(|&&l| l).count();
            (
                s.key().to_string(),
                json!({"n": labels.len(), "positives": positives}),
            )
        })
        .collect();
    let models: serde_json::Map<String, serde_json::Value> = (fitted.models.iter())
        .map(|m| {
            (
                m.name.clone(),
                json!({"variables": m.variables, "coefficients": m.fit.coefficients}),
            )
        })
        .collect();
    json!({
        "outcome": config.outcome,
        "sets": sets,
        "selection": fitted.selection,
        "radscore": {
            "features": fitted.features,
            "scaler": fitted.scaler,
            "formula": radscore_formula(fitted),
        },
        "clinical_screening": fitted.screening,
        "models": models,
        "metrics": evaluation.sets,
    })
}

/// A set key's title in the report.
fn set_title(key: &str, folds: usize) -> String {
    match key {
        "train" => "Training".into(),
        "train_cv" => format!("Training ({folds}-fold CV)"),
        "test" => "Test".into(),
        _ => "External".into(),
    }
}

/// The report's data: tables, ROC, LASSO, decision curves, calibration, nomogram.
fn report_data(
    config: &ModelConfig,
    cohort: &Cohort,
    fitted: &Fitted,
    evaluation: &Evaluation,
) -> ReportData {
    let titled = || (evaluation.sets.iter()).map(|(k, m)| (set_title(k, config.folds), m));
    ReportData {
        title: config.title.clone(),
        notes: notes(config, cohort, fitted),
        tables: vec![
            metrics_table(config, evaluation),
            selection_table(fitted),
            coefficients_table(fitted),
            screening_table(fitted),
            delong_table(config, evaluation),
        ],
        roc: titled().map(|(set, m)| roc_panel(set, m)).collect(),
        lasso: fitted.selection.first().map(|s| s.lasso.clone()),
        decision_curves: titled().map(|(set, m)| decision_panel(set, m)).collect(),
        calibration: titled().map(|(set, m)| calibration_panel(set, m)).collect(),
        nomogram: Some(nomogram(config, cohort, fitted)),
    }
}

fn notes(config: &ModelConfig, cohort: &Cohort, fitted: &Fitted) -> Vec<String> {
    let count = |s| {
        let labels = cohort.labels_of(s);
        format!(
            "{} {} ({} positive)",
            labels.len(),
            DataSet::title(s).to_lowercase(),
            labels.iter().filter(|&&l| l).count()
        )
    };
    vec![
        format!(
            "Outcome '{}'; {}, {}, {} cases.",
            config.outcome,
            count(DataSet::Train),
            count(DataSet::Test),
            count(DataSet::External)
        ),
        radscore_formula(fitted),
        format!("radiome {}", env!("CARGO_PKG_VERSION")),
    ]
}

fn fmt3(x: f64) -> String {
    format!("{x:.3}")
}

fn auc_text(m: &SetMetrics, model: &str) -> String {
    let s = &m.models[model];
    format!("{:.3} ({:.3}–{:.3})", s.auc, s.ci[0], s.ci[1])
}

fn metrics_table(config: &ModelConfig, evaluation: &Evaluation) -> Table {
    let header = [
        "set",
        "model",
        "AUC (95% CI)",
        "sensitivity",
        "specificity",
        "accuracy",
        "PPV",
        "NPV",
    ];
    let mut rows = Vec::new();
    for (key, m) in &evaluation.sets {
        for model in MODEL_NAMES {
            let y = &m.models[model].youden;
            let mut row = vec![
                set_title(key, config.folds),
                model.to_string(),
                auc_text(m, model),
            ];
            row.extend([y.sensitivity, y.specificity, y.accuracy, y.ppv, y.npv].map(fmt3));
            rows.push(row);
        }
    }
    table("Model performance (Youden threshold)", &header, rows)
}

fn table(caption: &str, header: &[&str], rows: Vec<Vec<String>>) -> Table {
    Table {
        caption: caption.into(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

fn selection_table(fitted: &Fitted) -> Table {
    let header = [
        "group",
        "features",
        "variance > threshold",
        "|r| filter",
        "LASSO-CV",
        "selected",
    ];
    let rows = (fitted.selection.iter())
        .map(|s| {
            let counts = [
                s.candidates,
                s.after_variance,
                s.after_correlation,
                s.after_lasso,
                s.selected.len(),
            ];
            [
                vec![s.group.clone()],
                counts.iter().map(usize::to_string).collect(),
            ]
            .concat()
        })
        .collect();
    table("Radiomics feature selection (training set)", &header, rows)
}

fn coefficients_table(fitted: &Fitted) -> Table {
    let model = &fitted.models[0];
    let rows = (model.fit.coefficients.iter())
        .map(|(name, c)| {
            vec![
                name.clone(),
                format!("{:.4}", c.estimate),
                format!("{:.4}", c.se),
                format!("{:.4}", c.p),
            ]
        })
        .collect();
    table(
        "Rad-score: logistic coefficients on z-scored features",
        &["feature", "β", "SE", "p"],
        rows,
    )
}

fn or_text((or, ci, p): (f64, [f64; 2], f64)) -> [String; 2] {
    [
        format!("{or:.3} ({:.3}–{:.3})", ci[0], ci[1]),
        format!("{p:.4}"),
    ]
}

fn screening_table(fitted: &Fitted) -> Table {
    let header = [
        "variable",
        "univariate OR (95% CI)",
        "p",
        "multivariate OR (95% CI)",
        "p",
    ];
    let rows = (fitted.screening.iter())
        .map(|s| {
            let multi = s
                .multivariate
                .map(or_text)
                .unwrap_or(["–".into(), "–".into()]);
            [
                vec![s.variable.clone()],
                or_text(s.univariate).to_vec(),
                multi.to_vec(),
            ]
            .concat()
        })
        .collect();
    table("Clinical screening (training set)", &header, rows)
}

fn delong_table(config: &ModelConfig, evaluation: &Evaluation) -> Table {
    let mut rows = Vec::new();
    for (key, m) in &evaluation.sets {
        for t in &m.delong {
            rows.push(vec![
                set_title(key, config.folds),
                t.a.clone(),
                t.b.clone(),
                fmt3(t.test.z),
                format!("{:.4}", t.test.p),
            ]);
        }
    }
    table(
        "DeLong tests between models",
        &["set", "model A", "model B", "z", "p"],
        rows,
    )
}

fn roc_panel(set: String, m: &SetMetrics) -> RocPanel {
    let curves = (MODEL_NAMES.iter().zip(&m.probabilities))
        .map(|(model, p)| RocCurve {
            model: model.to_string(),
            auc: auc_text(m, model),
            points: roc_curve(p, &m.labels)
                .iter()
                .map(|r| (r.fpr, r.tpr))
                .collect(),
        })
        .collect();
    RocPanel { set, curves }
}

fn decision_panel(set: String, m: &SetMetrics) -> DecisionPanel {
    let thresholds: Vec<f64> = (1..100).map(|i| f64::from(i) / 100.0).collect();
    let models = (MODEL_NAMES.iter().zip(&m.probabilities))
        .map(|(model, p)| NetBenefit {
            model: model.to_string(),
            values: net_benefit(p, &m.labels, &thresholds),
        })
        .collect();
    DecisionPanel {
        set,
        treat_all: treat_all(&m.labels, &thresholds),
        thresholds,
        models,
    }
}

fn calibration_panel(set: String, m: &SetMetrics) -> CalibrationPanel {
    let curves = (MODEL_NAMES.iter().zip(&m.probabilities))
        .map(|(model, p)| CalibrationCurve {
            model: model.to_string(),
            bins: calibration_bins(p, &m.labels),
        })
        .collect();
    CalibrationPanel { set, curves }
}

/// Equal-width bins of predicted probability (empty bins left out).
pub fn calibration_bins(probabilities: &[f64], labels: &[bool]) -> Vec<CalibrationBin> {
    let mut sums = vec![(0.0, 0usize, 0usize); CALIBRATION_BINS];
    for (&p, &l) in probabilities.iter().zip(labels) {
        let bin = ((p * CALIBRATION_BINS as f64) as usize).min(CALIBRATION_BINS - 1);
        sums[bin].0 += p;
        sums[bin].1 += usize::from(l);
        sums[bin].2 += 1;
    }
    (sums.into_iter())
        .filter(|s| s.2 > 0)
        .map(|(p, events, count)| CalibrationBin {
            predicted: p / count as f64,
            observed: events as f64 / count as f64,
            count,
        })
        .collect()
}

/// The combined model's nomogram; scales span the training values (0 / 1 variables as levels).
fn nomogram(config: &ModelConfig, cohort: &Cohort, fitted: &Fitted) -> Nomogram {
    let model = &fitted.models[2];
    let beta = model.coefficients();
    let train = cohort.rows(DataSet::Train);
    let variables = (model
        .variables
        .iter()
        .zip(&fitted.designs[2])
        .zip(&beta[1..]))
    .map(|((name, column), &coefficient)| NomogramVariable {
        name: name.clone(),
        coefficient,
        scale: scale_of(&take(column, &train)),
    })
    .collect();
    Nomogram {
        model: "combined".into(),
        outcome: format!("Probability of {}", config.outcome),
        intercept: beta[0],
        variables,
    }
}

fn scale_of(values: &[f64]) -> VariableScale {
    if values.iter().all(|&v| v == 0.0 || v == 1.0) {
        let level = |value: f64| Level {
            label: format!("{value}"),
            value,
        };
        return VariableScale::Levels {
            levels: vec![level(0.0), level(1.0)],
        };
    }
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    VariableScale::Continuous { min, max }
}

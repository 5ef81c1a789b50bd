//! A deterministic example report shaped like the HER2 study radiome's modelling layer follows
//! (three models on training, test and external sets), for the `report_demo` example and the
//! rendering tests. Its curves come from closed forms with the study's AUCs, not from data.

use super::data::*;

/// The models, in legend order.
const MODELS: [&str; 3] = ["Clinical", "Radiomics", "Combined"];

/// The data sets: name, cases, positive cases, and each model's AUC (the study's).
const SETS: [(&str, usize, usize, [f64; 3]); 3] = [
    ("Training", 141, 49, [0.820, 0.854, 0.923]),
    ("Test", 61, 21, [0.789, 0.748, 0.915]),
    ("External", 50, 20, [0.709, 0.770, 0.837]),
];

/// The example report.
pub fn report_data() -> ReportData {
    ReportData {
        title: "HER2 status from multiparametric MRI radiomics: model report".into(),
        notes: vec![
            "Example data: curves are closed-form stand-ins with the study's AUCs, not results."
                .into(),
            "202 internal cases (70 HER2-positive) split 7:3, 50 external cases (20 positive)."
                .into(),
        ],
        tables: vec![auc_table(), features_table()],
        roc: SETS
            .iter()
            .map(|set| roc_panel(set.0, set.1, set.2, set.3))
            .collect(),
        lasso: Some(lasso_path()),
        decision_curves: SETS
            .iter()
            .map(|set| decision_panel(set.0, set.2 as f64 / set.1 as f64, set.3))
            .collect(),
        calibration: SETS
            .iter()
            .enumerate()
            .map(|(i, set)| calibration_panel(set.0, set.1, i))
            .collect(),
        nomogram: Some(nomogram()),
    }
}

/// The "power" ROC curve TPR = 1 − (1 − FPR)^k, whose AUC is k / (k + 1).
fn power_k(auc: f64) -> f64 {
    auc / (1.0 - auc)
}

/// "AUC (lo–hi)" with Hanley & McNeil's (1982) standard error.
fn auc_text(auc: f64, n: usize, positives: usize) -> String {
    let (n1, n0) = (positives as f64, (n - positives) as f64);
    let q1 = auc / (2.0 - auc);
    let q2 = 2.0 * auc * auc / (1.0 + auc);
    let variance =
        (auc * (1.0 - auc) + (n1 - 1.0) * (q1 - auc * auc) + (n0 - 1.0) * (q2 - auc * auc))
            / (n1 * n0);
    let half = 1.96 * variance.sqrt();
    format!(
        "{auc:.3} ({:.3}–{:.3})",
        (auc - half).max(0.0),
        (auc + half).min(1.0)
    )
}

fn roc_panel(set: &str, n: usize, positives: usize, aucs: [f64; 3]) -> RocPanel {
    let curves = MODELS.iter().zip(aucs).map(|(model, auc)| {
        let k = power_k(auc);
        let points = (0..=50).map(|i| {
            let fpr = f64::from(i) / 50.0;
            (fpr, 1.0 - (1.0 - fpr).powf(k))
        });
        RocCurve {
            model: model.to_string(),
            auc: auc_text(auc, n, positives),
            points: points.collect(),
        }
    });
    RocPanel {
        set: set.into(),
        curves: curves.collect(),
    }
}

/// Net benefit of a calibrated model with the power ROC curve of `k` at prevalence `prevalence`:
/// treating above threshold t is the ROC point whose slope k(1 − FPR)^(k−1) equals the
/// threshold's odds over the prior odds.
fn net_benefit(k: f64, prevalence: f64, t: f64) -> f64 {
    let harm = t / (1.0 - t);
    let slope = (1.0 - prevalence) / prevalence * harm;
    let specificity = (slope / k).powf(1.0 / (k - 1.0)).min(1.0);
    let (fpr, tpr) = (1.0 - specificity, 1.0 - specificity.powf(k));
    prevalence * tpr - (1.0 - prevalence) * fpr * harm
}

fn decision_panel(set: &str, prevalence: f64, aucs: [f64; 3]) -> DecisionPanel {
    let thresholds: Vec<f64> = (1..100).map(|i| f64::from(i) / 100.0).collect();
    let treat_all = thresholds
        .iter()
        .map(|t| prevalence - (1.0 - prevalence) * t / (1.0 - t));
    let models = MODELS.iter().zip(aucs).map(|(model, auc)| NetBenefit {
        model: model.to_string(),
        values: thresholds
            .iter()
            .map(|&t| net_benefit(power_k(auc), prevalence, t))
            .collect(),
    });
    DecisionPanel {
        set: set.into(),
        treat_all: treat_all.collect(),
        models: models.collect(),
        thresholds,
    }
}

/// Bins of predicted probability with observed frequencies wobbling around the ideal line.
fn calibration_panel(set: &str, n: usize, seed: usize) -> CalibrationPanel {
    let curves = MODELS.iter().enumerate().map(|(m, model)| {
        let bins = (0..8).map(|b| {
            let predicted = (f64::from(b) + 0.5) / 8.0;
            let wobble = 0.07 * (2.1 * f64::from(b) + 1.7 * m as f64 + seed as f64).sin();
            let share = (1.0 + 0.5 * (0.9 * f64::from(b)).cos()) / 8.0;
            CalibrationBin {
                predicted,
                observed: (predicted + wobble).clamp(0.0, 1.0),
                count: (n as f64 * share).round() as usize,
            }
        });
        CalibrationCurve {
            model: model.to_string(),
            bins: bins.collect(),
        }
    });
    CalibrationPanel {
        set: set.into(),
        curves: curves.collect(),
    }
}

/// Features of the LASSO path: name, log(λ) where it enters, slope of |β| per unit of log(λ).
const PATH_FEATURES: [(&str, f64, f64); 8] = [
    ("T2_intra_glszm_ZoneEntropy", -1.6, 0.42),
    ("DWI_peri_glcm_Idmn", -1.9, -0.35),
    ("DCE_intra_firstorder_Kurtosis", -2.4, 0.30),
    ("T2_peri_gldm_DependenceVariance", -2.9, -0.22),
    ("DCE_peri_glrlm_RunEntropy", -3.3, 0.18),
    ("DWI_intra_firstorder_Median", -4.0, -0.15),
    ("T2_intra_shape2D_Elongation", -4.6, 0.12),
    ("DCE_intra_ngtdm_Busyness", -5.1, -0.10),
];

/// The λ grid (log-spaced from 0.25 down to 0.0025), coefficient paths and CV curve.
fn lambda_grid() -> Vec<f64> {
    (0..50)
        .map(|i| 0.25 * (0.01f64).powf(f64::from(i) / 49.0))
        .collect()
}

fn lasso_path() -> LassoPath {
    let lambdas = lambda_grid();
    let coefficients = PATH_FEATURES
        .iter()
        .map(|&(feature, enters, slope)| CoefficientPath {
            feature: feature.into(),
            values: lambdas
                .iter()
                .map(|l| slope * (enters - l.ln()).max(0.0))
                .collect(),
        });
    let centre = 0.02f64.ln();
    let cv_mean: Vec<f64> = lambdas
        .iter()
        .map(|l| 1.29 - 0.33 * (-((l.ln() - centre) / 1.4).powi(2)).exp())
        .collect();
    let cv_se: Vec<f64> = lambdas
        .iter()
        .map(|l| 0.045 + 0.004 * l.ln().abs())
        .collect();
    let best = (0..lambdas.len())
        .min_by(|&a, &b| cv_mean[a].total_cmp(&cv_mean[b]))
        .expect("grid not empty");
    let limit = cv_mean[best] + cv_se[best];
    let one_se = (0..lambdas.len())
        .find(|&i| cv_mean[i] <= limit)
        .expect("best is within");
    LassoPath {
        lambda_min: lambdas[best],
        lambda_1se: lambdas[one_se],
        coefficients: coefficients.collect(),
        lambdas,
        cv_mean,
        cv_se,
    }
}

fn nomogram() -> Nomogram {
    let continuous = |name: &str, coefficient: f64, min: f64, max: f64| NomogramVariable {
        name: name.into(),
        coefficient,
        scale: VariableScale::Continuous { min, max },
    };
    let levels = ["Negative", "Positive"].iter().enumerate();
    let levels = levels.map(|(i, label)| Level {
        label: label.to_string(),
        value: i as f64,
    });
    Nomogram {
        model: "Combined".into(),
        outcome: "Risk of HER2-positive".into(),
        intercept: -1.6,
        variables: vec![
            continuous("Rad-score", 1.05, -3.5, 3.0),
            continuous("Ki-67 (%)", 0.028, 5.0, 90.0),
            NomogramVariable {
                name: "ER status".into(),
                coefficient: -1.1,
                scale: VariableScale::Levels {
                    levels: levels.collect(),
                },
            },
            continuous("Tumour size (mm)", 0.021, 8.0, 65.0),
        ],
    }
}

/// AUC (95% CI) per model and set.
fn auc_table() -> Table {
    let rows = MODELS.iter().enumerate().map(|(m, model)| {
        let cells = SETS
            .iter()
            .map(|&(_, n, positives, aucs)| auc_text(aucs[m], n, positives));
        std::iter::once(model.to_string()).chain(cells).collect()
    });
    let sets = SETS
        .iter()
        .map(|&(set, n, _, _)| format!("{set} (n = {n})"));
    Table {
        caption: "AUC (95% CI) of each model per data set".into(),
        header: std::iter::once("Model".to_string()).chain(sets).collect(),
        rows: rows.collect(),
    }
}

/// The radiomics features kept at λ_1se and their coefficients there.
fn features_table() -> Table {
    let lasso = lasso_path();
    let at = lasso
        .lambdas
        .iter()
        .position(|&l| l == lasso.lambda_1se)
        .expect("on the grid");
    let kept = lasso
        .coefficients
        .iter()
        .filter(|path| path.values[at] != 0.0);
    Table {
        caption: format!(
            "Radiomics features selected by LASSO at λ1se = {:.4}",
            lasso.lambda_1se
        ),
        header: vec!["Feature".into(), "Coefficient".into()],
        rows: kept
            .map(|path| vec![path.feature.clone(), format!("{:.4}", path.values[at])])
            .collect(),
    }
}

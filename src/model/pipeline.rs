//! `radiome model`'s analysis: load and split the cohort, select radiomics features per group,
//! fit the radiomics (Rad-score), clinical and combined logistic models on the training set, and
//! evaluate them (10-fold CV on training, test and external sets, DeLong between models).

use rayon::prelude::*;
use serde::Serialize;

use crate::model::config::ModelConfig;
use crate::model::data::{ModelError, Result, Table};
use crate::model::lasso_cv::stratified_folds;
use crate::model::logit::{LogitFit, fit_logit, sigmoid};
use crate::model::roc::{NamedTest, ScoreSummary, analyse};
use crate::model::select::{GroupSelection, Scaler, select_group};
use crate::model::split::{DataSet, assign};

/// Significance level of the clinical screening.
pub const SCREENING_P: f64 = 0.05;

/// The three models, in report order.
pub const MODEL_NAMES: [&str; 3] = ["radiomics", "clinical", "combined"];

/// The cohort: one joined table, its outcome and each row's set.
pub struct Cohort {
    /// The joined table.
    pub table: Table,
    /// The outcome of each row.
    pub labels: Vec<bool>,
    /// The set of each row.
    pub sets: Vec<DataSet>,
}

impl Cohort {
    /// Reads, joins and splits the tables of `config`; checks the outcome and the folds.
    pub fn load(config: &ModelConfig) -> Result<Cohort> {
        let tables = (config.tables.iter())
            .map(|path| Table::read(path))
            .collect::<Result<Vec<_>>>()?;
        let table = join(tables, &config.id)?;
        let labels = table.label(&config.outcome)?;
        let sets = assign(&table, &config.split, &labels)?;
        let cohort = Cohort {
            table,
            labels,
            sets,
        };
        let train = cohort.labels_of(DataSet::Train);
        let events = train.iter().filter(|&&l| l).count();
        let fewest = events.min(train.len() - events);
        if fewest < config.folds {
            let problem = format!(
                "the training set's rarer class has {fewest} cases, fewer than the {} folds",
                config.folds
            );
            return Err(cohort.table.column_error(&config.outcome, problem));
        }
        Ok(cohort)
    }

    /// The rows of `set`.
    pub fn rows(&self, set: DataSet) -> Vec<usize> {
        (0..self.sets.len())
            .filter(|&i| self.sets[i] == set)
            .collect()
    }

    /// The outcomes of `set`.
    pub fn labels_of(&self, set: DataSet) -> Vec<bool> {
        self.rows(set).iter().map(|&i| self.labels[i]).collect()
    }

    /// The feature columns of a group: those starting with `prefix`, less diagnostics.
    pub fn group_columns(&self, prefix: &str) -> Vec<String> {
        (self.table.headers().iter())
            .filter(|h| h.starts_with(prefix) && !h.contains("diagnostics_"))
            .cloned()
            .collect()
    }
}

/// `values` at `rows`.
pub fn take(values: &[f64], rows: &[usize]) -> Vec<f64> {
    rows.iter().map(|&i| values[i]).collect()
}

/// Joins tables on `id`: the first table's rows, each with the other tables' cells of the same
/// id (a missing or repeated id is an error naming the file).
fn join(mut tables: Vec<Table>, id: &str) -> Result<Table> {
    let first = tables.remove(0);
    if tables.is_empty() {
        return Ok(first);
    }
    let ids = first.text(id)?.to_vec();
    let mut headers = first.headers().to_vec();
    let mut columns: Vec<Vec<String>> = (headers.iter())
        .map(|h| first.text(h).map(<[String]>::to_vec))
        .collect::<Result<_>>()?;
    for table in &tables {
        let other_ids = table.text(id)?;
        let position = |case: &String| match other_ids.iter().position(|o| o == case) {
            Some(row) => Ok(row),
            None => Err(table.column_error(id, format!("no row for case '{case}'"))),
        };
        let rows: Vec<usize> = ids.iter().map(position).collect::<Result<_>>()?;
        for header in table.headers().iter().filter(|h| *h != id) {
            let cells = table.text(header)?;
            headers.push(header.clone());
            columns.push(rows.iter().map(|&r| cells[r].clone()).collect());
        }
    }
    Table::from_columns(first.file(), headers, columns)
}

/// A fitted logistic model: its variables and coefficients.
#[derive(Debug, Clone, Serialize)]
pub struct LogisticModel {
    /// The model's name.
    pub name: String,
    /// Its variables, in coefficient order.
    pub variables: Vec<String>,
    /// The fit (statsmodels `Logit`).
    pub fit: LogitFit,
}

impl LogisticModel {
    /// Fits the model on the training rows of `columns` (all rows; `variables[i]` ↔ `columns[i]`).
    fn fit(
        name: &str,
        variables: Vec<String>,
        columns: &[Vec<f64>],
        cohort: &Cohort,
    ) -> Result<Self> {
        let train = cohort.rows(DataSet::Train);
        let x: Vec<Vec<f64>> = columns.iter().map(|c| take(c, &train)).collect();
        let fit = fit_logit(&variables, &x, &cohort.labels_of(DataSet::Train))
            .map_err(|e| in_file(&cohort.table, e))?;
        Ok(LogisticModel {
            name: name.to_string(),
            variables,
            fit,
        })
    }

    /// The coefficients, intercept first.
    pub fn coefficients(&self) -> Vec<f64> {
        self.fit.coefficients.values().map(|c| c.estimate).collect()
    }

    /// The linear predictor β₀ + Σ βⱼ xⱼ of each row of `columns`.
    pub fn linear_predictor(&self, columns: &[Vec<f64>]) -> Vec<f64> {
        linear_predictor(&self.coefficients(), columns)
    }
}

/// β₀ + Σ βⱼ xⱼ for each row, with `beta` = [β₀, β₁, …].
pub fn linear_predictor(beta: &[f64], columns: &[Vec<f64>]) -> Vec<f64> {
    let n = columns.first().map_or(0, Vec::len);
    (0..n)
        .map(|i| {
            beta[0]
                + columns
                    .iter()
                    .zip(&beta[1..])
                    .map(|(c, b)| b * c[i])
                    .sum::<f64>()
        })
        .collect()
}

/// A model error with the table's file added where the statistic could not name it.
fn in_file(table: &Table, error: ModelError) -> ModelError {
    match error {
        ModelError::Variable { variable, problem } => table.column_error(&variable, problem),
        ModelError::Invalid(problem) => ModelError::Table {
            file: table.file().to_string(),
            problem,
        },
        other => other,
    }
}

/// One clinical variable's screening: univariate and (if it got there) multivariate.
#[derive(Debug, Clone, Serialize)]
pub struct Screening {
    /// The variable.
    pub variable: String,
    /// Univariate odds ratio, its 95% CI and p.
    pub univariate: (f64, [f64; 2], f64),
    /// Multivariate odds ratio, CI and p, for variables with univariate p < 0.05.
    pub multivariate: Option<(f64, [f64; 2], f64)>,
}

/// Everything fitted on the training set.
pub struct Fitted {
    /// Each group's selection.
    pub selection: Vec<GroupSelection>,
    /// The selected features (all groups), their scaler and the radiomics model on them.
    pub features: Vec<String>,
    /// The z-score scaler of the selected features (training rows only).
    pub scaler: Scaler,
    /// The clinical screening.
    pub screening: Vec<Screening>,
    /// Radiomics, clinical and combined models.
    pub models: [LogisticModel; 3],
    /// Each model's design columns over all rows (for prediction and CV).
    pub designs: [Vec<Vec<f64>>; 3],
}

/// Selects features and fits the three models on the training set.
pub fn fit(config: &ModelConfig, cohort: &Cohort) -> Result<Fitted> {
    let train = cohort.rows(DataSet::Train);
    let labels = cohort.labels_of(DataSet::Train);
    let selection = (config.groups.par_iter())
        .map(|group| select_columns(config, cohort, group, &train, &labels))
        .collect::<Result<Vec<_>>>()?;
    let features: Vec<String> = selection.iter().flat_map(|s| s.selected.clone()).collect();
    if features.is_empty() {
        let problem = "LASSO-CV selected no radiomics feature in any group".to_string();
        return Err(in_file(&cohort.table, ModelError::Invalid(problem)));
    }
    let raw = (features.iter())
        .map(|n| cohort.table.numbers(n))
        .collect::<Result<Vec<_>>>()?;
    let scaler = Scaler::fit(&raw.iter().map(|c| take(c, &train)).collect::<Vec<_>>());
    let radiomics_design = scaler.apply(&raw);
    let radiomics = LogisticModel::fit("radiomics", features.clone(), &radiomics_design, cohort)?;
    let (screening, clinical_vars) = screen_clinical(config, cohort)?;
    let clinical_design = (clinical_vars.iter())
        .map(|v| cohort.table.feature(v))
        .collect::<Result<Vec<_>>>()?;
    let clinical = LogisticModel::fit("clinical", clinical_vars.clone(), &clinical_design, cohort)?;
    let mut combined_design = vec![radiomics.linear_predictor(&radiomics_design)];
    combined_design.extend(clinical_design.iter().cloned());
    let combined_vars = [vec!["Rad-score".to_string()], clinical_vars].concat();
    let combined = LogisticModel::fit("combined", combined_vars, &combined_design, cohort)?;
    Ok(Fitted {
        selection,
        features,
        scaler,
        screening,
        models: [radiomics, clinical, combined],
        designs: [radiomics_design, clinical_design, combined_design],
    })
}

/// The selection of one feature group (groups run in parallel).
fn select_columns(
    config: &ModelConfig,
    cohort: &Cohort,
    group: &str,
    train: &[usize],
    labels: &[bool],
) -> Result<GroupSelection> {
    let names = cohort.group_columns(group);
    if names.is_empty() {
        let column = format!("{group}*");
        return Err(cohort.table.column_error(&column, "no feature column"));
    }
    let columns = (names.iter())
        .map(|n| cohort.table.numbers(n).map(|c| take(&c, train)))
        .collect::<Result<Vec<_>>>()?;
    let settings = &config.selection;
    select_group(
        group,
        &names,
        &columns,
        labels,
        settings,
        config.folds,
        config.seed,
    )
    .map_err(|e| in_file(&cohort.table, e))
}

/// Univariate then multivariate logistic screening of the clinical candidates on the training
/// set; the model keeps the variables with multivariate p < 0.05. Where no variable passes a
/// step, the one with the smallest p of that step is kept, so the clinical model exists.
fn screen_clinical(config: &ModelConfig, cohort: &Cohort) -> Result<(Vec<Screening>, Vec<String>)> {
    if config.clinical.is_empty() {
        return Err(ModelError::Invalid(
            "key 'clinical': names no clinical variable".into(),
        ));
    }
    let mut screening = Vec::new();
    for variable in &config.clinical {
        let column = cohort.table.feature(variable)?;
        let model = LogisticModel::fit(variable, vec![variable.clone()], &[column], cohort)?;
        screening.push(Screening {
            variable: variable.clone(),
            univariate: summary(&model.fit, 1),
            multivariate: None,
        });
    }
    let passed = passing(&screening, |s| Some(s.univariate.2));
    let columns = passed
        .iter()
        .map(|&i| cohort.table.feature(&config.clinical[i]))
        .collect::<Result<Vec<_>>>()?;
    let names: Vec<String> = passed.iter().map(|&i| config.clinical[i].clone()).collect();
    let multivariate = LogisticModel::fit("clinical screening", names, &columns, cohort)?;
    for (k, &i) in passed.iter().enumerate() {
        screening[i].multivariate = Some(summary(&multivariate.fit, k + 1));
    }
    let kept = passing(&screening, |s| s.multivariate.map(|m| m.2));
    Ok((
        screening,
        kept.iter().map(|&i| config.clinical[i].clone()).collect(),
    ))
}

/// Odds ratio, its CI and p of coefficient `k` (0 = intercept).
fn summary(fit: &LogitFit, k: usize) -> (f64, [f64; 2], f64) {
    let c = &fit.coefficients[k];
    (c.or, c.or_ci, c.p)
}

/// The screenings whose p (from `p_of`) is below 0.05, or else the one with the smallest p.
fn passing(screening: &[Screening], p_of: impl Fn(&Screening) -> Option<f64>) -> Vec<usize> {
    let ps: Vec<(usize, f64)> = (0..screening.len())
        .filter_map(|i| p_of(&screening[i]).map(|p| (i, p)))
        .collect();
    let below: Vec<usize> = ps
        .iter()
        .filter(|(_, p)| *p < SCREENING_P)
        .map(|(i, _)| *i)
        .collect();
    if !below.is_empty() {
        return below;
    }
    ps.iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| *i)
        .into_iter()
        .collect()
}

/// The metrics of the three models on one set and DeLong's tests between them.
#[derive(Debug, Clone, Serialize)]
pub struct SetMetrics {
    /// Cases in the set.
    pub n: usize,
    /// Positive cases in the set.
    pub positives: usize,
    /// AUC, DeLong CI and the Youden operating point of each model.
    pub models: indexmap::IndexMap<String, ScoreSummary>,
    /// DeLong's paired test for each pair of models.
    pub delong: Vec<NamedTest>,
    /// Each model's predicted probability of each case of the set.
    #[serde(skip)]
    pub probabilities: Vec<Vec<f64>>,
    /// The set's outcomes.
    #[serde(skip)]
    pub labels: Vec<bool>,
}

/// The evaluation of the three models: training (apparent), training CV, test and external.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Per set key (`train`, `train_cv`, `test`, `external`); sets without cases are left out.
    pub sets: indexmap::IndexMap<String, SetMetrics>,
}

/// Evaluates the fitted models on each set, and by `folds`-fold CV on the training set.
pub fn evaluate(config: &ModelConfig, cohort: &Cohort, fitted: &Fitted) -> Result<Evaluation> {
    let mut sets = indexmap::IndexMap::new();
    for set in DataSet::ALL {
        let rows = cohort.rows(set);
        let labels = cohort.labels_of(set);
        if labels.iter().all(|&l| l) || labels.iter().all(|&l| !l) {
            continue;
        }
        let probabilities = (fitted.models.iter().zip(&fitted.designs))
            .map(|(model, design)| {
                let x: Vec<Vec<f64>> = design.iter().map(|c| take(c, &rows)).collect();
                model
                    .linear_predictor(&x)
                    .into_iter()
                    .map(sigmoid)
                    .collect()
            })
            .collect();
        sets.insert(set.key().to_string(), metrics(probabilities, labels));
        if set == DataSet::Train {
            let cv = cross_validated(config, cohort, fitted)?;
            sets.insert("train_cv".to_string(), cv);
        }
    }
    Ok(Evaluation { sets })
}

/// The metrics of the three models' `probabilities` against `labels`.
fn metrics(probabilities: Vec<Vec<f64>>, labels: Vec<bool>) -> SetMetrics {
    let named: Vec<(String, Vec<f64>)> = (MODEL_NAMES.iter().zip(&probabilities))
        .map(|(n, p)| (n.to_string(), p.clone()))
        .collect();
    let analysis = analyse(&named, &labels);
    SetMetrics {
        n: labels.len(),
        positives: labels.iter().filter(|&&l| l).count(),
        models: analysis.scores,
        delong: analysis.delong,
        probabilities,
        labels,
    }
}

/// Stratified K-fold CV of each model on the training set: the model's variables are refitted
/// on K − 1 folds and predict the held-out fold (the selection itself is not repeated).
fn cross_validated(config: &ModelConfig, cohort: &Cohort, fitted: &Fitted) -> Result<SetMetrics> {
    let train = cohort.rows(DataSet::Train);
    let labels = cohort.labels_of(DataSet::Train);
    let folds = stratified_folds(&labels, config.folds, config.seed);
    let mut probabilities = vec![vec![0.0; train.len()]; 3];
    for fold in 0..config.folds {
        let inside: Vec<usize> = (0..train.len()).filter(|&i| folds[i] != fold).collect();
        let held: Vec<usize> = (0..train.len()).filter(|&i| folds[i] == fold).collect();
        let inside_labels: Vec<bool> = inside.iter().map(|&i| labels[i]).collect();
        for (m, (model, design)) in fitted.models.iter().zip(&fitted.designs).enumerate() {
            let x: Vec<Vec<f64>> = design
                .iter()
                .map(|c| take(&take(c, &train), &inside))
                .collect();
            let fit = fit_logit(&model.variables, &x, &inside_labels)
                .map_err(|e| in_file(&cohort.table, e))?;
            let beta: Vec<f64> = fit.coefficients.values().map(|c| c.estimate).collect();
            let held_x: Vec<Vec<f64>> = design
                .iter()
                .map(|c| take(&take(c, &train), &held))
                .collect();
            for (k, eta) in linear_predictor(&beta, &held_x).into_iter().enumerate() {
                probabilities[m][held[k]] = sigmoid(eta);
            }
        }
    }
    Ok(metrics(probabilities, labels))
}

/// A whole model run: load, fit, evaluate and write every output into `out`.
pub fn run(config: &ModelConfig, out: &std::path::Path) -> Result<(Fitted, Evaluation)> {
    let cohort = Cohort::load(config)?;
    let fitted = fit(config, &cohort)?;
    let evaluation = evaluate(config, &cohort, &fitted)?;
    crate::model::output::write_all(config, &cohort, &fitted, &evaluation, out)?;
    Ok((fitted, evaluation))
}

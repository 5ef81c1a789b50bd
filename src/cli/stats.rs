//! `radiome stats`: the modelling layer's statistics on a CSV table, each printed as JSON.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::json;

use radiome::model::data::{ModelError, Table};
use radiome::model::{dca, groups, icc, lasso, lasso_cv, logit, roc};

#[derive(Args)]
pub struct StatsArgs {
    #[command(subcommand)]
    command: StatsCommand,
}

#[derive(Subcommand)]
enum StatsCommand {
    /// AUC with DeLong SE and 95% CI, the Youden operating point, and paired DeLong tests.
    Roc(ScoresArgs),
    /// Maximum-likelihood logistic regression (Wald tests, odds ratios), as statsmodels.
    Logit(LogitArgs),
    /// L1-penalised logistic regression at a fixed λ, or its cross-validated path (glmnet).
    Lasso(LassoArgs),
    /// Intraclass correlations ICC1..ICC3k with F tests and 95% CIs, as pingouin.
    Icc(IccArgs),
    /// Decision curves: net benefit per threshold probability, as dcurves.
    Dca(DcaArgs),
    /// Univariate tests between two groups for a "Table 1", as SciPy.
    Compare(CompareArgs),
}

#[derive(Args)]
struct ScoresArgs {
    /// The data (CSV with a header row).
    data: PathBuf,
    /// The outcome column (0/1, 1 = positive).
    #[arg(long)]
    label: String,
    /// A score column (higher means positive); repeat for several.
    #[arg(long = "score", required = true)]
    scores: Vec<String>,
}

#[derive(Args)]
struct LogitArgs {
    /// The data (CSV with a header row).
    data: PathBuf,
    /// The outcome column (0/1, 1 = positive).
    #[arg(long)]
    label: String,
    /// A predictor column; repeat for several.
    #[arg(long = "x", required = true)]
    xs: Vec<String>,
}

#[derive(Args)]
struct LassoArgs {
    /// The data (CSV with a header row).
    data: PathBuf,
    /// The outcome column (0/1, 1 = positive).
    #[arg(long)]
    label: String,
    /// A predictor column; repeat for several (default: every other column).
    #[arg(long = "x")]
    xs: Vec<String>,
    /// Fit at this λ (objective −loglik/n + λ‖β‖₁ on standardised inputs).
    #[arg(long, conflicts_with = "folds")]
    lambda: Option<f64>,
    /// Cross-validate glmnet's λ path with this many stratified folds; report λ_min's fit.
    #[arg(long, default_value_t = 10)]
    folds: usize,
    /// Seed of the fold assignment.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

#[derive(Args)]
struct IccArgs {
    /// The data (CSV, one row per target and rater).
    data: PathBuf,
    /// The column naming the rated subject.
    #[arg(long)]
    target: String,
    /// The column naming the rater.
    #[arg(long)]
    rater: String,
    /// The column with the rating.
    #[arg(long)]
    value: String,
}

#[derive(Args)]
struct DcaArgs {
    /// The data (CSV with a header row).
    data: PathBuf,
    /// The outcome column (0/1, 1 = positive).
    #[arg(long)]
    label: String,
    /// A predicted-risk column (probabilities in [0, 1]); repeat for several.
    #[arg(long = "score", required = true)]
    scores: Vec<String>,
    /// Threshold probabilities start:stop:step.
    #[arg(long, default_value = "0.01:0.99:0.01")]
    thresholds: String,
}

#[derive(Args)]
struct CompareArgs {
    /// The data (CSV with a header row).
    data: PathBuf,
    /// The column with the two groups.
    #[arg(long)]
    by: String,
    /// Treat this column as categorical; repeat for several.
    #[arg(long)]
    categorical: Vec<String>,
}

pub fn run(args: StatsArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        StatsCommand::Roc(args) => roc(args),
        StatsCommand::Logit(args) => logit(args),
        StatsCommand::Lasso(args) => lasso(args),
        StatsCommand::Icc(args) => icc(args),
        StatsCommand::Dca(args) => dca(args),
        StatsCommand::Compare(args) => compare(args),
    }?;
    Ok(ExitCode::SUCCESS)
}

/// Prints `value` as pretty JSON on standard output.
fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// An algorithm's error, prefixed with the file it ran on.
fn in_file(path: &Path) -> impl Fn(ModelError) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("{}: {e}", path.display())
}

/// Named feature columns of the table.
fn named_columns(table: &Table, names: &[String]) -> anyhow::Result<Vec<(String, Vec<f64>)>> {
    let columns = table.features(names)?;
    Ok(names.iter().cloned().zip(columns).collect())
}

fn roc(args: ScoresArgs) -> anyhow::Result<()> {
    let table = Table::read(&args.data)?;
    let labels = table.label(&args.label)?;
    print_json(&roc::analyse(
        &named_columns(&table, &args.scores)?,
        &labels,
    ))
}

fn logit(args: LogitArgs) -> anyhow::Result<()> {
    let table = Table::read(&args.data)?;
    let labels = table.label(&args.label)?;
    let columns = table.features(&args.xs)?;
    let fit = logit::fit_logit(&args.xs, &columns, &labels).map_err(in_file(&args.data))?;
    print_json(&fit)
}

fn lasso(args: LassoArgs) -> anyhow::Result<()> {
    let table = Table::read(&args.data)?;
    let labels = table.label(&args.label)?;
    let names: Vec<String> = if args.xs.is_empty() {
        table
            .headers()
            .iter()
            .filter(|h| **h != args.label)
            .cloned()
            .collect()
    } else {
        args.xs
    };
    let columns = table.features(&names)?;
    let y: Vec<f64> = labels.iter().map(|&l| f64::from(u8::from(l))).collect();
    let scaled = lasso::standardize(&columns);
    let Some(lambda) = args.lambda else {
        let cv = lasso_cv::cross_validate(&columns, &labels, args.folds, args.seed)
            .map_err(in_file(&args.data))?;
        let chosen = &cv.points[cv.min].fit;
        let mut output = lasso_output(&names, chosen, &scaled);
        output["lambda_min"] = json!(cv.points[cv.min].lambda);
        output["lambda_1se"] = json!(cv.points[cv.one_se].lambda);
        output["path"] = path_output(&names, &cv);
        return print_json(&output);
    };
    if !(lambda.is_finite() && lambda > 0.0) {
        anyhow::bail!("--lambda {lambda}: must be a positive number");
    }
    let start = lasso::null_fit(&y, names.len(), lambda);
    let fit = lasso::fit_l1(&scaled.columns, &y, lambda, &start);
    print_json(&lasso_output(&names, &fit, &scaled))
}

/// The fit as JSON: standardised and original-scale coefficients.
fn lasso_output(
    names: &[String],
    fit: &lasso::L1Fit,
    scaled: &lasso::Standardized,
) -> serde_json::Value {
    let named = |intercept: f64, beta: &[f64]| {
        let mut map = IndexMap::new();
        map.insert(logit::INTERCEPT.to_owned(), intercept);
        map.extend(names.iter().cloned().zip(beta.iter().copied()));
        map
    };
    let (intercept, beta) = fit.original_scale(scaled);
    json!({
        "n": scaled.columns[0].len(),
        "lambda": fit.lambda,
        "coefficients": named(fit.intercept, &fit.beta),
        "coefficients_original": named(intercept, &beta),
    })
}

/// The CV path as JSON: λ, CV deviance and SE, and the nonzero standardised coefficients.
fn path_output(names: &[String], cv: &lasso_cv::CvPath) -> serde_json::Value {
    let points: Vec<serde_json::Value> = cv
        .points
        .iter()
        .map(|point| {
            let nonzero: IndexMap<&String, f64> = names
                .iter()
                .zip(&point.fit.beta)
                .filter(|(_, b)| **b != 0.0)
                .map(|(n, b)| (n, *b))
                .collect();
            json!({
                "lambda": point.lambda,
                "cv_deviance": point.cv_deviance,
                "cv_se": point.cv_se,
                "coefficients": nonzero,
            })
        })
        .collect();
    json!(points)
}

fn icc(args: IccArgs) -> anyhow::Result<()> {
    let table = Table::read(&args.data)?;
    let ratings = icc::ratings_matrix(&table, &args.target, &args.rater, &args.value)?;
    let forms: IndexMap<&str, icc::Icc> =
        icc::intraclass_correlations(&ratings).into_iter().collect();
    print_json(&json!({ "n": ratings.len(), "k": ratings[0].len(), "icc": forms }))
}

fn dca(args: DcaArgs) -> anyhow::Result<()> {
    let table = Table::read(&args.data)?;
    let labels = table.label(&args.label)?;
    let thresholds = dca::parse_thresholds(&args.thresholds).map_err(anyhow::Error::msg)?;
    let scores = named_columns(&table, &args.scores)?;
    for (name, risks) in &scores {
        if let Some(bad) = risks.iter().find(|r| !(0.0..=1.0).contains(*r)) {
            return Err(table
                .column_error(name, format!("risk {bad} is not a probability in [0, 1]"))
                .into());
        }
    }
    print_json(&dca::decision_curves(&scores, &labels, &thresholds))
}

fn compare(args: CompareArgs) -> anyhow::Result<()> {
    let table = Table::read(&args.data)?;
    print_json(&groups::compare_groups(
        &table,
        &args.by,
        &args.categorical,
    )?)
}

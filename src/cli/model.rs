//! `radiome model`: a study's models from feature tables, as a model file describes them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use radiome::model::config::ModelConfig;
use radiome::model::pipeline;

#[derive(Args)]
pub struct ModelArgs {
    /// The model file (YAML; see examples/her2-model.yaml).
    #[arg(long)]
    config: PathBuf,
    /// Output folder: results.json, the tables as CSV, predictions.csv, report.html.
    #[arg(long)]
    out: PathBuf,
}

pub fn run(args: ModelArgs) -> anyhow::Result<ExitCode> {
    let config = ModelConfig::from_file(&args.config)?;
    let (_, evaluation) = pipeline::run(&config, &args.out)?;
    super::demo::print_aucs(&evaluation);
    eprintln!(
        "radiome model: wrote {}",
        args.out.join("report.html").display()
    );
    Ok(ExitCode::SUCCESS)
}

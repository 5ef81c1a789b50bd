//! `radiome demo`: the HER2 study end to end on a synthetic cohort, with a progress bar.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use radiome::model::demo::{DemoOptions, STUDY_CASES, Stage, run_demo};
use radiome::model::pipeline::{Evaluation, MODEL_NAMES};

#[derive(Args)]
pub struct DemoArgs {
    /// Output folder (cohort, features.csv, model.yaml, results.json, report.html).
    #[arg(long, default_value = "radiome-demo")]
    out: PathBuf,
    /// Number of cases (the study's proportions of HER2 labels and internal/external sets).
    #[arg(long, default_value_t = STUDY_CASES)]
    cases: usize,
    /// Seed of the synthetic cohort.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Cases extracted in parallel.
    #[arg(long, default_value_t = default_jobs())]
    jobs: usize,
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let options = DemoOptions {
        out: args.out.clone(),
        cases: args.cases,
        seed: args.seed,
        jobs: args.jobs,
    };
    let bar = ProgressBar::new(args.cases as u64).with_style(
        ProgressStyle::with_template("{spinner} {msg:24} [{bar:40}] {pos}/{len} {elapsed}")
            .expect("a valid template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let (_, evaluation) = run_demo(&options, &mut |stage| match stage {
        Stage::Synthesis => bar.set_message("synthesising cohort"),
        Stage::Extraction(p) => {
            bar.set_message("extracting features");
            bar.set_position(p.finished as u64);
        }
        Stage::Modelling => bar.set_message("fitting models"),
    })?;
    bar.finish_and_clear();
    print_aucs(&evaluation);
    eprintln!(
        "radiome demo: {} cases in {:.1} s; report: {}",
        args.cases,
        start.elapsed().as_secs_f64(),
        args.out.join("report.html").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Prints each model's AUC (95% CI) per set.
pub fn print_aucs(evaluation: &Evaluation) {
    for (set, metrics) in &evaluation.sets {
        let aucs: Vec<String> = MODEL_NAMES
            .iter()
            .map(|m| {
                let s = &metrics.models[*m];
                format!("{m} {:.3} ({:.3}-{:.3})", s.auc, s.ci[0], s.ci[1])
            })
            .collect();
        println!("{set:>9}: {}", aucs.join(", "));
    }
}

//! `radiome batch`: a PyRadiomics batch manifest to one table, case by case in parallel.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use radiome::backend::Backend;
use radiome::cohort::batch::{
    BatchOptions, CaseExtraction, ParamsExtraction, Progress, Summary, run_batch,
};
use radiome::cohort::interrupt::install_stop_handler;
use radiome::cohort::manifest::{Manifest, Shard};
use radiome::cohort::memory::parse_size;
use radiome::cohort::study::Study;

use super::extract::{Device, load_params};

#[derive(Args)]
pub struct BatchArgs {
    /// The manifest: a CSV with columns Image and Mask (paths relative to the manifest's folder),
    /// optionally Label and Label_channel; other columns are carried to the output.
    manifest: PathBuf,
    /// PyRadiomics parameter file (YAML or JSON) [default: PyRadiomics' defaults].
    #[arg(long, conflicts_with = "study")]
    params: Option<PathBuf>,
    /// A study file (YAML): several sequences and regions per case, one wide row per case
    /// (see docs/study.md); the manifest then needs the study's columns instead of Image/Mask
    /// [default: none, one extraction per row].
    #[arg(long)]
    study: Option<PathBuf>,
    /// Cases in flight at once.
    #[arg(long, default_value_t = default_jobs())]
    jobs: usize,
    /// Memory ceiling, e.g. 4G: a case starts only when its estimated footprint (from its
    /// files' headers) fits beside the cases in flight; a case estimated above it alone fails
    /// [default: no ceiling].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_memory: Option<u64>,
    /// Only shard K of N (1-based): the manifest rows r with (r - 1) mod N = K - 1
    /// [default: every row].
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Continue an interrupted run: keep the cases already in the output (failed ones run again).
    #[arg(long)]
    resume: bool,
    /// Where the filters, binning and texture matrices run: the CPU reference, a GPU (a software
    /// one such as llvmpipe included), or a hardware GPU when there is one, else the CPU; one GPU
    /// for every case.
    #[arg(long, value_enum, env = "RADIOME_DEVICE", default_value_t = Device::Cpu)]
    device: Device,
    /// Output file (CSV). Rows are written as cases finish and sorted into manifest order at
    /// the end.
    #[arg(short, long)]
    output: PathBuf,
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

pub fn run(args: BatchArgs) -> anyhow::Result<ExitCode> {
    let backend: Arc<dyn Backend> = Arc::from(args.device.backend()?);
    let (manifest, extraction): (Manifest, Box<dyn CaseExtraction>) = match &args.study {
        Some(study) => {
            let study = Study::from_file(study)?;
            (
                Manifest::read(&args.manifest, &study.columns())?,
                Box::new(study.with_backend(backend)),
            )
        }
        None => {
            let params = load_params(args.params.as_deref(), None)?;
            let manifest = Manifest::read(&args.manifest, &["Image", "Mask"])?;
            (manifest, Box::new(ParamsExtraction::on(params, backend)))
        }
    };
    let options = BatchOptions {
        jobs: args.jobs,
        max_memory: args.max_memory,
        shard: args.shard,
        resume: args.resume,
    };
    let stop = install_stop_handler();
    let mut display = ProgressDisplay::new();
    let summary = run_batch(
        &manifest,
        extraction.as_ref(),
        &args.output,
        &options,
        stop,
        &mut |progress| display.update(progress),
    )?;
    display.close();
    Ok(print_summary(&summary, &args.output))
}

/// Prints the closing counts; the exit code: 130 when interrupted, 1 when a case failed.
fn print_summary(summary: &Summary, output: &std::path::Path) -> ExitCode {
    let p = &summary.progress;
    eprintln!(
        "radiome batch: {} of {} cases done, {} failed, {} already in the output; written to {}",
        p.finished - p.failed,
        p.total,
        p.failed,
        summary.skipped,
        output.display()
    );
    if summary.interrupted {
        eprintln!("radiome batch: interrupted; run again with --resume to finish");
        ExitCode::from(130)
    } else if p.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Progress on standard error: a bar on a terminal, one line per finished case otherwise.
struct ProgressDisplay {
    bar: Option<ProgressBar>,
    start: Instant,
}

impl ProgressDisplay {
    fn new() -> ProgressDisplay {
        ProgressDisplay {
            bar: None,
            start: Instant::now(),
        }
    }

    fn update(&mut self, progress: &Progress) {
        if self.bar.is_none() && std::io::stderr().is_terminal() {
            let style = ProgressStyle::with_template(
                "{bar:40} {pos}/{len} cases, {msg} {per_sec} ETA {eta}",
            )
            .expect("a valid template");
            self.bar = Some(ProgressBar::new(progress.total as u64).with_style(style));
        }
        let line = progress.error.as_ref().map(|e| format!("failed: {e}"));
        match &self.bar {
            Some(bar) => {
                if let Some(line) = line {
                    bar.println(line);
                }
                bar.set_message(format!("{} failed,", progress.failed));
                bar.set_position(progress.finished as u64);
            }
            None => {
                if let Some(line) = line {
                    eprintln!("{line}");
                }
                eprintln!("{}", self.plain_line(progress));
            }
        }
    }

    /// `radiome batch: 3/10 cases (1 failed), 2.5 cases/min, ETA 2m 48s`.
    fn plain_line(&self, progress: &Progress) -> String {
        let minutes = self.start.elapsed().as_secs_f64() / 60.0;
        let rate = progress.finished as f64 / minutes.max(1e-9);
        let left = progress.total - progress.finished;
        let eta = (left as f64 / rate * 60.0).round() as u64;
        format!(
            "radiome batch: {}/{} cases ({} failed), {rate:.1} cases/min, ETA {}m {:02}s",
            progress.finished,
            progress.total,
            progress.failed,
            eta / 60,
            eta % 60
        )
    }

    fn close(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
    }
}

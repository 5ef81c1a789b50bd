//! Running a manifest's cases: in parallel, within a memory budget, each finished case written
//! at once, resumable, shardable, and going on past failed cases.
//!
//! Cases start in manifest order. At most `jobs` are in flight; each runs on its own thread and
//! hands its heavy work to the shared rayon pool (one thread per core), so cases in flight
//! overlap (one case's voxel hashes beside another's filters). A case starts only when the
//! memory [`Budget`] admits it. The main thread writes each finished case as it arrives
//! ([`CohortWriter`]) and reports progress.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use super::manifest::{Case, Manifest, ROW_COLUMN, Shard};
use super::memory::{self, Admission, Budget};
use super::table::ERROR_COLUMN;
use super::writer::{CaseRow, CohortWriter};
use crate::Result;
use crate::backend::{Backend, CpuBackend};
use crate::params::Params;
use crate::pipeline::Extractor;

/// How one case becomes its output cells (without the manifest's columns).
pub trait CaseExtraction: Sync {
    /// The case's estimated peak memory in bytes (an error names an unreadable file).
    fn estimate(&self, manifest: &Manifest, case: &Case) -> Result<u64>;
    /// The case's (column, cell) pairs, or a one-line error naming the file and the problem.
    fn extract(&self, manifest: &Manifest, case: &Case) -> std::result::Result<CaseRow, String>;
}

/// One parameter file applied to each case's `Image` and `Mask`, with the case's `Label` and
/// `Label_channel` when the manifest has them: the cells `radiome extract` writes for the case,
/// less its `Image` and `Mask` (the manifest's cells take their place).
pub struct ParamsExtraction {
    params: Params,
    extractor: Extractor,
    backend: Arc<dyn Backend>,
}

impl ParamsExtraction {
    /// Extraction with `params` on the CPU.
    pub fn new(params: Params) -> ParamsExtraction {
        ParamsExtraction::on(params, Arc::new(CpuBackend))
    }

    /// Extraction with `params` on `backend` (every case shares it).
    pub fn on(params: Params, backend: Arc<dyn Backend>) -> ParamsExtraction {
        ParamsExtraction {
            extractor: Extractor::new(params.clone()).with_shared_backend(Arc::clone(&backend)),
            params,
            backend,
        }
    }

    /// The extractor for `case`: the shared one, or one with the case's label settings.
    fn extractor_for(
        &self,
        manifest: &Manifest,
        case: &Case,
    ) -> std::result::Result<Option<Extractor>, String> {
        let (label, channel) = (manifest.label(case)?, manifest.label_channel(case)?);
        if label.is_none() && channel.is_none() {
            return Ok(None);
        }
        let mut params = self.params.clone();
        let set = |params: &mut Params, key: &str, value: Option<i64>| match value {
            Some(value) => params
                .set(key, value)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            None => Ok(()),
        };
        set(&mut params, "label", label)?;
        set(&mut params, "label_channel", channel)?;
        Ok(Some(
            Extractor::new(params).with_shared_backend(Arc::clone(&self.backend)),
        ))
    }
}

impl CaseExtraction for ParamsExtraction {
    fn estimate(&self, manifest: &Manifest, case: &Case) -> Result<u64> {
        let (image, mask) = image_and_mask(manifest, case);
        memory::estimate_case(&image, &mask)
    }

    fn extract(&self, manifest: &Manifest, case: &Case) -> std::result::Result<CaseRow, String> {
        let own = self.extractor_for(manifest, case)?;
        let extractor = own.as_ref().unwrap_or(&self.extractor);
        let (image, mask) = image_and_mask(manifest, case);
        let row = extractor
            .extract_files(&image, &mask)
            .map_err(|e| e.to_string())?;
        Ok(row
            .into_iter()
            .filter(|(name, _)| name != "Image" && name != "Mask")
            .map(|(name, value)| (name, value.to_csv_field()))
            .collect())
    }
}

/// The case's `Image` and `Mask` paths (an empty cell gives the manifest's folder, which fails to
/// read as an image).
fn image_and_mask(manifest: &Manifest, case: &Case) -> (PathBuf, PathBuf) {
    let path = |name| {
        manifest
            .path(case, name)
            .unwrap_or_else(|| manifest.base.clone())
    };
    (path("Image"), path("Mask"))
}

/// How a batch runs.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    /// Cases in flight at most (at least 1).
    pub jobs: usize,
    /// The memory ceiling in bytes (`None`: none).
    pub max_memory: Option<u64>,
    /// Only this slice of the manifest.
    pub shard: Option<Shard>,
    /// Continue the output file rather than start it anew.
    pub resume: bool,
}

/// Where a batch stands, reported after each finished case.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    /// Cases this run has to do.
    pub total: usize,
    /// Cases finished (successfully or not).
    pub finished: usize,
    /// Cases failed.
    pub failed: usize,
    /// The error of the case just finished, if it failed.
    pub error: Option<String>,
}

/// The outcome of a batch.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Cases already in the output (resume), not run again.
    pub skipped: usize,
    /// Where this run stopped.
    pub progress: Progress,
    /// Whether the stop flag ended the batch before every case ran.
    pub interrupted: bool,
}

/// Runs the cases of `manifest` (or of `options.shard`) with `extraction` and writes the output
/// to `output`, in manifest order once done. Failed cases become rows with an `error` cell.
/// `stop` ends the batch early (the cases in flight are finished and written). Errors are only
/// those that make going on pointless (the output cannot be written or resumed).
pub fn run_batch(
    manifest: &Manifest,
    extraction: &dyn CaseExtraction,
    output: &Path,
    options: &BatchOptions,
    stop: &AtomicBool,
    report: &mut dyn FnMut(&Progress),
) -> Result<Summary> {
    let (mut writer, done) = if options.resume && output.exists() {
        CohortWriter::resume(output, manifest)?
    } else {
        (CohortWriter::create(output, manifest)?, BTreeSet::new())
    };
    let selected = manifest
        .cases
        .iter()
        .filter(|case| options.shard.is_none_or(|shard| shard.contains(case.row)));
    let (skipped, pending): (Vec<&Case>, Vec<&Case>) =
        selected.partition(|case| done.contains(&case.row));
    let mut summary = Summary {
        skipped: skipped.len(),
        progress: Progress {
            total: pending.len(),
            ..Progress::default()
        },
        interrupted: false,
    };
    let mut scheduler = Scheduler {
        manifest,
        extraction,
        writer: &mut writer,
        budget: Budget::new(options.max_memory),
        jobs: options.jobs.max(1),
        progress: &mut summary.progress,
        report,
    };
    let all_started = scheduler.run(&pending, stop)?;
    summary.interrupted = !all_started;
    writer.finish()?;
    Ok(summary)
}

/// The state of a running batch on its main thread.
struct Scheduler<'a> {
    manifest: &'a Manifest,
    extraction: &'a dyn CaseExtraction,
    writer: &'a mut CohortWriter,
    budget: Budget,
    jobs: usize,
    progress: &'a mut Progress,
    report: &'a mut dyn FnMut(&Progress),
}

/// A finished case: its manifest row, its estimate and its outcome.
type Finished = (usize, u64, std::result::Result<CaseRow, String>);

impl Scheduler<'_> {
    /// Starts the cases as the budget allows and writes each as it finishes; returns whether every
    /// case was started (false when `stop` ended the batch).
    fn run(&mut self, cases: &[&Case], stop: &AtomicBool) -> Result<bool> {
        let (sender, receiver) = mpsc::channel::<Finished>();
        std::thread::scope(|scope| {
            let mut next = 0;
            let mut in_flight = 0;
            let mut head_estimate = None;
            loop {
                while next < cases.len() && in_flight < self.jobs && !stop.load(Ordering::SeqCst) {
                    let case = cases[next];
                    let estimate = match head_estimate {
                        Some(estimate) => estimate,
                        None => match self.extraction.estimate(self.manifest, case) {
                            Ok(estimate) => *head_estimate.insert(estimate),
                            Err(e) => {
                                self.record(case, Err(e.to_string()))?;
                                next += 1;
                                continue;
                            }
                        },
                    };
                    match self.budget.admit(estimate, memory::resident_bytes()) {
                        Admission::Wait => break,
                        Admission::TooLarge => {
                            let error =
                                too_large(self.manifest, case, estimate, self.budget.limit());
                            self.record(case, Err(error))?
                        }
                        Admission::Start => {
                            self.budget.start(estimate);
                            in_flight += 1;
                            let sender = sender.clone();
                            let (manifest, extraction) = (self.manifest, self.extraction);
                            scope.spawn(move || {
                                let outcome = extract_guarded(extraction, manifest, case);
                                let _ = sender.send((case.row, estimate, outcome));
                            });
                        }
                    }
                    head_estimate = None;
                    next += 1;
                }
                if in_flight == 0 && (next == cases.len() || stop.load(Ordering::SeqCst)) {
                    return Ok(next == cases.len());
                }
                if let Ok((row, estimate, outcome)) =
                    receiver.recv_timeout(Duration::from_millis(200))
                {
                    in_flight -= 1;
                    self.budget.finish(estimate);
                    let case = &self.manifest.cases[row - 1];
                    self.record(case, outcome)?;
                }
            }
        })
    }

    /// Writes a finished case's row and reports progress.
    fn record(&mut self, case: &Case, outcome: std::result::Result<CaseRow, String>) -> Result<()> {
        self.writer
            .append(&output_row(self.manifest, case, &outcome))?;
        self.progress.finished += 1;
        self.progress.error = outcome.err();
        if self.progress.error.is_some() {
            self.progress.failed += 1;
        }
        (self.report)(self.progress);
        Ok(())
    }
}

/// Runs one case, turning a panic into an error naming the case's files.
fn extract_guarded(
    extraction: &dyn CaseExtraction,
    manifest: &Manifest,
    case: &Case,
) -> std::result::Result<CaseRow, String> {
    catch_unwind(AssertUnwindSafe(|| extraction.extract(manifest, case))).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(format!(
            "{}: manifest row {}: internal error: {message}",
            manifest.path.display(),
            case.row
        ))
    })
}

/// The error of a case estimated above the memory ceiling.
fn too_large(manifest: &Manifest, case: &Case, estimate: u64, limit: Option<u64>) -> String {
    format!(
        "{}: manifest row {}: needs an estimated {}, more than --max-memory {}; not run",
        manifest.path.display(),
        case.row,
        memory::format_size(estimate),
        memory::format_size(limit.unwrap_or(0))
    )
}

/// A case's output row: its manifest row, the manifest's cells, `error` (empty on success),
/// then its extracted cells.
fn output_row(
    manifest: &Manifest,
    case: &Case,
    outcome: &std::result::Result<CaseRow, String>,
) -> CaseRow {
    let mut row: CaseRow = vec![(ROW_COLUMN.to_string(), case.row.to_string())];
    row.extend(
        manifest
            .columns
            .iter()
            .cloned()
            .zip(case.cells.iter().cloned()),
    );
    let error = outcome
        .as_ref()
        .err()
        .map(|e| one_line(e))
        .unwrap_or_default();
    row.push((ERROR_COLUMN.to_string(), error));
    if let Ok(cells) = outcome {
        row.extend(cells.iter().cloned());
    }
    row
}

/// `text` on one line (line breaks become spaces).
fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

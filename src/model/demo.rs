//! `radiome demo`: the study end to end on a synthetic cohort. It synthesises a cohort shaped
//! like the HER2 study (202 internal cases, 70 positive; 50 external, 20 positive; DCE, T2FS and
//! ADC; small volumes), extracts intratumoral and 3 mm peritumoral features on the tumour's
//! largest axial cross-section with a study file, and runs `radiome model` on the table.
//!
//! Everything it writes stays in its output folder: `cohort/` (images, masks, manifest,
//! `study.yaml`, `params.yaml`), `features.csv`, `model.yaml`, and the model's outputs.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::cohort::batch::{BatchOptions, Progress, run_batch};
use crate::cohort::manifest::Manifest;
use crate::cohort::study::Study;
use crate::cohort::synth::{FileFormat, SynthOptions, VolumeSize, synthesize};
use crate::model::config::ModelConfig;
use crate::model::data::ModelError;
use crate::model::pipeline::{self, Evaluation, Fitted};

/// The study's cohort size (202 internal + 50 external).
pub const STUDY_CASES: usize = 252;

/// The demo's extraction: 2D features of the original image, normalised per image and
/// resampled in-plane to 1 mm (the study file adds force2D on the axial plane).
const PARAMS: &str = "\
imageType:
  Original: {}
featureClass:
  shape2D:
  firstorder:
  glcm:
  glrlm:
  glszm:
  gldm:
  ngtdm:
setting:
  normalize: true
  normalizeScale: 100
  voxelArrayShift: 300
  interpolator: 'sitkBSpline'
  resampledPixelSpacing: [1, 1, 0]
  padDistance: 10
  preCrop: true
  binWidth: 5
";

/// The demo's study file: three sequences, the tumour and its 3 mm ring on the largest slice.
const STUDY: &str = "\
mode: maxslice
label: 1
reference: dce
regions:
  intra: {}
  peri: {mm: 3}
sequences:
  - {name: dce, image: dce, mask: mask, params: params.yaml}
  - {name: t2fs, image: t2fs, params: params.yaml}
  - {name: adc, image: adc, params: params.yaml}
";

/// The demo's model file: 7:3 stratified split of the internal cases, external set apart,
/// one selection pipeline per sequence and region, the synthetic cohort's clinical columns.
const MODEL: &str = "\
title: radiome demo - HER2 status from synthetic multiparametric breast MRI
tables: [features.csv]
id: case_id
outcome: HER2
split: {test_fraction: 0.3, seed: 1, external: {column: set, value: external}}
groups: [dce_intra_, dce_peri_, t2fs_intra_, t2fs_peri_, adc_intra_, adc_peri_]
clinical: [age, ER, PR, Ki67, spiculation, uneven_margins, tic_type]
selection: {variance_threshold: 0.0, correlation: 0.9, lambda: min}
folds: 10
seed: 1
";

/// What the demo runs.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The output folder.
    pub out: PathBuf,
    /// Number of cases (the study's proportions; [`STUDY_CASES`] for the study's cohort).
    pub cases: usize,
    /// The synthetic cohort's seed.
    pub seed: u64,
    /// Cases extracted in parallel.
    pub jobs: usize,
}

/// A demo's failure: the cohort could not be made or extracted, or the model failed.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// Synthesis or extraction.
    #[error(transparent)]
    Cohort(#[from] crate::Error),
    /// A case failed to extract.
    #[error("{failed} case(s) failed to extract, first: {first}")]
    Cases { failed: usize, first: String },
    /// The model.
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// The stages the demo reports.
pub enum Stage<'a> {
    /// The cohort is being synthesised.
    Synthesis,
    /// Extraction progress.
    Extraction(&'a Progress),
    /// Fitting and evaluating the models.
    Modelling,
}

/// Runs the demo into `options.out`; `report` hears of each stage.
pub fn run_demo(
    options: &DemoOptions,
    report: &mut dyn FnMut(Stage),
) -> Result<(Fitted, Evaluation), DemoError> {
    let cohort = options.out.join("cohort");
    report(Stage::Synthesis);
    let synth = SynthOptions {
        cases: options.cases,
        seed: options.seed,
        size: VolumeSize::Small,
        format: FileFormat::Nrrd,
    };
    synthesize(&cohort, &synth)?;
    write_text(&cohort.join("params.yaml"), PARAMS)?;
    write_text(&cohort.join("study.yaml"), STUDY)?;
    extract(
        &cohort,
        &options.out.join("features.csv"),
        options.jobs,
        report,
    )?;
    report(Stage::Modelling);
    let model_file = options.out.join("model.yaml");
    write_text(&model_file, MODEL)?;
    let config = ModelConfig::from_file(&model_file)?;
    Ok(pipeline::run(&config, &options.out)?)
}

fn write_text(path: &Path, text: &str) -> crate::Result<()> {
    std::fs::write(path, text).map_err(|source| crate::Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Extracts the cohort's study features into `output`; any failed case fails the demo.
fn extract(
    cohort: &Path,
    output: &Path,
    jobs: usize,
    report: &mut dyn FnMut(Stage),
) -> Result<(), DemoError> {
    let study = Study::from_file(&cohort.join("study.yaml"))?;
    let manifest = Manifest::read(&cohort.join("manifest.csv"), &study.columns())?;
    let options = BatchOptions {
        jobs,
        max_memory: None,
        shard: None,
        resume: false,
    };
    let mut first_error = None;
    let stop = AtomicBool::new(false);
    let summary = run_batch(
        &manifest,
        &study,
        output,
        &options,
        &stop,
        &mut |progress| {
            if first_error.is_none() {
                first_error.clone_from(&progress.error);
            }
            report(Stage::Extraction(progress));
        },
    )?;
    match first_error {
        Some(first) => Err(DemoError::Cases {
            failed: summary.progress.failed,
            first,
        }),
        None => Ok(()),
    }
}

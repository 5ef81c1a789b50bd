//! Synthetic multi-sequence breast MRI cohorts (`radiome synth`): DCE, T2FS and ADC volumes of
//! each case on their own grids, a tumour mask on DCE, and a manifest with clinical columns and
//! a HER2 label, the same bytes for the same seed.
//!
//! - Grids (identity direction, each centred near the case's anatomy with its own jitter, so
//!   that the three overlap the same physical region from different origins):
//!   DCE 352 × 352 × 160 at 1 × 1 × 1.2 mm, T2FS 256 × 256 × 48 at 1.375 × 1.375 × 4 mm, ADC
//!   176 × 176 × 48 at 2 × 2 × 4 mm; [`VolumeSize::Small`] keeps the same spacings over a field
//!   of view of about 80 mm around the tumour (DCE 80 × 80 × 50, T2FS 58 × 58 × 15,
//!   ADC 40 × 40 × 15).
//! - Images are int16, masks uint8 (tumour 1) on the DCE grid only: other sequences take the
//!   mask by resampling ([`crate::image::regions::resample_mask_to`]).
//! - The label's effects are listed in [`CaseModel`]'s module; external cases also come from a
//!   "different scanner" (gain 0.9, noise × 1.2).
//! - Proportions follow the study ([`Design::for_cases`]).
//! - Every case draws from its own PCG-64 stream of the seed (and every slice's noise from its
//!   own), so cases are generated in parallel and the output does not depend on thread count.

mod case;
mod render;
mod tumour;

pub use case::Clinical;
pub use render::Sequence;

use std::path::{Path, PathBuf};

use rand::seq::SliceRandom;
use rand_pcg::Pcg64;
use rayon::prelude::*;

use crate::io::{write_mask, write_nifti, write_nrrd};
use crate::{Error, Result};
use case::CaseModel;

/// How large the volumes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeSize {
    /// The study's geometry (DCE 352 × 352 × 160).
    Full,
    /// About 80 mm around the tumour, for tests and demos.
    Small,
}

/// File format of the volumes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// Gzip-encoded NRRD (`.nrrd`).
    Nrrd,
    /// Gzipped NIfTI-1 (`.nii.gz`).
    Nifti,
}

impl FileFormat {
    fn extension(self) -> &'static str {
        match self {
            FileFormat::Nrrd => "nrrd",
            FileFormat::Nifti => "nii.gz",
        }
    }
}

/// What to synthesise.
#[derive(Clone, Debug)]
pub struct SynthOptions {
    pub cases: usize,
    pub seed: u64,
    pub size: VolumeSize,
    pub format: FileFormat,
}

/// The study's cohort sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CohortSet {
    Internal,
    External,
}

impl CohortSet {
    /// The manifest's `set` value.
    pub fn name(self) -> &'static str {
        match self {
            CohortSet::Internal => "internal",
            CohortSet::External => "external",
        }
    }
}

/// Class counts of a cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Design {
    pub internal_positive: usize,
    pub internal_negative: usize,
    pub external_positive: usize,
    pub external_negative: usize,
}

impl Design {
    /// The study's proportions scaled to `cases`: 202 of 252 cases internal (70 HER2-positive,
    /// 132 negative), 50 external (20 positive, 30 negative). With `n` cases,
    /// `internal = round(n · 202 / 252)`, `external = n − internal`, and the positives are
    /// `round(internal · 70 / 202)` and `round(external · 20 / 50)` (halves rounded up).
    /// For 252 cases this is the study's 70 / 132 / 20 / 30.
    pub fn for_cases(cases: usize) -> Design {
        let scaled = |n: usize, part: usize, whole: usize| (2 * n * part + whole) / (2 * whole);
        let internal = scaled(cases, 202, 252);
        let external = cases - internal;
        let internal_positive = scaled(internal, 70, 202);
        let external_positive = scaled(external, 20, 50);
        Design {
            internal_positive,
            internal_negative: internal - internal_positive,
            external_positive,
            external_negative: external - external_positive,
        }
    }

    /// Set and label of each case: internal cases first, positives shuffled among them.
    fn labels(&self, seed: u64) -> Vec<(CohortSet, bool)> {
        let mut rng = Pcg64::new(u128::from(seed), DESIGN_STREAM);
        let mut part = |set, positive, negative| {
            let mut labels = vec![(set, true); positive];
            labels.extend(std::iter::repeat_n((set, false), negative));
            labels.shuffle(&mut rng);
            labels
        };
        let mut all = part(
            CohortSet::Internal,
            self.internal_positive,
            self.internal_negative,
        );
        all.extend(part(
            CohortSet::External,
            self.external_positive,
            self.external_negative,
        ));
        all
    }
}

/// One written case: its manifest row.
#[derive(Clone, Debug)]
pub struct SynthCase {
    pub id: String,
    pub set: CohortSet,
    pub her2: bool,
    pub clinical: Clinical,
    /// Image files of [`Sequence::ALL`], relative to the cohort's folder.
    pub images: [PathBuf; 3],
    /// The tumour mask (on the DCE grid), relative to the cohort's folder.
    pub mask: PathBuf,
}

/// PCG stream of the label assignment; case `i` uses streams `(i + 1) << 20 | …`.
const DESIGN_STREAM: u128 = 0;

/// The PCG stream of case `case`, for `purpose` 0 (the case's parameters) or 1 + slice index
/// (noise of sequence `sequence`).
fn stream(case: usize, sequence: usize, purpose: usize) -> u128 {
    (((case as u128 + 1) << 20) | ((sequence as u128) << 16)) + purpose as u128
}

/// Writes a cohort into `dir` (created if needed): `caseNNNN/{dce,t2fs,adc,mask}.EXT` and
/// `manifest.csv` (see [`write_manifest`]). Returns the cases in manifest order.
pub fn synthesize(dir: &Path, options: &SynthOptions) -> Result<Vec<SynthCase>> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let labels = Design::for_cases(options.cases).labels(options.seed);
    let cases = labels
        .par_iter()
        .enumerate()
        .map(|(index, &(set, her2))| write_case(dir, index, set, her2, options))
        .collect::<Result<Vec<_>>>()?;
    write_manifest(&dir.join("manifest.csv"), &cases)?;
    Ok(cases)
}

/// Draws case `index` and writes its volumes and mask.
fn write_case(
    dir: &Path,
    index: usize,
    set: CohortSet,
    her2: bool,
    options: &SynthOptions,
) -> Result<SynthCase> {
    let id = format!("case{:04}", index + 1);
    let mut rng = Pcg64::new(u128::from(options.seed), stream(index, 0, 0));
    let model = CaseModel::draw(&mut rng, her2, set);
    let folder = PathBuf::from(&id);
    std::fs::create_dir_all(dir.join(&folder)).map_err(|source| Error::Io {
        path: dir.join(&folder),
        source,
    })?;
    let ext = options.format.extension();
    let mut images: [PathBuf; 3] = Default::default();
    let mut dce_grid = None;
    for (s, sequence) in Sequence::ALL.into_iter().enumerate() {
        let centre = grid_centre(&model, options.size, &mut rng);
        let grid = render::grid(sequence, options.size, centre);
        let noise = |z| Pcg64::new(u128::from(options.seed), stream(index, s, 1 + z));
        let volume = render::render(&model, sequence, &grid, noise);
        images[s] = folder.join(format!("{}.{ext}", sequence.name()));
        match options.format {
            FileFormat::Nrrd => write_nrrd(&dir.join(&images[s]), &volume)?,
            FileFormat::Nifti => write_nifti(&dir.join(&images[s]), &volume)?,
        }
        dce_grid.get_or_insert(grid);
    }
    let mask = folder.join(format!("mask.{ext}"));
    let grid = dce_grid.ok_or_else(|| Error::Unsupported("no DCE grid".into()))?;
    write_mask(&dir.join(&mask), &render::tumour_mask(&model, &grid))?;
    Ok(SynthCase {
        id,
        set,
        her2,
        clinical: model.clinical,
        images,
        mask,
    })
}

/// Where a sequence's grid is centred: the chest (full size) or the tumour (small), each
/// sequence with its own jitter of up to 5 mm (full) or 3 mm (small) per axis.
fn grid_centre(model: &CaseModel, size: VolumeSize, rng: &mut Pcg64) -> [f64; 3] {
    use rand::RngExt;
    let (base, jitter) = match size {
        VolumeSize::Full => (model.centre, 5.0),
        VolumeSize::Small => (model.tumour.centre, 3.0),
    };
    base.map(|c| c + rng.random_range(-jitter..jitter))
}

/// The manifest's columns, in order.
pub const MANIFEST_COLUMNS: [&str; 14] = [
    "case_id",
    "dce",
    "t2fs",
    "adc",
    "mask",
    "age",
    "ER",
    "PR",
    "Ki67",
    "spiculation",
    "uneven_margins",
    "tic_type",
    "HER2",
    "set",
];

/// Writes the manifest: one row per case with [`MANIFEST_COLUMNS`]; paths relative to the
/// manifest's folder, flags as 0 / 1, `set` as `internal` / `external`.
pub fn write_manifest(path: &Path, cases: &[SynthCase]) -> Result<()> {
    let csv_error = |e: csv::Error| Error::format(path, format!("cannot write manifest: {e}"));
    let mut writer = csv::Writer::from_path(path).map_err(csv_error)?;
    writer.write_record(MANIFEST_COLUMNS).map_err(csv_error)?;
    let flag = |b: bool| u8::from(b).to_string();
    for case in cases {
        let c = &case.clinical;
        let paths = case.images.iter().chain([&case.mask]);
        let mut record: Vec<String> = vec![case.id.clone()];
        record.extend(paths.map(|p| p.to_string_lossy().replace('\\', "/")));
        record.extend([
            c.age.to_string(),
            flag(c.er),
            flag(c.pr),
            c.ki67.to_string(),
        ]);
        record.extend([
            flag(c.spiculation),
            flag(c.uneven_margins),
            c.tic_type.to_string(),
        ]);
        record.extend([flag(case.her2), case.set.name().to_string()]);
        writer.write_record(&record).map_err(csv_error)?;
    }
    writer.flush().map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

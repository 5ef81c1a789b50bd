//! Study files: multi-sequence extraction over tumour regions, one wide row per case.
//!
//! ```yaml
//! mode: maxslice          # or 3d
//! label: 1                # the tumour's label in the masks
//! reference: dce          # whose mask is the tumour (default: the first sequence with a mask)
//! regions:
//!   intra: {}             # the tumour
//!   peri: {mm: 3}         # the ring around it (options: mm, inner_mm)
//! sequences:
//!   - {name: dce, image: DCE, mask: DCE_mask, params: dce.yaml}
//!   - {name: adc, image: ADC, params: adc.yaml, window: [0, 3000], tissue: ADC_breast}
//! ```
//!
//! `image` and `mask` name manifest columns (paths, relative to the manifest's folder); `params`
//! is a PyRadiomics parameter file (relative to the study file). For each case and sequence:
//! 1. The tumour: the sequence's own mask's label, or else the reference sequence's tumour
//!    carried onto the sequence's image grid through physical space (nearest neighbour,
//!    [`resample_mask_to`]; no overlap is an error of the case).
//! 2. `maxslice` mode keeps the tumour's largest axial cross-section ([`max_slice`], on the
//!    sequence's own grid) and extracts with `force2D: true`, `force2Ddimension: 0` set on top of
//!    the parameter file (use `shape2D` there for 2D shape); `3d` keeps the whole tumour.
//! 3. `intra` is that tumour region; `peri` is its [`ring`] of `mm` (default 3) mm, measured
//!    within the slice in `maxslice` mode, optionally from `inner_mm` inside the tumour, and
//!    optionally restricted to the sequence's tissue mask (the manifest column `tissue`: its
//!    voxels not 0, carried onto the image grid like the tumour; [`restrict_to_mask`]) and to its
//!    intensity `window` ([`restrict_to_window`]).
//! 4. Every feature and diagnostic is named `<sequence>_<region>_<name>`, e.g.
//!    `dce_intra_original_glcm_Contrast`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::batch::CaseExtraction;
use super::manifest::{Case, Manifest};
use super::memory;
use super::writer::CaseRow;
use crate::backend::Backend;
use crate::image::Volume;
use crate::image::regions::{
    RingOptions, max_slice, resample_mask_to, restrict_to_mask, restrict_to_window, ring,
};
use crate::image::resample::Grid;
use crate::io::{StoredImage, read_mask, read_mask_region, read_stored_image};
use crate::params::Params;
use crate::pipeline::Extractor;
use crate::preprocess::mask::check_labels;
use crate::{Error, Result};

/// Where the regions are drawn and features extracted.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub enum Mode {
    /// The tumour's largest axial cross-section, 2D features.
    #[serde(rename = "maxslice")]
    MaxSlice,
    /// The whole tumour volume.
    #[serde(rename = "3d")]
    Volume,
}

/// The study file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StudyFile {
    mode: Mode,
    #[serde(default = "default_label")]
    label: i64,
    reference: Option<String>,
    regions: RegionsFile,
    sequences: Vec<SequenceFile>,
}

fn default_label() -> i64 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    intra: Option<IntraFile>,
    peri: Option<PeriFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntraFile {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriFile {
    #[serde(default = "default_ring_mm")]
    mm: f64,
    #[serde(default)]
    inner_mm: f64,
}

fn default_ring_mm() -> f64 {
    3.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SequenceFile {
    name: String,
    image: String,
    mask: Option<String>,
    params: PathBuf,
    window: Option<[f64; 2]>,
    tissue: Option<String>,
}

/// A region of a study.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    Intra,
    Peri,
}

impl Region {
    /// The region's name in column prefixes.
    pub fn name(self) -> &'static str {
        match self {
            Region::Intra => "intra",
            Region::Peri => "peri",
        }
    }
}

/// One sequence of a study, ready to extract.
pub struct Sequence {
    pub name: String,
    /// The manifest column of its image.
    pub image_column: String,
    /// The manifest column of its own mask, if any.
    pub mask_column: Option<String>,
    /// The intensity window the ring is restricted to, if any.
    pub window: Option<[f64; 2]>,
    /// The manifest column of a tissue mask the ring is restricted to, if any.
    pub tissue_column: Option<String>,
    extractor: Extractor,
}

/// A loaded study: what [`CaseExtraction`] runs for each case.
pub struct Study {
    pub mode: Mode,
    pub label: i64,
    /// The mask column of the reference sequence: the tumour of sequences without their own.
    pub reference_mask: String,
    pub regions: Vec<Region>,
    pub ring: RingOptions,
    pub sequences: Vec<Sequence>,
}

impl Study {
    /// Reads and checks a study file; parameter files are read relative to its folder.
    pub fn from_file(path: &Path) -> Result<Study> {
        let bad = |message: String| Error::format(path, message);
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let file: StudyFile = serde_norway::from_str(&text).map_err(|e| bad(e.to_string()))?;
        let folder = path.parent().unwrap_or(Path::new(""));
        let sequences = (file.sequences.iter())
            .map(|s| load_sequence(s, file.mode, folder))
            .collect::<Result<Vec<_>>>()?;
        check_names(&sequences).map_err(bad)?;
        let reference = find_reference(&sequences, file.reference.as_deref()).map_err(bad)?;
        let mut regions = Vec::new();
        if file.regions.intra.is_some() {
            regions.push(Region::Intra);
        }
        let peri = file.regions.peri.as_ref();
        if peri.is_some() {
            regions.push(Region::Peri);
        }
        if regions.is_empty() {
            return Err(bad("names no region (regions: intra and/or peri)".into()));
        }
        let ring = RingOptions {
            outer_mm: peri.map_or(3.0, |p| p.mm),
            inner_mm: peri.map_or(0.0, |p| p.inner_mm),
            in_plane: file.mode == Mode::MaxSlice,
        };
        Ok(Study {
            mode: file.mode,
            label: file.label,
            reference_mask: reference,
            regions,
            ring,
            sequences,
        })
    }

    /// The same study with every sequence extracted on `backend`.
    pub fn with_backend(mut self, backend: Arc<dyn Backend>) -> Study {
        for sequence in &mut self.sequences {
            let params = sequence.extractor.params().clone();
            sequence.extractor = Extractor::new(params).with_shared_backend(Arc::clone(&backend));
        }
        self
    }

    /// The manifest columns the study reads.
    pub fn columns(&self) -> Vec<&str> {
        let mut columns = Vec::new();
        for s in &self.sequences {
            columns.push(s.image_column.as_str());
            columns.extend(s.mask_column.as_deref());
            columns.extend(s.tissue_column.as_deref());
        }
        columns
    }

    /// The tumour of `case` on `grid`, the image's, for sequence `index` (see the module
    /// documentation). `last` keeps the last tumour read with its file, so that sequences
    /// sharing a mask file read it once.
    fn tumour(
        &self,
        (manifest, case): (&Manifest, &Case),
        index: usize,
        grid: &Grid,
        last: &mut Option<(PathBuf, Volume<bool>)>,
    ) -> Result<Volume<bool>> {
        let sequence = &self.sequences[index];
        let own_mask = sequence.mask_column.as_deref();
        let path = cell_path(manifest, case, own_mask.unwrap_or(&self.reference_mask))?;
        let tumour = match last.take() {
            Some((read, tumour)) if read == path => tumour,
            _ => self.read_tumour(&path)?,
        };
        *last = Some((path.clone(), tumour.clone()));
        if own_mask.is_some() {
            return Ok(tumour); // drawn on this image: checked against it as PyRadiomics does
        }
        carry_onto(tumour, grid, &path, &sequence.name)
    }

    /// The voxels of the study's label in the mask file at `path`.
    fn read_tumour(&self, path: &Path) -> Result<Volume<bool>> {
        let mask = read_mask_region(path, 0, self.label)?;
        check_labels(mask.labels.iter().copied(), self.label)
            .map_err(|e| Error::format(path, e.to_string()))?;
        Ok(mask.region)
    }

    /// The sequence's tissue mask (its voxels not 0) on `grid`, when it has a `tissue` column.
    fn tissue(
        &self,
        manifest: &Manifest,
        case: &Case,
        index: usize,
        grid: &Grid,
    ) -> Result<Option<Volume<bool>>> {
        let sequence = &self.sequences[index];
        let Some(column) = sequence.tissue_column.as_deref() else {
            return Ok(None);
        };
        let path = cell_path(manifest, case, column)?;
        let mask = read_mask(&path, 0)?.volume;
        let tissue = Volume {
            voxels: mask.voxels.mapv(|v| v != 0.0),
            geometry: mask.geometry,
        };
        carry_onto(tissue, grid, &path, &sequence.name).map(Some)
    }

    /// The regions of one sequence, drawn from its tumour (and tissue mask) on its grid.
    fn regions_of(
        &self,
        (tumour, tissue): (Volume<bool>, Option<Volume<bool>>),
        sequence: &Sequence,
        image: &StoredImage,
    ) -> Result<Vec<(Region, Volume<bool>)>> {
        let tumour = match self.mode {
            Mode::MaxSlice => max_slice(&tumour)?,
            Mode::Volume => tumour,
        };
        let mut out = Vec::new();
        for &region in &self.regions {
            let mask = match region {
                Region::Intra => tumour.clone(),
                Region::Peri => {
                    let mut peri = ring(&tumour, &self.ring)?;
                    if let Some(tissue) = &tissue {
                        peri = restrict_to_mask(&peri, tissue)?;
                    }
                    match sequence.window {
                        Some([lo, hi]) => {
                            let image = image.clone().into_image()?;
                            restrict_to_window(&peri, &image.volume, lo, hi)?
                        }
                        None => peri,
                    }
                }
            };
            out.push((region, mask));
        }
        Ok(out)
    }

    /// The prefixed cells of one sequence of `case`: the image is read once and its regions
    /// extracted together ([`Extractor::extract_regions`]).
    fn extract_sequence(
        &self,
        (manifest, case): (&Manifest, &Case),
        index: usize,
        last_tumour: &mut Option<(PathBuf, Volume<bool>)>,
    ) -> Result<CaseRow> {
        let sequence = &self.sequences[index];
        let image_path = cell_path(manifest, case, &sequence.image_column)?;
        let image = read_stored_image(&image_path)?;
        let grid = Grid {
            size: image.size(),
            geometry: image.geometry().clone(),
        };
        let tumour = self.tumour((manifest, case), index, &grid, last_tumour)?;
        let tissue = self.tissue(manifest, case, index, &grid)?;
        let (names, masks): (Vec<Region>, Vec<Volume<bool>>) = self
            .regions_of((tumour, tissue), sequence, &image)?
            .into_iter()
            .unzip();
        let rows = sequence.extractor.extract_regions(&image, masks);
        let mut cells = CaseRow::new();
        for (region, row) in names.into_iter().zip(rows) {
            let row = row.map_err(|e| {
                Error::format(
                    &image_path,
                    format!("{} {}: {e}", sequence.name, region.name()),
                )
            })?;
            let prefix = format!("{}_{}_", sequence.name, region.name());
            cells.extend(
                row.into_iter()
                    .map(|(k, v)| (format!("{prefix}{k}"), v.to_csv_field())),
            );
        }
        Ok(cells)
    }
}

impl CaseExtraction for Study {
    /// The largest estimate over the sequences (they run one after the other).
    fn estimate(&self, manifest: &Manifest, case: &Case) -> Result<u64> {
        let reference_mask = self.reference_mask.as_str();
        let mut largest = 0;
        for sequence in &self.sequences {
            let image = cell_path(manifest, case, &sequence.image_column)?;
            let mask = cell_path(
                manifest,
                case,
                sequence.mask_column.as_deref().unwrap_or(reference_mask),
            )?;
            largest = largest.max(memory::estimate_case(&image, &mask)?);
        }
        Ok(largest)
    }

    fn extract(&self, manifest: &Manifest, case: &Case) -> std::result::Result<CaseRow, String> {
        let mut cells = CaseRow::new();
        let mut last_tumour = None;
        for index in 0..self.sequences.len() {
            cells.extend(
                self.extract_sequence((manifest, case), index, &mut last_tumour)
                    .map_err(|e| e.to_string())?,
            );
        }
        Ok(cells)
    }
}

/// A sequence of the file with its parameters loaded (label 1: the regions are 0/1 masks;
/// `force2D` on the axial plane in `maxslice` mode).
fn load_sequence(file: &SequenceFile, mode: Mode, folder: &Path) -> Result<Sequence> {
    let mut params = Params::from_file(folder.join(&file.params))?;
    params.set("label", 1)?;
    if mode == Mode::MaxSlice {
        params.set("force2D", true)?.set("force2Ddimension", 0)?;
    }
    Ok(Sequence {
        name: file.name.clone(),
        image_column: file.image.clone(),
        mask_column: file.mask.clone(),
        window: file.window,
        tissue_column: file.tissue.clone(),
        extractor: Extractor::new(params),
    })
}

/// Refuses empty, repeated or no sequence names.
fn check_names(sequences: &[Sequence]) -> std::result::Result<(), String> {
    if sequences.is_empty() {
        return Err("names no sequence".into());
    }
    for (i, s) in sequences.iter().enumerate() {
        if s.name.is_empty() || sequences[..i].iter().any(|t| t.name == s.name) {
            return Err(format!("sequence name \"{}\" is empty or repeated", s.name));
        }
    }
    Ok(())
}

/// The mask column of the reference sequence: the one named, or the first with a mask column.
fn find_reference(
    sequences: &[Sequence],
    name: Option<&str>,
) -> std::result::Result<String, String> {
    let index = match name {
        Some(name) => sequences
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| format!("reference \"{name}\" is not a sequence"))?,
        None => sequences
            .iter()
            .position(|s| s.mask_column.is_some())
            .ok_or("no sequence has a mask column")?,
    };
    let reference = &sequences[index];
    reference.mask_column.clone().ok_or_else(|| {
        format!(
            "reference sequence \"{}\" has no mask column",
            reference.name
        )
    })
}

/// `region`, read from `path`, on `grid` (sequence `sequence`'s image grid): as it is when
/// already on that grid, else carried through physical space ([`resample_mask_to`]).
fn carry_onto(
    region: Volume<bool>,
    grid: &Grid,
    path: &Path,
    sequence: &str,
) -> Result<Volume<bool>> {
    if Grid::of(&region) == *grid {
        return Ok(region);
    }
    resample_mask_to(&region, grid)
        .map_err(|e| Error::format(path, format!("onto the {sequence} image's grid: {e}")))
}

/// The path in `column` of `case`; an empty cell is an error naming the manifest row.
fn cell_path(manifest: &Manifest, case: &Case, column: &str) -> Result<PathBuf> {
    manifest.path(case, column).ok_or_else(|| {
        Error::format(
            &manifest.path,
            format!("row {}: {column} is empty", case.row),
        )
    })
}

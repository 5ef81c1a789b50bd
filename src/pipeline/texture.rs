//! The texture features (every class but shape) of a batch of filtered images, planned then run:
//! each image's discretisation is a job, then each class's matrix counts are a job; the backend
//! runs each round of jobs as one batch, and the steps every backend shares (bin edges, plans,
//! symmetrise, weight, normalise, features) run here, once.

use rayon::prelude::*;

use super::select;
use crate::backend::{Backend, Job, JobOutput};
use crate::features::{self, Feature};
use crate::image::{Image, Volume};
use crate::matrices::Discretized;
use crate::matrices::discretize::roi_bin_edges;
use crate::matrices::glcm::{GlcmPlan, glcm_from_counts};
use crate::matrices::gldm::{dependence_limit, gldm_from_counts};
use crate::matrices::glrlm::{GlrlmPlan, glrlm_from_counts};
use crate::matrices::glszm::{glszm_from_zones, zone_roi};
use crate::matrices::neighbours::PaddedRoi;
use crate::matrices::ngtdm::ngtdm_from_counts;
use crate::output::ResultRow;
use crate::params::{FeatureClass, TextureSettings};
use crate::{Error, Result};

/// A filtered image (cropped to the ROI's bounding box) awaiting its texture features.
pub struct FilteredImage {
    /// The image type name, e.g. `wavelet-LLH`.
    pub name: String,
    pub image: Image,
    /// The image type's discretisation and matrix settings.
    pub settings: TextureSettings,
}

/// Gathers filtered images into batches of at least `budget` voxels (the last one may hold
/// fewer), numbered in order.
pub struct Batches {
    budget: usize,
    batch: Vec<FilteredImage>,
    voxels: usize,
    index: usize,
}

impl Batches {
    /// Batches of `budget` voxels (0: one image each).
    pub fn new(budget: usize) -> Self {
        Batches {
            budget,
            batch: Vec::new(),
            voxels: 0,
            index: 0,
        }
    }

    /// Adds `image`; returns the batch, with its number, once it holds `budget` voxels.
    pub fn push(
        &mut self,
        name: &str,
        image: Image,
        settings: TextureSettings,
    ) -> Option<(usize, Vec<FilteredImage>)> {
        self.voxels += image.volume.voxels.len();
        self.batch.push(FilteredImage {
            name: name.to_string(),
            image,
            settings,
        });
        (self.voxels >= self.budget).then(|| self.take())
    }

    /// The last batch, unless empty.
    pub fn last(mut self) -> Option<(usize, Vec<FilteredImage>)> {
        (!self.batch.is_empty()).then(|| self.take())
    }

    fn take(&mut self) -> (usize, Vec<FilteredImage>) {
        self.voxels = 0;
        self.index += 1;
        (self.index - 1, std::mem::take(&mut self.batch))
    }
}

/// The enabled classes (shape excluded) with their enabled features' names.
pub type Classes<'p> = [(FeatureClass, Vec<&'p str>)];

/// The texture features of `images` (in `mask`, cropped alike), in the images' and the classes'
/// order; the first error in that order (an image's discretisation before its classes) is the
/// one returned.
pub fn texture_rows(
    backend: &dyn Backend,
    classes: &Classes,
    images: &[FilteredImage],
    mask: &Volume<bool>,
) -> Result<ResultRow> {
    let mut row = ResultRow::new();
    if classes.is_empty() {
        return Ok(row);
    }
    let discs = discretise_all(backend, images, &mask.voxels);
    let plans: Vec<Vec<Result<ClassPlan>>> = images
        .par_iter()
        .zip(&discs)
        .map(|(filtered, disc)| match disc {
            Ok(disc) => classes
                .par_iter()
                .map(|&(class, _)| ClassPlan::new(class, disc, &filtered.settings))
                .collect(),
            Err(_) => Vec::new(),
        })
        .collect();
    let outputs = run_matrix_jobs(backend, &plans);
    let planned = discs.into_iter().zip(plans).zip(outputs);
    for (filtered, ((disc, plans), outputs)) in images.iter().zip(planned) {
        let disc = disc?;
        let computed: Vec<Result<Vec<Feature>>> = plans
            .into_par_iter()
            .zip(outputs)
            .map(|(plan, output)| plan?.features(output, &disc, filtered, mask))
            .collect();
        for ((class, names), computed) in classes.iter().zip(computed) {
            select::insert(&mut row, &filtered.name, *class, names, &computed?)?;
        }
    }
    Ok(row)
}

/// Every image's discretisation: bin edges here, the binning itself one batch of jobs.
fn discretise_all(
    backend: &dyn Backend,
    images: &[FilteredImage],
    mask: &ndarray::Array3<bool>,
) -> Vec<Result<Discretized>> {
    let edges: Vec<Result<Vec<f64>>> = images
        .par_iter()
        .map(|f| {
            roi_bin_edges(
                &f.image.volume.voxels,
                mask,
                &f.settings,
                f.image.pixel_type,
            )
        })
        .collect();
    let jobs: Vec<Job> = images
        .iter()
        .zip(&edges)
        .filter_map(|(f, edges)| {
            let edges = edges.as_ref().ok()?;
            let image = &f.image.volume.voxels;
            Some(Job::Discretise { image, mask, edges })
        })
        .collect();
    let mut outputs = backend.run(&jobs).into_iter();
    edges
        .into_iter()
        .map(|edges| {
            let edges = edges?;
            let output = outputs.next().unwrap_or_else(|| Err(missing()));
            Ok(Discretized::from_binned(
                output?.into_binned()?,
                mask,
                edges,
            ))
        })
        .collect()
}

/// Runs the matrix jobs of every plan as one batch; the outputs per image and class (`None`
/// for a class without a job or a plan that failed).
fn run_matrix_jobs(
    backend: &dyn Backend,
    plans: &[Vec<Result<ClassPlan>>],
) -> Vec<Vec<Option<Result<JobOutput>>>> {
    let jobs: Vec<Job> = plans
        .iter()
        .flatten()
        .filter_map(|plan| plan.as_ref().ok()?.job())
        .collect();
    let mut outputs = backend.run(&jobs).into_iter();
    plans
        .iter()
        .map(|image| {
            image
                .iter()
                .map(|plan| {
                    let has_job = plan.as_ref().is_ok_and(|p| p.job().is_some());
                    has_job.then(|| outputs.next().unwrap_or_else(|| Err(missing())))
                })
                .collect()
        })
        .collect()
}

/// The error of a backend that returned fewer results than it was given jobs.
fn missing() -> Error {
    Error::Unsupported("internal error: a backend returned fewer results than jobs".into())
}

/// What one class of one image needs computed: its matrix job's input.
enum ClassPlan {
    FirstOrder,
    Glcm(GlcmPlan),
    Glrlm(GlrlmPlan),
    Glszm(PaddedRoi),
    Gldm(PaddedRoi, i64),
    Ngtdm(PaddedRoi),
}

impl ClassPlan {
    /// The plan of `class` for `disc` (an error where the class cannot be computed).
    fn new(class: FeatureClass, disc: &Discretized, settings: &TextureSettings) -> Result<Self> {
        let padded = |name| PaddedRoi::new(name, disc, &settings.distances, settings);
        Ok(match class {
            FeatureClass::Glcm => ClassPlan::Glcm(GlcmPlan::new(disc, settings)?),
            FeatureClass::Glrlm => ClassPlan::Glrlm(GlrlmPlan::new(disc, settings)?),
            FeatureClass::Glszm => ClassPlan::Glszm(zone_roi(disc, settings)?),
            FeatureClass::Gldm => {
                ClassPlan::Gldm(padded("GLDM")?, dependence_limit(settings.gldm_a))
            }
            FeatureClass::Ngtdm => ClassPlan::Ngtdm(padded("NGTDM")?),
            // Shape never comes here; first order needs no matrix.
            _ => ClassPlan::FirstOrder,
        })
    }

    /// The matrix job (none for first order).
    fn job(&self) -> Option<Job<'_>> {
        Some(match self {
            ClassPlan::FirstOrder => return None,
            ClassPlan::Glcm(plan) => Job::GlcmCounts(plan),
            ClassPlan::Glrlm(plan) => Job::GlrlmCounts(plan),
            ClassPlan::Glszm(roi) => Job::GlszmZones(roi),
            &ClassPlan::Gldm(ref roi, max_diff) => Job::GldmCounts { roi, max_diff },
            ClassPlan::Ngtdm(roi) => Job::NgtdmCounts(roi),
        })
    }

    /// The class's features from its job's `output`: the matrix is finished (symmetrised,
    /// weighted, normalised) from the counts, then the formulas run.
    fn features(
        &self,
        output: Option<Result<JobOutput>>,
        disc: &Discretized,
        filtered: &FilteredImage,
        mask: &Volume<bool>,
    ) -> Result<Vec<Feature>> {
        let (volume, settings) = (&filtered.image.volume, &filtered.settings);
        let spacing = volume.geometry.spacing;
        let output = || output.unwrap_or_else(|| Err(missing()));
        Ok(match self {
            ClassPlan::FirstOrder => {
                features::firstorder::compute(&volume.voxels, &mask.voxels, disc, spacing, settings)
            }
            ClassPlan::Glcm(plan) => {
                let counts = output()?.into_counts()?;
                features::glcm::compute(&glcm_from_counts(counts, plan, disc, spacing, settings))?
            }
            ClassPlan::Glrlm(plan) => {
                let counts = output()?.into_counts()?;
                features::glrlm::compute(&glrlm_from_counts(counts, plan, disc, spacing, settings))
            }
            ClassPlan::Glszm(_) => {
                features::glszm::compute(&glszm_from_zones(disc, &output()?.into_zones()?)?)
            }
            ClassPlan::Gldm(roi, _) => {
                let dependents = output()?.into_dependents()?;
                features::gldm::compute(&gldm_from_counts(disc, roi, &dependents)?)
            }
            ClassPlan::Ngtdm(roi) => {
                let sums = output()?.into_neighbour_sums()?;
                features::ngtdm::compute(&ngtdm_from_counts(roi, &sums, disc.ng)?)
            }
        })
    }
}

//! The GPU backend: filter and texture jobs run as WGSL compute shaders through [`crate::gpu`];
//! the jobs it has no kernel for, and those it declines (too large for the device, or needing
//! f64 `exp`/`log`), run on the CPU.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use ndarray::Array3;
use rayon::prelude::*;

use super::{Backend, BatchSink, CpuBackend, FilterJob, Job, JobOutput, Place, PointFilter};
use crate::gpu::{
    Dispatch, Gpu, GpuError, discretise, glcm, glrlm, log, neighbours, point, split_batches,
    wavelet,
};
use crate::image::source::SourceImage;
use crate::image::{Dimensionality, PixelType, Volume};
use crate::matrices::discretize::{Binned, bin_levels};
use crate::matrices::glcm::{GlcmPlan, count_pairs};
use crate::matrices::gldm::dependence_counts;
use crate::matrices::glrlm::{GlrlmPlan, run_counts};
use crate::matrices::glszm::zones;
use crate::matrices::neighbours::PaddedRoi;
use crate::matrices::ngtdm::{NeighbourSum, neighbour_sums};
use crate::params::Settings;
use crate::{Error, Result};

/// Texture matrices on a GPU.
pub struct GpuBackend {
    gpu: Arc<Gpu>,
    /// Under `--device auto`: a job that fails on the device is redone on the CPU with a
    /// warning, instead of failing the case.
    fall_back: bool,
    warned: AtomicBool,
    /// The bytes one submission may take (the device's largest buffer unless set smaller).
    batch_limit: u64,
    /// Submissions made so far.
    submissions: AtomicUsize,
}

impl GpuBackend {
    /// A backend on `gpu`; with `fall_back`, failed jobs are redone on the CPU.
    pub fn new(gpu: Arc<Gpu>, fall_back: bool) -> Self {
        GpuBackend {
            fall_back,
            warned: AtomicBool::new(false),
            batch_limit: gpu.batch_limit(),
            submissions: AtomicUsize::new(0),
            gpu,
        }
    }

    /// The same backend with submissions of at most `bytes` (below the device's limit: tests).
    pub fn with_batch_limit(mut self, bytes: u64) -> Self {
        self.batch_limit = bytes.min(self.gpu.batch_limit());
        self
    }

    /// How many submissions this backend has made.
    pub fn submissions(&self) -> usize {
        self.submissions.load(Ordering::Relaxed)
    }

    /// The outcome of a GPU job: its value; the CPU's when the job was declined or (with
    /// `fall_back`) failed; else a one-line error.
    fn or_cpu<T>(
        &self,
        on_gpu: std::result::Result<T, GpuError>,
        on_cpu: impl FnOnce() -> T,
    ) -> Result<T> {
        match on_gpu {
            Ok(value) => Ok(value),
            Err(GpuError::Declined(_)) => Ok(on_cpu()),
            Err(e) if self.fall_back => {
                if !self.warned.swap(true, Ordering::Relaxed) {
                    eprintln!("radiome: warning: {e}; redone on the CPU");
                }
                Ok(on_cpu())
            }
            Err(e) => Err(Error::Unsupported(e.to_string())),
        }
    }
}

impl Backend for GpuBackend {
    fn name(&self) -> &'static str {
        "gpu"
    }

    fn device(&self) -> Option<String> {
        Some(self.gpu.description())
    }

    fn glcm_counts(&self, plan: &GlcmPlan) -> Result<Vec<f64>> {
        self.or_cpu(glcm::glcm_counts(&self.gpu, plan), || {
            count_pairs(&plan.roi, &plan.offsets, plan.levels)
        })
    }

    fn glrlm_counts(&self, plan: &GlrlmPlan) -> Result<Vec<f64>> {
        self.or_cpu(glrlm::run_counts(&self.gpu, plan), || run_counts(plan))
    }

    fn glszm_zones(&self, roi: &PaddedRoi) -> Result<Vec<(u32, usize)>> {
        self.or_cpu(neighbours::zones(&self.gpu, roi), || zones(roi))
    }

    fn gldm_counts(&self, roi: &PaddedRoi, max_diff: i64) -> Result<Vec<u32>> {
        self.or_cpu(neighbours::gldm_counts(&self.gpu, roi, max_diff), || {
            dependence_counts(roi, max_diff)
        })
    }

    fn ngtdm_counts(&self, roi: &PaddedRoi) -> Result<Vec<NeighbourSum>> {
        self.or_cpu(neighbours::ngtdm_counts(&self.gpu, roi), || {
            neighbour_sums(roi)
        })
    }

    fn run_filters(&self, jobs: &[FilterJob], sink: &mut BatchSink) -> Result<()> {
        match self.or_cpu(filters_on_gpu(&self.gpu, jobs).map(Some), || None)? {
            Some(images) => {
                for (index, images) in images.into_iter().enumerate() {
                    for (name, volume) in images {
                        sink(index, &name, volume)?;
                    }
                }
                Ok(())
            }
            None => CpuBackend.run_filters(jobs, sink),
        }
    }

    fn wavelet_error(
        &self,
        stored: PixelType,
        settings: &Settings,
        dimensionality: Dimensionality,
    ) -> f64 {
        wavelet::error_bound(&self.gpu, stored, settings, dimensionality)
    }

    fn discretise(
        &self,
        image: &Array3<f64>,
        mask: &Array3<bool>,
        edges: &[f64],
    ) -> Result<Binned> {
        self.or_cpu(
            discretise::discretise(&self.gpu, image, mask, edges),
            || bin_levels(image, mask, edges),
        )
    }

    fn run(&self, jobs: &[Job]) -> Vec<Result<JobOutput>> {
        self.run_batched(jobs)
    }

    fn batch_voxels(&self) -> usize {
        BATCH_VOXELS
    }

    fn case_started(&self) -> Option<crate::gpu::CaseInFlight<'_>> {
        Some(self.gpu.participate())
    }
}

/// The voxels of filtered images gathered into one batch: bounds the host memory a batch holds
/// (about 40 bytes a voxel: the image, its grey levels, the uploads and the matrix inputs).
const BATCH_VOXELS: usize = 1 << 22;

impl GpuBackend {
    /// Runs `jobs` in as few submissions as the batch limit allows; the jobs the GPU declines
    /// run on the CPU, as do (with `fall_back`) those of a failed submission.
    fn run_batched(&self, jobs: &[Job]) -> Vec<Result<JobOutput>> {
        let mut results: Vec<Option<Result<JobOutput>>> = jobs.iter().map(|_| None).collect();
        let mut ready: Vec<(usize, Dispatch)> = Vec::new();
        for (i, job) in jobs.iter().enumerate() {
            match job_dispatch(&self.gpu, job) {
                Ok(dispatch) => ready.push((i, dispatch)),
                Err(e) => results[i] = Some(self.on_gpu_or_cpu(Err(e), job)),
            }
        }
        let sizes: Vec<u64> = ready.iter().map(|(_, d)| d.bytes()).collect();
        let (indices, dispatches): (Vec<usize>, Vec<Dispatch>) = ready.into_iter().unzip();
        for group in split_batches(&sizes, self.batch_limit) {
            self.submissions.fetch_add(1, Ordering::Relaxed);
            let outcome = self.gpu.run_batch(&dispatches[group.clone()]);
            let finished: Vec<(usize, Result<JobOutput>)> = indices[group]
                .par_iter()
                .enumerate()
                .map(|(k, &i)| {
                    let job = &jobs[i];
                    let on_gpu = match &outcome {
                        Ok(words) => Ok(output_of(job, &words[k])),
                        Err(e) => Err(e.clone()),
                    };
                    (i, self.on_gpu_or_cpu(on_gpu, job))
                })
                .collect();
            for (i, result) in finished {
                results[i] = Some(result);
            }
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(Error::Unsupported("a job never ran".into()))))
            .collect()
    }

    /// The outcome of `job` on the GPU, or on the CPU when declined (or failed, with
    /// `fall_back`).
    fn on_gpu_or_cpu(
        &self,
        on_gpu: std::result::Result<JobOutput, GpuError>,
        job: &Job,
    ) -> Result<JobOutput> {
        self.or_cpu(on_gpu.map(Ok), || CpuBackend.run_job(job))?
    }
}

/// A filter job's images with their names.
type NamedImages = Vec<(String, Volume<f64>)>;

/// The images of each job computed on `gpu`: LoG jobs of one image and place (a LoG image
/// type's sigmas) in one submission, any other job alone.
fn filters_on_gpu(
    gpu: &Gpu,
    jobs: &[FilterJob],
) -> std::result::Result<Vec<NamedImages>, GpuError> {
    let Some((image, (region, dimensionality), sigmas)) = log_batch(jobs) else {
        return jobs.iter().map(|job| filter_on_gpu(gpu, job)).collect();
    };
    let images = crate::with_source_volume!(image, volume => log::log_images(
        gpu, volume, &sigmas, region, dimensionality,
    ))?;
    Ok(images
        .into_iter()
        .map(|v| vec![(String::new(), v)])
        .collect())
}

/// The image, place and sigmas of `jobs` when every one is a LoG of the same image and place.
fn log_batch<'a>(jobs: &[FilterJob<'a>]) -> Option<(&'a SourceImage<'a>, Place<'a>, Vec<f64>)> {
    let mut batch: Option<(&SourceImage, Place, Vec<f64>)> = None;
    for job in jobs {
        let FilterJob::Log {
            image,
            sigma_mm,
            place,
        } = *job
        else {
            return None;
        };
        let (first, first_place, sigmas) = batch.get_or_insert((image, place, Vec::new()));
        if !std::ptr::eq(*first, image) || *first_place != place {
            return None;
        }
        sigmas.push(sigma_mm);
    }
    batch
}

/// The images of a filter job computed on `gpu`, named as [`FilterJob::run_on_cpu`] names them.
fn filter_on_gpu(gpu: &Gpu, job: &FilterJob) -> std::result::Result<NamedImages, GpuError> {
    let one = |volume| vec![(String::new(), volume)];
    match *job {
        FilterJob::Log {
            image,
            sigma_mm,
            place: (region, dimensionality),
        } => crate::with_source_volume!(image, volume => log::log_image(
            gpu, volume, sigma_mm, region, dimensionality,
        ))
        .map(one),
        FilterJob::Wavelet {
            image,
            settings,
            place: (region, dimensionality),
        } => wavelet::wavelet_images(gpu, image, settings, region, dimensionality),
        FilterJob::Point {
            filter,
            part,
            m,
            max_log,
        } => match filter {
            PointFilter::Square => point::square(gpu, part, m),
            PointFilter::SquareRoot => point::square_root(gpu, part, m),
            PointFilter::Logarithm => point::logarithm(gpu, part, m, max_log),
            PointFilter::Exponential => point::exponential(gpu, part, m),
        }
        .map(one),
        FilterJob::Gradient { image, use_spacing } => {
            point::gradient_image(gpu, image, use_spacing).map(one)
        }
    }
}

/// The GPU dispatch of `job`.
fn job_dispatch<'a>(gpu: &'a Gpu, job: &Job<'a>) -> std::result::Result<Dispatch<'a>, GpuError> {
    match *job {
        Job::Discretise { image, mask, edges } => {
            discretise::discretise_dispatch(gpu, image, mask, edges)
        }
        Job::GlcmCounts(plan) => glcm::glcm_dispatch(gpu, plan),
        Job::GlrlmCounts(plan) => glrlm::run_dispatch(gpu, plan),
        Job::GlszmZones(roi) => neighbours::zones_dispatch(gpu, roi),
        Job::GldmCounts { roi, max_diff } => neighbours::gldm_dispatch(gpu, roi, max_diff),
        Job::NgtdmCounts(roi) => neighbours::ngtdm_dispatch(gpu, roi),
    }
}

/// The output of `job` from the words its dispatch wrote.
fn output_of(job: &Job, words: &[u32]) -> JobOutput {
    match *job {
        Job::Discretise { image, .. } => {
            JobOutput::Binned(discretise::binned_from_words(image.dim(), words))
        }
        Job::GlcmCounts(_) => JobOutput::Counts(glcm::counts_from_words(words)),
        Job::GlrlmCounts(plan) => JobOutput::Counts(glrlm::counts_from_words(plan, words)),
        Job::GlszmZones(roi) => JobOutput::Zones(neighbours::zones_from_words(roi, words.to_vec())),
        Job::GldmCounts { .. } => JobOutput::Dependents(words.to_vec()),
        Job::NgtdmCounts(_) => JobOutput::NeighbourSums(neighbours::sums_from_words(words)),
    }
}

//! Where the heavy work runs: the filters and the texture matrices. The feature formulas
//! (crate::features) are shared by every backend; a backend only decides how the filtered images
//! and the matrices' counts are computed. The CPU backend is the reference; a GPU backend is
//! verified against it.

mod cpu;
mod filter_job;
mod gpu;
mod job;
mod select;

pub use cpu::CpuBackend;
pub use filter_job::{BatchSink, FilterJob, ImageSink, Place, PointFilter};
pub use gpu::GpuBackend;
pub use job::{Job, JobOutput};
pub use select::{DeviceChoice, select_backend};

use crate::Result;
use crate::filters::recursive_gaussian::PassBuffers;
use crate::image::{Dimensionality, PixelType};
use crate::matrices::Discretized;
use crate::matrices::discretize::{Binned, bin_levels};
use crate::matrices::glcm::{GlcmMatrix, GlcmPlan, count_pairs, glcm_from_counts};
use crate::matrices::gldm::{GldmMatrix, dependence_counts, dependence_limit, gldm_from_counts};
use crate::matrices::glrlm::{GlrlmMatrix, GlrlmPlan, glrlm_from_counts, run_counts};
use crate::matrices::glszm::{GlszmMatrix, glszm_from_zones, zone_roi, zones};
use crate::matrices::neighbours::PaddedRoi;
use crate::matrices::ngtdm::{NeighbourSum, NgtdmMatrix, neighbour_sums, ngtdm_from_counts};
use crate::params::{Settings, TextureSettings};
use ndarray::Array3;
use rayon::prelude::*;

/// Builds the texture matrices of one discretised ROI. `spacing` is in ITK `(x, y, z)` order.
///
/// Every method has the CPU reference as its default: a backend overrides the jobs it runs
/// itself and leaves (or hands back) the rest to the CPU. Backends produce raw counts where they
/// can; the steps every backend shares (symmetrise, weight, normalise) run once, here.
///
/// The pipeline hands a backend its work as planned jobs: each image type's [`FilterJob`]s
/// ([`Backend::run_filters`]), then, for the filtered images gathered into a batch, one round of
/// discretisation [`Job`]s and one of matrix counts ([`Backend::run`]).
pub trait Backend: Send + Sync {
    /// A short name for diagnostics (`"cpu"`, `"gpu"`).
    fn name(&self) -> &'static str;
    /// The device the heavy work runs on, for `diagnostics_Configuration_Device` (`None` for the
    /// CPU, whose output carries no such column).
    fn device(&self) -> Option<String> {
        None
    }
    /// Raw GLCM co-occurrence counts of `plan`, angle-major ([`count_pairs`]).
    fn glcm_counts(&self, plan: &GlcmPlan) -> Result<Vec<f64>> {
        Ok(count_pairs(&plan.roi, &plan.offsets, plan.levels))
    }
    /// Grey level co-occurrence matrices, one per angle, normalised.
    fn glcm(
        &self,
        disc: &Discretized,
        spacing: [f64; 3],
        settings: &TextureSettings,
    ) -> Result<GlcmMatrix> {
        let plan = GlcmPlan::new(disc, settings)?;
        let counts = self.glcm_counts(&plan)?;
        Ok(glcm_from_counts(counts, &plan, disc, spacing, settings))
    }
    /// Raw GLRLM run counts of `plan`, angle-major ([`run_counts`]).
    fn glrlm_counts(&self, plan: &GlrlmPlan) -> Result<Vec<f64>> {
        Ok(run_counts(plan))
    }
    /// Grey level run length matrices, one per angle.
    fn glrlm(
        &self,
        disc: &Discretized,
        spacing: [f64; 3],
        settings: &TextureSettings,
    ) -> Result<GlrlmMatrix> {
        let plan = GlrlmPlan::new(disc, settings)?;
        let counts = self.glrlm_counts(&plan)?;
        Ok(glrlm_from_counts(counts, &plan, disc, spacing, settings))
    }
    /// Grey level size zone matrix.
    fn glszm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<GlszmMatrix> {
        let roi = zone_roi(disc, settings)?;
        glszm_from_zones(disc, &self.glszm_zones(&roi)?)
    }
    /// The zones of `roi` ([`zone_roi`]) as `(grey level, size)` ([`zones`]).
    fn glszm_zones(&self, roi: &PaddedRoi) -> Result<Vec<(u32, usize)>> {
        Ok(zones(roi))
    }
    /// GLDM dependent-neighbour counts per ROI voxel ([`dependence_counts`]).
    fn gldm_counts(&self, roi: &PaddedRoi, max_diff: i64) -> Result<Vec<u32>> {
        Ok(dependence_counts(roi, max_diff))
    }
    /// Grey level dependence matrix.
    fn gldm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<GldmMatrix> {
        let roi = PaddedRoi::new("GLDM", disc, &settings.distances, settings)?;
        let dependents = self.gldm_counts(&roi, dependence_limit(settings.gldm_a))?;
        gldm_from_counts(disc, &roi, &dependents)
    }
    /// NGTDM neighbour counts and sums per ROI voxel ([`neighbour_sums`]).
    fn ngtdm_counts(&self, roi: &PaddedRoi) -> Result<Vec<NeighbourSum>> {
        Ok(neighbour_sums(roi))
    }
    /// Neighbouring grey tone difference matrix.
    fn ngtdm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<NgtdmMatrix> {
        let roi = PaddedRoi::new("NGTDM", disc, &settings.distances, settings)?;
        let sums = self.ngtdm_counts(&roi)?;
        ngtdm_from_counts(&roi, &sums, disc.ng)
    }
    /// Runs a batch of filter jobs in order, handing each image to `sink` with its job's index
    /// as soon as it is made. By default each job runs on the CPU, one image at a time.
    fn run_filters(&self, jobs: &[FilterJob], sink: &mut BatchSink) -> Result<()> {
        let mut buffers = PassBuffers::default();
        for (index, job) in jobs.iter().enumerate() {
            job.run_on_cpu(&mut buffers, &mut |name, volume| sink(index, name, volume))?;
        }
        Ok(())
    }
    /// A bound on how far each value a [`FilterJob::Wavelet`] gives for an image held as
    /// `stored` may lie from the CPU reference's, as a multiple of the image's largest absolute
    /// value (0: these are the CPU's values).
    fn wavelet_error(
        &self,
        _stored: PixelType,
        _settings: &Settings,
        _dimensionality: Dimensionality,
    ) -> f64 {
        0.0
    }
    /// The grey levels of `image` inside `mask` at `edges`, and the ROI voxels per level
    /// ([`bin_levels`]).
    fn discretise(
        &self,
        image: &Array3<f64>,
        mask: &Array3<bool>,
        edges: &[f64],
    ) -> Result<Binned> {
        Ok(bin_levels(image, mask, edges))
    }
    /// Runs a batch of jobs and returns one result per job, in order. By default each job runs
    /// on its own (the methods above), in parallel; a backend that can batch overrides this.
    fn run(&self, jobs: &[Job]) -> Vec<Result<JobOutput>> {
        jobs.par_iter().map(|job| self.run_job(job)).collect()
    }
    /// Runs one job with the methods above.
    fn run_job(&self, job: &Job) -> Result<JobOutput> {
        Ok(match *job {
            Job::Discretise { image, mask, edges } => {
                JobOutput::Binned(self.discretise(image, mask, edges)?)
            }
            Job::GlcmCounts(plan) => JobOutput::Counts(self.glcm_counts(plan)?),
            Job::GlrlmCounts(plan) => JobOutput::Counts(self.glrlm_counts(plan)?),
            Job::GlszmZones(roi) => JobOutput::Zones(self.glszm_zones(roi)?),
            Job::GldmCounts { roi, max_diff } => {
                JobOutput::Dependents(self.gldm_counts(roi, max_diff)?)
            }
            Job::NgtdmCounts(roi) => JobOutput::NeighbourSums(self.ngtdm_counts(roi)?),
        })
    }
    /// Registers a case in flight until the guard is dropped, so that a backend that can send
    /// the work of several cases to its device together waits for it (the GPU: see
    /// [`crate::gpu::Gpu::participate`]). `None` by default: nothing to register.
    fn case_started(&self) -> Option<crate::gpu::CaseInFlight<'_>> {
        None
    }
    /// How many voxels of filtered images the pipeline gathers into one batch of jobs before
    /// running it; 0 (the CPU): each image's jobs run as soon as it is filtered.
    fn batch_voxels(&self) -> usize {
        0
    }
}

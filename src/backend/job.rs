//! The jobs a backend runs in batches: the texture work of one (filtered) image, as inputs the
//! pipeline prepared and outputs that are raw integer counts. What every backend shares
//! (symmetrise, weight, normalise, features) is done afterwards, once, by the pipeline.

use ndarray::Array3;

use crate::matrices::discretize::Binned;
use crate::matrices::glcm::GlcmPlan;
use crate::matrices::glrlm::GlrlmPlan;
use crate::matrices::neighbours::PaddedRoi;
use crate::matrices::ngtdm::NeighbourSum;
use crate::{Error, Result};

/// One piece of texture work.
pub enum Job<'a> {
    /// Bin `image`'s voxels in `mask` at `edges` and count them per grey level
    /// ([`crate::matrices::discretize::bin_levels`]).
    Discretise {
        image: &'a Array3<f64>,
        mask: &'a Array3<bool>,
        edges: &'a [f64],
    },
    /// GLCM co-occurrence counts ([`crate::matrices::glcm::count_pairs`]).
    GlcmCounts(&'a GlcmPlan),
    /// GLRLM run counts ([`crate::matrices::glrlm::run_counts`]).
    GlrlmCounts(&'a GlrlmPlan),
    /// GLSZM zones ([`crate::matrices::glszm::zones`]).
    GlszmZones(&'a PaddedRoi),
    /// GLDM dependence counts ([`crate::matrices::gldm::dependence_counts`]).
    GldmCounts { roi: &'a PaddedRoi, max_diff: i64 },
    /// NGTDM neighbour sums ([`crate::matrices::ngtdm::neighbour_sums`]).
    NgtdmCounts(&'a PaddedRoi),
}

/// What a [`Job`] gives back (the variant matching the job's).
#[derive(Clone, Debug, PartialEq)]
pub enum JobOutput {
    /// Of [`Job::Discretise`].
    Binned(Binned),
    /// Of [`Job::GlcmCounts`] and [`Job::GlrlmCounts`]: integer counts, angle-major.
    Counts(Vec<f64>),
    /// Of [`Job::GlszmZones`]: `(grey level, size)` per zone.
    Zones(Vec<(u32, usize)>),
    /// Of [`Job::GldmCounts`]: dependent neighbours per ROI voxel.
    Dependents(Vec<u32>),
    /// Of [`Job::NgtdmCounts`]: per ROI voxel.
    NeighbourSums(Vec<NeighbourSum>),
}

impl JobOutput {
    /// The output of a discretise job.
    pub fn into_binned(self) -> Result<Binned> {
        match self {
            JobOutput::Binned(binned) => Ok(binned),
            other => Err(mismatch("Binned", &other)),
        }
    }

    /// The output of a GLCM or GLRLM job.
    pub fn into_counts(self) -> Result<Vec<f64>> {
        match self {
            JobOutput::Counts(counts) => Ok(counts),
            other => Err(mismatch("Counts", &other)),
        }
    }

    /// The output of a GLSZM job.
    pub fn into_zones(self) -> Result<Vec<(u32, usize)>> {
        match self {
            JobOutput::Zones(zones) => Ok(zones),
            other => Err(mismatch("Zones", &other)),
        }
    }

    /// The output of a GLDM job.
    pub fn into_dependents(self) -> Result<Vec<u32>> {
        match self {
            JobOutput::Dependents(counts) => Ok(counts),
            other => Err(mismatch("Dependents", &other)),
        }
    }

    /// The output of an NGTDM job.
    pub fn into_neighbour_sums(self) -> Result<Vec<NeighbourSum>> {
        match self {
            JobOutput::NeighbourSums(sums) => Ok(sums),
            other => Err(mismatch("NeighbourSums", &other)),
        }
    }
}

/// The error of a backend that answered a job with another job's kind of output.
fn mismatch(wanted: &str, got: &JobOutput) -> Error {
    let got = match got {
        JobOutput::Binned(_) => "Binned",
        JobOutput::Counts(_) => "Counts",
        JobOutput::Zones(_) => "Zones",
        JobOutput::Dependents(_) => "Dependents",
        JobOutput::NeighbourSums(_) => "NeighbourSums",
    };
    Error::Unsupported(format!(
        "internal error: a backend returned {got} for a job wanting {wanted}"
    ))
}

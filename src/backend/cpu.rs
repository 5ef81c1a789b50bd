//! The CPU reference backend: the matrices of crate::matrices, in f64.

use super::Backend;
use crate::Result;
use crate::matrices::Discretized;
use crate::matrices::glcm::{GlcmMatrix, glcm_matrix};
use crate::matrices::gldm::{GldmMatrix, gldm_matrix};
use crate::matrices::glrlm::{GlrlmMatrix, glrlm_matrix};
use crate::matrices::glszm::{GlszmMatrix, glszm_matrix};
use crate::matrices::ngtdm::{NgtdmMatrix, ngtdm_matrix};
use crate::params::TextureSettings;

/// Texture matrices computed on the CPU (rayon inside the matrix builders where it pays).
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuBackend;

impl Backend for CpuBackend {
    fn name(&self) -> &'static str {
        "cpu"
    }

    fn glcm(
        &self,
        disc: &Discretized,
        spacing: [f64; 3],
        settings: &TextureSettings,
    ) -> Result<GlcmMatrix> {
        glcm_matrix(disc, spacing, settings)
    }

    fn glrlm(
        &self,
        disc: &Discretized,
        spacing: [f64; 3],
        settings: &TextureSettings,
    ) -> Result<GlrlmMatrix> {
        glrlm_matrix(disc, spacing, settings)
    }

    fn glszm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<GlszmMatrix> {
        glszm_matrix(disc, settings)
    }

    fn gldm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<GldmMatrix> {
        gldm_matrix(disc, settings)
    }

    fn ngtdm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<NgtdmMatrix> {
        ngtdm_matrix(disc, settings)
    }
}

//! Where texture matrices are built. The feature formulas (crate::features) are shared by every
//! backend; a backend only decides how the matrices are computed. The CPU backend is the
//! reference; a GPU backend is verified against it.

mod cpu;
mod gpu;
mod select;

pub use cpu::CpuBackend;
pub use gpu::GpuBackend;
pub use select::{DeviceChoice, select_backend};

use crate::Result;
use crate::matrices::Discretized;
use crate::matrices::glcm::{GlcmMatrix, GlcmPlan, count_pairs, glcm_from_counts};
use crate::matrices::gldm::{GldmMatrix, gldm_matrix};
use crate::matrices::glrlm::{GlrlmMatrix, glrlm_matrix};
use crate::matrices::glszm::{GlszmMatrix, glszm_matrix};
use crate::matrices::ngtdm::{NgtdmMatrix, ngtdm_matrix};
use crate::params::TextureSettings;

/// Builds the texture matrices of one discretised ROI. `spacing` is in ITK `(x, y, z)` order.
///
/// Every method has the CPU reference as its default: a backend overrides the jobs it runs
/// itself and leaves (or hands back) the rest to the CPU. Backends produce raw counts where they
/// can; the steps every backend shares (symmetrise, weight, normalise) run once, here.
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
    /// Grey level run length matrices, one per angle.
    fn glrlm(
        &self,
        disc: &Discretized,
        spacing: [f64; 3],
        settings: &TextureSettings,
    ) -> Result<GlrlmMatrix> {
        glrlm_matrix(disc, spacing, settings)
    }
    /// Grey level size zone matrix.
    fn glszm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<GlszmMatrix> {
        glszm_matrix(disc, settings)
    }
    /// Grey level dependence matrix.
    fn gldm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<GldmMatrix> {
        gldm_matrix(disc, settings)
    }
    /// Neighbouring grey tone difference matrix.
    fn ngtdm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<NgtdmMatrix> {
        ngtdm_matrix(disc, settings)
    }
}

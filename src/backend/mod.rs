//! Where texture matrices are built. The feature formulas (crate::features) are shared by every
//! backend; a backend only decides how the matrices are computed. The CPU backend is the
//! reference; a GPU backend is verified against it.

mod cpu;

pub use cpu::CpuBackend;

use crate::Result;
use crate::matrices::Discretized;
use crate::matrices::glcm::GlcmMatrix;
use crate::matrices::gldm::GldmMatrix;
use crate::matrices::glrlm::GlrlmMatrix;
use crate::matrices::glszm::GlszmMatrix;
use crate::matrices::ngtdm::NgtdmMatrix;
use crate::params::TextureSettings;

/// Builds the texture matrices of one discretised ROI. `spacing` is in ITK `(x, y, z)` order.
pub trait Backend: Send + Sync {
    /// A short name for diagnostics (`"cpu"`, `"gpu"`).
    fn name(&self) -> &'static str;
    /// Grey level co-occurrence matrices, one per angle, normalised.
    fn glcm(
        &self,
        disc: &Discretized,
        spacing: [f64; 3],
        settings: &TextureSettings,
    ) -> Result<GlcmMatrix>;
    /// Grey level run length matrices, one per angle.
    fn glrlm(
        &self,
        disc: &Discretized,
        spacing: [f64; 3],
        settings: &TextureSettings,
    ) -> Result<GlrlmMatrix>;
    /// Grey level size zone matrix.
    fn glszm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<GlszmMatrix>;
    /// Grey level dependence matrix.
    fn gldm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<GldmMatrix>;
    /// Neighbouring grey tone difference matrix.
    fn ngtdm(&self, disc: &Discretized, settings: &TextureSettings) -> Result<NgtdmMatrix>;
}

//! The CPU reference backend: the matrices of crate::matrices, in f64.

use super::Backend;

/// Texture matrices computed on the CPU (rayon inside the matrix builders where it pays): every
/// job is the trait's default.
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuBackend;

impl Backend for CpuBackend {
    fn name(&self) -> &'static str {
        "cpu"
    }
}

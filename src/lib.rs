//! radiome: PyRadiomics-exact radiomics features, fast.

pub mod error;
pub mod features;
pub mod filters;
pub mod image;
pub mod matrices;
pub mod params;

pub use error::{Error, Result};

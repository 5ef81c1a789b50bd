//! radiome: PyRadiomics-exact radiomics features, fast.

pub mod error;
pub mod features;
pub mod image;
pub mod matrices;
pub mod params;
pub mod preprocess;

pub use error::{Error, Result};

//! radiome: PyRadiomics-exact radiomics features, fast.

pub mod backend;
pub mod compare;
pub mod error;
pub mod features;
pub mod filters;
pub mod image;
pub mod io;
pub mod matrices;
pub mod output;
pub mod params;
pub mod pipeline;
pub mod preprocess;
pub mod pyrepr;

pub use error::{Error, Result};
pub use pipeline::Extractor;

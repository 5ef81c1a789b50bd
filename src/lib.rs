//! radiome: PyRadiomics-exact radiomics features, fast.
//!
//! The data flow of one case: [`io`] reads image and mask (NRRD, NIfTI) into [`image::Image`]s
//! with their LPS geometry; [`preprocess`] applies PyRadiomics' mask checks, normalisation,
//! resampling and resegmentation; [`filters`] make the derived image types (wavelet, LoG, …);
//! [`matrices`] discretise and build texture matrices (through a [`backend::Backend`]);
//! [`features`] turn them into PyRadiomics' features; [`pipeline::Extractor`] runs it all and
//! returns an ordered row that [`output`] writes as PyRadiomics' CSV or as JSON. [`params`] reads
//! PyRadiomics' parameter files, [`compare`] checks one feature table against another.
//!
//! ```
//! use radiome::{Extractor, params::{FeatureClass, Params}};
//!
//! let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pyradiomics-data");
//! let mut params = Params::default();
//! params.set("binWidth", 10)?;
//! params.disable_feature_class(FeatureClass::Shape);
//! let row = Extractor::new(params)
//!     .extract_files(&data.join("breast1_image.nrrd"), &data.join("breast1_label.nrrd"))?;
//! assert!(row.contains_key("original_glszm_ZoneEntropy"));
//! assert!(!row.contains_key("original_shape_VoxelVolume"));
//! # Ok::<(), radiome::Error>(())
//! ```

pub mod backend;
pub mod cohort;
pub mod compare;
pub mod error;
pub mod features;
pub mod filters;
pub mod gpu;
mod huge_pages;
pub mod image;
pub mod io;
pub mod matrices;
pub mod model;
pub mod numpy_sum;
pub mod output;
pub mod params;
pub mod pipeline;
pub mod preprocess;
pub mod pyrepr;
pub mod svd;
#[cfg(test)]
mod test_random;

pub use error::{Error, Result};
pub use pipeline::Extractor;

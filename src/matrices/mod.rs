//! Texture matrices on the CPU, and the discretisation they all start from.

pub mod angles;
pub mod discretize;
pub mod glcm;
pub mod glrlm;
pub mod roi;
pub mod weighting;

pub use discretize::{Discretized, discretize};
pub mod gldm;
pub mod glszm;
pub mod neighbours;
pub mod ngtdm;
pub mod size_matrix;

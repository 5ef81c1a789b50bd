//! Texture matrices on the CPU, and the discretisation they all start from.

pub mod angles;
pub mod discretize;
pub mod glcm;
pub mod gldm;
pub mod glrlm;
pub mod glszm;
pub mod neighbours;
pub mod ngtdm;
pub mod roi;
pub mod size_matrix;
pub mod weighting;

pub use discretize::{Discretized, discretize};

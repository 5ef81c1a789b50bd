//! PyRadiomics' image filters (image types), reproduced to the value.

pub mod gradient;
pub mod lbp2d;
pub mod log;
pub mod point;
pub mod recursive_gaussian;

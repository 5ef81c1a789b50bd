//! PyRadiomics' image filters (image types), reproduced to the value.

pub mod log;
pub mod recursive_gaussian;

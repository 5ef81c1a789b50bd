//! PyRadiomics' image filters (image types other than `Original`), reproduced to the value.

pub mod log;
pub mod recursive_gaussian;
pub mod wavelet;
pub mod wavelet_coefficients;

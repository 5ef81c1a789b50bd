//! PyRadiomics' image filters (image types other than `Original`), reproduced to the value.

pub mod gradient;
pub mod lbp2d;
pub mod log;
pub mod point;
pub mod recursive_gaussian;
pub mod wavelet;
pub mod wavelet_coefficients;

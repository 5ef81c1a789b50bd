//! PyRadiomics' image filters (image types other than `Original`).

pub mod wavelet;
pub mod wavelet_coefficients;

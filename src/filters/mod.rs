//! PyRadiomics' image filters (image types other than `Original`), reproduced to the value.

pub mod complex;
pub mod cubic_spline;
pub mod gradient;
pub mod icosphere;
pub mod lbp2d;
pub mod lbp3d;
pub mod log;
pub mod point;
pub mod recursive_gaussian;
pub mod spherical_harmonics;
pub mod wavelet;
pub mod wavelet_coefficients;

//! Feature formulas, one module per PyRadiomics feature class. They take histograms and texture
//! matrices (or, for shape, the mask and its geometry) and are shared by every backend.

pub mod diameters;
pub mod eigenvalues;
pub mod firstorder;
pub mod glcm;
pub mod gldm;
pub mod glrlm;
pub mod glszm;
pub mod marching_cubes;
pub mod marching_squares;
pub mod mcc;
pub mod nanmean;
pub mod ngtdm;
pub mod principal_axes;
pub mod shape;
pub mod shape2d;
pub mod size_emphasis;
pub mod table;
pub mod tridiagonal;

/// One computed feature: its PyRadiomics name within its class and its value,
/// made from its class's table row by [`table::evaluate`].
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    pub name: &'static str,
    pub value: f64,
    /// PyRadiomics marks some features deprecated: they are computed only when named explicitly.
    pub deprecated: bool,
    /// PyRadiomics returns this value as a Python `int` (written `1`, not `1.0`).
    pub integral: bool,
}

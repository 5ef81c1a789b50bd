//! The feature tables: each class module (`firstorder`, `glcm`, …) holds one table of
//! [`FeatureDef`] rows, the only place where a feature's PyRadiomics name is written. Parameter
//! validation and the default feature lists ([`crate::params::FeatureClass::features`]),
//! selection and output order ([`crate::pipeline`]) all read these tables.

use super::{Feature, firstorder, glcm, gldm, glrlm, glszm, ngtdm, shape, shape2d};
use crate::params::FeatureClass;

/// How PyRadiomics writes a feature's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printed {
    /// A Python float (its `repr`).
    Float,
    /// The Python int `1` where the class's matrix has a single grey level (a flat region), a
    /// float otherwise: GLCM's MCC.
    IntegerWhenFlat,
    /// Nothing: PyRadiomics' method raises a `DeprecationWarning`, which it only logs, so the
    /// feature has no value and no column even when a parameter file names it.
    Nothing,
}

/// A feature's name, deprecation and printing: its table row without the function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeatureInfo {
    /// PyRadiomics' name within the class.
    pub name: &'static str,
    /// PyRadiomics marks the feature deprecated: it is computed only when named.
    pub deprecated: bool,
    /// How the value is written.
    pub printed: Printed,
}

/// One row of a class's feature table: the feature's [`FeatureInfo`] and the function `F` that
/// computes it from the class's inputs (`None` exactly when it is [`Printed::Nothing`]).
pub struct FeatureDef<F> {
    /// Name, deprecation and printing.
    pub info: FeatureInfo,
    /// The formula; `None` for a feature PyRadiomics gives no value.
    pub compute: Option<F>,
}

impl<F> FeatureDef<F> {
    /// A current feature, printed as a float.
    pub const fn new(name: &'static str, compute: F) -> Self {
        FeatureDef::row(name, false, Printed::Float, Some(compute))
    }

    /// A deprecated feature that still has a value, printed as a float.
    pub const fn deprecated(name: &'static str, compute: F) -> Self {
        FeatureDef::row(name, true, Printed::Float, Some(compute))
    }

    /// A current feature printed as the int `1` for a flat region ([`Printed::IntegerWhenFlat`]).
    pub const fn integer_when_flat(name: &'static str, compute: F) -> Self {
        FeatureDef::row(name, false, Printed::IntegerWhenFlat, Some(compute))
    }

    /// A deprecated feature PyRadiomics accepts but gives no value ([`Printed::Nothing`]).
    pub const fn without_value(name: &'static str) -> Self {
        FeatureDef::row(name, true, Printed::Nothing, None)
    }

    const fn row(
        name: &'static str,
        deprecated: bool,
        printed: Printed,
        compute: Option<F>,
    ) -> Self {
        FeatureDef {
            info: FeatureInfo {
                name,
                deprecated,
                printed,
            },
            compute,
        }
    }
}

/// Every feature of `table` that has a value, in table order. `value` applies a row's function
/// to the class's inputs; `flat` says whether the class's matrix has a single grey level (for
/// [`Printed::IntegerWhenFlat`]).
pub fn evaluate<F: Copy>(
    table: &[FeatureDef<F>],
    flat: bool,
    mut value: impl FnMut(F) -> f64,
) -> Vec<Feature> {
    table
        .iter()
        .filter_map(|row| {
            let info = row.info;
            Some(Feature {
                name: info.name,
                value: value(row.compute?),
                deprecated: info.deprecated,
                integral: flat && info.printed == Printed::IntegerWhenFlat,
            })
        })
        .collect()
}

/// Every feature of `class` (deprecated ones included) in PyRadiomics' order: by method name
/// `get<Feature>FeatureValue`, the order of its output when the class is enabled without a list.
pub fn features(class: FeatureClass) -> Vec<FeatureInfo> {
    fn infos<F>(table: &[FeatureDef<F>]) -> Vec<FeatureInfo> {
        table.iter().map(|row| row.info).collect()
    }
    match class {
        FeatureClass::FirstOrder => infos(&firstorder::FEATURES),
        FeatureClass::Glcm => infos(&glcm::FEATURES),
        FeatureClass::Gldm => infos(&gldm::FEATURES),
        FeatureClass::Glrlm => infos(&glrlm::FEATURES),
        FeatureClass::Glszm => infos(&glszm::FEATURES),
        FeatureClass::Ngtdm => infos(&ngtdm::FEATURES),
        FeatureClass::Shape => infos(&shape::FEATURES),
        FeatureClass::Shape2D => infos(&shape2d::FEATURES),
    }
}

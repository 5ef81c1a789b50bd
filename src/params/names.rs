//! PyRadiomics' names: feature classes, image types and the wavelets PyWavelets knows
//! (generated from PyWavelets with `fixtures/params/make_names.py`). The feature names of each
//! class are those of its table in [`crate::features`].

use super::{FeatureClass, ImageTypeKind};
use crate::features::table::{self, FeatureInfo};
use crate::{Error, Result};

/// Every wavelet name `pywt.wavelist()` returns (PyRadiomics' `checkWavelet` accepts these).
pub const WAVELETS: &[&str] = &[
    "bior1.1", "bior1.3", "bior1.5", "bior2.2", "bior2.4", "bior2.6", "bior2.8", "bior3.1",
    "bior3.3", "bior3.5", "bior3.7", "bior3.9", "bior4.4", "bior5.5", "bior6.8", "cgau1", "cgau2",
    "cgau3", "cgau4", "cgau5", "cgau6", "cgau7", "cgau8", "cmor", "coif1", "coif2", "coif3",
    "coif4", "coif5", "coif6", "coif7", "coif8", "coif9", "coif10", "coif11", "coif12", "coif13",
    "coif14", "coif15", "coif16", "coif17", "db1", "db2", "db3", "db4", "db5", "db6", "db7", "db8",
    "db9", "db10", "db11", "db12", "db13", "db14", "db15", "db16", "db17", "db18", "db19", "db20",
    "db21", "db22", "db23", "db24", "db25", "db26", "db27", "db28", "db29", "db30", "db31", "db32",
    "db33", "db34", "db35", "db36", "db37", "db38", "dmey", "fbsp", "gaus1", "gaus2", "gaus3",
    "gaus4", "gaus5", "gaus6", "gaus7", "gaus8", "haar", "mexh", "morl", "rbio1.1", "rbio1.3",
    "rbio1.5", "rbio2.2", "rbio2.4", "rbio2.6", "rbio2.8", "rbio3.1", "rbio3.3", "rbio3.5",
    "rbio3.7", "rbio3.9", "rbio4.4", "rbio5.5", "rbio6.8", "shan", "sym2", "sym3", "sym4", "sym5",
    "sym6", "sym7", "sym8", "sym9", "sym10", "sym11", "sym12", "sym13", "sym14", "sym15", "sym16",
    "sym17", "sym18", "sym19", "sym20",
];

/// The continuous wavelets among [`WAVELETS`] (no filter bank: unusable for the `Wavelet` image type).
const CONTINUOUS_WAVELETS: &[&str] = &[
    "cgau1", "cgau2", "cgau3", "cgau4", "cgau5", "cgau6", "cgau7", "cgau8", "cmor", "fbsp",
    "gaus1", "gaus2", "gaus3", "gaus4", "gaus5", "gaus6", "gaus7", "gaus8", "mexh", "morl", "shan",
];

/// Whether `name` is a discrete wavelet of PyWavelets (usable by the `Wavelet` image type).
pub fn is_discrete_wavelet(name: &str) -> bool {
    WAVELETS.contains(&name) && !CONTINUOUS_WAVELETS.contains(&name)
}

impl FeatureClass {
    /// The class with PyRadiomics' name `name` (`"glcm"`, `"shape2D"`, ...).
    pub fn from_name(name: &str) -> Option<FeatureClass> {
        FeatureClass::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Every feature of the class (deprecated ones included) in PyRadiomics' order, from the
    /// class's table ([`table::features`]).
    pub fn features(self) -> Vec<FeatureInfo> {
        table::features(self)
    }

    /// The features PyRadiomics computes when the class is enabled without a feature list
    /// (every feature not marked deprecated), in PyRadiomics' order.
    pub fn default_features(self) -> Vec<&'static str> {
        self.features()
            .into_iter()
            .filter(|f| !f.deprecated)
            .map(|f| f.name)
            .collect()
    }

    /// The feature of the class named `name` (deprecated ones included).
    pub fn feature(self, name: &str) -> Option<FeatureInfo> {
        self.features().into_iter().find(|f| f.name == name)
    }

    /// The feature of the class named `name`, or a parameter error found in `origin` that lists
    /// the class's features.
    pub fn checked_feature(self, origin: &str, name: &str) -> Result<FeatureInfo> {
        self.feature(name).ok_or_else(|| {
            let known: Vec<&str> = self.features().iter().map(|f| f.name).collect();
            Error::params(
                origin,
                format!(
                    "/featureClass/{}: unknown feature '{name}' ({} features: {})",
                    self.name(),
                    self.name(),
                    known.join(", ")
                ),
            )
        })
    }
}

impl ImageTypeKind {
    /// Every image type, in the order PyRadiomics' `getImageTypes()` lists them.
    pub const ALL: [ImageTypeKind; 10] = [
        ImageTypeKind::Exponential,
        ImageTypeKind::Gradient,
        ImageTypeKind::LBP2D,
        ImageTypeKind::LBP3D,
        ImageTypeKind::LoG,
        ImageTypeKind::Logarithm,
        ImageTypeKind::Original,
        ImageTypeKind::Square,
        ImageTypeKind::SquareRoot,
        ImageTypeKind::Wavelet,
    ];

    /// PyRadiomics' name of the image type, as used in parameter files.
    pub fn name(self) -> &'static str {
        match self {
            ImageTypeKind::Original => "Original",
            ImageTypeKind::Wavelet => "Wavelet",
            ImageTypeKind::LoG => "LoG",
            ImageTypeKind::Square => "Square",
            ImageTypeKind::SquareRoot => "SquareRoot",
            ImageTypeKind::Logarithm => "Logarithm",
            ImageTypeKind::Exponential => "Exponential",
            ImageTypeKind::Gradient => "Gradient",
            ImageTypeKind::LBP2D => "LBP2D",
            ImageTypeKind::LBP3D => "LBP3D",
        }
    }

    /// The image type with PyRadiomics' name `name` (`"LoG"`, `"Wavelet"`, ...).
    pub fn from_name(name: &str) -> Option<ImageTypeKind> {
        ImageTypeKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_defaults_skip_deprecated() {
        for class in FeatureClass::ALL {
            assert_eq!(FeatureClass::from_name(class.name()), Some(class));
        }
        for kind in ImageTypeKind::ALL {
            assert_eq!(ImageTypeKind::from_name(kind.name()), Some(kind));
        }
        let glcm = FeatureClass::Glcm.default_features();
        assert_eq!(glcm.len(), 24);
        assert!(!glcm.contains(&"SumVariance"));
        assert!(
            FeatureClass::Glcm
                .feature("SumVariance")
                .is_some_and(|f| f.deprecated)
        );
        assert!(FeatureClass::Glcm.feature("Variance").is_none());
        assert!(is_discrete_wavelet("coif1") && !is_discrete_wavelet("mexh"));
        assert_eq!(WAVELETS.len(), 127);
    }
}

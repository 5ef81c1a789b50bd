//! PyRadiomics' names: feature names per class (with their deprecation flag) and the wavelets
//! PyWavelets knows. Generated from PyRadiomics 3.1 / PyWavelets with
//! `fixtures/params/make_names.py`.

use super::{FeatureClass, ImageTypeKind};

/// `firstorder` features (name, deprecated), in PyRadiomics' order (by method name `get<Feature>FeatureValue`).
const FIRSTORDER: &[(&str, bool)] = &[
    ("10Percentile", false),
    ("90Percentile", false),
    ("Energy", false),
    ("Entropy", false),
    ("InterquartileRange", false),
    ("Kurtosis", false),
    ("Maximum", false),
    ("MeanAbsoluteDeviation", false),
    ("Mean", false),
    ("Median", false),
    ("Minimum", false),
    ("Range", false),
    ("RobustMeanAbsoluteDeviation", false),
    ("RootMeanSquared", false),
    ("Skewness", false),
    ("StandardDeviation", true),
    ("TotalEnergy", false),
    ("Uniformity", false),
    ("Variance", false),
];

/// `glcm` features (name, deprecated), in PyRadiomics' order (by method name `get<Feature>FeatureValue`).
const GLCM: &[(&str, bool)] = &[
    ("Autocorrelation", false),
    ("ClusterProminence", false),
    ("ClusterShade", false),
    ("ClusterTendency", false),
    ("Contrast", false),
    ("Correlation", false),
    ("DifferenceAverage", false),
    ("DifferenceEntropy", false),
    ("DifferenceVariance", false),
    ("Dissimilarity", true),
    ("Homogeneity1", true),
    ("Homogeneity2", true),
    ("Id", false),
    ("Idm", false),
    ("Idmn", false),
    ("Idn", false),
    ("Imc1", false),
    ("Imc2", false),
    ("InverseVariance", false),
    ("JointAverage", false),
    ("JointEnergy", false),
    ("JointEntropy", false),
    ("MCC", false),
    ("MaximumProbability", false),
    ("SumAverage", false),
    ("SumEntropy", false),
    ("SumSquares", false),
    ("SumVariance", true),
];

/// `gldm` features (name, deprecated), in PyRadiomics' order (by method name `get<Feature>FeatureValue`).
const GLDM: &[(&str, bool)] = &[
    ("DependenceEntropy", false),
    ("DependenceNonUniformity", false),
    ("DependenceNonUniformityNormalized", false),
    ("DependencePercentage", true),
    ("DependenceVariance", false),
    ("GrayLevelNonUniformity", false),
    ("GrayLevelNonUniformityNormalized", true),
    ("GrayLevelVariance", false),
    ("HighGrayLevelEmphasis", false),
    ("LargeDependenceEmphasis", false),
    ("LargeDependenceHighGrayLevelEmphasis", false),
    ("LargeDependenceLowGrayLevelEmphasis", false),
    ("LowGrayLevelEmphasis", false),
    ("SmallDependenceEmphasis", false),
    ("SmallDependenceHighGrayLevelEmphasis", false),
    ("SmallDependenceLowGrayLevelEmphasis", false),
];

/// `glrlm` features (name, deprecated), in PyRadiomics' order (by method name `get<Feature>FeatureValue`).
const GLRLM: &[(&str, bool)] = &[
    ("GrayLevelNonUniformity", false),
    ("GrayLevelNonUniformityNormalized", false),
    ("GrayLevelVariance", false),
    ("HighGrayLevelRunEmphasis", false),
    ("LongRunEmphasis", false),
    ("LongRunHighGrayLevelEmphasis", false),
    ("LongRunLowGrayLevelEmphasis", false),
    ("LowGrayLevelRunEmphasis", false),
    ("RunEntropy", false),
    ("RunLengthNonUniformity", false),
    ("RunLengthNonUniformityNormalized", false),
    ("RunPercentage", false),
    ("RunVariance", false),
    ("ShortRunEmphasis", false),
    ("ShortRunHighGrayLevelEmphasis", false),
    ("ShortRunLowGrayLevelEmphasis", false),
];

/// `glszm` features (name, deprecated), in PyRadiomics' order (by method name `get<Feature>FeatureValue`).
const GLSZM: &[(&str, bool)] = &[
    ("GrayLevelNonUniformity", false),
    ("GrayLevelNonUniformityNormalized", false),
    ("GrayLevelVariance", false),
    ("HighGrayLevelZoneEmphasis", false),
    ("LargeAreaEmphasis", false),
    ("LargeAreaHighGrayLevelEmphasis", false),
    ("LargeAreaLowGrayLevelEmphasis", false),
    ("LowGrayLevelZoneEmphasis", false),
    ("SizeZoneNonUniformity", false),
    ("SizeZoneNonUniformityNormalized", false),
    ("SmallAreaEmphasis", false),
    ("SmallAreaHighGrayLevelEmphasis", false),
    ("SmallAreaLowGrayLevelEmphasis", false),
    ("ZoneEntropy", false),
    ("ZonePercentage", false),
    ("ZoneVariance", false),
];

/// `ngtdm` features (name, deprecated), in PyRadiomics' order (by method name `get<Feature>FeatureValue`).
const NGTDM: &[(&str, bool)] = &[
    ("Busyness", false),
    ("Coarseness", false),
    ("Complexity", false),
    ("Contrast", false),
    ("Strength", false),
];

/// `shape` features (name, deprecated), in PyRadiomics' order (by method name `get<Feature>FeatureValue`).
const SHAPE: &[(&str, bool)] = &[
    ("Compactness1", true),
    ("Compactness2", true),
    ("Elongation", false),
    ("Flatness", false),
    ("LeastAxisLength", false),
    ("MajorAxisLength", false),
    ("Maximum2DDiameterColumn", false),
    ("Maximum2DDiameterRow", false),
    ("Maximum2DDiameterSlice", false),
    ("Maximum3DDiameter", false),
    ("MeshVolume", false),
    ("MinorAxisLength", false),
    ("SphericalDisproportion", true),
    ("Sphericity", false),
    ("SurfaceArea", false),
    ("SurfaceVolumeRatio", false),
    ("VoxelVolume", false),
];

/// `shape2D` features (name, deprecated), in PyRadiomics' order (by method name `get<Feature>FeatureValue`).
const SHAPE2D: &[(&str, bool)] = &[
    ("Elongation", false),
    ("MajorAxisLength", false),
    ("MaximumDiameter", false),
    ("MeshSurface", false),
    ("MinorAxisLength", false),
    ("Perimeter", false),
    ("PerimeterSurfaceRatio", false),
    ("PixelSurface", false),
    ("SphericalDisproportion", true),
    ("Sphericity", false),
];

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

    /// Every feature of the class as `(name, deprecated)`, deprecated ones included.
    pub fn feature_names(self) -> &'static [(&'static str, bool)] {
        match self {
            FeatureClass::FirstOrder => FIRSTORDER,
            FeatureClass::Glcm => GLCM,
            FeatureClass::Gldm => GLDM,
            FeatureClass::Glrlm => GLRLM,
            FeatureClass::Glszm => GLSZM,
            FeatureClass::Ngtdm => NGTDM,
            FeatureClass::Shape => SHAPE,
            FeatureClass::Shape2D => SHAPE2D,
        }
    }

    /// The features PyRadiomics computes when the class is enabled without a feature list
    /// (every feature not marked deprecated).
    pub fn default_features(self) -> impl Iterator<Item = &'static str> {
        self.feature_names()
            .iter()
            .filter(|(_, deprecated)| !deprecated)
            .map(|(name, _)| *name)
    }

    /// Whether `feature` is one of the class's features (deprecated ones included).
    pub fn has_feature(self, feature: &str) -> bool {
        self.feature_names()
            .iter()
            .any(|(name, _)| *name == feature)
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
        let glcm: Vec<_> = FeatureClass::Glcm.default_features().collect();
        assert_eq!(glcm.len(), 24);
        assert!(!glcm.contains(&"SumVariance"));
        assert!(FeatureClass::Glcm.has_feature("SumVariance"));
        assert!(is_discrete_wavelet("coif1") && !is_discrete_wavelet("mexh"));
        assert_eq!(WAVELETS.len(), 127);
    }
}

//! PyRadiomics parameter files and settings: the same names, defaults and meaning as PyRadiomics 3.1.

use indexmap::IndexMap;

/// How `resegmentRange` is read (`resegmentMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResegmentMode {
    /// The range holds absolute intensity values.
    Absolute,
    /// The range holds multiples of the ROI's intensity standard deviation around its mean.
    Sigma,
}

/// Interpolators PyRadiomics accepts (`interpolator`), by SimpleITK name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interpolator {
    NearestNeighbor,
    Linear,
    BSpline,
    Gaussian,
    LabelGaussian,
    HammingWindowedSinc,
    CosineWindowedSinc,
    WelchWindowedSinc,
    LanczosWindowedSinc,
    BlackmanWindowedSinc,
}

/// GLCM / GLRLM angle weighting (`weightingNorm`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeightingNorm {
    Manhattan,
    Euclidean,
    Infinity,
    NoWeighting,
}

/// Every setting PyRadiomics reads, with PyRadiomics' defaults (see [`Settings::default`]).
/// Settings given under an image type in `imageType` override these for that image type only.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    // --- mask and ROI checks
    pub label: i64,
    pub label_channel: usize,
    pub minimum_roi_dimensions: usize,
    pub minimum_roi_size: Option<usize>,
    pub geometry_tolerance: Option<f64>,
    pub correct_mask: bool,
    // --- image preprocessing
    pub normalize: bool,
    pub normalize_scale: f64,
    pub remove_outliers: Option<f64>,
    pub resampled_pixel_spacing: Option<[f64; 3]>,
    pub interpolator: Interpolator,
    pub pre_crop: bool,
    pub pad_distance: usize,
    pub resegment_range: Option<Vec<f64>>,
    pub resegment_mode: ResegmentMode,
    pub resegment_shape: bool,
    // --- discretisation
    pub bin_width: f64,
    pub bin_count: Option<usize>,
    // --- feature classes
    pub voxel_array_shift: f64,
    pub distances: Vec<usize>,
    pub force_2d: bool,
    pub force_2d_dimension: usize,
    pub symmetrical_glcm: bool,
    pub weighting_norm: Option<WeightingNorm>,
    pub gldm_a: f64,
    pub additional_info: bool,
    // --- image type specific (filters)
    pub sigma: Vec<f64>,
    pub wavelet: String,
    pub start_level: usize,
    pub level: usize,
    pub gradient_use_spacing: bool,
    pub lbp2d_radius: f64,
    pub lbp2d_samples: usize,
    pub lbp2d_method: String,
    pub lbp3d_levels: usize,
    pub lbp3d_icosphere_radius: f64,
    pub lbp3d_icosphere_subdivision: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            label: 1,
            label_channel: 0,
            minimum_roi_dimensions: 2,
            minimum_roi_size: None,
            geometry_tolerance: None,
            correct_mask: false,
            normalize: false,
            normalize_scale: 1.0,
            remove_outliers: None,
            resampled_pixel_spacing: None,
            interpolator: Interpolator::BSpline,
            pre_crop: false,
            pad_distance: 5,
            resegment_range: None,
            resegment_mode: ResegmentMode::Absolute,
            resegment_shape: false,
            bin_width: 25.0,
            bin_count: None,
            voxel_array_shift: 0.0,
            distances: vec![1],
            force_2d: false,
            force_2d_dimension: 0,
            symmetrical_glcm: true,
            weighting_norm: None,
            gldm_a: 0.0,
            additional_info: true,
            sigma: Vec::new(),
            wavelet: "coif1".to_string(),
            start_level: 0,
            level: 1,
            gradient_use_spacing: true,
            lbp2d_radius: 1.0,
            lbp2d_samples: 8,
            lbp2d_method: "uniform".to_string(),
            lbp3d_levels: 2,
            lbp3d_icosphere_radius: 1.0,
            lbp3d_icosphere_subdivision: 1,
        }
    }
}

/// The image types PyRadiomics knows (`imageType` keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageTypeKind {
    Original,
    Wavelet,
    LoG,
    Square,
    SquareRoot,
    Logarithm,
    Exponential,
    Gradient,
    LBP2D,
    LBP3D,
}

/// The feature classes PyRadiomics knows (`featureClass` keys), in PyRadiomics' names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FeatureClass {
    Shape,
    Shape2D,
    FirstOrder,
    Glcm,
    Glrlm,
    Glszm,
    Gldm,
    Ngtdm,
}

impl FeatureClass {
    /// Every class, in the order PyRadiomics lists them.
    pub const ALL: [FeatureClass; 8] = [
        FeatureClass::FirstOrder,
        FeatureClass::Glcm,
        FeatureClass::Gldm,
        FeatureClass::Glrlm,
        FeatureClass::Glszm,
        FeatureClass::Ngtdm,
        FeatureClass::Shape,
        FeatureClass::Shape2D,
    ];

    /// PyRadiomics' name of the class, as used in parameter files and feature names.
    pub fn name(self) -> &'static str {
        match self {
            FeatureClass::Shape => "shape",
            FeatureClass::Shape2D => "shape2D",
            FeatureClass::FirstOrder => "firstorder",
            FeatureClass::Glcm => "glcm",
            FeatureClass::Glrlm => "glrlm",
            FeatureClass::Glszm => "glszm",
            FeatureClass::Gldm => "gldm",
            FeatureClass::Ngtdm => "ngtdm",
        }
    }
}

/// A whole parameter file: what to compute and with which settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Enabled image types in file order, each with its effective settings (global settings
    /// overridden by the image type's own keys).
    pub image_types: IndexMap<ImageTypeKind, Settings>,
    /// Enabled feature classes in file order; `None` enables every non-deprecated feature of
    /// the class, `Some(names)` exactly those (deprecated ones included when named).
    pub feature_classes: IndexMap<FeatureClass, Option<Vec<String>>>,
    /// The global settings (`setting`).
    pub settings: Settings,
}

impl Default for Params {
    /// PyRadiomics' extractor without a parameter file: Original image, every feature class but
    /// shape2D, default settings.
    fn default() -> Self {
        let settings = Settings::default();
        let mut image_types = IndexMap::new();
        image_types.insert(ImageTypeKind::Original, settings.clone());
        let feature_classes = FeatureClass::ALL
            .into_iter()
            .filter(|c| *c != FeatureClass::Shape2D)
            .map(|c| (c, None))
            .collect();
        Params {
            image_types,
            feature_classes,
            settings,
        }
    }
}

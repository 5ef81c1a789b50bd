//! PyRadiomics parameter files and settings: the same names, defaults and meaning as PyRadiomics 3.1.
//!
//! A [`Params`] comes from a PyRadiomics parameter file ([`Params::from_file`], YAML or JSON,
//! validated like PyRadiomics' schema) or is built in code ([`Params::default`] and the
//! builder methods). It reproduces PyRadiomics' configuration diagnostics
//! ([`Params::settings_repr`], [`Params::image_types_repr`]).

mod builder;
mod names;
mod parse;
mod pyvalue;
mod schema;
mod settings;

use indexmap::IndexMap;

pub use names::{WAVELETS, is_discrete_wavelet};
pub use pyvalue::PyValue;
pub use schema::INTERPOLATORS;
pub use settings::{
    FilterSettings, Interpolator, PreprocessSettings, ResegmentMode, Settings, Sigma,
    TextureSettings, Wavelet, WeightingNorm,
};

/// `voxelSetting`: settings of voxel-based extraction (validated and kept; voxel-based
/// extraction itself is not implemented).
#[derive(Clone, Debug, PartialEq)]
pub struct VoxelSettings {
    /// `kernelRadius` (default 1): radius in voxels of the kernel around each voxel.
    pub kernel_radius: usize,
    /// `maskedKernel` (default true): only use kernel voxels inside the ROI.
    pub masked_kernel: bool,
    /// `initValue` (default 0): value of voxels outside the ROI in the feature maps.
    pub init_value: f64,
    /// `voxelBatch` (default None: all voxels at once): voxels computed per batch.
    pub voxel_batch: Option<usize>,
}

impl Default for VoxelSettings {
    fn default() -> Self {
        VoxelSettings {
            kernel_radius: 1,
            masked_kernel: true,
            init_value: 0.0,
            voxel_batch: None,
        }
    }
}

/// The image types PyRadiomics knows (`imageType` keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
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
#[allow(missing_docs)]
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
///
/// Build one from a file with [`Params::from_file`] / [`Params::from_str`], or in code from
/// [`Params::default`] (PyRadiomics' extractor without a parameter file):
///
/// ```
/// use radiome::params::{FeatureClass, ImageTypeKind, Params};
///
/// let mut params = Params::default();
/// params.set("binWidth", 10)?.set("resampledPixelSpacing", [1, 1, 1])?;
/// params.enable_image_type_with(ImageTypeKind::LoG, [("sigma", vec![1.0, 3.0])])?;
/// params.enable_feature_class(FeatureClass::Glcm, Some(&["Contrast", "Idm"]))?;
/// params.disable_feature_class(FeatureClass::Shape);
///
/// assert_eq!(params.settings().texture.bin_width, 10.0);
/// let log = &params.image_types()[&ImageTypeKind::LoG].filters;
/// assert_eq!(log.sigma.iter().map(|s| s.mm).collect::<Vec<_>>(), [1.0, 3.0]);
/// assert_eq!(params.image_types_repr(), "{'Original': {}, 'LoG': {'sigma': [1.0, 3.0]}}");
/// assert!(params.settings_repr().ends_with("'additionalInfo': True, 'binWidth': 10}"));
/// # Ok::<(), radiome::Error>(())
/// ```
///
/// The typed settings ([`Params::settings`], [`Params::image_types`], [`Params::voxel`]) are
/// derived from the values as written and can only change through the builder methods, so they
/// always agree with the diagnostics strings and the image type names:
///
/// ```compile_fail
/// let mut params = radiome::params::Params::default();
/// params.settings.texture.bin_width = 5.0; // private: use `params.set("binWidth", 5)`
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Enabled image types in file order, each with its effective settings (global settings
    /// overridden by the image type's own keys), used for that image type's filter and
    /// features. Resampling settings are always the global ones.
    image_types: IndexMap<ImageTypeKind, Settings>,
    /// Enabled feature classes in file order; `None` enables every non-deprecated feature of
    /// the class, `Some(names)` exactly those (deprecated ones included when named). See
    /// [`Params::enabled_features`].
    pub feature_classes: IndexMap<FeatureClass, Option<Vec<String>>>,
    /// The global settings (`setting`): what loading, normalisation, resampling, mask checks,
    /// resegmentation and shape features use.
    settings: Settings,
    /// `voxelSetting`, kept for voxel-based extraction (not implemented).
    voxel: VoxelSettings,
    /// The extractor's settings dict as PyRadiomics holds it: its defaults, then `setting`, then
    /// `voxelSetting`, in insertion order, with the values as written.
    raw_settings: IndexMap<String, PyValue>,
    /// Each enabled image type's own settings as written.
    custom_settings: IndexMap<ImageTypeKind, IndexMap<String, PyValue>>,
}

/// The settings PyRadiomics' extractor starts from (`_getDefaultSettings`), in its order.
fn extractor_defaults() -> IndexMap<String, PyValue> {
    let entries: [(&str, PyValue); 15] = [
        ("minimumROIDimensions", 2.into()),
        ("minimumROISize", PyValue::None),
        ("normalize", false.into()),
        ("normalizeScale", 1.into()),
        ("removeOutliers", PyValue::None),
        ("resampledPixelSpacing", PyValue::None),
        ("interpolator", "sitkBSpline".into()),
        ("preCrop", false.into()),
        ("padDistance", 5.into()),
        ("distances", vec![1].into()),
        ("force2D", false.into()),
        ("force2Ddimension", 0.into()),
        ("resegmentRange", PyValue::None),
        ("label", 1.into()),
        ("additionalInfo", true.into()),
    ];
    entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

impl Default for Params {
    /// PyRadiomics' extractor without a parameter file: Original image, every feature class but
    /// shape2D, default settings.
    fn default() -> Self {
        let settings = Settings::default();
        let mut image_types = IndexMap::new();
        image_types.insert(ImageTypeKind::Original, settings.clone());
        let mut custom_settings = IndexMap::new();
        custom_settings.insert(ImageTypeKind::Original, IndexMap::new());
        let feature_classes = FeatureClass::ALL
            .into_iter()
            .filter(|c| *c != FeatureClass::Shape2D)
            .map(|c| (c, None))
            .collect();
        Params {
            image_types,
            feature_classes,
            settings,
            voxel: VoxelSettings::default(),
            raw_settings: extractor_defaults(),
            custom_settings,
        }
    }
}

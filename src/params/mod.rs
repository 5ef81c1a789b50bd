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

use indexmap::IndexMap;

use crate::image::Dimensionality;
use crate::{Error, Result};

pub use names::{WAVELETS, is_discrete_wavelet};
pub use pyvalue::PyValue;
pub use schema::INTERPOLATORS;

/// How `resegmentRange` is read (`resegmentMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResegmentMode {
    /// The range holds absolute intensity values.
    Absolute,
    /// The range holds multiples of the ROI's intensity standard deviation around its mean.
    Sigma,
    /// The range holds fractions of the ROI's maximum intensity.
    Relative,
}

impl ResegmentMode {
    /// The mode with PyRadiomics' name (`absolute`, `relative`, `sigma`).
    pub fn from_name(name: &str) -> Option<ResegmentMode> {
        match name {
            "absolute" => Some(ResegmentMode::Absolute),
            "relative" => Some(ResegmentMode::Relative),
            "sigma" => Some(ResegmentMode::Sigma),
            _ => None,
        }
    }
}

/// Interpolators PyRadiomics accepts (`interpolator`), by SimpleITK name (without `sitk`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
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

impl Interpolator {
    /// Every interpolator in SimpleITK's enum order (numbers 1-10 in PyRadiomics' schema).
    pub const ALL: [Interpolator; 10] = [
        Interpolator::NearestNeighbor,
        Interpolator::Linear,
        Interpolator::BSpline,
        Interpolator::Gaussian,
        Interpolator::LabelGaussian,
        Interpolator::HammingWindowedSinc,
        Interpolator::CosineWindowedSinc,
        Interpolator::WelchWindowedSinc,
        Interpolator::LanczosWindowedSinc,
        Interpolator::BlackmanWindowedSinc,
    ];

    /// SimpleITK's name of the interpolator (`"sitkBSpline"`, ...).
    pub fn name(self) -> &'static str {
        INTERPOLATORS[self as usize]
    }

    /// The interpolator with SimpleITK's name (`"sitkLinear"`, ...).
    pub fn from_name(name: &str) -> Option<Interpolator> {
        Interpolator::ALL.into_iter().find(|i| i.name() == name)
    }

    /// The interpolator with SimpleITK 1.x's enum number (1 = nearest neighbour ... 10 =
    /// Blackman windowed sinc; 3 was B-spline).
    pub fn from_number(number: i64) -> Option<Interpolator> {
        let index = usize::try_from(number.checked_sub(1)?).ok()?;
        Interpolator::ALL.get(index).copied()
    }
}

/// GLCM / GLRLM angle weighting (`weightingNorm`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeightingNorm {
    /// `manhattan`: angles are weighted `exp(-d^2)`, with `d` the Manhattan length of the angle
    /// in mm; the weighted angles are then summed into one matrix.
    Manhattan,
    /// `euclidean`: as `manhattan` with the Euclidean length.
    Euclidean,
    /// `infinity`: as `manhattan` with the largest per-axis length (Chebyshev norm).
    Infinity,
    /// `no_weighting`: every angle weighs 1.
    NoWeighting,
}

impl WeightingNorm {
    /// The norm with PyRadiomics' name (`manhattan`, `euclidean`, `infinity`, `no_weighting`).
    pub fn from_name(name: &str) -> Option<WeightingNorm> {
        match name {
            "manhattan" => Some(WeightingNorm::Manhattan),
            "euclidean" => Some(WeightingNorm::Euclidean),
            "infinity" => Some(WeightingNorm::Infinity),
            "no_weighting" => Some(WeightingNorm::NoWeighting),
            _ => None,
        }
    }
}

/// Every setting PyRadiomics reads, with PyRadiomics' defaults (see [`Settings::default`]).
/// Settings given under an image type in `imageType` override these for that image type only.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    // --- mask and ROI checks
    /// `label` (default 1): the mask value that marks the region of interest.
    pub label: i64,
    /// `label_channel` (default 0): which channel of a vector (multi-segment) mask to use.
    pub label_channel: usize,
    /// `minimumROIDimensions` (default 2, 1-3): the ROI must span more than one voxel in at
    /// least this many dimensions.
    pub minimum_roi_dimensions: usize,
    /// `minimumROISize` (default None: no check): the ROI must hold more than this many voxels.
    pub minimum_roi_size: Option<usize>,
    /// `geometryTolerance` (default None: SimpleITK's 1e-6): tolerance when comparing image and
    /// mask origin, spacing and direction.
    pub geometry_tolerance: Option<f64>,
    /// `correctMask` (default false): resample a mask whose geometry differs from the image's
    /// (nearest neighbour) instead of failing.
    pub correct_mask: bool,
    // --- image preprocessing
    /// `normalize` (default false): normalise the image to mean 0, standard deviation 1 (over the
    /// whole image) before anything else.
    pub normalize: bool,
    /// `normalizeScale` (default 1): multiply the normalised image by this.
    pub normalize_scale: f64,
    /// `removeOutliers` (default None): when normalising, clip values beyond this many standard
    /// deviations (applied before `normalizeScale`).
    pub remove_outliers: Option<f64>,
    /// `resampledPixelSpacing` (default None: no resampling): output spacing in mm, ITK order,
    /// one value per image axis ((x, y, z); (x, y) for 2D images); 0 keeps the original spacing
    /// of that axis. `None` too when `interpolator` is null. See [`Settings::resampling`].
    pub resampled_pixel_spacing: Option<Vec<f64>>,
    /// `interpolator` (default sitkBSpline): the image interpolator for resampling (the mask is
    /// always resampled with nearest neighbour).
    pub interpolator: Interpolator,
    /// `preCrop` (default false): crop image and mask to the ROI bounding box plus `padDistance`
    /// before filtering (when not resampling; resampling always crops).
    pub pre_crop: bool,
    /// `padDistance` (default 5): voxels of padding kept around the ROI when cropping for
    /// resampling or `preCrop`.
    pub pad_distance: usize,
    /// `resegmentRange` (default None): keep only ROI voxels within `[lower]` or `[lower, upper]`,
    /// read according to `resegmentMode`.
    pub resegment_range: Option<Vec<f64>>,
    /// `resegmentMode` (default absolute): how `resegmentRange` is read.
    pub resegment_mode: ResegmentMode,
    /// `resegmentShape` (default false): also use the resegmented mask for shape features.
    pub resegment_shape: bool,
    // --- discretisation
    /// `binWidth` (default 25): width of the grey-level bins (ignored when `binCount` is set).
    pub bin_width: f64,
    /// Whether `binWidth` is a Python int, as the default 25 is: PyRadiomics then computes the
    /// bin edges of an integer image in the image's own integer type, which wraps around near
    /// the type's maximum ([`crate::matrices::discretize::bin_edges`]).
    pub bin_width_is_int: bool,
    /// `binCount` (default None): use this fixed number of bins instead of `binWidth`.
    pub bin_count: Option<usize>,
    // --- feature classes
    /// `voxelArrayShift` (default 0): added to intensities for first-order Energy, Total Energy
    /// and RMS.
    pub voxel_array_shift: f64,
    /// `distances` (default `[1]`): neighbour distances (infinity norm, voxels) for GLCM and GLDM
    /// (and NGTDM's neighbourhood).
    pub distances: Vec<usize>,
    /// `force2D` (default false): compute texture matrices (and filters that honour it) per
    /// slice, in the plane orthogonal to `force2Ddimension`.
    pub force_2d: bool,
    /// `force2Ddimension` (default 0): the numpy axis (0 = z, 1 = y, 2 = x) orthogonal to the 2D
    /// planes when `force2D` is set.
    pub force_2d_dimension: usize,
    /// `symmetricalGLCM` (default true): count each pair in both directions (GLCM + its transpose).
    pub symmetrical_glcm: bool,
    /// `weightingNorm` (default None): weight and merge the GLCM / GLRLM angles by distance.
    pub weighting_norm: Option<WeightingNorm>,
    /// `gldm_a` (default 0): GLDM coarseness: neighbours within this grey-level difference are
    /// dependent.
    pub gldm_a: f64,
    /// `additionalInfo` (default true): add the `diagnostics_*` entries to the output.
    pub additional_info: bool,
    // --- image type specific (filters)
    /// `sigma` (LoG, default empty: no LoG image): Gaussian sigmas in mm.
    pub sigma: Vec<f64>,
    /// `wavelet` (Wavelet, default coif1): the PyWavelets wavelet name.
    pub wavelet: String,
    /// `start_level` (Wavelet, default 0): first decomposition level returned (0-based).
    pub start_level: usize,
    /// `level` (Wavelet, default 1): number of levels returned from `start_level`.
    pub level: usize,
    /// `gradientUseSpacing` (Gradient, default true): compute the gradient in mm, not voxels.
    pub gradient_use_spacing: bool,
    /// `lbp2DRadius` (LBP2D, default 1): sampling radius in voxels.
    pub lbp2d_radius: f64,
    /// `lbp2DSamples` (LBP2D, default 8): number of sampled neighbours.
    pub lbp2d_samples: usize,
    /// `lbp2DMethod` (LBP2D, default uniform): scikit-image's LBP method (default, ror, uniform,
    /// var).
    pub lbp2d_method: String,
    /// `lbp3DLevels` (LBP3D, default 2): number of spherical-harmonic levels.
    pub lbp3d_levels: usize,
    /// `lbp3DIcosphereRadius` (LBP3D, default 1): sampling radius in voxels.
    pub lbp3d_icosphere_radius: f64,
    /// `lbp3DIcosphereSubdivision` (LBP3D, default 1): icosphere subdivisions.
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
            bin_width_is_int: true,
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

impl Settings {
    /// The numpy axis (0 = z, 1 = y, 2 = x) orthogonal to the slices when `force2D` is set,
    /// `None` for 3D extraction.
    pub fn force_2d_axis(&self) -> Option<usize> {
        self.force_2d.then_some(self.force_2d_dimension)
    }

    /// The target spacing (ITK x, y, z order, mm; 0 keeps an axis' spacing) and interpolator
    /// when resampling is enabled, for an image of `dimensionality`. `resampledPixelSpacing`
    /// must hold one value per image axis (PyRadiomics asserts it); a 2D image's one slice keeps
    /// its spacing (z = 0).
    pub fn resampling(
        &self,
        dimensionality: Dimensionality,
    ) -> Result<Option<([f64; 3], Interpolator)>> {
        let Some(spacing) = &self.resampled_pixel_spacing else {
            return Ok(None);
        };
        let axes = dimensionality.axes();
        if spacing.len() != axes {
            return Err(Error::params(
                "resampledPixelSpacing",
                format!(
                    "has {} values, but the image is {axes}D and needs {axes} \
                     (PyRadiomics: \"Wrong dimensionality\")",
                    spacing.len()
                ),
            ));
        }
        let mut full = [0.0; 3];
        full[..axes].copy_from_slice(spacing);
        Ok(Some((full, self.interpolator)))
    }

    /// Whether grey levels are discretised with a fixed bin count (else a fixed bin width).
    pub fn uses_bin_count(&self) -> bool {
        self.bin_count.is_some()
    }
}

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
/// assert_eq!(params.settings.bin_width, 10.0);
/// assert_eq!(params.image_types[&ImageTypeKind::LoG].sigma, vec![1.0, 3.0]);
/// assert_eq!(params.image_types_repr(), "{'Original': {}, 'LoG': {'sigma': [1.0, 3.0]}}");
/// assert!(params.settings_repr().ends_with("'additionalInfo': True, 'binWidth': 10}"));
/// # Ok::<(), radiome::Error>(())
/// ```
///
/// The pub fields may also be edited directly; the diagnostics strings only reflect what went
/// through the file or the builder methods.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Enabled image types in file order, each with its effective settings (global settings
    /// overridden by the image type's own keys), used for that image type's filter and
    /// features. Resampling settings are always the global ones.
    pub image_types: IndexMap<ImageTypeKind, Settings>,
    /// Enabled feature classes in file order; `None` enables every non-deprecated feature of
    /// the class, `Some(names)` exactly those (deprecated ones included when named). See
    /// [`Params::enabled_features`].
    pub feature_classes: IndexMap<FeatureClass, Option<Vec<String>>>,
    /// The global settings (`setting`): what loading, normalisation, resampling, mask checks,
    /// resegmentation and shape features use.
    pub settings: Settings,
    /// `voxelSetting`, kept for voxel-based extraction (not implemented).
    pub voxel: VoxelSettings,
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

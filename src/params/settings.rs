//! The typed settings, in the groups the pipeline uses them: preprocessing (loading, mask checks,
//! normalisation, resampling, resegmentation), filters (the image types' own settings) and
//! texture (discretisation and the feature classes). Every value that names a choice is an enum
//! (or a name checked against a fixed table), parsed once when the setting is validated.

use crate::filters::lbp2d::LbpMethod;
use crate::image::Dimensionality;
use crate::pyrepr::python_float_repr;
use crate::{Error, Result};

use super::names::{WAVELETS, is_discrete_wavelet};
use super::pyvalue::PyValue;
use super::schema::INTERPOLATORS;

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

/// A PyWavelets wavelet name (`wavelet`), one of [`WAVELETS`] (`pywt.wavelist()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wavelet(&'static str);

impl Wavelet {
    /// The wavelet named `name`, if PyWavelets knows it.
    pub fn from_name(name: &str) -> Option<Wavelet> {
        WAVELETS.iter().find(|w| **w == name).map(|w| Wavelet(w))
    }

    /// PyWavelets' name (`"coif1"`, `"haar"`, ...).
    pub fn name(self) -> &'static str {
        self.0
    }

    /// Whether it is a discrete wavelet (usable by the `Wavelet` image type; the continuous ones
    /// pass validation, as in PyRadiomics, but have no filter bank).
    pub fn is_discrete(self) -> bool {
        is_discrete_wavelet(self.0)
    }
}

impl Default for Wavelet {
    /// `coif1`, PyRadiomics' default.
    fn default() -> Self {
        Wavelet("coif1")
    }
}

/// One LoG sigma (`sigma`) with the text Python prints for it (`3` or `3.0`), which PyRadiomics
/// puts in the image type's name.
#[derive(Clone, Debug, PartialEq)]
pub struct Sigma {
    /// The sigma in mm.
    pub mm: f64,
    /// Python's `str(sigma)` of the value as written.
    pub text: String,
}

impl Sigma {
    /// A sigma written as the float `mm` (Python prints `3.0`).
    pub fn new(mm: f64) -> Sigma {
        Sigma {
            mm,
            text: python_float_repr(mm),
        }
    }

    /// The sigma of a list item as written in a parameter file (an int prints as `3`); `None`
    /// for an item that is not a number.
    pub fn from_value(value: &PyValue) -> Option<Sigma> {
        let mm = super::schema::float_of(value)?;
        let text = match value {
            PyValue::Int(i) => i.to_string(),
            PyValue::Float(f) => python_float_repr(*f),
            other => format!("{other:?}"),
        };
        Some(Sigma { mm, text })
    }
}

/// Settings of loading and preprocessing: label, mask checks, normalisation, resampling,
/// cropping and resegmentation (always the global ones: they run once, before any image type).
#[derive(Clone, Debug, PartialEq)]
pub struct PreprocessSettings {
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
    /// of that axis. `None` too when `interpolator` is null. See
    /// [`PreprocessSettings::resampling`].
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
    /// `additionalInfo` (default true): add the `diagnostics_*` entries to the output.
    pub additional_info: bool,
}

impl Default for PreprocessSettings {
    fn default() -> Self {
        PreprocessSettings {
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
            additional_info: true,
        }
    }
}

impl PreprocessSettings {
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
            return Err(Error::setting(
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
}

/// The image types' own settings: LoG, wavelet, gradient and LBP.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterSettings {
    /// `sigma` (LoG, default empty: no LoG image): Gaussian sigmas in mm, each with its text.
    pub sigma: Vec<Sigma>,
    /// `wavelet` (Wavelet, default coif1).
    pub wavelet: Wavelet,
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
    /// `lbp2DMethod` (LBP2D, default uniform): scikit-image's LBP method.
    pub lbp2d_method: LbpMethod,
    /// `lbp3DLevels` (LBP3D, default 2): number of spherical-harmonic levels.
    pub lbp3d_levels: usize,
    /// `lbp3DIcosphereRadius` (LBP3D, default 1): sampling radius in voxels.
    pub lbp3d_icosphere_radius: f64,
    /// `lbp3DIcosphereSubdivision` (LBP3D, default 1): icosphere subdivisions.
    pub lbp3d_icosphere_subdivision: usize,
}

impl Default for FilterSettings {
    fn default() -> Self {
        FilterSettings {
            sigma: Vec::new(),
            wavelet: Wavelet::default(),
            start_level: 0,
            level: 1,
            gradient_use_spacing: true,
            lbp2d_radius: 1.0,
            lbp2d_samples: 8,
            lbp2d_method: LbpMethod::Uniform,
            lbp3d_levels: 2,
            lbp3d_icosphere_radius: 1.0,
            lbp3d_icosphere_subdivision: 1,
        }
    }
}

/// Settings of discretisation and the feature classes (texture matrices, first order); the
/// filters that honour `force2D` read it here too.
#[derive(Clone, Debug, PartialEq)]
pub struct TextureSettings {
    /// `binWidth` (default 25): width of the grey-level bins (ignored when `binCount` is set).
    pub bin_width: f64,
    /// Whether `binWidth` is a Python int, as the default 25 is: PyRadiomics then computes the
    /// bin edges of an integer image in the image's own integer type, which wraps around near
    /// the type's maximum ([`crate::matrices::discretize::bin_edges`]).
    pub bin_width_is_int: bool,
    /// `binCount` (default None): use this fixed number of bins instead of `binWidth`.
    pub bin_count: Option<usize>,
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
}

impl Default for TextureSettings {
    fn default() -> Self {
        TextureSettings {
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
        }
    }
}

impl TextureSettings {
    /// The numpy axis (0 = z, 1 = y, 2 = x) orthogonal to the slices when `force2D` is set,
    /// `None` for 3D extraction.
    pub fn force_2d_axis(&self) -> Option<usize> {
        self.force_2d.then_some(self.force_2d_dimension)
    }

    /// Whether grey levels are discretised with a fixed bin count (else a fixed bin width).
    pub fn uses_bin_count(&self) -> bool {
        self.bin_count.is_some()
    }
}

/// Every setting PyRadiomics reads, with PyRadiomics' defaults, in the groups the pipeline uses.
/// Settings given under an image type in `imageType` override these for that image type only.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// Loading, mask checks, normalisation, resampling, cropping, resegmentation.
    pub preprocess: PreprocessSettings,
    /// The image types' own settings.
    pub filters: FilterSettings,
    /// Discretisation and the feature classes.
    pub texture: TextureSettings,
}

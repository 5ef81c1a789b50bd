//! PyRadiomics' parameter schema (`radiomics/schemas/paramSchema.yaml` and `schemaFuncs.py`):
//! which keys `setting`, an image type and `voxelSetting` may hold, their types and ranges, and
//! how a validated value lands in [`Settings`] / [`VoxelSettings`].
//!
//! Like PyRadiomics' validator (pykwalify), `null` passes every rule, an `int` passes where a
//! `float` is required, and a `float` may also be written as a string Python's `float()` reads
//! (e.g. `initValue: nan`). Stricter than pykwalify, where PyRadiomics would only fail later:
//! list items may not be `null`, ranged values may not be NaN, `resampledPixelSpacing` needs 3
//! values (2 for 2D images; the image's dimensionality is checked when it is read, see
//! [`PreprocessSettings::resampling`](super::PreprocessSettings::resampling)) and `resegmentRange` 1 or 2.

use super::names::WAVELETS;
use super::pyvalue::{PyValue, str_repr};
use super::{
    FilterSettings, Interpolator, PreprocessSettings, ResegmentMode, Settings, Sigma,
    TextureSettings, VoxelSettings, Wavelet, WeightingNorm,
};
use crate::filters::lbp2d::LbpMethod;

/// The type a key must have.
#[derive(Clone, Copy)]
enum Kind {
    Bool,
    Int,
    Float,
    /// A string from a fixed list.
    Enum(&'static [&'static str]),
    IntList,
    FloatList,
    /// `checkInterpolator`: a SimpleITK interpolator name or number 1-10.
    Interpolator,
    /// `checkWeighting`.
    WeightingNorm,
    /// `checkWavelet`: a name in `pywt.wavelist()`.
    Wavelet,
}

/// One key of the schema with its type and range (applied to list items for lists).
struct Rule {
    key: &'static str,
    kind: Kind,
    /// Lower bound and whether it is exclusive (`min-ex`).
    min: Option<(f64, bool)>,
    /// Inclusive upper bound.
    max: Option<f64>,
}

const fn rule(key: &'static str, kind: Kind) -> Rule {
    Rule {
        key,
        kind,
        min: None,
        max: None,
    }
}

const fn above(key: &'static str, kind: Kind, min: f64) -> Rule {
    Rule {
        key,
        kind,
        min: Some((min, true)),
        max: None,
    }
}

const fn at_least(key: &'static str, kind: Kind, min: f64) -> Rule {
    Rule {
        key,
        kind,
        min: Some((min, false)),
        max: None,
    }
}

const fn between(key: &'static str, kind: Kind, min: f64, max: f64) -> Rule {
    Rule {
        key,
        kind,
        min: Some((min, false)),
        max: Some(max),
    }
}

/// SimpleITK's interpolator names in the order of their enum values 1-10.
pub const INTERPOLATORS: [&str; 10] = [
    "sitkNearestNeighbor",
    "sitkLinear",
    "sitkBSpline",
    "sitkGaussian",
    "sitkLabelGaussian",
    "sitkHammingWindowedSinc",
    "sitkCosineWindowedSinc",
    "sitkWelchWindowedSinc",
    "sitkLanczosWindowedSinc",
    "sitkBlackmanWindowedSinc",
];

const WEIGHTING_NORMS: &[&str] = &["euclidean", "manhattan", "infinity", "no_weighting"];
const RESEGMENT_MODES: &[&str] = &["absolute", "relative", "sigma"];
const LBP2D_METHODS: &[&str] = &["default", "ror", "uniform", "var"];

/// The keys of `setting` (and of each image type's custom settings), in the schema's order.
const SETTINGS: &[Rule] = &[
    between("minimumROIDimensions", Kind::Int, 1.0, 3.0),
    above("minimumROISize", Kind::Int, 0.0),
    above("geometryTolerance", Kind::Float, 0.0),
    rule("correctMask", Kind::Bool),
    rule("additionalInfo", Kind::Bool),
    above("label", Kind::Int, 0.0),
    at_least("label_channel", Kind::Int, 0.0),
    above("binWidth", Kind::Float, 0.0),
    above("binCount", Kind::Int, 0.0),
    rule("normalize", Kind::Bool),
    above("normalizeScale", Kind::Float, 0.0),
    above("removeOutliers", Kind::Float, 0.0),
    at_least("resampledPixelSpacing", Kind::FloatList, 0.0),
    rule("interpolator", Kind::Interpolator),
    at_least("padDistance", Kind::Int, 0.0),
    above("distances", Kind::IntList, 0.0),
    rule("force2D", Kind::Bool),
    between("force2Ddimension", Kind::Int, 0.0, 2.0),
    rule("resegmentRange", Kind::FloatList),
    rule("resegmentMode", Kind::Enum(RESEGMENT_MODES)),
    rule("resegmentShape", Kind::Bool),
    rule("preCrop", Kind::Bool),
    above("sigma", Kind::FloatList, 0.0),
    at_least("start_level", Kind::Int, 0.0),
    above("level", Kind::Int, 0.0),
    rule("wavelet", Kind::Wavelet),
    rule("gradientUseSpacing", Kind::Bool),
    above("lbp2DRadius", Kind::Float, 0.0),
    at_least("lbp2DSamples", Kind::Int, 1.0),
    rule("lbp2DMethod", Kind::Enum(LBP2D_METHODS)),
    at_least("lbp3DLevels", Kind::Int, 1.0),
    above("lbp3DIcosphereRadius", Kind::Float, 0.0),
    at_least("lbp3DIcosphereSubdivision", Kind::Int, 0.0),
    rule("voxelArrayShift", Kind::Int),
    rule("symmetricalGLCM", Kind::Bool),
    rule("weightingNorm", Kind::WeightingNorm),
    at_least("gldm_a", Kind::Int, 0.0),
];

/// The keys of `voxelSetting`.
const VOXEL_SETTINGS: &[Rule] = &[
    above("kernelRadius", Kind::Int, 0.0),
    rule("maskedKernel", Kind::Bool),
    rule("initValue", Kind::Float),
    above("voxelBatch", Kind::Int, 0.0),
];

/// Which group of keys a value belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `setting`, or the custom settings of an image type.
    Setting,
    /// `voxelSetting`.
    Voxel,
}

impl Section {
    fn rules(self) -> &'static [Rule] {
        match self {
            Section::Setting => SETTINGS,
            Section::Voxel => VOXEL_SETTINGS,
        }
    }
}

/// Checks `value` for `key` of `section`; the error (one line, without the key) names the
/// problem and what is allowed.
pub fn check(section: Section, key: &str, value: &PyValue) -> Result<(), String> {
    let rules = section.rules();
    let Some(rule) = rules.iter().find(|r| r.key == key) else {
        let known: Vec<&str> = rules.iter().map(|r| r.key).collect();
        return Err(format!("unknown setting (allowed: {})", known.join(", ")));
    };
    if *value == PyValue::None {
        return Ok(());
    }
    match rule.kind {
        Kind::IntList | Kind::FloatList => {
            let PyValue::List(items) = value else {
                return Err(format!("must be a list, got {} {value}", value.type_name()));
            };
            let item_kind = if matches!(rule.kind, Kind::IntList) {
                Kind::Int
            } else {
                Kind::Float
            };
            for item in items {
                if *item == PyValue::None {
                    return Err(format!("list items may not be null, got {value}"));
                }
                check_scalar(rule, item_kind, item).map_err(|e| format!("item {e}"))?;
            }
            check_length(key, items.len())
        }
        kind => check_scalar(rule, kind, value),
    }
}

/// Lengths PyRadiomics needs when it uses the list (its schema does not check them).
fn check_length(key: &str, len: usize) -> Result<(), String> {
    match key {
        "resampledPixelSpacing" if !(2..=3).contains(&len) => Err(format!(
            "must hold 3 spacings (x, y, z; 0 keeps the original), or 2 for 2D images, got {len}"
        )),
        "resegmentRange" if !(1..=2).contains(&len) => Err(format!(
            "must hold 1 (lower) or 2 (lower, upper) thresholds, got {len}"
        )),
        _ => Ok(()),
    }
}

fn check_scalar(rule: &Rule, kind: Kind, value: &PyValue) -> Result<(), String> {
    let wrong = |what: &str| format!("must be {what}, got {} {value}", value.type_name());
    let number = match kind {
        Kind::Bool => {
            return match value {
                PyValue::Bool(_) => Ok(()),
                _ => Err(wrong("true or false")),
            };
        }
        Kind::Int => match value {
            PyValue::Int(i) => *i as f64,
            _ => return Err(wrong("an integer")),
        },
        Kind::Float => match float_of(value) {
            Some(x) => x,
            None => return Err(wrong("a number")),
        },
        Kind::Enum(allowed) => return check_name(value, allowed),
        Kind::Wavelet => return check_name(value, WAVELETS),
        Kind::WeightingNorm => return check_name(value, WEIGHTING_NORMS),
        Kind::Interpolator => {
            return match value {
                PyValue::Int(i) if (1..=10).contains(i) => Ok(()),
                PyValue::Int(i) => Err(format!(
                    "interpolator number {i} is not in 1-10 (allowed: {} or 1-10)",
                    INTERPOLATORS.join(", ")
                )),
                _ => check_name(value, &INTERPOLATORS),
            };
        }
        Kind::IntList | Kind::FloatList => unreachable!("lists are checked item by item"),
    };
    check_range(rule, number)
}

fn check_name(value: &PyValue, allowed: &[&str]) -> Result<(), String> {
    match value {
        PyValue::Str(s) if allowed.contains(&s.as_str()) => Ok(()),
        _ => Err(format!(
            "{value} is not allowed (allowed: {})",
            allowed.join(", ")
        )),
    }
}

fn check_range(rule: &Rule, x: f64) -> Result<(), String> {
    let ranged = rule.min.is_some() || rule.max.is_some();
    if ranged && x.is_nan() {
        return Err("must not be NaN".to_string());
    }
    let value = if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    };
    if let Some((min, exclusive)) = rule.min {
        if exclusive && x <= min {
            return Err(format!("must be > {min}, got {value}"));
        }
        if !exclusive && x < min {
            return Err(format!("must be >= {min}, got {value}"));
        }
    }
    if let Some(max) = rule.max
        && x > max
    {
        let (min, _) = rule.min.unwrap_or((f64::NEG_INFINITY, false));
        return Err(format!("must be in [{min}, {max}], got {value}"));
    }
    Ok(())
}

/// Parses the text of a command-line override (`--setting KEY:VALUE`) for `key` of `setting`
/// the way PyRadiomics' CLI does: by the schema type, `int(...)`, `float(...)` (so `25` becomes
/// `25.0`), `true`/`1` (any case) for true and anything else false, lists split at commas, text
/// as is. (PyRadiomics skips `interpolator` and `weightingNorm` overrides, typed `any`; they are
/// taken as text here.)
pub fn parse_override(key: &str, text: &str) -> Result<PyValue, String> {
    let Some(rule) = SETTINGS.iter().find(|r| r.key == key) else {
        return check(Section::Setting, key, &PyValue::None).map(|_| PyValue::None);
    };
    let scalar = |kind: Kind, text: &str| -> Result<PyValue, String> {
        match kind {
            Kind::Int => text
                .trim()
                .parse()
                .map(PyValue::Int)
                .map_err(|_| format!("{} is not an integer", str_repr(text))),
            Kind::Float => text
                .trim()
                .parse()
                .map(PyValue::Float)
                .map_err(|_| format!("{} is not a number", str_repr(text))),
            Kind::Bool => Ok(PyValue::Bool(
                text == "1" || text.eq_ignore_ascii_case("true"),
            )),
            _ => Ok(PyValue::Str(text.to_string())),
        }
    };
    let list = |kind: Kind| -> Result<PyValue, String> {
        let items: Result<Vec<PyValue>, String> =
            text.split(',').map(|t| scalar(kind, t)).collect();
        items.map(PyValue::List)
    };
    match rule.kind {
        Kind::IntList => list(Kind::Int),
        Kind::FloatList => list(Kind::Float),
        kind => scalar(kind, text),
    }
}

/// A number as pykwalify's `float` type accepts it: an int, a float, or a string Python's
/// `float()` reads.
pub fn float_of(value: &PyValue) -> Option<f64> {
    match value {
        PyValue::Int(i) => Some(*i as f64),
        PyValue::Float(x) => Some(*x),
        PyValue::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn int_of(value: &PyValue) -> Option<i64> {
    match value {
        PyValue::Int(i) => Some(*i),
        _ => None,
    }
}

fn usize_of(value: &PyValue) -> Option<usize> {
    int_of(value).and_then(|i| usize::try_from(i).ok())
}

fn floats_of(value: &PyValue) -> Option<Vec<f64>> {
    match value {
        PyValue::List(items) => items.iter().map(float_of).collect(),
        _ => None,
    }
}

fn str_of(value: &PyValue) -> Option<&str> {
    match value {
        PyValue::Str(s) => Some(s),
        _ => None,
    }
}

/// Sets the field of `settings` that `key` (a checked `setting` key) controls. `null` behaves
/// as in PyRadiomics where it is meaningful (`None` for optional settings, false for flags, no
/// resampling for `interpolator`); elsewhere it keeps the default.
pub fn apply(settings: &mut Settings, key: &str, value: &PyValue) {
    let applied = apply_preprocess(&mut settings.preprocess, key, value)
        || apply_filter(&mut settings.filters, key, value)
        || apply_texture(&mut settings.texture, key, value);
    debug_assert!(applied, "unknown checked setting {key}");
}

/// [`apply`] for the preprocessing keys; false for any other key.
fn apply_preprocess(s: &mut PreprocessSettings, key: &str, value: &PyValue) -> bool {
    let flag = matches!(value, PyValue::Bool(true));
    match key {
        "minimumROIDimensions" => set(&mut s.minimum_roi_dimensions, usize_of(value)),
        "minimumROISize" => s.minimum_roi_size = usize_of(value),
        "geometryTolerance" => s.geometry_tolerance = float_of(value),
        "correctMask" => s.correct_mask = flag,
        "additionalInfo" => s.additional_info = flag,
        "label" => set(&mut s.label, int_of(value)),
        "label_channel" => set(&mut s.label_channel, usize_of(value)),
        "normalize" => s.normalize = flag,
        "normalizeScale" => set(&mut s.normalize_scale, float_of(value)),
        "removeOutliers" => s.remove_outliers = float_of(value),
        "resampledPixelSpacing" => s.resampled_pixel_spacing = floats_of(value),
        "interpolator" => match value {
            PyValue::Int(i) => set(&mut s.interpolator, Interpolator::from_number(*i)),
            _ => set(
                &mut s.interpolator,
                str_of(value).and_then(Interpolator::from_name),
            ),
        },
        "padDistance" => set(&mut s.pad_distance, usize_of(value)),
        "resegmentRange" => s.resegment_range = floats_of(value),
        "resegmentMode" => set(
            &mut s.resegment_mode,
            str_of(value).and_then(ResegmentMode::from_name),
        ),
        "resegmentShape" => s.resegment_shape = flag,
        "preCrop" => s.pre_crop = flag,
        _ => return false,
    }
    true
}

/// [`apply`] for the image types' own keys; false for any other key.
fn apply_filter(s: &mut FilterSettings, key: &str, value: &PyValue) -> bool {
    match key {
        // A null sigma (PyRadiomics would fail on it) gives no LoG image.
        "sigma" => {
            s.sigma = match value {
                PyValue::List(items) => items.iter().filter_map(Sigma::from_value).collect(),
                _ => Vec::new(),
            }
        }
        "start_level" => set(&mut s.start_level, usize_of(value)),
        "level" => set(&mut s.level, usize_of(value)),
        "wavelet" => set(&mut s.wavelet, str_of(value).and_then(Wavelet::from_name)),
        "gradientUseSpacing" => s.gradient_use_spacing = matches!(value, PyValue::Bool(true)),
        "lbp2DRadius" => set(&mut s.lbp2d_radius, float_of(value)),
        "lbp2DSamples" => set(&mut s.lbp2d_samples, usize_of(value)),
        "lbp2DMethod" => set(
            &mut s.lbp2d_method,
            str_of(value).and_then(|name| LbpMethod::from_name(name).ok()),
        ),
        "lbp3DLevels" => set(&mut s.lbp3d_levels, usize_of(value)),
        "lbp3DIcosphereRadius" => set(&mut s.lbp3d_icosphere_radius, float_of(value)),
        "lbp3DIcosphereSubdivision" => set(&mut s.lbp3d_icosphere_subdivision, usize_of(value)),
        _ => return false,
    }
    true
}

/// [`apply`] for the discretisation and feature class keys; false for any other key.
fn apply_texture(s: &mut TextureSettings, key: &str, value: &PyValue) -> bool {
    let flag = matches!(value, PyValue::Bool(true));
    match key {
        "binWidth" => {
            if let Some(width) = float_of(value) {
                s.bin_width = width;
                s.bin_width_is_int = matches!(value, PyValue::Int(_));
            }
        }
        "binCount" => s.bin_count = usize_of(value),
        "distances" => {
            if let PyValue::List(items) = value {
                s.distances = items.iter().filter_map(usize_of).collect();
            }
        }
        "force2D" => s.force_2d = flag,
        "force2Ddimension" => set(&mut s.force_2d_dimension, usize_of(value)),
        "voxelArrayShift" => set(&mut s.voxel_array_shift, float_of(value)),
        "symmetricalGLCM" => s.symmetrical_glcm = flag,
        "weightingNorm" => s.weighting_norm = str_of(value).and_then(WeightingNorm::from_name),
        "gldm_a" => set(&mut s.gldm_a, float_of(value)),
        _ => return false,
    }
    true
}

/// Sets the field of `voxel` that `key` (a checked `voxelSetting` key) controls; `null` keeps
/// the default.
pub fn apply_voxel(voxel: &mut VoxelSettings, key: &str, value: &PyValue) {
    match key {
        "kernelRadius" => set(&mut voxel.kernel_radius, usize_of(value)),
        "maskedKernel" => voxel.masked_kernel = matches!(value, PyValue::Bool(true)),
        "initValue" => set(&mut voxel.init_value, float_of(value)),
        "voxelBatch" => voxel.voxel_batch = usize_of(value),
        _ => {}
    }
}

/// Overwrites `field` when a value is given.
fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(key: &str, value: PyValue) -> String {
        check(Section::Setting, key, &value).unwrap_err()
    }

    #[test]
    fn types_and_ranges_follow_the_schema() {
        assert!(check(Section::Setting, "binWidth", &PyValue::Int(5)).is_ok());
        assert!(check(Section::Setting, "binWidth", &PyValue::None).is_ok());
        assert_eq!(err("binWidth", PyValue::Float(-5.0)), "must be > 0, got -5");
        assert_eq!(
            err("binCount", PyValue::Float(2.0)),
            "must be an integer, got float 2.0"
        );
        assert_eq!(
            err("force2D", PyValue::Int(1)),
            "must be true or false, got int 1"
        );
        assert_eq!(
            err("force2Ddimension", PyValue::Int(3)),
            "must be in [0, 2], got 3"
        );
        assert_eq!(
            err("distances", PyValue::from(vec![1, 0])),
            "item must be > 0, got 0"
        );
        assert!(
            err("interpolator", PyValue::from("linear")).starts_with("'linear' is not allowed")
        );
        assert!(check(Section::Setting, "interpolator", &PyValue::Int(2)).is_ok());
        assert!(err("wavelet", PyValue::from("coif99")).contains("coif1"));
        assert!(
            err("binwidth", PyValue::Int(1))
                .starts_with("unknown setting (allowed: minimumROIDimensions")
        );
        assert!(check(Section::Voxel, "initValue", &PyValue::from("nan")).is_ok());
    }

    #[test]
    fn overrides_convert_like_the_pyradiomics_cli() {
        let parse = |k, t| parse_override(k, t).map(|v| v.to_string());
        assert_eq!(parse("binWidth", "25"), Ok("25.0".to_string()));
        assert_eq!(parse("binCount", "16"), Ok("16".to_string()));
        assert_eq!(parse("distances", "1,2"), Ok("[1, 2]".to_string()));
        assert_eq!(parse("sigma", "1,3"), Ok("[1.0, 3.0]".to_string()));
        assert_eq!(parse("force2D", "TRUE"), Ok("True".to_string()));
        assert_eq!(parse("force2D", "yes"), Ok("False".to_string()));
        assert_eq!(parse("wavelet", "haar"), Ok("'haar'".to_string()));
        assert_eq!(
            parse("binCount", "2.5"),
            Err("'2.5' is not an integer".to_string())
        );
        assert!(
            parse("binwidth", "1")
                .unwrap_err()
                .starts_with("unknown setting")
        );
    }

    #[test]
    fn applied_values_reach_the_fields() {
        let mut s = Settings::default();
        apply(&mut s, "interpolator", &PyValue::from("sitkLinear"));
        apply(
            &mut s,
            "resampledPixelSpacing",
            &PyValue::from(vec![1, 1, 0]),
        );
        apply(&mut s, "weightingNorm", &PyValue::from("no_weighting"));
        apply(&mut s, "symmetricalGLCM", &PyValue::None);
        apply(&mut s, "binWidth", &PyValue::None);
        apply(&mut s, "wavelet", &PyValue::from("haar"));
        apply(&mut s, "lbp2DMethod", &PyValue::from("var"));
        apply(&mut s, "sigma", &PyValue::List(vec![3.into(), 1.5.into()]));
        assert_eq!(s.preprocess.interpolator, Interpolator::Linear);
        let spacing = &s.preprocess.resampled_pixel_spacing;
        assert_eq!(spacing, &Some(vec![1.0, 1.0, 0.0]));
        assert_eq!(s.texture.weighting_norm, Some(WeightingNorm::NoWeighting));
        assert!(!s.texture.symmetrical_glcm);
        assert_eq!(s.texture.bin_width, 25.0);
        assert_eq!(s.filters.wavelet.name(), "haar");
        assert_eq!(s.filters.lbp2d_method, LbpMethod::Var);
        let sigma: Vec<(f64, &str)> = s.filters.sigma.iter().map(|s| (s.mm, &*s.text)).collect();
        assert_eq!(sigma, [(3.0, "3"), (1.5, "1.5")]);
    }
}

//! Building [`Params`] in code, with the same validation as parameter files, and PyRadiomics'
//! configuration diagnostics strings.

use indexmap::IndexMap;

use super::pyvalue::{PyValue, write_dict};
use super::schema::{self, Section};
use super::{FeatureClass, ImageTypeKind, Params, Settings, VoxelSettings};
use crate::{Error, Result};

/// Origin named in errors of settings made in code.
const CODE: &str = "settings";

impl Params {
    /// Sets the global setting `key` (PyRadiomics' name, e.g. `"binWidth"`) like the file's
    /// `setting:` section; image types see it unless they override it.
    pub fn set(&mut self, key: &str, value: impl Into<PyValue>) -> Result<&mut Self> {
        self.insert_setting(CODE, Section::Setting, key, value.into())?;
        Ok(self)
    }

    /// Applies a PyRadiomics command-line override `KEY:VALUE` (its `--setting` option) to the
    /// global settings, converting the text by the setting's type as PyRadiomics does (e.g.
    /// `binWidth:25` sets the float `25.0`, `distances:1,2` a list, `force2D:true` a flag).
    pub fn set_override(&mut self, arg: &str) -> Result<&mut Self> {
        let Some((key, text)) = arg.split_once(':') else {
            return Err(Error::params(
                CODE,
                format!("setting override {arg:?} is not KEY:VALUE"),
            ));
        };
        let value = schema::parse_override(key, text)
            .map_err(|e| Error::params(CODE, format!("/setting/{key}: {e}")))?;
        self.set(key, value)
    }

    /// Sets the `voxelSetting` key `key` (`kernelRadius`, `maskedKernel`, `initValue`,
    /// `voxelBatch`).
    pub fn set_voxel(&mut self, key: &str, value: impl Into<PyValue>) -> Result<&mut Self> {
        self.insert_setting(CODE, Section::Voxel, key, value.into())?;
        Ok(self)
    }

    /// Enables `kind` without custom settings (PyRadiomics `{}`); keeps its place if enabled.
    pub fn enable_image_type(&mut self, kind: ImageTypeKind) -> &mut Self {
        self.custom_settings.insert(kind, IndexMap::new());
        self.rebuild();
        self
    }

    /// Enables `kind` with its own settings (e.g. `[("sigma", vec![1.0, 3.0])]`), which override
    /// the global settings for that image type only.
    pub fn enable_image_type_with<K, V>(
        &mut self,
        kind: ImageTypeKind,
        custom: impl IntoIterator<Item = (K, V)>,
    ) -> Result<&mut Self>
    where
        K: Into<String>,
        V: Into<PyValue>,
    {
        let custom = custom
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.insert_image_type(CODE, kind, custom)?;
        Ok(self)
    }

    /// Disables `kind` (no-op if it is not enabled).
    pub fn disable_image_type(&mut self, kind: ImageTypeKind) -> &mut Self {
        self.custom_settings.shift_remove(&kind);
        self.image_types.shift_remove(&kind);
        self
    }

    /// Enables `class`: with `None` or an empty list every non-deprecated feature, else exactly
    /// the named features (deprecated ones allowed).
    pub fn enable_feature_class(
        &mut self,
        class: FeatureClass,
        features: Option<&[&str]>,
    ) -> Result<&mut Self> {
        let features = features.map(|f| f.iter().map(|s| s.to_string()).collect());
        self.insert_feature_class(CODE, class, features)?;
        Ok(self)
    }

    /// Disables `class` (no-op if it is not enabled).
    pub fn disable_feature_class(&mut self, class: FeatureClass) -> &mut Self {
        self.feature_classes.shift_remove(&class);
        self
    }

    /// The features of `class` to compute, in PyRadiomics' output order (`None` if the class is
    /// disabled): the class's non-deprecated features in PyRadiomics' sorted order when no list
    /// was given, else the listed ones in list order.
    pub fn enabled_features(&self, class: FeatureClass) -> Option<Vec<&str>> {
        Some(match self.feature_classes.get(&class)? {
            None => class.default_features(),
            Some(names) => names.iter().map(String::as_str).collect(),
        })
    }

    /// The global settings (`setting`): what loading, normalisation, resampling, mask checks,
    /// resegmentation and shape features use.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Enabled image types in file order, each with its effective settings (global settings
    /// overridden by the image type's own keys; resampling settings are always the global ones).
    pub fn image_types(&self) -> &IndexMap<ImageTypeKind, Settings> {
        &self.image_types
    }

    /// `voxelSetting`, kept for voxel-based extraction (not implemented).
    pub fn voxel(&self) -> &VoxelSettings {
        &self.voxel
    }

    /// The extractor's settings dict as PyRadiomics holds it (defaults, then `setting`, then
    /// `voxelSetting`), values as written.
    pub fn raw_settings(&self) -> &IndexMap<String, PyValue> {
        &self.raw_settings
    }

    /// The custom settings of an enabled image type, as written.
    pub fn custom_settings(&self, kind: ImageTypeKind) -> Option<&IndexMap<String, PyValue>> {
        self.custom_settings.get(&kind)
    }

    /// PyRadiomics' `diagnostics_Configuration_Settings`: the repr of the extractor's settings
    /// dict, e.g. `{'minimumROIDimensions': 2, ..., 'additionalInfo': True, 'binWidth': 25}`.
    pub fn settings_repr(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = write_dict(&mut out, self.raw_settings.iter());
        out
    }

    /// PyRadiomics' `diagnostics_Configuration_EnabledImageTypes`, e.g.
    /// `{'Original': {}, 'LoG': {'sigma': [1.0, 3.0]}}`.
    pub fn image_types_repr(&self) -> String {
        let dicts: Vec<(&str, PyValue)> = self
            .custom_settings
            .iter()
            .map(|(kind, custom)| (kind.name(), PyValue::Dict(custom.clone())))
            .collect();
        let mut out = String::new();
        let _ = write_dict(&mut out, dicts.iter().map(|(k, v)| (k, v)));
        out
    }

    /// Checks and records one `setting` / `voxelSetting` value; errors name `origin`.
    pub(super) fn insert_setting(
        &mut self,
        origin: &str,
        section: Section,
        key: &str,
        value: PyValue,
    ) -> Result<()> {
        let path = match section {
            Section::Setting => "setting",
            Section::Voxel => "voxelSetting",
        };
        schema::check(section, key, &value)
            .map_err(|e| Error::params(origin, format!("/{path}/{key}: {e}")))?;
        self.raw_settings.insert(key.to_string(), value);
        self.rebuild();
        Ok(())
    }

    /// Checks and records an image type with its custom settings; errors name `origin`.
    pub(super) fn insert_image_type(
        &mut self,
        origin: &str,
        kind: ImageTypeKind,
        custom: IndexMap<String, PyValue>,
    ) -> Result<()> {
        for (key, value) in &custom {
            schema::check(Section::Setting, key, value).map_err(|e| {
                Error::params(origin, format!("/imageType/{}/{key}: {e}", kind.name()))
            })?;
        }
        self.custom_settings.insert(kind, custom);
        self.rebuild();
        Ok(())
    }

    /// Checks and records a feature class with its feature list; errors name `origin`.
    pub(super) fn insert_feature_class(
        &mut self,
        origin: &str,
        class: FeatureClass,
        features: Option<Vec<String>>,
    ) -> Result<()> {
        let features = features.filter(|f| !f.is_empty());
        for name in features.iter().flatten() {
            class.checked_feature(origin, name)?;
        }
        let features = features.map(|mut f| {
            let mut seen = std::collections::HashSet::new();
            f.retain(|name| seen.insert(name.clone()));
            f
        });
        self.feature_classes.insert(class, features);
        Ok(())
    }

    /// Recomputes the typed settings from the recorded values.
    fn rebuild(&mut self) {
        self.settings = settings_from(self.raw_settings.iter());
        let mut voxel = VoxelSettings::default();
        for (key, value) in &self.raw_settings {
            schema::apply_voxel(&mut voxel, key, value);
        }
        self.voxel = voxel;
        self.image_types = self
            .custom_settings
            .iter()
            .map(|(kind, custom)| {
                let mut settings = settings_from(self.raw_settings.iter().chain(custom));
                // Preprocessing happens once, before any image type: only the global values count.
                settings.preprocess = self.settings.preprocess.clone();
                (*kind, settings)
            })
            .collect();
    }
}

/// Settings after applying `entries` in order to the defaults. A null `interpolator` disables
/// resampling, as in PyRadiomics.
fn settings_from<'a>(entries: impl Iterator<Item = (&'a String, &'a PyValue)>) -> Settings {
    let mut settings = Settings::default();
    let mut no_interpolator = false;
    for (key, value) in entries {
        schema::apply(&mut settings, key, value);
        if key == "interpolator" {
            no_interpolator = *value == PyValue::None;
        }
    }
    if no_interpolator {
        settings.preprocess.resampled_pixel_spacing = None;
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{INTERPOLATORS, Interpolator};

    #[test]
    fn default_params_agree_with_their_recorded_settings() {
        let params = Params::default();
        assert_eq!(settings_from(params.raw_settings.iter()), params.settings);
        let mut rebuilt = params.clone();
        rebuilt.rebuild();
        assert_eq!(rebuilt, params);
    }

    #[test]
    fn interpolator_names_and_numbers_agree() {
        for (i, name) in INTERPOLATORS.iter().enumerate() {
            let interpolator = Interpolator::from_name(name).unwrap();
            assert_eq!(interpolator.name(), *name);
            assert_eq!(Interpolator::from_number(i as i64 + 1), Some(interpolator));
        }
        assert_eq!(Interpolator::from_number(0), None);
        assert_eq!(Interpolator::from_number(11), None);
    }
}

//! Reading PyRadiomics parameter files (YAML or JSON) into [`Params`], validated like
//! PyRadiomics' schema; every error is one line naming the file and the offending key.

use std::path::Path;

use indexmap::IndexMap;

use super::pyvalue::PyValue;
use super::schema::Section;
use super::{FeatureClass, ImageTypeKind, Params};
use crate::{Error, Result};

/// The top-level keys a parameter file may hold.
const TOP_LEVEL: [&str; 4] = ["imageType", "featureClass", "setting", "voxelSetting"];

impl Params {
    /// Reads a PyRadiomics parameter file: JSON if its name ends in `.json`, YAML otherwise.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Params> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Params::from_str(&text, &path.display().to_string())
    }

    /// Parses a parameter file's text; `origin` (a file name) names it in errors and picks the
    /// format: JSON if it ends in `.json`, YAML otherwise.
    pub fn from_str(text: &str, origin: &str) -> Result<Params> {
        let doc = if origin.ends_with(".json") {
            serde_json::from_str::<PyValue>(text)
                .map_err(|e| Error::params(origin, format!("invalid JSON: {}", one_line(&e))))?
        } else {
            serde_norway::from_str::<PyValue>(text)
                .map_err(|e| Error::params(origin, format!("invalid YAML: {}", one_line(&e))))?
        };
        from_document(doc, origin)
    }
}

/// An error message on one line.
fn one_line(e: &impl std::fmt::Display) -> String {
    e.to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A document's sections (`imageType`, `featureClass`, `setting`, `voxelSetting`) by name.
type Sections = IndexMap<&'static str, IndexMap<String, PyValue>>;

/// Validates and applies a loaded document the way PyRadiomics' `_applyParams` does.
fn from_document(doc: PyValue, origin: &str) -> Result<Params> {
    let mut sections = sections_of(doc, origin)?;
    let mut params = Params::default();
    let image_types = sections.shift_remove("imageType").unwrap_or_default();
    apply_image_types(&mut params, image_types, origin)?;
    let classes = sections.shift_remove("featureClass").unwrap_or_default();
    apply_feature_classes(&mut params, classes, origin)?;
    // Settings: the extractor's defaults, updated by `setting`, then by `voxelSetting`.
    for (section, name) in [
        (Section::Setting, "setting"),
        (Section::Voxel, "voxelSetting"),
    ] {
        for (key, value) in sections.shift_remove(name).unwrap_or_default() {
            params.insert_setting(origin, section, &key, value)?;
        }
    }
    Ok(params)
}

/// The top-level mapping's sections, each a mapping; errors name `origin`.
fn sections_of(doc: PyValue, origin: &str) -> Result<Sections> {
    let err = |message: String| Error::params(origin, message);
    let top = match doc {
        PyValue::Dict(top) => top,
        PyValue::None => return Err(err("the parameter file is empty".to_string())),
        other => {
            return Err(err(format!(
                "must be a mapping with keys {}, got {} {other}",
                TOP_LEVEL.join(", "),
                other.type_name()
            )));
        }
    };
    let mut sections = IndexMap::new();
    for (key, value) in top {
        let Some(name) = TOP_LEVEL.iter().find(|k| **k == key) else {
            return Err(err(format!(
                "/{key}: unknown key (allowed: {})",
                TOP_LEVEL.join(", ")
            )));
        };
        let PyValue::Dict(section) = value else {
            return Err(err(format!(
                "/{key}: must be a mapping, got {} {value}",
                value.type_name()
            )));
        };
        sections.insert(*name, section);
    }
    Ok(sections)
}

/// Enables the `imageType` section's image types with their custom settings (none given
/// enables Original only).
fn apply_image_types(
    params: &mut Params,
    image_types: IndexMap<String, PyValue>,
    origin: &str,
) -> Result<()> {
    let err = |message: String| Error::params(origin, message);
    params.custom_settings.clear();
    if image_types.is_empty() {
        params.insert_image_type(origin, ImageTypeKind::Original, IndexMap::new())?;
    }
    for (name, custom) in image_types {
        let Some(kind) = ImageTypeKind::from_name(&name) else {
            let known: Vec<&str> = ImageTypeKind::ALL.iter().map(|k| k.name()).collect();
            return Err(err(format!(
                "/imageType/{name}: unknown image type (allowed: {})",
                known.join(", ")
            )));
        };
        let custom = match custom {
            PyValue::Dict(custom) => custom,
            PyValue::None => IndexMap::new(),
            other => {
                return Err(err(format!(
                    "/imageType/{name}: must be a mapping of settings, got {} {other}",
                    other.type_name()
                )));
            }
        };
        params.insert_image_type(origin, kind, custom)?;
    }
    Ok(())
}

/// Enables the `featureClass` section's classes with their feature lists (none given enables
/// every class, shape2D included).
fn apply_feature_classes(
    params: &mut Params,
    classes: IndexMap<String, PyValue>,
    origin: &str,
) -> Result<()> {
    params.feature_classes.clear();
    if classes.is_empty() {
        params.feature_classes = FeatureClass::ALL.into_iter().map(|c| (c, None)).collect();
    }
    for (name, features) in classes {
        let Some(class) = FeatureClass::from_name(&name) else {
            let known: Vec<&str> = FeatureClass::ALL.iter().map(|c| c.name()).collect();
            return Err(Error::params(
                origin,
                format!(
                    "/featureClass/{name}: unknown feature class (allowed: {})",
                    known.join(", ")
                ),
            ));
        };
        let features = feature_list(&name, features, origin)?;
        params.insert_feature_class(origin, class, features)?;
    }
    Ok(())
}

/// A class's feature list: `None` for an empty entry, else the names (strings only).
fn feature_list(class: &str, features: PyValue, origin: &str) -> Result<Option<Vec<String>>> {
    let err = |message: String| Error::params(origin, message);
    match features {
        PyValue::None => Ok(None),
        PyValue::List(items) => items
            .into_iter()
            .map(|item| match item {
                PyValue::Str(s) => Ok(s),
                other => Err(err(format!(
                    "/featureClass/{class}: feature names must be strings, got {} {other}",
                    other.type_name()
                ))),
            })
            .collect::<Result<Vec<_>>>()
            .map(Some),
        other => Err(err(format!(
            "/featureClass/{class}: must be a list of feature names or empty, got {} {other}",
            other.type_name()
        ))),
    }
}

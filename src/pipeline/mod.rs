//! One case, end to end, as PyRadiomics' `RadiomicsFeatureExtractor.execute` runs it:
//! load → preprocess (normalise, resample or pre-crop) → check mask → resegment → shape →
//! for each image type: filter → crop → discretise → matrices → features.

mod diagnostics;
mod image_types;
mod select;

use std::path::Path;

use crate::backend::{Backend, CpuBackend};
use crate::features::{self, Feature};
use crate::image::crop::crop_to_box;
use crate::image::{Image, Volume};
use crate::matrices::discretize;
use crate::output::{ResultRow, Value};
use crate::params::{FeatureClass, Params, Settings};
use crate::preprocess::{self, BoundingBox};
use crate::{Result, io};

/// Extracts PyRadiomics features with fixed parameters; reuse one extractor for many cases.
///
/// ```
/// use radiome::{Extractor, params::Params};
/// let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pyradiomics-data");
/// let extractor = Extractor::new(Params::default());
/// let row = extractor
///     .extract_files(&data.join("breast1_image.nrrd"), &data.join("breast1_label.nrrd"))
///     .unwrap();
/// let contrast = row["original_glcm_Contrast"].as_number().unwrap();
/// assert!(contrast > 0.0);
/// ```
pub struct Extractor {
    params: Params,
    backend: Box<dyn Backend>,
}

impl Extractor {
    /// An extractor on the CPU reference backend.
    pub fn new(params: Params) -> Self {
        Extractor {
            params,
            backend: Box::new(CpuBackend),
        }
    }

    /// An extractor for a PyRadiomics parameter file (YAML or JSON).
    pub fn from_params_file(path: &Path) -> Result<Self> {
        Ok(Self::new(Params::from_file(path)?))
    }

    /// The parameters in use.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Reads `image` and `mask` and extracts every enabled feature, with PyRadiomics' `Image`,
    /// `Mask` and `diagnostics_*` entries first.
    pub fn extract_files(&self, image: &Path, mask: &Path) -> Result<ResultRow> {
        let settings = &self.params.settings;
        let image_data = io::read_image(image)?;
        let mask_data = io::read_mask(mask, settings.label_channel)?;
        let mut row = ResultRow::new();
        row.insert("Image".into(), Value::Text(image.display().to_string()));
        row.insert("Mask".into(), Value::Text(mask.display().to_string()));
        self.extract_into(&image_data, &mask_data, &mut row)?;
        Ok(row)
    }

    /// Extracts every enabled feature from an image and mask already in memory.
    pub fn extract(&self, image: &Image, mask: &Image) -> Result<ResultRow> {
        let mut row = ResultRow::new();
        self.extract_into(image, mask, &mut row)?;
        Ok(row)
    }

    fn extract_into(&self, image: &Image, mask: &Image, row: &mut ResultRow) -> Result<()> {
        let settings = &self.params.settings;
        let mut diag = diagnostics::Diagnostics::new(&self.params, settings.additional_info);
        diag.image(image, "original");
        diag.mask(None, mask, settings.label, "original");

        let prepared = preprocess::load(image, mask, settings, &mut diag)?;
        let (mut image, mut mask) = (prepared.image, prepared.mask);
        let mut bbox = preprocess::check_mask(&image, &mut mask, settings, &mut diag)?;

        let resegmented = match &settings.resegment_range {
            Some(_) => {
                let reseg = preprocess::resegment(&image, &mask, settings)?;
                bbox = preprocess::check_mask(&image, &mut reseg.clone(), settings, &mut diag)?;
                diag.mask(Some(&image), &reseg, settings.label, "resegmented");
                Some(reseg)
            }
            None => None,
        };
        diag.write_into(row);

        let shape_mask = match (&resegmented, settings.resegment_shape) {
            (Some(r), true) => r,
            _ => &mask,
        };
        self.shape_features(&image, shape_mask, &bbox, row)?;
        if let Some(r) = resegmented {
            mask = r;
        }
        let roi_mask = mask.label_mask(settings.label);
        image_types::for_each_image(&self.params, &*self.backend, &image, &roi_mask, |name, filtered, settings| {
            let (cropped, cropped_mask) = crop_to_box(filtered, &roi_mask, &bbox, 0);
            self.texture_features(name, &cropped, &cropped_mask, settings, row)
        })?;
        image = Image::default();
        drop(image);
        Ok(())
    }

    fn shape_features(&self, image: &Image, mask: &Image, bbox: &BoundingBox, row: &mut ResultRow) -> Result<()> {
        let settings = &self.params.settings;
        let roi = mask.label_mask(settings.label);
        let (_, cropped) = crop_to_box(&image.volume, &roi, bbox, 0);
        let spacing = cropped.geometry.spacing;
        for (class, names) in &self.params.feature_classes {
            let computed = match class {
                FeatureClass::Shape => features::shape::compute(&cropped.voxels, spacing),
                FeatureClass::Shape2D if select::shape2d_applies(settings, bbox) => {
                    features::shape2d::compute(&cropped.voxels, spacing, settings.force_2d_dimension)?
                }
                _ => continue,
            };
            select::insert(row, "original", *class, names.as_deref(), computed)?;
        }
        Ok(())
    }

    fn texture_features(
        &self,
        image_type: &str,
        image: &Volume<f64>,
        mask: &Volume<bool>,
        settings: &Settings,
        row: &mut ResultRow,
    ) -> Result<()> {
        let disc = discretize(&image.voxels, &mask.voxels, settings);
        let spacing = image.geometry.spacing;
        let backend = &*self.backend;
        for (class, names) in &self.params.feature_classes {
            let computed: Vec<Feature> = match class {
                FeatureClass::Shape | FeatureClass::Shape2D => continue,
                FeatureClass::FirstOrder => {
                    features::firstorder::compute(&image.voxels, &mask.voxels, &disc, spacing, settings)
                }
                FeatureClass::Glcm => features::glcm::compute(&backend.glcm(&disc, spacing, settings)?),
                FeatureClass::Glrlm => features::glrlm::compute(&backend.glrlm(&disc, spacing, settings)?),
                FeatureClass::Glszm => features::glszm::compute(&backend.glszm(&disc, settings)?),
                FeatureClass::Gldm => features::gldm::compute(&backend.gldm(&disc, settings)?, settings),
                FeatureClass::Ngtdm => features::ngtdm::compute(&backend.ngtdm(&disc, settings)?),
            };
            select::insert(row, image_type, *class, names.as_deref(), computed)?;
        }
        Ok(())
    }
}

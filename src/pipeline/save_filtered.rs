//! `--save-filtered`: each image type's filtered image as the feature classes get it (cropped to
//! the region's bounding box, no padding), and the cropped mask once, as NIfTI files in a folder.

use std::path::{Path, PathBuf};

use crate::image::Volume;
use crate::io::write_nifti;
use crate::{Error, Result};

/// The folder the cropped filtered images go to.
#[derive(Clone, Debug)]
pub(super) struct FilteredOutput {
    dir: PathBuf,
}

impl FilteredOutput {
    pub(super) fn new(dir: PathBuf) -> Self {
        FilteredOutput { dir }
    }

    /// Creates the folder (and its parents) and writes the cropped mask as `mask.nii.gz` (1 inside
    /// the region, 0 outside).
    pub(super) fn write_mask(&self, mask: &Volume<bool>) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|source| Error::Io {
            path: self.dir.clone(),
            source,
        })?;
        let volume = Volume {
            voxels: mask.voxels.mapv(|inside| if inside { 1.0 } else { 0.0 }),
            geometry: mask.geometry.clone(),
        };
        write_nifti(&self.path("mask"), &volume)
    }

    /// Writes one cropped filtered image as `<image type name>.nii.gz`.
    pub(super) fn write_image(&self, image_type: &str, volume: &Volume<f64>) -> Result<()> {
        write_nifti(&self.path(image_type), volume)
    }

    fn path(&self, name: &str) -> PathBuf {
        Path::new(&self.dir).join(format!("{name}.nii.gz"))
    }
}

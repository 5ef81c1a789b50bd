//! The image types of a parameter file, in order: each yields one or more (filtered) images, named
//! as PyRadiomics names them, with the settings that apply to it.

use std::cell::OnceCell;

use crate::Result;
use crate::filters::gradient::gradient_image;
use crate::filters::lbp2d::{LbpMethod, lbp2d_image};
use crate::filters::lbp3d::{Lbp3dSettings, lbp3d_images};
use crate::filters::log::{LogSkip, log_image, log_image_name_from_text, log_skip};
use crate::filters::point::{exponential_image, logarithm_image, square_image, square_root_image};
use crate::filters::wavelet::wavelet_images;
use crate::image::bbox::BoundingBox;
use crate::image::crop::crop;
use crate::image::source::SourceImage;
use crate::image::{Dimensionality, Image, PixelType, Volume};
use crate::params::PyValue;
use crate::params::{ImageTypeKind, Params, Settings};
use crate::pyrepr::python_float_repr;
use crate::with_source_volume;

/// Calls `sink(name, image, settings)` for every image of every enabled image type, one at a time
/// so that each filtered image can be dropped before the next is made. Each image handed to
/// `sink` is cropped to `region` (PyRadiomics' `cropToTumorMask` without padding); filters that
/// can, compute only that region. LoG and wavelet read `image` in its stored type; the other
/// filters read it widened to f64 (once). `mask` is the region LBP3D samples (PyRadiomics' mask at
/// that point: the resegmented one when resegmenting). A 2D image (`dimensionality`; one slice)
/// is filtered in its plane, and gets no LBP3D image (PyRadiomics' LBP3D needs 3D input).
pub fn for_each(
    params: &Params,
    image: &SourceImage,
    mask: &Volume<bool>,
    region: &BoundingBox,
    dimensionality: Dimensionality,
    mut sink: impl FnMut(&str, &Image, &Settings) -> Result<()>,
) -> Result<()> {
    let widened = OnceCell::new();
    let whole = || widened.get_or_init(|| image.widened());
    for (&kind, settings) in &params.image_types {
        match kind {
            ImageTypeKind::Original => sink(
                "original",
                &image.crop(region.lower, region.upper),
                settings,
            )?,
            ImageTypeKind::LoG => {
                for (sigma, text) in settings.sigma.iter().zip(sigma_texts(params)) {
                    let spacing = image.geometry().spacing;
                    match log_skip(image.size(), spacing, *sigma, dimensionality) {
                        Some(LogSkip::ImageTooSmall) => break,
                        Some(_) => continue,
                        None => {}
                    }
                    let filtered = Image {
                        volume: with_source_volume!(image, volume => log_image(volume, *sigma, region, dimensionality))?,
                        pixel_type: PixelType::F32,
                    };
                    sink(&log_image_name_from_text(&text), &filtered, settings)?;
                }
            }
            ImageTypeKind::Wavelet => {
                // PyWavelets keeps float32 images in float32 and computes everything else in float64.
                let pixel_type = match image.pixel_type() {
                    PixelType::F32 => PixelType::F32,
                    _ => PixelType::F64,
                };
                with_source_volume!(image, volume => wavelet_images(
                    volume,
                    image.pixel_type(),
                    settings,
                    region,
                    dimensionality,
                    |name, volume| sink(name, &Image { volume, pixel_type }, settings),
                ))?;
            }
            ImageTypeKind::Square => sink(
                "square",
                &cropped(&float64(square_image(&whole().volume)), region),
                settings,
            )?,
            ImageTypeKind::SquareRoot => sink(
                "squareroot",
                &cropped(&float64(square_root_image(&whole().volume)), region),
                settings,
            )?,
            ImageTypeKind::Logarithm => sink(
                "logarithm",
                &cropped(&float64(logarithm_image(&whole().volume)), region),
                settings,
            )?,
            ImageTypeKind::Exponential => sink(
                "exponential",
                &cropped(&float64(exponential_image(&whole().volume)), region),
                settings,
            )?,
            ImageTypeKind::Gradient => {
                let volume = gradient_image(&whole().volume, settings.gradient_use_spacing)?;
                let filtered = Image {
                    volume,
                    pixel_type: PixelType::F32,
                };
                sink("gradient", &cropped(&filtered, region), settings)?
            }
            ImageTypeKind::LBP2D => {
                // A 3D image's slices across force2Ddimension are written back into its array,
                // so into its pixel type; a 2D image is its one slice, whatever
                // force2Ddimension says, and keeps local_binary_pattern's float64 values.
                let (axis, pixel_type) = match dimensionality {
                    Dimensionality::Two => (0, PixelType::F64),
                    Dimensionality::Three => (settings.force_2d_dimension, image.pixel_type()),
                };
                let volume = lbp2d_image(
                    &whole().volume,
                    pixel_type,
                    settings.lbp2d_radius,
                    settings.lbp2d_samples,
                    LbpMethod::from_name(&settings.lbp2d_method)?,
                    axis,
                )?;
                let filtered = Image { volume, pixel_type };
                sink("lbp-2D", &cropped(&filtered, region), settings)?
            }
            ImageTypeKind::LBP3D if dimensionality == Dimensionality::Two => {}
            ImageTypeKind::LBP3D => {
                let lbp = Lbp3dSettings {
                    levels: settings.lbp3d_levels,
                    radius: settings.lbp3d_icosphere_radius,
                    subdivision: settings.lbp3d_icosphere_subdivision,
                };
                for (name, volume) in lbp3d_images(&whole().volume, image.pixel_type(), mask, lbp)?
                {
                    sink(&name, &cropped(&float64(volume), region), settings)?;
                }
            }
        }
    }
    Ok(())
}

/// A whole filtered image cut to `region`.
fn cropped(image: &Image, region: &BoundingBox) -> Image {
    Image {
        volume: crop(&image.volume, region.lower, region.upper),
        pixel_type: image.pixel_type,
    }
}

/// A point-filtered image: PyRadiomics computes these in float64.
fn float64(volume: Volume<f64>) -> Image {
    Image {
        volume,
        pixel_type: PixelType::F64,
    }
}

/// The LoG sigmas as Python prints them (`3` or `3.0`), which PyRadiomics puts in the image type
/// name: from the LoG image type's own settings, else from the global settings.
fn sigma_texts(params: &Params) -> Vec<String> {
    let written = params
        .custom_settings(ImageTypeKind::LoG)
        .and_then(|custom| custom.get("sigma"))
        .or_else(|| params.raw_settings().get("sigma"));
    match written {
        Some(PyValue::List(values)) => values
            .iter()
            .map(|v| match v {
                PyValue::Int(i) => i.to_string(),
                PyValue::Float(f) => python_float_repr(*f),
                other => format!("{other:?}"),
            })
            .collect(),
        _ => Vec::new(),
    }
}

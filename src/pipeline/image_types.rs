//! The image types of a parameter file, in order: each yields one or more (filtered) images, named
//! as PyRadiomics names them, with the settings that apply to it.

use std::cell::OnceCell;

use crate::Result;
use crate::filters::gradient::gradient_image;
use crate::filters::lbp2d::{LbpMethod, Placement, lbp2d_of_part};
use crate::filters::lbp3d::{Lbp3dSettings, lbp3d_images};
use crate::filters::log::{LogSkip, log_image, log_image_name_from_text, log_skip};
use crate::filters::point::{exponential, logarithm, max_abs, max_abs_log, square, square_root};
use crate::filters::recursive_gaussian::PassBuffers;
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
/// `sink` is cropped to `region` (PyRadiomics' `cropToTumorMask` without padding); every filter but
/// LBP3D computes only that region (the voxel-wise ones with the whole image's rescaling
/// constants). LoG, wavelet and the whole-image constants read `image` in its stored type; the
/// other filters read the region (with the margin they need) widened to f64, and LBP3D the whole
/// image widened (once). `mask` is the region LBP3D samples (PyRadiomics' mask at
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
    let region_part = OnceCell::new();
    let part = || region_part.get_or_init(|| image.crop(region.lower, region.upper));
    let whole_max_abs = OnceCell::new();
    let image_max_abs =
        || *whole_max_abs.get_or_init(|| with_source_volume!(image, volume => max_abs(volume)));
    for (&kind, settings) in &params.image_types {
        match kind {
            ImageTypeKind::Original => sink("original", part(), settings)?,
            ImageTypeKind::LoG => {
                let mut buffers = PassBuffers::default();
                for (sigma, text) in settings.sigma.iter().zip(sigma_texts(params)) {
                    let spacing = image.geometry().spacing;
                    match log_skip(image.size(), spacing, *sigma, dimensionality) {
                        Some(LogSkip::ImageTooSmall) => break,
                        Some(_) => continue,
                        None => {}
                    }
                    let filtered = Image {
                        volume: with_source_volume!(image, volume => log_image(volume, *sigma, region, dimensionality, &mut buffers))?,
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
                &float64(square(&part().volume, image_max_abs())),
                settings,
            )?,
            ImageTypeKind::SquareRoot => sink(
                "squareroot",
                &float64(square_root(&part().volume, image_max_abs())),
                settings,
            )?,
            ImageTypeKind::Logarithm => {
                let max_log =
                    with_source_volume!(image, volume => max_abs_log(volume, image_max_abs()));
                let filtered = logarithm(&part().volume, image_max_abs(), max_log);
                sink("logarithm", &float64(filtered), settings)?
            }
            ImageTypeKind::Exponential => sink(
                "exponential",
                &float64(exponential(&part().volume, image_max_abs())),
                settings,
            )?,
            ImageTypeKind::Gradient => {
                // Central differences: one voxel of margin.
                let filtered = local_filter(image, region, [1; 3], |neighbourhood, _| {
                    let volume = gradient_image(neighbourhood, settings.gradient_use_spacing)?;
                    Ok((volume, PixelType::F32))
                })?;
                sink("gradient", &filtered, settings)?
            }
            ImageTypeKind::LBP2D => {
                // A 3D image's slices across force2Ddimension are written back into its array,
                // so into its pixel type; a 2D image is its one slice, whatever
                // force2Ddimension says, and keeps local_binary_pattern's float64 values.
                let (axis, pixel_type) = match dimensionality {
                    Dimensionality::Two => (0, PixelType::F64),
                    Dimensionality::Three => (settings.force_2d_dimension, image.pixel_type()),
                };
                let method = LbpMethod::from_name(&settings.lbp2d_method)?;
                let radius = settings.lbp2d_radius;
                let margin = lbp2d_margin(radius, axis);
                let filtered = local_filter(image, region, margin, |neighbourhood, placement| {
                    let samples = settings.lbp2d_samples;
                    let volume = lbp2d_of_part(
                        neighbourhood,
                        placement,
                        pixel_type,
                        radius,
                        samples,
                        method,
                        axis,
                    )?;
                    Ok((volume, pixel_type))
                })?;
                sink("lbp-2D", &filtered, settings)?
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

/// A filter whose value at a voxel reads only voxels within `margin` of it (per axis, ITK order),
/// applied to `region` alone: the image is cut to the region grown by `margin` (within the image),
/// filtered (`filter` gets the cut and where it lies in the image), and cut to `region`. Every
/// region voxel reads the voxels it reads in the whole image (the crop's border, where it reaches
/// a region voxel's neighbourhood, is the image's own), so the result is exactly the whole
/// filtered image's region, placed as [`cropped`] places it.
fn local_filter(
    image: &SourceImage,
    region: &BoundingBox,
    margin: [usize; 3],
    filter: impl FnOnce(&Volume<f64>, Placement) -> Result<(Volume<f64>, PixelType)>,
) -> Result<Image> {
    let grown = region.grown(margin, image.size());
    let placement = Placement {
        first: grown.lower,
        whole_size: image.size(),
    };
    let neighbourhood = image.crop(grown.lower, grown.upper).volume;
    let (filtered, pixel_type) = filter(&neighbourhood, placement)?;
    let lower = [0, 1, 2].map(|a| region.lower[a] - grown.lower[a]);
    let upper = [0, 1, 2].map(|a| region.upper[a] - grown.lower[a]);
    let mut volume = crop(&filtered, lower, upper);
    volume.geometry.origin = image
        .geometry()
        .index_to_physical(region.lower.map(|l| l as f64));
    Ok(Image { volume, pixel_type })
}

/// The margin (ITK axis order) that LBP2D of radius `radius`, slicing across numpy axis `axis`,
/// reads around a voxel: its samples lie within the radius in the slice, each read from its 2 x 2
/// neighbouring pixels; none across slices. A radius that is not finite reads anywhere.
fn lbp2d_margin(radius: f64, axis: usize) -> [usize; 3] {
    let in_plane = if radius.is_finite() {
        (radius.abs().ceil() as usize).saturating_add(1)
    } else {
        usize::MAX
    };
    let mut margin = [in_plane; 3];
    margin[2 - axis.min(2)] = 0;
    margin
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::lbp2d::lbp2d_image;
    use crate::image::Geometry;
    use crate::test_random::random_u64s;
    use ndarray::Array3;

    /// A volume of pseudo-random integer-valued voxels in `-range..range` (as an int16 image holds
    /// them), with an oblique, anisotropic geometry.
    fn random_volume((nz, ny, nx): (usize, usize, usize), range: i64, seed: u64) -> Volume<f64> {
        let mut next = random_u64s(seed);
        let voxels =
            Array3::from_shape_fn((nz, ny, nx), |_| ((next() >> 33) as i64 % range) as f64);
        Volume {
            voxels,
            geometry: Geometry {
                spacing: [0.7, 1.3, 2.5],
                origin: [-3.0, 12.5, 7.25],
                direction: [[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 1.0]],
            },
        }
    }

    /// [`random_volume`] of values in `-400..400`, and the same as an int16 image's source.
    fn int16_image(dim: (usize, usize, usize), seed: u64) -> (Volume<f64>, SourceImage<'static>) {
        let whole = random_volume(dim, 400, seed);
        let image = SourceImage::from(Image {
            volume: whole.clone(),
            pixel_type: PixelType::I16,
        });
        (whole, image)
    }

    /// Regions inside the image, on each of its faces, one voxel, and the whole image.
    fn regions(size: [usize; 3]) -> Vec<BoundingBox> {
        let last = size.map(|n| n - 1);
        [
            ([3, 3, 2], [5, 6, 3]),
            ([0, 2, 1], [2, 4, 2]),
            ([4, 0, 0], [last[0], 3, 1]),
            ([2, 5, 3], [5, last[1], last[2]]),
            ([4, 4, 2], [4, 4, 2]),
            ([0, 0, 0], last),
        ]
        .into_iter()
        .map(|(lower, upper)| BoundingBox { lower, upper })
        .collect()
    }

    /// Same size, geometry and bits (NaN included) as the whole filtered image cut to `region`.
    fn assert_is_cut_of(part: &Image, whole: &Image, region: &BoundingBox, what: &str) {
        let expected = cropped(whole, region);
        assert_eq!(part.pixel_type, expected.pixel_type, "{what}");
        assert_eq!(part.volume.geometry, expected.volume.geometry, "{what}");
        assert_eq!(
            part.volume.voxels.dim(),
            expected.volume.voxels.dim(),
            "{what}"
        );
        for (a, b) in part.volume.voxels.iter().zip(&expected.volume.voxels) {
            assert_eq!(a.to_bits(), b.to_bits(), "{what} {region:?}");
        }
    }

    /// The gradient and LBP2D of a region, computed on the region and its margin, are exactly
    /// the whole image's filtered values there, wherever the region lies.
    #[test]
    fn local_filters_give_the_whole_image_values() {
        let (whole, image) = int16_image((7, 9, 11), 99);
        for region in regions(whole.size()) {
            for use_spacing in [true, false] {
                let filter = |v: &Volume<f64>| gradient_image(v, use_spacing);
                let part = local_filter(&image, &region, [1; 3], |v, _| {
                    Ok((filter(v)?, PixelType::F32))
                });
                let all = Image {
                    volume: filter(&whole).unwrap(),
                    pixel_type: PixelType::F32,
                };
                assert_is_cut_of(&part.unwrap(), &all, &region, "gradient");
            }
            for (radius, samples, method, axis) in [
                (1.0f64, 8, LbpMethod::Uniform, 0),
                (1.5, 12, LbpMethod::Default, 1),
                (2.7, 8, LbpMethod::Var, 2),
                (1.0, 4, LbpMethod::NriUniform, 0),
                (2.0, 16, LbpMethod::Ror, 1),
            ] {
                let margin = lbp2d_margin(radius, axis);
                let part = local_filter(&image, &region, margin, |v, at| {
                    let lbp = lbp2d_of_part(v, at, PixelType::F64, radius, samples, method, axis);
                    Ok((lbp?, PixelType::F64))
                });
                let all = Image {
                    volume: lbp2d_image(&whole, PixelType::F64, radius, samples, method, axis)
                        .unwrap(),
                    pixel_type: PixelType::F64,
                };
                let what = format!("lbp2D r={radius} p={samples} {method:?} axis {axis}");
                assert_is_cut_of(&part.unwrap(), &all, &region, &what);
            }
        }
    }

    /// A margin one voxel short of what LBP2D reads changes some region's values: the test
    /// above would notice a margin too small.
    #[test]
    fn a_short_margin_changes_lbp2d_values() {
        let (whole, image) = int16_image((5, 12, 12), 7);
        let region = BoundingBox {
            lower: [4, 4, 1],
            upper: [7, 7, 3],
        };
        let (method, pixel_type) = (LbpMethod::Default, PixelType::F64);
        let all = cropped(
            &Image {
                volume: lbp2d_image(&whole, pixel_type, 2.0, 8, method, 0).unwrap(),
                pixel_type,
            },
            &region,
        );
        // Samples at distance 2 read pixels 2 away: a margin of 1 misses them.
        let short = local_filter(&image, &region, [1, 1, 0], |v, at| {
            let lbp = lbp2d_of_part(v, at, pixel_type, 2.0, 8, method, 0);
            Ok((lbp?, pixel_type))
        });
        assert_ne!(short.unwrap().volume.voxels, all.volume.voxels);
    }

    /// The voxel-wise filters of the region, with the whole image's constants taken from the
    /// image in its stored type, are the whole filtered image's region.
    #[test]
    fn point_filters_of_the_region_use_the_whole_image_constants() {
        let mut whole = random_volume((6, 8, 10), 3000, 5);
        // The extreme value lies outside the region.
        whole.voxels[[0, 0, 0]] = -4000.0;
        let stored = whole.voxels.map(|&v| v as i16);
        let image = SourceImage::I16(Volume {
            voxels: stored,
            geometry: whole.geometry.clone(),
        });
        let region = BoundingBox {
            lower: [2, 3, 1],
            upper: [6, 5, 4],
        };
        let m = with_source_volume!(&image, volume => max_abs(volume));
        assert_eq!(m, 4000.0);
        let max_log = with_source_volume!(&image, volume => max_abs_log(volume, m));
        let part = image.crop(region.lower, region.upper).volume;
        let float64_whole = |volume| float64(volume);
        for (name, part, all) in [
            (
                "square",
                square(&part, m),
                crate::filters::point::square_image(&whole),
            ),
            (
                "logarithm",
                logarithm(&part, m, max_log),
                crate::filters::point::logarithm_image(&whole),
            ),
            (
                "exponential",
                exponential(&part, m),
                crate::filters::point::exponential_image(&whole),
            ),
            (
                "squareroot",
                square_root(&part, m),
                crate::filters::point::square_root_image(&whole),
            ),
        ] {
            let part = Image {
                volume: part,
                pixel_type: PixelType::F64,
            };
            assert_is_cut_of(&part, &float64_whole(all), &region, name);
        }
    }
}

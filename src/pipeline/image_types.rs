//! The image types of a parameter file, in order: each yields one or more (filtered) images, named
//! as PyRadiomics names them, with the settings that apply to it.

use std::borrow::Cow;
use std::cell::OnceCell;

use super::exact_bins::Approximate;
use crate::backend::{Backend, FilterJob, PointFilter};
use crate::filters::lbp2d::{self, Placement, lbp2d_of_part};
use crate::filters::lbp3d::{self, Lbp3dSettings, lbp3d_images};
use crate::filters::log::{sigma_image_name, sigmas_to_filter};
use crate::filters::point::{max_abs, max_abs_log};
use crate::filters::recursive_gaussian::PassBuffers;
use crate::filters::wavelet::sub_band_pixel_type;
use crate::image::bbox::BoundingBox;
use crate::image::crop::crop;
use crate::image::source::SourceImage;
use crate::image::{Dimensionality, Image, PixelType, Volume};
use crate::params::{FilterSettings, ImageTypeKind, Params, Settings, TextureSettings};
use crate::with_source_volume;
use crate::{Error, Result};

/// Where each filtered image goes: its image type name and the image, cropped to the region, and
/// how close its values are to the CPU reference's when they may not be those.
type Emit<'e> = dyn FnMut(&str, &Image, Option<&Approximate>) -> Result<()> + 'e;

/// Calls `sink(name, image, settings)` for every image of every enabled image type, one at a time
/// so that each filtered image can be dropped before the next is made (`settings`: the image
/// type's discretisation and feature class settings). Each image handed to `sink` is cropped to
/// `region` (PyRadiomics' `cropToTumorMask` without padding); every filter but LBP3D computes
/// only that region (the voxel-wise ones with the whole image's rescaling constants). LoG,
/// wavelet and the whole-image constants read `image` in its stored type; the other filters read
/// the region (with the margin they need) widened to f64, and LBP3D the whole image widened
/// (once). `mask` is the region LBP3D samples (PyRadiomics' mask at that point: the resegmented
/// one when resegmenting). A 2D image (`dimensionality`; one slice) is filtered in its plane, and
/// gets no LBP3D image (PyRadiomics' LBP3D needs 3D input).
pub fn for_each(
    params: &Params,
    image: &SourceImage,
    mask: &Volume<bool>,
    region: &BoundingBox,
    dimensionality: Dimensionality,
    mut sink: impl FnMut(&str, &Image, &TextureSettings, Option<&Approximate>) -> Result<()>,
    backend: &dyn Backend,
) -> Result<()> {
    let source = Source::new(image, mask, region, dimensionality, backend);
    for (&kind, settings) in params.image_types() {
        let emit = &mut |name: &str, image: &Image, approximate: Option<&Approximate>| {
            sink(name, image, &settings.texture, approximate)
        };
        source.filter(kind, settings, emit)?;
    }
    Ok(())
}

/// The image the filters read, with what several of them share, computed at most once: the
/// region's voxels, the whole image widened to f64 and the largest absolute intensity.
struct Source<'a> {
    image: &'a SourceImage<'a>,
    mask: &'a Volume<bool>,
    region: &'a BoundingBox,
    dimensionality: Dimensionality,
    part: OnceCell<Image>,
    widened: OnceCell<Cow<'a, Image>>,
    max_abs: OnceCell<f64>,
    backend: &'a dyn Backend,
}

impl<'a> Source<'a> {
    fn new(
        image: &'a SourceImage<'a>,
        mask: &'a Volume<bool>,
        region: &'a BoundingBox,
        dimensionality: Dimensionality,
        backend: &'a dyn Backend,
    ) -> Self {
        Source {
            image,
            mask,
            region,
            dimensionality,
            part: OnceCell::new(),
            widened: OnceCell::new(),
            max_abs: OnceCell::new(),
            backend,
        }
    }

    /// The region's voxels, widened to f64.
    fn part(&self) -> &Image {
        let region = self.region;
        self.part
            .get_or_init(|| self.image.crop(region.lower, region.upper))
    }

    /// The whole image widened to f64.
    fn whole(&self) -> &Image {
        self.widened.get_or_init(|| self.image.widened())
    }

    /// The largest absolute intensity of the whole image (the point filters' rescaling).
    fn max_abs(&self) -> f64 {
        *self
            .max_abs
            .get_or_init(|| with_source_volume!(self.image, volume => max_abs(volume)))
    }

    /// Hands every image of image type `kind` to `emit`.
    fn filter(&self, kind: ImageTypeKind, settings: &Settings, emit: &mut Emit) -> Result<()> {
        match kind {
            ImageTypeKind::Original => emit("original", self.part(), None),
            ImageTypeKind::LoG => self.log(&settings.filters, emit),
            ImageTypeKind::Wavelet => self.wavelet(settings, emit),
            ImageTypeKind::Square
            | ImageTypeKind::SquareRoot
            | ImageTypeKind::Logarithm
            | ImageTypeKind::Exponential => self.point(kind, emit),
            ImageTypeKind::Gradient => self.gradient(&settings.filters, emit),
            ImageTypeKind::LBP2D => self.lbp2d(settings, emit),
            ImageTypeKind::LBP3D => self.lbp3d(&settings.filters, emit),
        }
    }

    /// One LoG image per sigma PyRadiomics filters with, named after the sigma as written: one
    /// job per sigma, run as one batch.
    fn log(&self, settings: &FilterSettings, emit: &mut Emit) -> Result<()> {
        let (image, dimensionality) = (self.image, self.dimensionality);
        let spacing = image.geometry().spacing;
        let sigmas: Vec<_> =
            sigmas_to_filter(&settings.sigma, image.size(), spacing, dimensionality).collect();
        let jobs: Vec<FilterJob> = sigmas
            .iter()
            .map(|sigma| FilterJob::Log {
                image,
                sigma_mm: sigma.mm,
                place: (self.region, dimensionality),
            })
            .collect();
        self.backend.run_filters(&jobs, &mut |index, _, volume| {
            let filtered = Image {
                volume,
                pixel_type: PixelType::F32,
            };
            emit(&sigma_image_name(sigmas[index]), &filtered, None)
        })
    }

    /// The wavelet sub-bands, in PyRadiomics' order, each with its error bound on the backend
    /// and the CPU's values for any box where those may differ.
    fn wavelet(&self, settings: &Settings, emit: &mut Emit) -> Result<()> {
        let (stored, dimensionality) = (self.image.pixel_type(), self.dimensionality);
        let pixel_type = sub_band_pixel_type(stored);
        let scale = (self.backend).wavelet_error(stored, settings, dimensionality);
        let error = if scale > 0.0 {
            scale * self.max_abs()
        } else {
            0.0
        };
        let job = self.wavelet_job(settings, self.region);
        self.backend.run_filters(&[job], &mut |_, name, volume| {
            let exact = |region: &BoundingBox| self.cpu_sub_band(name, settings, region);
            let approximate = Approximate {
                error,
                exact: &exact,
            };
            let approximate = (error > 0.0).then_some(&approximate);
            emit(name, &Image { volume, pixel_type }, approximate)
        })
    }

    /// The wavelet's job within `region`.
    fn wavelet_job<'j>(&'j self, settings: &'j Settings, region: &'j BoundingBox) -> FilterJob<'j> {
        FilterJob::Wavelet {
            image: self.image,
            settings,
            place: (region, self.dimensionality),
        }
    }

    /// The CPU's wavelet sub-band `name` cut to `region`.
    fn cpu_sub_band(
        &self,
        name: &str,
        settings: &Settings,
        region: &BoundingBox,
    ) -> Result<Volume<f64>> {
        let mut band = None;
        let job = self.wavelet_job(settings, region);
        job.run_on_cpu(&mut PassBuffers::default(), &mut |computed, volume| {
            if computed == name {
                band = Some(volume);
            }
            Ok(())
        })?;
        band.ok_or_else(|| Error::Unsupported(format!("internal error: no sub-band {name}")))
    }

    /// A voxel-wise filter (square, square root, logarithm, exponential), with the whole image's
    /// rescaling constants; PyRadiomics computes these in float64.
    fn point(&self, kind: ImageTypeKind, emit: &mut Emit) -> Result<()> {
        let (part, m) = (&self.part().volume, self.max_abs());
        let (name, filter) = match kind {
            ImageTypeKind::Square => ("square", PointFilter::Square),
            ImageTypeKind::SquareRoot => ("squareroot", PointFilter::SquareRoot),
            ImageTypeKind::Logarithm => ("logarithm", PointFilter::Logarithm),
            _ => ("exponential", PointFilter::Exponential),
        };
        let max_log = match filter {
            PointFilter::Logarithm => {
                with_source_volume!(self.image, volume => max_abs_log(volume, m))
            }
            _ => 0.0,
        };
        let job = FilterJob::Point {
            filter,
            part,
            m,
            max_log,
        };
        emit(name, &float64(self.run_one(&job)?), None)
    }

    /// The gradient magnitude (central differences: one voxel of margin).
    fn gradient(&self, settings: &FilterSettings, emit: &mut Emit) -> Result<()> {
        let filtered = local_filter(self.image, self.region, [1; 3], |neighbourhood, _| {
            let job = FilterJob::Gradient {
                image: neighbourhood,
                use_spacing: settings.gradient_use_spacing,
            };
            Ok((self.run_one(&job)?, PixelType::F32))
        })?;
        emit("gradient", &filtered, None)
    }

    /// The image of a job that makes one.
    fn run_one(&self, job: &FilterJob) -> Result<Volume<f64>> {
        let mut image = None;
        self.backend
            .run_filters(std::slice::from_ref(job), &mut |_, _, volume| {
                image = Some(volume);
                Ok(())
            })?;
        image.ok_or_else(|| Error::Unsupported("internal error: a filter made no image".into()))
    }

    /// The 2D local binary pattern, slice by slice.
    fn lbp2d(&self, settings: &Settings, emit: &mut Emit) -> Result<()> {
        let filters = &settings.filters;
        let force_2d_dimension = settings.texture.force_2d_dimension;
        let (axis, pixel_type) = lbp2d::slicing(
            self.dimensionality,
            force_2d_dimension,
            self.image.pixel_type(),
        );
        let radius = filters.lbp2d_radius;
        let margin = lbp2d::margin(radius, axis);
        let filtered = local_filter(self.image, self.region, margin, |part, placement| {
            let (samples, method) = (filters.lbp2d_samples, filters.lbp2d_method);
            let volume = lbp2d_of_part(part, placement, pixel_type, radius, samples, method, axis)?;
            Ok((volume, pixel_type))
        })?;
        emit("lbp-2D", &filtered, None)
    }

    /// The 3D local binary pattern images (none for a 2D image), computed on the whole image.
    fn lbp3d(&self, settings: &FilterSettings, emit: &mut Emit) -> Result<()> {
        if !lbp3d::applies_to(self.dimensionality) {
            return Ok(());
        }
        let lbp = Lbp3dSettings::from(settings);
        let images = lbp3d_images(
            &self.whole().volume,
            self.image.pixel_type(),
            self.mask,
            lbp,
        )?;
        for (name, volume) in images {
            emit(&name, &cropped(&float64(volume), self.region), None)?;
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::CpuBackend;
    use crate::filters::gradient::gradient_image;
    use crate::filters::lbp2d::{LbpMethod, lbp2d_image};
    use crate::filters::point::{exponential, logarithm, square, square_root};
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
                let margin = lbp2d::margin(radius, axis);
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

    /// The names of the images `params` makes for a random 3D int16 image.
    fn image_names(params: &Params) -> Vec<String> {
        let (whole, image) = int16_image((9, 10, 11), 3);
        let mask = Volume {
            voxels: whole.voxels.map(|_| true),
            geometry: whole.geometry.clone(),
        };
        let region = BoundingBox {
            lower: [2, 2, 2],
            upper: [6, 6, 5],
        };
        let mut names = Vec::new();
        for_each(
            params,
            &image,
            &mask,
            &region,
            Dimensionality::Three,
            |name, _, _, _| {
                names.push(name.to_string());
                Ok(())
            },
            &CpuBackend,
        )
        .unwrap();
        names
    }

    /// LoG images come from the typed settings, named after each sigma as written, however the
    /// sigmas were given (image type or global setting, later edits included), and agree with
    /// the configuration the diagnostics print.
    #[test]
    fn log_images_follow_the_sigmas_as_written() {
        use crate::params::PyValue;
        let mut params = Params::default();
        params.disable_image_type(ImageTypeKind::Original);
        let sigmas = PyValue::List(vec![1.into(), 2.5.into()]);
        params
            .enable_image_type_with(ImageTypeKind::LoG, [("sigma", sigmas)])
            .unwrap();
        assert_eq!(
            image_names(&params),
            ["log-sigma-1-mm-3D", "log-sigma-2-5-mm-3D"]
        );
        assert_eq!(params.image_types_repr(), "{'LoG': {'sigma': [1, 2.5]}}");

        // Sigmas given as a global setting reach an image type without its own.
        params.enable_image_type(ImageTypeKind::LoG);
        params.set("sigma", vec![2.0]).unwrap();
        assert_eq!(image_names(&params), ["log-sigma-2-0-mm-3D"]);
        assert!(params.settings_repr().ends_with("'sigma': [2.0]}"));
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

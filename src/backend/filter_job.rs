//! The filters' work as jobs: the pipeline plans the jobs of each image type, a backend runs
//! them ([`super::Backend::run_filters`]) and hands each filtered image on as soon as it is
//! made, so that the CPU holds one image at a time (the wavelet's sub-bands included).

use crate::Result;
use crate::filters::gradient::gradient_image;
use crate::filters::point;
use crate::filters::recursive_gaussian::PassBuffers;
use crate::filters::wavelet::wavelet_images;
use crate::image::Dimensionality;
use crate::image::Volume;
use crate::image::bbox::BoundingBox;
use crate::image::source::SourceImage;
use crate::params::Settings;
use crate::with_source_volume;

/// Where a region lies and how the image is filtered there: the box, and whether in its plane
/// (2D) or in 3D.
pub type Place<'a> = (&'a BoundingBox, Dimensionality);

/// A voxel-wise filter, rescaled by the whole image's largest absolute value
/// ([`crate::filters::point`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointFilter {
    Square,
    SquareRoot,
    Logarithm,
    Exponential,
}

/// One filter's work.
pub enum FilterJob<'a> {
    /// The LoG image at `sigma_mm` within the box
    /// ([`log_image`](crate::filters::log::log_image)), of an image in its stored type.
    Log {
        image: &'a SourceImage<'a>,
        sigma_mm: f64,
        place: Place<'a>,
    },
    /// PyRadiomics' wavelet sub-bands cropped to the box, named and in order
    /// ([`wavelet_images`]), of an image in its stored type.
    Wavelet {
        image: &'a SourceImage<'a>,
        settings: &'a Settings,
        place: Place<'a>,
    },
    /// `filter` of part of an image whose largest absolute value is `m` (and, for the logarithm,
    /// whose largest `log(|x| + 1)` is `max_log`).
    Point {
        filter: PointFilter,
        part: &'a Volume<f64>,
        m: f64,
        max_log: f64,
    },
    /// The gradient magnitude ([`gradient_image`]).
    Gradient {
        image: &'a Volume<f64>,
        use_spacing: bool,
    },
}

/// Where a job's images go, one at a time: its name (a wavelet sub-band's; empty for the jobs
/// that make one image) and the image.
pub type ImageSink<'s> = dyn FnMut(&str, Volume<f64>) -> Result<()> + 's;

/// Where a batch's images go: the index of the job that made it, its name and the image.
pub type BatchSink<'s> = dyn FnMut(usize, &str, Volume<f64>) -> Result<()> + 's;

impl FilterJob<'_> {
    /// Runs the job on the CPU, the reference; `buffers` are the LoG's, kept between jobs.
    pub fn run_on_cpu(&self, buffers: &mut PassBuffers, sink: &mut ImageSink) -> Result<()> {
        match *self {
            FilterJob::Log {
                image,
                sigma_mm,
                place: (region, dimensionality),
            } => {
                let volume = with_source_volume!(image, volume => crate::filters::log::log_image(
                    volume, sigma_mm, region, dimensionality, buffers,
                ))?;
                sink("", volume)
            }
            FilterJob::Wavelet {
                image,
                settings,
                place: (region, dimensionality),
            } => {
                let stored = image.pixel_type();
                with_source_volume!(image, volume => wavelet_images(
                    volume, stored, settings, region, dimensionality, &mut *sink,
                ))
            }
            FilterJob::Point {
                filter,
                part,
                m,
                max_log,
            } => sink("", point_on_cpu(filter, part, m, max_log)),
            FilterJob::Gradient { image, use_spacing } => {
                sink("", gradient_image(image, use_spacing)?)
            }
        }
    }
}

/// A point filter on the CPU ([`crate::filters::point`]).
fn point_on_cpu(filter: PointFilter, part: &Volume<f64>, m: f64, max_log: f64) -> Volume<f64> {
    match filter {
        PointFilter::Square => point::square(part, m),
        PointFilter::SquareRoot => point::square_root(part, m),
        PointFilter::Logarithm => point::logarithm(part, m, max_log),
        PointFilter::Exponential => point::exponential(part, m),
    }
}

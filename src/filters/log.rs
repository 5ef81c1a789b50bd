//! PyRadiomics' LoG image type (`getLoGImage`): SimpleITK's `LaplacianRecursiveGaussianImageFilter`
//! with `NormalizeAcrossScale` on, sigma in mm.
//!
//! ITK computes the Laplacian as `Σ_d ∂²G/∂x_d² / spacing_d²`: for each axis `d` (x, y, z; x and y
//! for a 2D image), the second-derivative recursive Gaussian along `d` (scaled by `σ²`), then the
//! Gaussian along the other axes in increasing order, then accumulation
//! `acc = f32(acc + term · (1 / spacing_d²))`.
//! Every stage stores `float32` images (ITK's internal `float` type), so the result — and what
//! PyRadiomics computes features from — is `float32`; this module rounds exactly where ITK does.

use std::borrow::Cow;
use std::ops::Range;

use ndarray::Array3;
use rayon::prelude::*;

use super::recursive_gaussian::{Axis, Coefficients, Order, PassBuffers, filter_axis, kept_dims};
use crate::image::bbox::BoundingBox;
use crate::image::source::Element;
use crate::image::{Dimensionality, Geometry, Volume};
use crate::params::Sigma;
use crate::{Error, Result};

/// Why PyRadiomics yields no LoG image for a sigma (it logs a warning and moves on).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogSkip {
    /// Some image dimension has fewer than 4 voxels: no sigma at all is computed.
    ImageTooSmall,
    /// `sigma <= 0`.
    SigmaNotPositive,
    /// Some dimension has fewer than `ceil(sigma / spacing) + 1` voxels.
    SigmaTooLarge,
}

/// PyRadiomics' checks before filtering an image of `size` voxels and `spacing` mm (ITK (x, y, z)
/// order) with `sigma_mm`; `None` when the LoG image is computed. A 2D image's checks look at
/// its two axes only.
pub fn log_skip(
    size: [usize; 3],
    spacing: [f64; 3],
    sigma_mm: f64,
    dimensionality: Dimensionality,
) -> Option<LogSkip> {
    let axes = dimensionality.axes();
    let (size, spacing) = (&size[..axes], &spacing[..axes]);
    if size.iter().any(|&n| n < 4) {
        return Some(LogSkip::ImageTooSmall);
    }
    if sigma_mm.is_nan() || sigma_mm <= 0.0 {
        return Some(LogSkip::SigmaNotPositive);
    }
    let fits = size
        .iter()
        .zip(spacing)
        .all(|(&n, &s)| n as f64 >= (sigma_mm / s).ceil() + 1.0);
    (!fits).then_some(LogSkip::SigmaTooLarge)
}

/// The sigmas PyRadiomics filters an image of `size` voxels and `spacing` mm (ITK order) with,
/// in order: those [`log_skip`] keeps (none when the image is too small).
pub fn sigmas_to_filter(
    sigmas: &[Sigma],
    size: [usize; 3],
    spacing: [f64; 3],
    dimensionality: Dimensionality,
) -> impl Iterator<Item = &Sigma> {
    sigmas
        .iter()
        .filter(move |sigma| log_skip(size, spacing, sigma.mm, dimensionality).is_none())
}

/// PyRadiomics' image type name for `sigma`, from its text as written (`3` gives
/// `log-sigma-3-mm-3D`, `3.0` gives `log-sigma-3-0-mm-3D`).
pub fn sigma_image_name(sigma: &Sigma) -> String {
    log_image_name_from_text(&sigma.text)
}

/// PyRadiomics' image type name, `log-sigma-<sigma>-mm-3D` with `.` written as `-` (sigma as Python
/// prints a float: `1.0` → `log-sigma-1-0-mm-3D`). PyRadiomics prints an integer sigma given in the
/// parameter file without the `.0`; pass such a sigma's text through [`log_image_name_from_text`].
pub fn log_image_name(sigma_mm: f64) -> String {
    log_image_name_from_text(&format!("{sigma_mm:?}"))
}

/// [`log_image_name`] for sigma exactly as written (Python's `str(sigma)`).
pub fn log_image_name_from_text(sigma_text: &str) -> String {
    format!("log-sigma-{}-mm-3D", sigma_text.replace('.', "-"))
}

/// The Laplacian of Gaussian of `image` at `sigma_mm` within `region`, normalised across scale,
/// exactly as SimpleITK's `LaplacianRecursiveGaussianImageFilter` computes it for the whole image
/// and [`crop`](crate::image::crop::crop) then cuts it to `region` (values are `float32` widened to `f64`; the geometry is the
/// crop's). A 2D image (`dimensionality`, one slice) is filtered in its plane, as ITK filters a 2D
/// image. Errors (as ITK throws) when a filtered axis has fewer than 4 voxels, sigma is not
/// positive or a spacing is below 1e-8 mm. PyRadiomics' own skip rules are [`log_skip`].
///
/// Only what the region needs is computed, and nothing is approximated: a recursive pass depends
/// on whole lines along its axis but on nothing across them. Each term filters along `d`, then
/// `p`, then `q`; the pass along `d` runs over every line of the image but keeps only the
/// region's samples along `d` (the later passes need nothing else along `d`), the pass along `p`
/// runs over those lines (whole along `p`) and keeps the region along `p`, and so on — every kept
/// value is bit-identical to the whole-image filter's. The passes write into `buffers`, which
/// can be kept from sigma to sigma.
pub fn log_image<E: Element>(
    image: &Volume<E>,
    sigma_mm: f64,
    region: &BoundingBox,
    dimensionality: Dimensionality,
    buffers: &mut PassBuffers,
) -> Result<Volume<f64>> {
    let terms = log_terms(image, sigma_mm, dimensionality)?;
    let (nz, ny, nx) = image.voxels.dim();
    let dims = [nz, ny, nx];
    let keep = kept_region(image, region);
    let voxels: Cow<'_, [E]> = match image.voxels.as_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(image.voxels.iter().copied().collect()),
    };
    let mut acc = vec![0f32; keep.iter().map(Range::len).product()];
    let [mut term, mut spare] = buffers.pair();
    for LogTerm {
        passes,
        inv_spacing2,
    } in &terms
    {
        // The second derivative along the term's axis, read from the image ...
        let (first_axis, first) = &passes[0];
        let first_keep = keep[*first_axis as usize].clone();
        filter_axis(&voxels, dims, *first_axis, first, first_keep.clone(), term);
        let mut term_dims = kept_dims(dims, *first_axis, &first_keep);
        // ... then the Gaussian along the other axes.
        for (axis, smooth) in &passes[1..] {
            let axis_keep = keep[*axis as usize].clone();
            filter_axis(term, term_dims, *axis, smooth, axis_keep.clone(), spare);
            std::mem::swap(&mut term, &mut spare);
            term_dims = kept_dims(term_dims, *axis, &axis_keep);
        }
        let inv = *inv_spacing2;
        acc.par_iter_mut()
            .zip(term.par_iter())
            .for_each(|(s, &t)| *s = (*s as f64 + t as f64 * inv) as f32);
    }
    region_volume(image, &keep, acc)
}

/// One term of the Laplacian, `∂²G/∂x_d² / spacing_d²`: its recursive passes in the order ITK
/// runs them (the second derivative along `d`, then the Gaussian along the other filtered axes in
/// increasing order), and the factor `1 / spacing_d²` it is accumulated with.
#[derive(Clone, Debug)]
pub struct LogTerm {
    /// The axis and coefficients of each pass, in order.
    pub passes: Vec<(Axis, Coefficients)>,
    /// `1 / spacing_d²`.
    pub inv_spacing2: f64,
}

/// The terms of the LoG of `image` at `sigma_mm`, in the order they are accumulated (x, y, z; x
/// and y for a 2D image). Errors (as ITK throws) when a filtered axis has fewer than 4 voxels,
/// sigma is not positive or a spacing is below 1e-8 mm.
pub fn log_terms<E: Element>(
    image: &Volume<E>,
    sigma_mm: f64,
    dimensionality: Dimensionality,
) -> Result<Vec<LogTerm>> {
    let axes = &[Axis::X, Axis::Y, Axis::Z][..dimensionality.axes()];
    if image.size()[..axes.len()].iter().any(|&n| n < 4) {
        let (nz, ny, nx) = image.voxels.dim();
        return Err(Error::setting(
            "LoG",
            format!(
                "the image ({nx} x {ny} x {nz} voxels) needs at least 4 voxels along each \
                 filtered axis"
            ),
        ));
    }
    let spacing = image.geometry.spacing;
    let mut terms = Vec::with_capacity(axes.len());
    for (d, &axis) in axes.iter().enumerate() {
        let mut passes = vec![(
            axis,
            Coefficients::new(sigma_mm, spacing[d], Order::Second, true)?,
        )];
        for (k, &other) in axes.iter().enumerate().filter(|&(k, _)| k != d) {
            let smooth = Coefficients::new(sigma_mm, spacing[k], Order::Zero, true)?;
            passes.push((other, smooth));
        }
        let inv_spacing2 = 1.0 / (spacing[d] * spacing[d]);
        terms.push(LogTerm {
            passes,
            inv_spacing2,
        });
    }
    Ok(terms)
}

/// The samples of `region` along each axis (x, y, z order), clamped to the image as
/// [`crop`](crate::image::crop::crop) clamps it.
pub fn kept_region<E: Element>(image: &Volume<E>, region: &BoundingBox) -> [Range<usize>; 3] {
    std::array::from_fn(|a| {
        let hi = region.upper[a].min(image.size()[a] - 1);
        region.lower[a].min(hi)..hi + 1
    })
}

/// The LoG values `acc` of the region `keep` of `image` (z, y, x order) as a volume with the
/// crop's geometry.
pub fn region_volume<E: Element>(
    image: &Volume<E>,
    keep: &[Range<usize>; 3],
    acc: Vec<f32>,
) -> Result<Volume<f64>> {
    let shape = (keep[2].len(), keep[1].len(), keep[0].len());
    let voxels = Array3::from_shape_vec(shape, acc.into_iter().map(f64::from).collect())
        .map_err(|e| Error::setting("LoG", e.to_string()))?;
    let corner = [0, 1, 2].map(|a| keep[a].start as f64);
    Ok(Volume {
        voxels,
        geometry: Geometry {
            origin: image.geometry.index_to_physical(corner),
            ..image.geometry.clone()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::crop::crop;
    use crate::test_random::random_u64s;

    #[test]
    fn names_as_pyradiomics() {
        assert_eq!(log_image_name(3.0), "log-sigma-3-0-mm-3D");
        assert_eq!(log_image_name(0.5), "log-sigma-0-5-mm-3D");
        assert_eq!(log_image_name_from_text("2"), "log-sigma-2-mm-3D");
    }

    /// Any region of the LoG is bit-identical to that region of the whole-image LoG, and carries
    /// the geometry of the crop.
    #[test]
    fn region_is_the_crop_of_the_whole_image() {
        let (nz, ny, nx) = (6, 9, 11);
        let mut next = random_u64s(12345);
        let voxels =
            Array3::from_shape_fn((nz, ny, nx), |_| (next() >> 40) as f64 / 1000.0 - 5000.0);
        let image = Volume {
            voxels,
            geometry: Geometry {
                spacing: [0.7, 1.1, 2.5],
                origin: [3.0, -2.0, 1.0],
                direction: [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, -1.0]],
            },
        };
        let mut buffers = PassBuffers::default();
        let whole_box = BoundingBox {
            lower: [0; 3],
            upper: [nx - 1, ny - 1, nz - 1],
        };
        let whole =
            log_image(&image, 1.7, &whole_box, Dimensionality::Three, &mut buffers).unwrap();
        assert_eq!(whole.geometry, image.geometry);
        for (lower, upper) in [
            ([0, 0, 0], [0, 0, 0]),
            ([2, 3, 1], [7, 5, 4]),
            ([10, 8, 5], [10, 8, 5]),
            ([0, 4, 2], [10, 8, 5]),
        ] {
            let region = BoundingBox { lower, upper };
            let part =
                log_image(&image, 1.7, &region, Dimensionality::Three, &mut buffers).unwrap();
            let expected = crop(&whole, lower, upper);
            assert_eq!(part.geometry, expected.geometry);
            assert_eq!(part.voxels.dim(), expected.voxels.dim());
            for (a, b) in part.voxels.iter().zip(&expected.voxels) {
                assert_eq!(a.to_bits(), b.to_bits(), "{lower:?}..{upper:?}");
            }
        }
    }

    #[test]
    fn skip_rules() {
        assert_eq!(
            log_skip([3, 10, 10], [1.0; 3], 1.0, Dimensionality::Three),
            Some(LogSkip::ImageTooSmall)
        );
        assert_eq!(
            log_skip([10, 10, 10], [1.0; 3], 0.0, Dimensionality::Three),
            Some(LogSkip::SigmaNotPositive)
        );
        // ceil(5 / 0.7) + 1 = 9 voxels needed.
        assert_eq!(
            log_skip([9, 10, 8], [1.0, 1.0, 0.7], 5.0, Dimensionality::Three),
            Some(LogSkip::SigmaTooLarge)
        );
        assert_eq!(
            log_skip([9, 10, 9], [1.0, 1.0, 0.7], 5.0, Dimensionality::Three),
            None
        );
        // A 2D image (one slice) is checked along x and y only.
        let planar = Dimensionality::Two;
        assert_eq!(log_skip([9, 10, 1], [1.0, 1.0, 1.0], 5.0, planar), None);
        assert_eq!(
            log_skip([9, 3, 1], [1.0, 1.0, 1.0], 1.0, planar),
            Some(LogSkip::ImageTooSmall)
        );
    }
}

//! Grey levels that do not depend on the device. A filter run in another precision or order
//! (a GPU's) gives values within a known absolute error of the CPU reference's, and a voxel whose
//! value lies within that error of a bin edge could fall in the other bin: PyRadiomics' bins are
//! decided by float64's last bits there (Haar sub-bands of integer images and binCount's edges
//! even meet exactly). Such voxels, and those that could be the region's minimum or maximum (from
//! which the edges are computed), get their exact values from the CPU, until none is left in
//! doubt. The bins, and so every texture matrix, are then the CPU's.

use ndarray::{Array3, ArrayView3, Zip, s};

use crate::Result;
use crate::image::bbox::BoundingBox;
use crate::image::{Image, PixelType, Volume};
use crate::matrices::discretize::bin_edges;
use crate::params::TextureSettings;

/// A filtered image's values known to within `error` (absolute, every voxel) of the CPU's, with
/// `exact` giving the CPU's values of any box of the image (indices of the whole image).
pub struct Approximate<'a> {
    pub error: f64,
    pub exact: &'a dyn Fn(&BoundingBox) -> Result<Volume<f64>>,
}

/// A region whose grey levels must be exact: its box within the whole image and its mask cut to
/// that box.
pub struct Region<'a> {
    pub bounding_box: BoundingBox,
    pub mask: &'a Array3<bool>,
}

/// `image` (the filtered image cut to `joint`) with every voxel in doubt replaced by its exact
/// value, so that each of `regions` bins (at `settings`) exactly as on the CPU. A region whose
/// edges cannot be computed is left as it is: its discretisation reports the error.
pub fn settle(
    image: &Image,
    approximate: &Approximate,
    joint: &BoundingBox,
    regions: &[Region],
    settings: &TextureSettings,
) -> Result<Image> {
    let mut image = image.clone();
    let mut exact = Array3::from_elem(image.volume.voxels.dim(), false);
    loop {
        let mut doubtful = Vec::new();
        for region in regions {
            let offset = offset_in(joint, &region.bounding_box);
            let dim = region.mask.dim();
            let values = part(&image.volume.voxels, offset, dim);
            let known = part(&exact, offset, dim);
            let roi = (values, known, region.mask);
            let found = in_doubt(roi, approximate.error, settings, image.pixel_type);
            doubtful.extend(
                found
                    .into_iter()
                    .map(|v| [0, 1, 2].map(|a| v[a] + offset[a])),
            );
        }
        doubtful.sort_unstable();
        doubtful.dedup();
        if doubtful.is_empty() {
            return Ok(image);
        }
        for voxel in doubtful {
            image.volume.voxels[voxel] = exact_value(approximate, joint, voxel)?;
            exact[voxel] = true;
        }
    }
}

/// Where `inner` starts within `outer`, as `(z, y, x)` indices.
fn offset_in(outer: &BoundingBox, inner: &BoundingBox) -> [usize; 3] {
    let [x, y, z] = [0, 1, 2].map(|a| inner.lower[a] - outer.lower[a]);
    [z, y, x]
}

/// The `dim` voxels of `array` from `offset` (both `(z, y, x)`).
fn part<T>(array: &Array3<T>, offset: [usize; 3], dim: (usize, usize, usize)) -> ArrayView3<'_, T> {
    let ([z, y, x], (nz, ny, nx)) = (offset, dim);
    array.slice(s![z..z + nz, y..y + ny, x..x + nx])
}

/// The mask voxels (`(z, y, x)` within `values`) not yet `known` exactly whose value lies within
/// twice `error` of a bin edge, of the minimum or of the maximum: the edges come from the
/// minimum and maximum, each within `error` of the exact ones, and are exact once every voxel
/// that could hold them is (a voxel left out lies more than `error` above the minimum, so its
/// exact value does too).
fn in_doubt(
    (values, known, mask): (ArrayView3<f64>, ArrayView3<bool>, &Array3<bool>),
    error: f64,
    settings: &TextureSettings,
    pixel_type: PixelType,
) -> Vec<[usize; 3]> {
    let roi: Vec<f64> = Zip::from(&values)
        .and(mask)
        .fold(Vec::new(), |mut acc, &v, &m| {
            if m {
                acc.push(v);
            }
            acc
        });
    let Ok(mut edges) = bin_edges(&roi, settings, pixel_type) else {
        return Vec::new();
    };
    let (min, max) = roi
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    edges.extend([min, max]);
    edges.sort_by(f64::total_cmp);
    let margin = 2.0 * error;
    let near_edge = |v: f64| {
        let above = edges.partition_point(|&e| e < v);
        let close = |i: usize| edges.get(i).is_some_and(|&e| (v - e).abs() <= margin);
        close(above) || above.checked_sub(1).is_some_and(close)
    };
    let mut doubtful = Vec::new();
    Zip::indexed(&values)
        .and(&known)
        .and(mask)
        .for_each(|(z, y, x), &v, &k, &m| {
            if m && !k && near_edge(v) {
                doubtful.push([z, y, x]);
            }
        });
    doubtful
}

/// The exact value of `voxel` (`(z, y, x)` within `joint`).
fn exact_value(approximate: &Approximate, joint: &BoundingBox, voxel: [usize; 3]) -> Result<f64> {
    let [z, y, x] = voxel;
    let at = [joint.lower[0] + x, joint.lower[1] + y, joint.lower[2] + z];
    let single = BoundingBox {
        lower: at,
        upper: at,
    };
    Ok((approximate.exact)(&single)?.voxels[[0, 0, 0]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Geometry;
    use crate::matrices::discretize::{bin_levels, roi_bin_edges};
    use crate::test_random::random_u64s;

    const ERROR: f64 = 1e-3;

    /// Exact values: multiples of 1/8 in [-4, 4], so that binCount 16's and binWidth 0.25's
    /// edges meet many of them exactly.
    fn exact_image(dim: (usize, usize, usize), seed: u64) -> Array3<f64> {
        let mut next = random_u64s(seed);
        Array3::from_shape_fn(dim, |_| ((next() >> 33) % 65) as f64 / 8.0 - 4.0)
    }

    /// `exact` moved by up to `ERROR` either way (by exactly `ERROR` on every third voxel).
    fn perturbed(exact: &Array3<f64>, seed: u64) -> Image {
        let mut next = random_u64s(seed);
        let voxels = exact.map(|&v| {
            let r = next() >> 11;
            let step = if r.is_multiple_of(3) {
                1.0
            } else {
                (r % 1000) as f64 / 1000.0
            };
            v + if r.is_multiple_of(2) { step } else { -step } * ERROR
        });
        Image {
            volume: Volume {
                voxels,
                geometry: Geometry::identity(),
            },
            pixel_type: PixelType::F64,
        }
    }

    fn mask(dim: (usize, usize, usize), seed: u64) -> Array3<bool> {
        let mut next = random_u64s(seed);
        Array3::from_shape_fn(dim, |_| !(next() >> 40).is_multiple_of(4))
    }

    fn bins(image: &Array3<f64>, mask: &Array3<bool>, settings: &TextureSettings) -> Array3<u32> {
        let edges = roi_bin_edges(image, mask, settings, PixelType::F64).unwrap();
        bin_levels(image, mask, &edges).levels
    }

    /// Two overlapping regions of a joint box, their boxes within the whole image and masks.
    fn two_regions() -> (BoundingBox, Vec<(BoundingBox, Array3<bool>)>) {
        let joint = BoundingBox {
            lower: [10, 20, 30],
            upper: [21, 29, 36],
        };
        let inner = BoundingBox {
            lower: [13, 22, 31],
            upper: [18, 29, 34],
        };
        let regions = [joint, inner].into_iter().enumerate().map(|(i, b)| {
            let [nx, ny, nz] = [0, 1, 2].map(|a| b.upper[a] - b.lower[a] + 1);
            (b, mask((nz, ny, nx), 3 + i as u64))
        });
        (joint, regions.collect())
    }

    /// How many of `region`'s voxels `image` bins otherwise than `exact` does (both cut to
    /// `joint`).
    fn bins_moved(
        image: &Array3<f64>,
        exact: &Array3<f64>,
        (joint, region): (&BoundingBox, &Region),
        settings: &TextureSettings,
    ) -> usize {
        let offset = offset_in(joint, &region.bounding_box);
        let cut = |a: &Array3<f64>| part(a, offset, region.mask.dim()).to_owned();
        let wanted = bins(&cut(exact), region.mask, settings);
        let got = bins(&cut(image), region.mask, settings);
        Zip::from(&got)
            .and(&wanted)
            .fold(0, |n, a, b| n + usize::from(a != b))
    }

    /// With binCount and with binWidth, the settled image bins in each region exactly as the
    /// exact one, where the perturbed one does not; only voxels in doubt are asked for, each
    /// once, one at a time.
    #[test]
    fn settled_bins_are_the_exact_ones() {
        let exact = exact_image((7, 10, 12), 1);
        let approximate = perturbed(&exact, 2);
        let (joint, regions) = two_regions();
        let regions: Vec<Region> = (regions.iter())
            .map(|(bounding_box, mask)| Region {
                bounding_box: *bounding_box,
                mask,
            })
            .collect();
        let asked = std::cell::RefCell::new(Vec::new());
        let exact_of = |b: &BoundingBox| -> Result<Volume<f64>> {
            assert_eq!(b.lower, b.upper);
            asked.borrow_mut().push(b.lower);
            let [x, y, z] = [0, 1, 2].map(|a| b.lower[a] - joint.lower[a]);
            let voxels = Array3::from_elem((1, 1, 1), exact[[z, y, x]]);
            let geometry = Geometry::identity();
            Ok(Volume { voxels, geometry })
        };
        let values = Approximate {
            error: ERROR,
            exact: &exact_of,
        };
        let by_count = TextureSettings {
            bin_count: Some(16),
            ..TextureSettings::default()
        };
        let by_width = TextureSettings {
            bin_width: 0.25,
            bin_width_is_int: false,
            ..TextureSettings::default()
        };
        for settings in [by_count, by_width] {
            asked.borrow_mut().clear();
            let settled = settle(&approximate, &values, &joint, &regions, &settings).unwrap();
            let mut asked = asked.borrow().clone();
            let count = asked.len();
            asked.sort_unstable();
            asked.dedup();
            assert_eq!(asked.len(), count, "a voxel asked for twice");
            assert!(0 < count && count < exact.len() / 2, "{count}");
            let moved = |image: &Image, region| {
                bins_moved(&image.volume.voxels, &exact, (&joint, region), &settings)
            };
            let before: usize = regions.iter().map(|r| moved(&approximate, r)).sum();
            assert!(before > 0, "the perturbation moves no voxel's bin");
            assert!(regions.iter().all(|r| moved(&settled, r) == 0));
        }
    }
}

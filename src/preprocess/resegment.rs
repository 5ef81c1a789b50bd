//! PyRadiomics' `resegmentMask`: keep only ROI voxels whose intensity lies in `resegmentRange`.

use super::diagnostics::roi_values;
use crate::image::{Image, PixelType, Volume};
use crate::numpy_sum;
use crate::params::ResegmentMode;
use crate::{Error, Result};

/// The resegmented ROI: voxels of `mask` with `T_lower <= x` (one threshold) or
/// `T_lower <= x <= T_upper` (two). Thresholds are the sorted `range` values, absolute or (sigma
/// mode) `μ + t·σ` with μ, σ the mean and population standard deviation of the ROI intensities,
/// summed as numpy sums them (an integer image's mean through numpy's cast buffer). For `F32`
/// images statistics, thresholds and comparisons are single precision, as numpy makes them.
///
/// Errors as PyRadiomics: a range of length 0 or > 2, or one voxel or fewer left.
pub fn resegment_mask(
    image: &Image,
    mask: &Volume<bool>,
    range: &[f64],
    mode: ResegmentMode,
    label: i64,
) -> Result<Volume<bool>> {
    if range.is_empty() || range.len() > 2 {
        return Err(Error::setting(
            "resegmentRange",
            format!("Length {} is not allowed for resegmentRange", range.len()),
        ));
    }
    let mut sorted = range.to_vec();
    sorted.sort_by(f64::total_cmp);
    let thresholds: Vec<f64> = match mode {
        ResegmentMode::Absolute => sorted,
        ResegmentMode::Relative => {
            // numpy's `max`: NaN when any ROI intensity is NaN (no voxel is then retained).
            let max = numpy_sum::max(roi_values(&image.volume, mask));
            sorted.iter().map(|t| max * t).collect()
        }
        ResegmentMode::Sigma => {
            let values = roi_values(&image.volume, mask);
            if image.pixel_type == PixelType::F32 {
                // numpy keeps float32 statistics and thresholds for a float32 image.
                let values: Vec<f32> = values.iter().map(|&v| v as f32).collect();
                let (mean, sd) = numpy_sum::mean_std_f32(&values);
                sorted
                    .iter()
                    .map(|&t| f64::from(mean + sd * t as f32))
                    .collect()
            } else {
                let mean = if image.pixel_type.is_integer() {
                    numpy_sum::mean_of_integers(&values)
                } else {
                    numpy_sum::mean(&values)
                };
                let sd = numpy_sum::std(&values, mean);
                sorted.iter().map(|t| mean + sd * t).collect()
            }
        }
    };
    let thresholds: Vec<f64> = if image.pixel_type == PixelType::F32 {
        thresholds.iter().map(|&t| t as f32 as f64).collect()
    } else {
        thresholds
    };
    let lower = thresholds[0];
    let upper = thresholds.get(1).copied().unwrap_or(f64::INFINITY);
    let mut voxels = mask.voxels.clone();
    ndarray::Zip::from(&mut voxels)
        .and(&image.volume.voxels)
        .for_each(|m, &v| *m = *m && v >= lower && v <= upper);
    let retained = voxels.iter().filter(|&&m| m).count();
    if retained <= 1 {
        return Err(Error::mask(format!(
            "Resegmentation excluded too many voxels with label {label} (retained {retained} voxel(s))! \
             Cannot extract features"
        )));
    }
    Ok(Volume {
        voxels,
        geometry: mask.geometry.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Geometry;
    use ndarray::Array3;

    fn case() -> (Image, Volume<bool>) {
        let voxels =
            Array3::from_shape_fn((1, 1, 6), |(_, _, x)| [0.0, 1.0, 2.0, 3.0, 4.0, 100.0][x]);
        let geometry = Geometry::identity();
        let mut m = Array3::from_elem((1, 1, 6), true);
        m[[0, 0, 0]] = false;
        (
            Image {
                volume: Volume {
                    voxels,
                    geometry: geometry.clone(),
                },
                pixel_type: PixelType::I16,
            },
            Volume {
                voxels: m,
                geometry,
            },
        )
    }

    #[test]
    fn absolute_range_is_closed() {
        let (image, mask) = case();
        let r = resegment_mask(&image, &mask, &[3.0, 1.0], ResegmentMode::Absolute, 1).expect("ok");
        let kept: Vec<bool> = r.voxels.iter().copied().collect();
        assert_eq!(kept, [false, true, true, true, false, false]);
        let r = resegment_mask(&image, &mask, &[4.0], ResegmentMode::Absolute, 1).expect("ok");
        assert_eq!(r.voxels.iter().filter(|&&m| m).count(), 2);
    }

    #[test]
    fn sigma_mode_uses_population_std() {
        let (image, mask) = case();
        // ROI 1, 2, 3, 4, 100: mean 22, population sd sqrt(1522) ≈ 39.01.
        let r = resegment_mask(&image, &mask, &[-1.0, 1.0], ResegmentMode::Sigma, 1).expect("ok");
        let kept: Vec<bool> = r.voxels.iter().copied().collect();
        assert_eq!(kept, [false, true, true, true, true, false]);
        assert!(resegment_mask(&image, &mask, &[], ResegmentMode::Sigma, 1).is_err());
        assert!(resegment_mask(&image, &mask, &[50.0], ResegmentMode::Absolute, 1).is_err());
    }
}

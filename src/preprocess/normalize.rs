//! PyRadiomics' `normalizeImage`: SimpleITK's `Normalize`, optional outlier clipping, scaling.

use crate::image::{Image, PixelType, Volume};

/// Running sum with Kahan compensation, as ITK's `CompensatedSummation`.
#[derive(Clone, Copy, Default)]
struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    fn add(&mut self, value: f64) {
        let y = value - self.compensation;
        let t = self.sum + y;
        self.compensation = (t - self.sum) - y;
        self.sum = t;
    }
}

/// Mean and sample standard deviation (`n − 1`) of all voxels, as ITK's `StatisticsImageFilter`:
/// `σ² = (Σx² − (Σx)²/n) / (n − 1)`.
pub fn mean_and_sigma(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let mut sum = CompensatedSum::default();
    let mut squares = CompensatedSum::default();
    let mut count = 0usize;
    for v in values {
        sum.add(v);
        squares.add(v * v);
        count += 1;
    }
    let n = count as f64;
    let mean = sum.sum / n;
    let variance = (squares.sum - (sum.sum * sum.sum / n)) / (n - 1.0);
    (mean, variance.sqrt())
}

/// Normalise the whole image: `f(x) = s · clip((x − μ) / σ, ±n)` with μ and σ the mean and sample
/// standard deviation of every voxel (ITK's `NormalizeImageFilter`, computed as
/// `(x + (−μ)) · (1/σ)`), clipping at `±n` only when `remove_outliers = Some(n)`, and
/// `s = normalize_scale`. The result is a `F64` image (SimpleITK's real type for every input type).
pub fn normalize_image(image: &Image, normalize_scale: f64, remove_outliers: Option<f64>) -> Image {
    let (mean, sigma) = mean_and_sigma(image.volume.voxels.iter().copied());
    let shift = -mean;
    let scale = 1.0 / sigma;
    let voxels = image.volume.voxels.mapv(|v| {
        let mut x = (v + shift) * scale;
        if let Some(limit) = remove_outliers {
            if x > limit {
                x = limit;
            }
            if x < -limit {
                x = -limit;
            }
        }
        x * normalize_scale
    });
    Image {
        volume: Volume {
            voxels,
            geometry: image.volume.geometry.clone(),
        },
        pixel_type: PixelType::F64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Geometry;
    use ndarray::Array3;

    #[test]
    fn normalized_values_have_zero_mean_unit_sample_sigma() {
        let voxels = Array3::from_shape_fn((2, 2, 2), |(z, y, x)| (x + 2 * y + 4 * z) as f64);
        let image = Image {
            volume: Volume {
                voxels,
                geometry: Geometry::identity(),
            },
            pixel_type: PixelType::I16,
        };
        let out = normalize_image(&image, 100.0, None);
        // 0..7: mean 3.5, sample sigma sqrt(6).
        let expected = (7.0 - 3.5) / 6f64.sqrt() * 100.0;
        assert!((out.volume.voxels[[1, 1, 1]] - expected).abs() < 1e-12);
        let clipped = normalize_image(&image, 1.0, Some(1.0));
        assert_eq!(clipped.volume.voxels[[1, 1, 1]], 1.0);
        assert_eq!(clipped.volume.voxels[[0, 0, 0]], -1.0);
        assert_eq!(out.pixel_type, PixelType::F64);
    }
}

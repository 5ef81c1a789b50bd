//! Resampling onto another grid, exactly as SimpleITK's `ResampleImageFilter` does it with an
//! identity transform (ITK 5.4).
//!
//! ITK walks each output scan line (fixed `y`, `z`): it maps the line's first index `(0, y, z)`
//! and the one-past-the-end index `(size_x, y, z)` to continuous input indices and interpolates
//! linearly between them (`start + (x / size_x) * (end - start)`). A point is evaluated only when
//! its continuous index lies in `[-0.5, n - 0.5)` on every axis; elsewhere the output gets the
//! default value 0. Interpolated values are cast back to the output pixel type: clamped to its
//! range, then truncated toward zero for integer types.

use ndarray::Array3;
use rayon::prelude::*;

use super::bspline::BSplineCoefficients;
use super::{Dimensionality, Geometry, Image, PixelType, Volume};
use crate::params::Interpolator;
use crate::svd::itk_inverse;
use crate::{Error, Result};

/// An output grid: size in ITK order `(nx, ny, nz)` and its geometry.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub size: [usize; 3],
    pub geometry: Geometry,
}

impl Grid {
    /// The grid a volume lies on.
    pub fn of<T>(volume: &Volume<T>) -> Self {
        Grid {
            size: volume.size(),
            geometry: volume.geometry.clone(),
        }
    }
}

/// ITK's `direction * diag(spacing)` matrix of a geometry.
fn index_to_physical_matrix(geometry: &Geometry) -> [[f64; 3]; 3] {
    let mut m = [[0.0; 3]; 3];
    for (r, row) in m.iter_mut().enumerate() {
        for (c, v) in row.iter_mut().enumerate() {
            *v = geometry.direction[r][c] * geometry.spacing[c];
        }
    }
    m
}

/// The physical-point-to-continuous-index map of a geometry (ITK's `m_PhysicalPointToIndex`).
#[derive(Clone, Debug)]
pub struct IndexMap {
    origin: [f64; 3],
    to_index: [[f64; 3]; 3],
}

impl IndexMap {
    /// The map of `geometry`; an error if its direction/spacing matrix is singular.
    pub fn new(geometry: &Geometry) -> Result<Self> {
        let to_index = itk_inverse(index_to_physical_matrix(geometry)).ok_or_else(|| {
            Error::mask(format!(
                "singular image geometry (spacing {:?}, direction {:?})",
                geometry.spacing, geometry.direction
            ))
        })?;
        Ok(IndexMap {
            origin: geometry.origin,
            to_index,
        })
    }

    /// ITK's `TransformPhysicalPointToContinuousIndex`.
    pub fn continuous_index(&self, point: [f64; 3]) -> [f64; 3] {
        let v = [0, 1, 2].map(|k| point[k] - self.origin[k]);
        [0, 1, 2].map(|r| {
            let mut sum = 0.0;
            for (c, vc) in v.iter().enumerate() {
                sum += self.to_index[r][c] * vc;
            }
            sum
        })
    }
}

/// ITK's `TransformContinuousIndexToPhysicalPoint`: `(M · index) + origin`, summed in that order
/// (unlike [`Geometry::index_to_physical`], which starts from the origin as ITK's
/// `TransformIndexToPhysicalPoint` does).
pub fn continuous_index_to_physical(geometry: &Geometry, index: [f64; 3]) -> [f64; 3] {
    let m = index_to_physical_matrix(geometry);
    [0, 1, 2].map(|r| {
        let mut sum = 0.0;
        for (c, ic) in index.iter().enumerate() {
            sum += m[r][c] * ic;
        }
        sum + geometry.origin[r]
    })
}

/// Cast an interpolated value to `pixel_type` as ITK's resampler does: clamp to the type's range,
/// then truncate toward zero (integers) or round to single precision (`F32`).
pub fn cast_to_pixel_type(value: f64, pixel_type: PixelType) -> f64 {
    let (min, max) = match (pixel_type.integer_range(), pixel_type) {
        (Some((min, max)), _) => (min as f64, max as f64),
        (None, PixelType::F32) => (-f32::MAX as f64, f32::MAX as f64),
        (None, _) => (-f64::MAX, f64::MAX),
    };
    if value <= min {
        min
    } else if value >= max {
        max
    } else if pixel_type == PixelType::F32 {
        value as f32 as f64
    } else if pixel_type.is_integer() {
        // `+ 0.0` turns the -0.0 of a truncated small negative value into the integer 0.
        value.trunc() + 0.0
    } else {
        value
    }
}

/// `itk::Math::RoundHalfIntegerUp` as compiled for x86-64: `rint(2x + 0.5) >> 1`.
fn round_half_up(x: f64) -> i64 {
    ((2.0 * x + 0.5).round_ties_even() as i64) >> 1
}

/// `itk::Math::Floor` as compiled for x86-64: `rint(2x - 0.5) >> 1`.
fn itk_floor(x: f64) -> i64 {
    ((2.0 * x - 0.5).round_ties_even() as i64) >> 1
}

/// Index of voxel `(x, y, z)` in a `(z, y, x)` standard-layout buffer of size `n = (nx, ny, nz)`.
#[inline]
fn offset(n: [usize; 3], x: usize, y: usize, z: usize) -> usize {
    (z * n[1] + y) * n[0] + x
}

/// Nearest-neighbour value at continuous index `ci` (inside the buffer).
fn nearest<T: Copy>(data: &[T], n: [usize; 3], ci: [f64; 3]) -> T {
    let i = [0, 1, 2].map(|a| round_half_up(ci[a]).clamp(0, n[a] as i64 - 1) as usize);
    data[offset(n, i[0], i[1], i[2])]
}

/// ITK's `LinearInterpolateImageFunction` (3-D optimised path) at `ci` (inside the buffer):
/// linear interpolation along x, then y, then z, as `a + (b - a) * d`, skipping an axis whose
/// distance is `<= 0` or whose upper neighbour lies outside the image.
fn linear(data: &[f64], n: [usize; 3], ci: [f64; 3]) -> f64 {
    let mut base = [0usize; 3];
    let mut dist = [0.0; 3];
    let mut active = [false; 3];
    for a in 0..3 {
        let b = itk_floor(ci[a]).max(0).min(n[a] as i64 - 1);
        base[a] = b as usize;
        dist[a] = ci[a] - b as f64;
        active[a] = dist[a] > 0.0 && base[a] + 1 < n[a];
    }
    // Corner values, corner bit `a` set = upper neighbour along axis `a`.
    let mut corners = [0.0; 8];
    for (bits, c) in corners.iter_mut().enumerate() {
        let i = [0, 1, 2].map(|a| base[a] + usize::from(active[a] && bits & (1 << a) != 0));
        *c = data[offset(n, i[0], i[1], i[2])];
    }
    for a in 0..3 {
        // Combine corner pairs along axis `a` (bit `a` clear with bit `a` set).
        let stride = 1 << a;
        if active[a] {
            for bits in (0..8).filter(|b| b & stride == 0) {
                let lo = corners[bits];
                let hi = corners[bits | stride];
                corners[bits] = lo + (hi - lo) * dist[a];
            }
        }
    }
    corners[0]
}

/// Evaluate `eval` at every point of `grid` mapped into the index space of `source`/`source_size`,
/// with ITK's scan-line index interpolation and inside-buffer test; `default` outside.
fn resample_points<T, F>(
    source: &Geometry,
    source_size: [usize; 3],
    grid: &Grid,
    default: T,
    eval: F,
) -> Result<Array3<T>>
where
    T: Copy + Send + Sync,
    F: Fn([f64; 3]) -> T + Sync,
{
    let map = IndexMap::new(source)?;
    let [nx, ny, nz] = grid.size;
    let end = source_size.map(|s| s as f64 - 1.0 + 0.5);
    let line_index = |x: f64, y: usize, z: usize| {
        map.continuous_index(grid.geometry.index_to_physical([x, y as f64, z as f64]))
    };
    let mut out = vec![default; nx * ny * nz];
    if nx > 0 {
        out.par_chunks_mut(nx * ny)
            .enumerate()
            .for_each(|(z, slice)| {
                for (y, row) in slice.chunks_mut(nx).enumerate() {
                    let start = line_index(0.0, y, z);
                    let stop = line_index(nx as f64, y, z);
                    let delta = [0, 1, 2].map(|a| stop[a] - start[a]);
                    for (x, v) in row.iter_mut().enumerate() {
                        let alpha = x as f64 / nx as f64;
                        let ci = [0, 1, 2].map(|a| start[a] + alpha * delta[a]);
                        if (0..3).all(|a| ci[a] >= -0.5 && ci[a] < end[a]) {
                            *v = eval(ci);
                        }
                    }
                }
            });
    }
    Array3::from_shape_vec((nz, ny, nx), out)
        .map_err(|e| Error::Unsupported(format!("resampling: {e}")))
}

/// Resample `image` onto `grid` with `interpolator` (SimpleITK's `ResampleImageFilter` with an
/// identity transform, default value 0, output pixel type = input pixel type).
///
/// Supported: `sitkNearestNeighbor`, `sitkLinear`, `sitkBSpline` (cubic; interpolating in the
/// plane when `dimensionality` is 2D).
pub fn resample_image(
    image: &Image,
    grid: &Grid,
    interpolator: Interpolator,
    dimensionality: Dimensionality,
) -> Result<Image> {
    let volume = &image.volume;
    let n = volume.size();
    let pt = image.pixel_type;
    let standard = volume.voxels.as_standard_layout();
    let data = standard
        .as_slice()
        .ok_or_else(|| Error::Unsupported("resampling: non-contiguous image".into()))?;
    let voxels = match interpolator {
        Interpolator::NearestNeighbor => {
            resample_points(&volume.geometry, n, grid, 0.0, |ci| nearest(data, n, ci))?
        }
        Interpolator::Linear => resample_points(&volume.geometry, n, grid, 0.0, |ci| {
            cast_to_pixel_type(linear(data, n, ci), pt)
        })?,
        Interpolator::BSpline => {
            let coefficients = BSplineCoefficients::for_grid(volume, grid, dimensionality)?;
            resample_points(&volume.geometry, n, grid, 0.0, |ci| {
                cast_to_pixel_type(coefficients.evaluate(ci), pt)
            })?
        }
        other => {
            return Err(Error::Unsupported(format!(
                "interpolator {other:?} is not supported (use sitkNearestNeighbor, sitkLinear or sitkBSpline)"
            )));
        }
    };
    Ok(Image {
        volume: Volume {
            voxels,
            geometry: grid.geometry.clone(),
        },
        pixel_type: pt,
    })
}

/// Resample a region mask onto `grid` with nearest-neighbour interpolation; points outside the
/// mask's buffer get `outside` (ITK's default value 0 compared with the label, i.e. `label == 0`).
pub fn resample_mask(mask: &Volume<bool>, grid: &Grid, outside: bool) -> Result<Volume<bool>> {
    let n = mask.size();
    let standard = mask.voxels.as_standard_layout();
    let data = standard
        .as_slice()
        .ok_or_else(|| Error::Unsupported("resampling: non-contiguous mask".into()))?;
    let voxels = resample_points(&mask.geometry, n, grid, outside, |ci| nearest(data, n, ci))?;
    Ok(Volume {
        voxels,
        geometry: grid.geometry.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn itk_rounding() {
        assert_eq!(round_half_up(0.5), 1);
        assert_eq!(round_half_up(-0.5), 0);
        assert_eq!(round_half_up(1.4999999999999998), 1);
        assert_eq!(round_half_up(-1.5), -1);
        assert_eq!(itk_floor(-0.25), -1);
        assert_eq!(itk_floor(2.0), 2);
        assert_eq!(itk_floor(2.9999999999999996), 2);
    }

    #[test]
    fn cast_truncates_and_clamps() {
        assert_eq!(cast_to_pixel_type(2.99, PixelType::I16), 2.0);
        assert_eq!(cast_to_pixel_type(-2.99, PixelType::I16), -2.0);
        assert_eq!(cast_to_pixel_type(-0.3, PixelType::I16).to_bits(), 0);
        assert_eq!(cast_to_pixel_type(70000.0, PixelType::I16), 32767.0);
        assert_eq!(cast_to_pixel_type(-1.0, PixelType::U8), 0.0);
        assert_eq!(cast_to_pixel_type(0.1, PixelType::F32), 0.1f32 as f64);
    }

    #[test]
    fn inverse_of_scaled_flip_is_exact() {
        let g = Geometry {
            spacing: [0.7812499999999999, 0.7, 6.499999999999998],
            origin: [0.0; 3],
            direction: [[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 1.0]],
        };
        let inv = itk_inverse(index_to_physical_matrix(&g)).expect("regular");
        assert_eq!(inv[0][0], 1.0 / 0.7812499999999999);
        assert_eq!(inv[1][1], 1.0 / -0.7);
        assert_eq!(inv[2][2], 1.0 / 6.499999999999998);
        assert_eq!(inv[0][1], 0.0);
    }

    #[test]
    fn linear_matches_hand_computation() {
        // 2x2x2 cube with values x + 2y + 4z.
        let data: Vec<f64> = (0..8).map(|i| i as f64).collect();
        let v = linear(&data, [2, 2, 2], [0.25, 0.5, 0.75]);
        assert!((v - (0.25 + 1.0 + 3.0)).abs() < 1e-15);
        // Upper neighbour outside: value of the base voxel along that axis.
        assert_eq!(linear(&data, [2, 2, 2], [1.25, 0.0, 0.0]), 1.0);
    }
}

//! PyRadiomics' `lbp-2D` image type (`getLBP2DImage`): scikit-image's `local_binary_pattern`
//! applied slice by slice.
//!
//! PyRadiomics swaps numpy axes 0 and `force2Ddimension` of the `(z, y, x)` array and cuts it along
//! the new first axis, so slices are `(y, x)` (0), `(z, x)` (1) or `(y, z)` (2) with rows first; it
//! computes the LBP of each slice
//! and writes it back into the array of the image's own pixel type, so integer images truncate the
//! (float64) LBP values and float32 images round them.
//!
//! scikit-image (0.26): `P` samples on a circle of radius `R` around each pixel, sample `p` at
//! row offset `round(−R·sin(2πp/P), 5)` and column offset `round(R·cos(2πp/P), 5)`, read by bilinear
//! interpolation with 0 outside the slice; a sample counts as 1 when `sample − centre ≥ 0` (0.26 has
//! no tolerance here, so ties decided by interpolation rounding count as scikit-image counts them).
//! - `default`: `Σ bit_p · 2^p`; `ror`: the smallest of its `P` cyclic right rotations;
//! - `uniform`: with `U` the number of bit changes between consecutive samples `p, p+1` (the pair
//!   `P−1, 0` is not counted), the number of ones when `U ≤ 2`, else `P + 1`;
//! - `nri_uniform`: 0 for no ones, `P(P−1)+1` for all ones, `1 + (ones−1)·P + rotation` for the other
//!   uniform patterns (`U ≤ 2`), `P(P−1)+2` otherwise;
//! - `var`: the population variance of the `P` samples, NaN when it is 0.

use ndarray::{Array2, ArrayView2, Axis};

use crate::image::{Dimensionality, PixelType, Volume};
use crate::{Error, Result};

/// scikit-image's LBP methods (`lbp2DMethod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LbpMethod {
    Default,
    Ror,
    Uniform,
    NriUniform,
    Var,
}

impl LbpMethod {
    /// The method named as scikit-image accepts it (case-insensitive).
    pub fn from_name(name: &str) -> Result<Self> {
        Ok(match name.to_lowercase().as_str() {
            "default" => LbpMethod::Default,
            "ror" => LbpMethod::Ror,
            "uniform" => LbpMethod::Uniform,
            "nri_uniform" => LbpMethod::NriUniform,
            "var" => LbpMethod::Var,
            _ => {
                return Err(Error::setting(
                    "lbp2DMethod",
                    format!("unknown method '{name}' (default, ror, uniform, nri_uniform or var)"),
                ));
            }
        })
    }
}

/// Sample offsets `(row, column)` on the circle, as scikit-image rounds them.
fn circle_offsets(samples: usize, radius: f64) -> Vec<(f64, f64)> {
    let round5 = |v: f64| (v * 1e5).round_ties_even() / 1e5;
    (0..samples)
        .map(|p| {
            let angle = 2.0 * std::f64::consts::PI * p as f64 / samples as f64;
            (round5(-radius * angle.sin()), round5(radius * angle.cos()))
        })
        .collect()
}

/// Where a piece of a slice lies in the whole slice: its first row and column, and the whole
/// slice's numbers of rows and columns.
#[derive(Clone, Copy)]
struct SlicePlacement {
    first: (usize, usize),
    whole: (usize, usize),
}

/// Bilinear interpolation at `(r, c)` (whole-slice coordinates) with 0 outside the whole slice
/// (scikit-image's mode 'C'), reading `piece`; pixels of the slice that `piece` lacks read as 0
/// too (only pixels whose samples stay within `piece` get the whole slice's value).
fn bilinear(piece: &ArrayView2<f64>, at: SlicePlacement, r: f64, c: f64) -> f64 {
    let (rows, cols) = at.whole;
    let pixel = |i: f64, j: f64| {
        if i < 0.0 || j < 0.0 || i >= rows as f64 || j >= cols as f64 {
            0.0
        } else {
            let (i, j) = (i as usize, j as usize);
            let index = (i.checked_sub(at.first.0), j.checked_sub(at.first.1));
            match index {
                (Some(i), Some(j)) => piece.get((i, j)).copied().unwrap_or(0.0),
                _ => 0.0,
            }
        }
    };
    let (r0, c0, r1, c1) = (r.floor(), c.floor(), r.ceil(), c.ceil());
    let (dr, dc) = (r - r0, c - c0);
    let top = (1.0 - dc) * pixel(r0, c0) + dc * pixel(r0, c1);
    let bottom = (1.0 - dc) * pixel(r1, c0) + dc * pixel(r1, c1);
    (1.0 - dr) * top + dr * bottom
}

/// The LBP code of one pixel from its samples and their bits.
fn code(method: LbpMethod, texture: &[f64], bits: &[bool]) -> f64 {
    let p = bits.len();
    let ones = bits.iter().filter(|&&b| b).count();
    let changes = bits.windows(2).filter(|w| w[0] != w[1]).count();
    match method {
        LbpMethod::Default | LbpMethod::Ror => {
            let value: u64 = bits
                .iter()
                .enumerate()
                .map(|(i, &b)| u64::from(b) << i)
                .sum();
            if method == LbpMethod::Default || p == 0 {
                return value as f64;
            }
            let rotate = |v: u64| (v >> 1) | ((v & 1) << (p - 1));
            let mut best = value;
            let mut v = value;
            for _ in 1..p {
                v = rotate(v);
                best = best.min(v);
            }
            best as f64
        }
        LbpMethod::Uniform => {
            if changes <= 2 {
                ones as f64
            } else {
                (p + 1) as f64
            }
        }
        LbpMethod::NriUniform => {
            if changes > 2 {
                (p * (p - 1) + 2) as f64
            } else if ones == 0 {
                0.0
            } else if ones == p {
                (p * (p - 1) + 1) as f64
            } else {
                let first_one = bits.iter().position(|&b| b).unwrap_or(0);
                let first_zero = bits.iter().position(|&b| !b).unwrap_or(0);
                let rotation = if first_one == 0 {
                    ones - first_zero
                } else {
                    p - first_one
                };
                (1 + (ones - 1) * p + rotation) as f64
            }
        }
        LbpMethod::Var => {
            let (sum, squares) = texture
                .iter()
                .fold((0.0, 0.0), |(s, q), &t| (s + t, q + t * t));
            let var = (squares - (sum * sum) / p as f64) / p as f64;
            if var != 0.0 { var } else { f64::NAN }
        }
    }
}

/// scikit-image's `local_binary_pattern(slice, P=samples, R=radius, method)` of one 2D slice, at
/// the pixels of `piece`, placed in the slice by `at`. Sample positions are computed from
/// whole-slice coordinates, as scikit-image computes them (their rounding depends on them).
fn lbp_slice(
    piece: ArrayView2<f64>,
    at: SlicePlacement,
    offsets: &[(f64, f64)],
    method: LbpMethod,
) -> Array2<f64> {
    let mut texture = vec![0.0; offsets.len()];
    let mut bits = vec![false; offsets.len()];
    Array2::from_shape_fn(piece.dim(), |(r, c)| {
        let centre = piece[[r, c]];
        let (r, c) = ((r + at.first.0) as f64, (c + at.first.1) as f64);
        for (k, &(dr, dc)) in offsets.iter().enumerate() {
            texture[k] = bilinear(&piece, at, r + dr, c + dc);
            bits[k] = texture[k] - centre >= 0.0;
        }
        code(method, &texture, &bits)
    })
}

/// How numpy converts one pixel of the float64 LBP as PyRadiomics writes it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Conversion {
    /// In a block of 4 of numpy's contiguous (vectorised) loop.
    Vector,
    /// One by one: the last `len mod 4` of a contiguous loop, or every pixel of a strided one.
    Scalar,
}

/// The inner loop numpy 2 runs for `im_arr[idx, ...] = lbp` (PyRadiomics' write-back of one
/// slice): it drops length-1 axes, orders the others by the destination's strides (largest
/// outside), merges two that are contiguous in both arrays, and converts a loop that is
/// contiguous in both (uint32 destination, float64 source) 4 elements at a time, its last
/// `len mod 4` one by one; a strided loop converts every element one by one.
#[derive(Clone, Copy, Debug)]
struct AssignmentLoop {
    /// Whether the inner loop is contiguous in both arrays.
    contiguous: bool,
    /// Whether the inner loop runs over the whole slice (else over each row).
    whole_slice: bool,
    /// The slice's rows and columns (whole-slice size).
    rows: usize,
    cols: usize,
}

impl AssignmentLoop {
    /// The loop for a slice across numpy axis `axis` of an image of `whole_size` `(x, y, z)`.
    fn new(axis: usize, whole_size: [usize; 3]) -> Self {
        let [nx, ny, nz] = whole_size;
        // (rows, cols) and the destination's strides in elements; the source (the slice's own
        // LBP array) has strides (cols, 1).
        let (rows, cols, row_stride, col_stride) = match axis {
            0 => (ny, nx, nx, 1),
            1 => (nz, nx, ny * nx, 1),
            _ => (ny, nz, nx, ny * nx),
        };
        let mut dims: Vec<(usize, usize, usize)> =
            [(rows, row_stride, cols), (cols, col_stride, 1)]
                .into_iter()
                .filter(|&(len, _, _)| len > 1)
                .collect();
        dims.sort_by_key(|&(_, dst, _)| std::cmp::Reverse(dst));
        if let [(outer, outer_dst, outer_src), (len, dst, src)] = dims[..]
            && outer_dst == len * dst
            && outer_src == len * src
        {
            dims = vec![(outer * len, dst, src)];
        }
        AssignmentLoop {
            contiguous: dims
                .last()
                .is_some_and(|&(_, dst, src)| dst == 1 && src == 1),
            whole_slice: dims.len() <= 1,
            rows,
            cols,
        }
    }

    /// How pixel `(r, c)` of the slice (whole-slice coordinates) is converted.
    fn conversion(&self, r: usize, c: usize) -> Conversion {
        let (position, len) = if self.whole_slice {
            (r * self.cols + c, self.rows * self.cols)
        } else {
            (c, self.cols)
        };
        if self.contiguous && position < len / 4 * 4 {
            Conversion::Vector
        } else {
            Conversion::Scalar
        }
    }
}

/// `value` stored into a numpy array of `pixel_type` and read back, as numpy 2 casts float64 on
/// x86-64 (PyRadiomics writes the LBP result back into the image's own array): float32 rounds;
/// integers truncate toward zero, and what does not fit goes as the conversion instructions
/// send it (measured with numpy 2.4):
/// - 8- and 16-bit types: through int32 (NaN and values outside int32 give `i32::MIN`), then
///   wrapped to the type's width (so they become 0);
/// - int32 and int64: NaN and values outside the type give its minimum;
/// - uint32, [`Conversion::Vector`]: values in `(-2^31 - 1, 2^32)` wrap; larger ones give 0,
///   smaller ones and NaN `2^31`; [`Conversion::Scalar`]: through int64 (values in
///   `(-2^63 - 1, 2^63)`), wrapped to 32 bits; NaN and the rest give 0;
/// - uint64: values in `(-2^63 - 1, 2^64)` wrap; larger ones give 0, smaller ones and NaN `2^63`.
fn store_as(value: f64, pixel_type: PixelType, conversion: Conversion) -> f64 {
    const TWO_31: f64 = 2_147_483_648.0;
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    let t = value.trunc();
    let int32 = || {
        if (-TWO_31..TWO_31).contains(&t) {
            t as i32
        } else {
            i32::MIN
        }
    };
    let int64 = || {
        if (-TWO_63..TWO_63).contains(&t) {
            t as i64
        } else {
            i64::MIN
        }
    };
    match pixel_type {
        PixelType::F64 => value,
        PixelType::F32 => f64::from(value as f32),
        PixelType::U8 => f64::from(int32() as u8),
        PixelType::I8 => f64::from(int32() as i8),
        PixelType::U16 => f64::from(int32() as u16),
        PixelType::I16 => f64::from(int32() as i16),
        PixelType::I32 => f64::from(int32()),
        PixelType::I64 => int64() as f64,
        PixelType::U32 if conversion == Conversion::Scalar => f64::from(int64() as u32),
        PixelType::U32 => {
            if t >= 2.0 * TWO_31 {
                0.0
            } else if t >= -TWO_31 {
                f64::from(t as i64 as u32)
            } else {
                TWO_31 // also NaN
            }
        }
        PixelType::U64 => {
            if t >= 2.0 * TWO_63 {
                0.0
            } else if t >= TWO_63 {
                t
            } else if t >= -TWO_63 {
                t as i64 as u64 as f64
            } else {
                TWO_63 // also NaN
            }
        }
    }
}

/// Where a part of an image lies in the whole image (ITK order `(x, y, z)`): the whole image's
/// index of the part's first voxel, and the whole image's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub first: [usize; 3],
    pub whole_size: [usize; 3],
}

/// The numpy axis LBP2D slices across and the pixel type of its result, for an image held as
/// `stored`: a 3D image's slices across `force2Ddimension` are written back into its array, so
/// into its pixel type; a 2D image is its one slice, whatever `force2Ddimension` says, and keeps
/// `local_binary_pattern`'s float64 values.
pub fn slicing(
    dimensionality: Dimensionality,
    force_2d_dimension: usize,
    stored: PixelType,
) -> (usize, PixelType) {
    match dimensionality {
        Dimensionality::Two => (0, PixelType::F64),
        Dimensionality::Three => (force_2d_dimension, stored),
    }
}

/// The margin (ITK axis order) that LBP2D of radius `radius`, slicing across numpy axis `axis`,
/// reads around a voxel: its samples lie within the radius in the slice, each read from its 2 x 2
/// neighbouring pixels; none across slices. A radius that is not finite reads anywhere.
pub fn margin(radius: f64, axis: usize) -> [usize; 3] {
    let in_plane = if radius.is_finite() {
        (radius.abs().ceil() as usize).saturating_add(1)
    } else {
        usize::MAX
    };
    let mut margin = [in_plane; 3];
    margin[2 - axis.min(2)] = 0;
    margin
}

/// PyRadiomics `lbp-2D` of `image` (held as `pixel_type`) with `lbp2DRadius = radius`,
/// `lbp2DSamples = samples`, `lbp2DMethod = method`, slicing across numpy axis `axis`
/// (`force2Ddimension`: 0, 1 or 2). The result keeps `pixel_type`'s values.
pub fn lbp2d_image(
    image: &Volume<f64>,
    pixel_type: PixelType,
    radius: f64,
    samples: usize,
    method: LbpMethod,
    axis: usize,
) -> Result<Volume<f64>> {
    let whole = Placement {
        first: [0; 3],
        whole_size: image.size(),
    };
    lbp2d_of_part(image, whole, pixel_type, radius, samples, method, axis)
}

/// [`lbp2d_image`] of the whole image at the voxels of `part`, placed in it by `placement`:
/// exactly the whole image's values at the voxels whose samples `part` holds (those at least
/// `radius + 1` inside it in the slice, or nearer the image's own border); the others are not
/// the whole image's values.
pub fn lbp2d_of_part(
    part: &Volume<f64>,
    placement: Placement,
    pixel_type: PixelType,
    radius: f64,
    samples: usize,
    method: LbpMethod,
    axis: usize,
) -> Result<Volume<f64>> {
    if axis > 2 {
        return Err(Error::setting(
            "force2Ddimension",
            format!("must be 0, 1 or 2, got {axis}"),
        ));
    }
    if samples > 63 {
        return Err(Error::setting(
            "lbp2DSamples",
            format!("at most 63 samples supported, got {samples}"),
        ));
    }
    let offsets = circle_offsets(samples, radius);
    // The slice's rows and columns as numpy axes of the (z, y, x) array: removing axis 2 leaves
    // (z, y), and PyRadiomics' swapped slice is (y, z).
    let (row_axis, column_axis) = match axis {
        0 => (1, 2),
        1 => (0, 2),
        _ => (1, 0),
    };
    let numpy = |xyz: [usize; 3], a: usize| xyz[2 - a];
    let at = SlicePlacement {
        first: (
            numpy(placement.first, row_axis),
            numpy(placement.first, column_axis),
        ),
        whole: (
            numpy(placement.whole_size, row_axis),
            numpy(placement.whole_size, column_axis),
        ),
    };
    let assignment = AssignmentLoop::new(axis, placement.whole_size);
    let mut out = part.voxels.clone();
    let slices: Vec<_> = out.axis_iter_mut(Axis(axis)).collect();
    use rayon::prelude::*;
    slices.into_par_iter().for_each(|slice| {
        let mut slice = if axis == 2 {
            slice.reversed_axes()
        } else {
            slice
        };
        let lbp = lbp_slice(slice.view(), at, &offsets, method);
        for ((r, c), o) in slice.indexed_iter_mut() {
            let conversion = assignment.conversion(r + at.first.0, c + at.first.1);
            *o = store_as(lbp[[r, c]], pixel_type, conversion);
        }
    });
    Ok(Volume {
        voxels: out,
        geometry: part.geometry.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_as_scikit_image() {
        let o = circle_offsets(4, 1.0);
        assert_eq!(o, vec![(0.0, 1.0), (-1.0, 0.0), (0.0, -1.0), (1.0, 0.0)]);
        // sin(π) ≈ 1.2e-16 rounds to (−)0.
        assert_eq!(o[2].0, 0.0);
    }

    #[test]
    fn methods_by_name() {
        assert_eq!(LbpMethod::from_name("Uniform").unwrap(), LbpMethod::Uniform);
        assert!(LbpMethod::from_name("circle").is_err());
    }

    #[test]
    fn stores_like_numpy() {
        let store = |v, t| store_as(v, t, Conversion::Vector);
        assert_eq!(store(3.9, PixelType::I16), 3.0);
        assert_eq!(store(-3.9, PixelType::I16), -3.0);
        assert_eq!(store(70000.0, PixelType::I16), 4464.0);
        assert_eq!(store(0.1, PixelType::F32), f64::from(0.1f32));
    }

    #[test]
    fn stored_values_cast_as_numpy_on_x86_64() {
        // numpy 2.4: np.zeros(13, dtype)[...] = these float64 values (the first 12 in blocks
        // of 4, the last one by one).
        let values = [
            f64::NAN,
            5e9,
            -5e9,
            3e9,
            -3e9,
            70000.7,
            -70000.7,
            1e19,
            2e19,
            -1e19,
            9.3e18,
            40000.5,
            -2.5,
        ];
        let conversion = |i| match i {
            0..12 => Conversion::Vector,
            _ => Conversion::Scalar,
        };
        let cast = |t| {
            let mut i = 0..;
            values.map(|v| store_as(v, t, conversion(i.next().unwrap())))
        };
        let zeros = [0.0; 5];
        assert_eq!(cast(PixelType::I16)[..5], zeros);
        assert_eq!(
            cast(PixelType::I16)[5..],
            [4464.0, -4464.0, 0.0, 0.0, 0.0, 0.0, -25536.0, -2.0]
        );
        assert_eq!(
            cast(PixelType::U8)[5..],
            [112.0, 144.0, 0.0, 0.0, 0.0, 0.0, 64.0, 254.0]
        );
        let min = -2147483648.0;
        assert_eq!(
            cast(PixelType::I32),
            [
                min, min, min, min, min, 70000.0, -70000.0, min, min, min, min, 40000.0, -2.0
            ]
        );
        let half = 2147483648.0;
        assert_eq!(
            cast(PixelType::U32),
            [
                half,
                0.0,
                half,
                3e9,
                half,
                70000.0,
                4294897296.0,
                0.0,
                0.0,
                half,
                0.0,
                40000.0,
                4294967294.0
            ]
        );
        let min = -9223372036854775808.0;
        assert_eq!(
            cast(PixelType::I64),
            [
                min, 5e9, -5e9, 3e9, -3e9, 70000.0, -70000.0, min, min, min, min, 40000.0, -2.0
            ]
        );
        let half = 9223372036854775808.0;
        let wrap = |v: f64| (v as i64) as u64 as f64;
        assert_eq!(
            cast(PixelType::U64),
            [
                half,
                5e9,
                wrap(-5e9),
                3e9,
                wrap(-3e9),
                70000.0,
                wrap(-70000.0),
                1e19,
                0.0,
                half,
                9.3e18,
                40000.0,
                wrap(-2.0)
            ]
        );
    }

    #[test]
    fn uint32_one_by_one_wraps_through_int64() {
        // numpy 2.4: np.zeros(3, np.uint32)[...] = np.full(3, v), element 0.
        let values = [
            f64::NAN,
            5e9,
            -5e9,
            -3e9,
            1e19,
            -1e19,
            9.2e18,
            -9.2e18,
            -70000.7,
        ];
        let expected = [
            0.0,
            705032704.0,
            3589934592.0,
            1294967296.0,
            0.0,
            0.0,
            2643984384.0,
            1650982912.0,
            4294897296.0,
        ];
        let got = values.map(|v| store_as(v, PixelType::U32, Conversion::Scalar));
        assert_eq!(got, expected);
    }

    #[test]
    fn assignment_loops_as_numpy() {
        // The one-by-one pixels, as numpy 2.4 shows them for `a.swapaxes(0, axis)[i] = lbp`
        // with a (z, y, x) uint32 array `a` of these sizes.
        let scalar = |axis, [nz, ny, nx]: [usize; 3]| {
            let l = AssignmentLoop::new(axis, [nx, ny, nz]);
            let mut pixels = Vec::new();
            for r in 0..l.rows {
                for c in 0..l.cols {
                    if l.conversion(r, c) == Conversion::Scalar {
                        pixels.push((r, c));
                    }
                }
            }
            (pixels, l.rows * l.cols)
        };
        // One contiguous slice of 26: its last 2.
        assert_eq!(scalar(0, [2, 2, 13]), (vec![(1, 11), (1, 12)], 26));
        // Rows of 6 apart in memory: the last 2 of each row.
        let (pixels, _) = scalar(1, [3, 4, 6]);
        assert_eq!(pixels, [(0, 4), (0, 5), (1, 4), (1, 5), (2, 4), (2, 5)]);
        // With one row per z the rows join: the last 2 of 18.
        assert_eq!(scalar(1, [3, 1, 6]), (vec![(2, 4), (2, 5)], 18));
        // Across x the destination is strided: every pixel.
        assert_eq!(scalar(2, [3, 4, 6]).0.len(), 12);
        // Unless x and z have one voxel: a contiguous column of 9, its last one.
        assert_eq!(scalar(2, [1, 9, 1]), (vec![(8, 0)], 9));
    }
}

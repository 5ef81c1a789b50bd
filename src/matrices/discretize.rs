//! Grey-level discretisation exactly as PyRadiomics' `getBinEdges` + `numpy.digitize`.

use ndarray::{Array3, Zip};

use crate::image::PixelType;
use crate::numpy_sum;
use crate::params::TextureSettings;
use crate::{Error, Result};

/// The ROI's voxels mapped to grey levels `1..=ng`; voxels outside the ROI are 0.
#[derive(Clone, Debug)]
pub struct Discretized {
    /// Grey level per voxel, `(z, y, x)`; 0 outside the mask.
    pub levels: Array3<u32>,
    /// The ROI, `(z, y, x)`.
    pub mask: Array3<bool>,
    /// The distinct grey levels present in the ROI, ascending (PyRadiomics' `grayLevels`).
    pub gray_levels: Vec<u32>,
    /// The highest grey level in the ROI (PyRadiomics' `Ng`).
    pub ng: u32,
    /// The bin edges used (lower edges of bins 1.., plus the final upper edge).
    pub bin_edges: Vec<f64>,
}

/// Bin edges for the ROI values `values` of an image held as `pixel_type` (PyRadiomics' `getBinEdges`).
///
/// Fixed bin count `N_b` (`binCount`): `numpy.histogram(values, N_b)` edges, the last one raised by 1.
/// Fixed bin width `W` (`binWidth`): `numpy.arange(min - (min mod W), max + 2W, W)`, or
/// `[e - 0.5, e + 0.5]` when that yields a single edge `e` (flat region).
///
/// PyRadiomics bins the array in the image's own type, so for float32 images numpy computes in
/// float32 (see `Precision`): `W`, `min mod W`, `min - (min mod W)`, `max + 2W`, the `arange`
/// length and its second element, and every `histogram` edge are float32 values.
///
/// NaN intensities (PyRadiomics computes from ROIs holding them): `min` and `max` for `binWidth`
/// are Python's built-ins, which skip a NaN unless it is the ROI's first value; `binCount` uses
/// numpy's, which any NaN makes NaN.
///
/// Fails where PyRadiomics does: with `binCount`, when the edges are not strictly increasing at
/// that precision (numpy: "Too many bins for data range") or the ROI holds NaN or infinite
/// values; with `binWidth`, when the first ROI value is NaN or an infinite one makes the edges
/// endless; and when the edges do not fit in memory (numpy: `MemoryError`).
pub fn bin_edges(
    values: &[f64],
    settings: &TextureSettings,
    pixel_type: PixelType,
) -> Result<Vec<f64>> {
    if values.is_empty() {
        // No bins for an empty ROI (preprocessing has refused one before any binning).
        return Ok(Vec::new());
    }
    let p = Precision::of(pixel_type);
    let edges = if let Some(count) = settings.bin_count {
        let (min, max) = (
            numpy_sum::min(values.iter().copied()),
            numpy_sum::max(values.iter().copied()),
        );
        if !(min.is_finite() && max.is_finite()) {
            return Err(Error::mask(format!(
                "the region of interest holds non-finite intensities, and PyRadiomics' binCount \
                 edges (numpy.histogram) fail on them: autodetected range of [{}, {}] is not finite",
                numpy_repr(min),
                numpy_repr(max)
            )));
        }
        let mut edges = histogram_edges(min, max, count, p)?;
        if edges.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(Error::setting(
                "binCount",
                format!(
                    "Too many bins for data range. Cannot create {count} finite-sized bins \
                     (numpy, for ROI intensities from {min} to {max})"
                ),
            ));
        }
        if let Some(last) = edges.last_mut() {
            *last = p.round(*last + 1.0);
        }
        return Ok(edges);
    } else {
        let (min, max) = python_min_max(values);
        if min.is_nan() || max.is_nan() {
            return Err(Error::mask(
                "the first intensity of the region of interest is NaN, so PyRadiomics' binWidth \
                 edges (Python's min and max of the ROI values) are NaN: numpy.arange cannot \
                 compute length",
            ));
        }
        match integer_width_edges(min, max, settings, pixel_type)? {
            Some(edges) => edges,
            None => {
                let width = p.round(settings.bin_width);
                let low = p.round(min - python_mod(min, width, p));
                let high = p.round(max + p.round(2.0 * settings.bin_width));
                numpy_arange(low, high, width, p)?
            }
        }
    };
    Ok(if edges.len() == 1 {
        vec![edges[0] - 0.5, edges[0] + 0.5]
    } else {
        edges
    })
}

/// Room for `count` bin edges, or the error PyRadiomics' `MemoryError` becomes (`setting`:
/// `binWidth` or `binCount`, whichever asked for so many).
fn edge_buffer(count: usize, setting: &str) -> Result<Vec<f64>> {
    let mut edges = Vec::new();
    edges.try_reserve_exact(count).map_err(|_| {
        Error::setting(
            setting,
            format!(
                "{count} grey-level bin edges do not fit in memory (PyRadiomics fails with a \
                 MemoryError): far too many bins for the ROI's intensity range"
            ),
        )
    })?;
    Ok(edges)
}

/// The `binWidth` edges as PyRadiomics computes them for an integer image when `binWidth` is a
/// Python int (the default 25 is): with NumPy 2's rules every step is done in the image's own
/// integer type `T` and wraps around, e.g. `max + 2W` for a uint8 maximum of 220 and `W = 25`
/// is 14. So `low = min - (min mod W)` and `high = max + 2W` wrap in `T`, and `numpy.arange(low,
/// high, W)` (with `T` scalars) has `ceil((high - low) / W)` elements, the difference again
/// wrapping in `T`, valued `low + i·(wrap(low + W) - low)` in int64 (so they can even descend).
/// Where nothing wraps this is the plain formula.
/// `None` when this does not apply, or when `W` or `2W` does not fit `T` (PyRadiomics then fails
/// with an OverflowError; the plain formula is used).
fn integer_width_edges(
    min: f64,
    max: f64,
    settings: &TextureSettings,
    pixel_type: PixelType,
) -> Result<Option<Vec<f64>>> {
    let Some((lowest, highest)) = pixel_type.integer_range() else {
        return Ok(None);
    };
    let width = settings.bin_width;
    if !settings.bin_width_is_int || width < 1.0 || 2.0 * width > highest as f64 {
        return Ok(None);
    }
    let wrap = |v: i128| (v - lowest).rem_euclid(highest - lowest + 1) + lowest;
    let (min, max, width) = (min as i128, max as i128, width as i128);
    let low = wrap(min - min.rem_euclid(width));
    let high = wrap(max + 2 * width);
    let count = (wrap(high - low) as f64 / width as f64).ceil().max(0.0) as i128;
    // numpy's arange takes its second value from `low + W` in `T` (which may wrap too) and
    // extrapolates linearly in int64.
    let step = wrap(low + width) - low;
    let mut edges = edge_buffer(count as usize, "binWidth")?;
    edges.extend((0..count).map(|i| (low + i * step) as f64));
    Ok(Some(edges))
}

/// `numpy.digitize(value, edges)` for monotonic edges: for ascending edges the number of edges
/// `<= value`, for descending ones (only wrapped integer edges descend) the number `> value`.
/// numpy sorts NaN after every number: a NaN value gets `edges.len()` (ascending) or 0.
pub fn digitize(value: f64, edges: &[f64]) -> u32 {
    let descending = edges.len() > 1 && edges[0] > edges[edges.len() - 1];
    if value.is_nan() {
        if descending { 0 } else { edges.len() as u32 }
    } else if descending {
        edges.partition_point(|&e| e > value) as u32
    } else {
        edges.partition_point(|&e| e <= value) as u32
    }
}

/// Discretise `image` (held as `pixel_type`) inside `mask` (PyRadiomics' `binImage`).
pub fn discretize(
    image: &Array3<f64>,
    mask: &Array3<bool>,
    settings: &TextureSettings,
    pixel_type: PixelType,
) -> Result<Discretized> {
    let bin_edges = roi_bin_edges(image, mask, settings, pixel_type)?;
    let binned = bin_levels(image, mask, &bin_edges);
    Ok(Discretized::from_binned(binned, mask, bin_edges))
}

/// The bin edges of `image`'s voxels in `mask` ([`bin_edges`] of the ROI's values in C order).
pub fn roi_bin_edges(
    image: &Array3<f64>,
    mask: &Array3<bool>,
    settings: &TextureSettings,
    pixel_type: PixelType,
) -> Result<Vec<f64>> {
    let values: Vec<f64> = Zip::from(image)
        .and(mask)
        .fold(Vec::new(), |mut acc, &v, &m| {
            if m {
                acc.push(v);
            }
            acc
        });
    bin_edges(&values, settings, pixel_type)
}

/// The grey levels of a discretised image and how many ROI voxels each holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binned {
    /// [`digitize`]d voxel values in the ROI, 0 outside; `(z, y, x)`.
    pub levels: Array3<u32>,
    /// ROI voxels per grey level `0..=edges.len()`.
    pub histogram: Vec<u64>,
}

/// Bins `image`'s voxels in `mask` at `edges` ([`digitize`]) and counts them per grey level:
/// the CPU reference of the discretise job.
pub fn bin_levels(image: &Array3<f64>, mask: &Array3<bool>, edges: &[f64]) -> Binned {
    let levels = Zip::from(image)
        .and(mask)
        .map_collect(|&v, &m| if m { digitize(v, edges) } else { 0 });
    let mut histogram = vec![0u64; edges.len() + 1];
    Zip::from(&levels).and(mask).for_each(|&l, &m| {
        if m {
            histogram[l as usize] += 1;
        }
    });
    Binned { levels, histogram }
}

impl Discretized {
    /// The discretised image of `binned` (binned at `bin_edges` inside `mask`): the grey levels
    /// present are those the histogram counts.
    pub fn from_binned(binned: Binned, mask: &Array3<bool>, bin_edges: Vec<f64>) -> Discretized {
        let gray_levels: Vec<u32> = (0..binned.histogram.len() as u32)
            .filter(|&l| binned.histogram[l as usize] > 0)
            .collect();
        let ng = gray_levels.last().copied().unwrap_or(0);
        Discretized {
            levels: binned.levels,
            mask: mask.clone(),
            gray_levels,
            ng,
            bin_edges,
        }
    }
}

/// The floating-point type numpy's binning arithmetic runs in (NEP 50: a float32 array or scalar
/// combined with a Python number stays float32). Integer images bin in float64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Precision {
    Single,
    Double,
}

impl Precision {
    fn of(pixel_type: PixelType) -> Self {
        if pixel_type == PixelType::F32 {
            Precision::Single
        } else {
            Precision::Double
        }
    }

    /// `x` rounded to this precision. The result of one `+ - * /` on two float32 values, computed
    /// in f64 and rounded here, is the float32 result (f64 carries more than twice the precision).
    fn round(self, x: f64) -> f64 {
        match self {
            Precision::Single => x as f32 as f64,
            Precision::Double => x,
        }
    }
}

/// Python's built-in `min` and `max` of the values (PyRadiomics' `getBinEdges` calls them on
/// the ROI's array): each starts from the first value and takes a later one only when it compares
/// smaller (larger), so a NaN first value makes both NaN and any later NaN is passed over.
fn python_min_max(values: &[f64]) -> (f64, f64) {
    let Some((&first, rest)) = values.split_first() else {
        return (f64::NAN, f64::NAN);
    };
    rest.iter().fold((first, first), |(lo, hi), &v| {
        (if v < lo { v } else { lo }, if v > hi { v } else { hi })
    })
}

/// A float as numpy prints it in messages (`nan`, `inf`, `-inf`, else Python's `repr`).
fn numpy_repr(x: f64) -> String {
    match x {
        _ if x.is_nan() => "nan".to_string(),
        f64::INFINITY => "inf".to_string(),
        f64::NEG_INFINITY => "-inf".to_string(),
        _ => crate::pyrepr::python_float_repr(x),
    }
}

/// Python's float `%` (numpy's `divmod`): the result takes the sign of the divisor. `fmod` is exact.
fn python_mod(a: f64, b: f64, p: Precision) -> f64 {
    let r = a % b;
    if r != 0.0 && (r < 0.0) != (b < 0.0) {
        p.round(r + b)
    } else {
        r
    }
}

/// `numpy.arange(start, stop, step)` for a float `step`: `ceil((stop - start) / step)` values
/// (that quotient in `p`), a float64 array `start + i * delta` where `delta = (start + step) - start`,
/// `start + step` evaluated in `p`.
/// Fails as numpy does when that length is NaN or infinite (infinite intensities in the ROI).
fn numpy_arange(start: f64, stop: f64, step: f64, p: Precision) -> Result<Vec<f64>> {
    let length = p.round(p.round(stop - start) / step);
    if !length.is_finite() {
        let numpy = if length.is_nan() {
            "arange: cannot compute length"
        } else {
            "Maximum allowed size exceeded"
        };
        return Err(Error::mask(format!(
            "the region of interest holds infinite intensities, so PyRadiomics' binWidth edges \
             run from {start} to {stop} (numpy: {numpy})"
        )));
    }
    let n = length.ceil().max(0.0) as usize;
    let delta = p.round(start + step) - start;
    let mut edges = edge_buffer(n, "binWidth")?;
    edges.extend((0..n).map(|i| start + i as f64 * delta));
    Ok(edges)
}

/// The edges `numpy.histogram(values, bins)` uses: `linspace(min, max, bins + 1)` in `p`, widened
/// by 0.5 on each side when `min == max`.
fn histogram_edges(min: f64, max: f64, bins: usize, p: Precision) -> Result<Vec<f64>> {
    let (lo, hi) = if min == max {
        (p.round(min - 0.5), p.round(max + 0.5))
    } else {
        (min, max)
    };
    numpy_linspace(lo, hi, bins + 1, p)
}

/// `numpy.linspace(start, stop, num)` with `endpoint=True`, evaluated in `p`:
/// `step = (stop - start) / (num - 1)`, values `i * step + start`, the last one `stop`.
fn numpy_linspace(start: f64, stop: f64, num: usize, p: Precision) -> Result<Vec<f64>> {
    let div = (num - 1) as f64;
    let step = p.round(p.round(stop - start) / div);
    let mut out = edge_buffer(num, "binCount")?;
    out.extend((0..num).map(|i| p.round(p.round(i as f64 * step) + start)));
    if let Some(last) = out.last_mut() {
        *last = stop;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Edges PyRadiomics 3.1 (NumPy 2.4) computes with the default integer `binWidth: 25`.
    #[test]
    fn integer_bin_width_wraps_in_the_pixel_type() {
        let settings = TextureSettings::default();
        assert!(settings.bin_width_is_int);
        let steps =
            |from: f64, n: usize| (0..n).map(|i| from + 25.0 * i as f64).collect::<Vec<_>>();
        let cases: [(PixelType, &[f64], Vec<f64>); 7] = [
            (PixelType::U8, &[3.0, 50.0, 120.0, 210.0], vec![-0.5, 0.5]),
            (PixelType::U8, &[0.0, 255.0], vec![0.0, 25.0]),
            (PixelType::U8, &[30.0, 230.0], steps(25.0, 11)),
            (PixelType::U8, &[200.0, 205.0], vec![200.0, 225.0, 250.0]),
            (PixelType::I8, &[-100.0, 0.0, 90.0], vec![]),
            (PixelType::I16, &[0.0, 32760.0], vec![]),
            (PixelType::U16, &[10.0, 65500.0], vec![-0.5, 0.5]),
        ];
        for (pixel_type, values, expected) in cases {
            assert_eq!(
                bin_edges(values, &settings, pixel_type).unwrap(),
                expected,
                "{pixel_type:?} {values:?}"
            );
        }
        // int8 minimum -128: low = -128 - 22 wraps to 106; high = 90 + 50 wraps to -116; the
        // arange length ceil(wrap(-116 - 106) / 25) = ceil(34 / 25) = 2; its second value
        // 106 + 25 wraps to -125.
        assert_eq!(
            bin_edges(&[-128.0, 90.0], &settings, PixelType::I8).unwrap(),
            vec![106.0, -125.0]
        );
    }

    /// A float `binWidth`, a float image, or a width whose double does not fit the type: the
    /// plain formula.
    #[test]
    fn no_wrap_outside_integer_arithmetic() {
        let values = [3.0, 50.0, 120.0, 210.0];
        let plain: Vec<f64> = (0..11).map(|i| 25.0 * i as f64).collect();
        let float_width = TextureSettings {
            bin_width_is_int: false,
            ..TextureSettings::default()
        };
        assert_eq!(
            bin_edges(&values, &float_width, PixelType::U8).unwrap(),
            plain
        );
        assert_eq!(
            bin_edges(&values, &TextureSettings::default(), PixelType::F64).unwrap(),
            plain
        );
        let wide = TextureSettings {
            bin_width: 100.0,
            ..TextureSettings::default()
        };
        assert_eq!(
            bin_edges(&[-100.0, 90.0], &wide, PixelType::I8).unwrap(),
            vec![-100.0, 0.0, 100.0, 200.0]
        );
    }

    #[test]
    fn bin_width_edges_start_at_a_multiple_of_the_width() {
        // PyRadiomics' documented example: values 54..166, width 25 -> [50, 75, ..., 175, 200].
        let edges = bin_edges(&[54.0, 166.0], &TextureSettings::default(), PixelType::F64).unwrap();
        assert_eq!(edges, vec![50.0, 75.0, 100.0, 125.0, 150.0, 175.0, 200.0]);
        assert_eq!(digitize(54.0, &edges), 1);
        assert_eq!(digitize(166.0, &edges), 5);
        assert_eq!(digitize(150.0, &edges), 5);
    }

    #[test]
    fn negative_minimum_uses_floored_modulo() {
        let edges = bin_edges(&[-30.0, 10.0], &TextureSettings::default(), PixelType::F64).unwrap();
        assert_eq!(edges[0], -50.0);
        assert_eq!(digitize(-30.0, &edges), 1);
    }

    #[test]
    fn flat_region_gets_one_bin() {
        let edges = bin_edges(&[50.0, 50.0], &TextureSettings::default(), PixelType::F64).unwrap();
        assert_eq!(edges, vec![50.0, 75.0]);
        assert_eq!(digitize(50.0, &edges), 1);
    }

    #[test]
    fn bin_count_puts_the_maximum_in_the_top_bin() {
        let settings = count(4);
        let edges = bin_edges(&[0.0, 1.0, 2.0, 3.0, 4.0], &settings, PixelType::F64).unwrap();
        assert_eq!(edges, vec![0.0, 1.0, 2.0, 3.0, 5.0]);
        assert_eq!(digitize(4.0, &edges), 4);
        assert_eq!(digitize(0.0, &edges), 1);
    }

    #[test]
    fn float32_bin_width_edges_are_computed_in_float32() {
        // numpy: getBinEdges(float32 [0.1, 1.0], binWidth=0.3) steps by float32(0.3).
        let edges = bin_edges(&[0.1f32 as f64, 1.0], &width(0.3), PixelType::F32).unwrap();
        let step = 0.3f32 as f64;
        assert_eq!(edges, (0..6).map(|i| i as f64 * step).collect::<Vec<_>>());
        // Beyond 2^24: lowBound 16777225 rounds to 16777224, and 16777224 + 25 to 16777248.
        let edges = bin_edges(&[16777230.0, 16777300.0], &width(25.0), PixelType::F32).unwrap();
        assert_eq!(edges[..3], [16777224.0, 16777248.0, 16777272.0]);
        let edges = bin_edges(&[16777230.0, 16777300.0], &width(25.0), PixelType::F64).unwrap();
        assert_eq!(edges[..3], [16777225.0, 16777250.0, 16777275.0]);
    }

    #[test]
    fn float32_bin_count_top_edge_can_absorb_the_plus_one() {
        // Beyond 2^25, float32(max + 1) == max: numpy puts the maximum in bin N + 1.
        let settings = count(16);
        let values = [33554000.0, 33554432.0];
        let edges = bin_edges(&values, &settings, PixelType::F32).unwrap();
        assert_eq!(edges[1], 33554028.0);
        assert_eq!(digitize(33554432.0, &edges), 17);
        let edges = bin_edges(&values, &settings, PixelType::F64).unwrap();
        assert_eq!(digitize(33554432.0, &edges), 16);
    }

    fn width(bin_width: f64) -> TextureSettings {
        TextureSettings {
            bin_width,
            ..TextureSettings::default()
        }
    }

    fn count(bin_count: usize) -> TextureSettings {
        TextureSettings {
            bin_count: Some(bin_count),
            ..TextureSettings::default()
        }
    }

    #[test]
    fn discretize_leaves_zero_outside_the_mask() {
        let image = Array3::from_shape_vec((1, 1, 3), vec![10.0, 60.0, 1000.0]).unwrap();
        let mask = Array3::from_shape_vec((1, 1, 3), vec![true, true, false]).unwrap();
        let d = discretize(&image, &mask, &TextureSettings::default(), PixelType::F64).unwrap();
        assert_eq!(d.levels.as_slice().unwrap(), &[1, 3, 0]);
        assert_eq!(d.gray_levels, vec![1, 3]);
        assert_eq!(d.ng, 3);
    }

    /// Python's `min`/`max` pass over a NaN after the first value; numpy's `digitize` puts NaN
    /// after every edge.
    #[test]
    fn nan_after_the_first_value_is_binned_last() {
        let values = [1.0, f64::NAN, 30.0];
        let edges = bin_edges(&values, &width(25.0), PixelType::F64).unwrap();
        assert_eq!(edges, vec![0.0, 25.0, 50.0, 75.0]);
        assert_eq!(digitize(f64::NAN, &edges), 4);
        assert_eq!(digitize(f64::NAN, &[2.0, 1.0, 0.0]), 0);
        let image = Array3::from_shape_vec((1, 1, 3), values.to_vec()).unwrap();
        let mask = Array3::from_elem((1, 1, 3), true);
        let disc = discretize(&image, &mask, &width(25.0), PixelType::F64).unwrap();
        assert_eq!(disc.gray_levels, vec![1, 2, 4]);
        assert_eq!(disc.ng, 4);
    }

    /// A NaN first value makes PyRadiomics' binWidth edges NaN; any NaN or infinity breaks
    /// numpy.histogram's range for binCount; an infinity makes the binWidth edges endless.
    #[test]
    fn nan_first_value_and_non_finite_bin_count_ranges_fail() {
        let cases = [
            (&[f64::NAN, 1.0], width(25.0), "cannot compute length"),
            (&[1.0, f64::NAN], count(8), "[nan, nan] is not finite"),
            (&[1.0, f64::INFINITY], count(8), "[1.0, inf] is not finite"),
            (&[1.0, f64::INFINITY], width(25.0), "Maximum allowed size"),
        ];
        for (values, settings, message) in cases {
            let err = bin_edges(values, &settings, PixelType::F64).unwrap_err();
            assert!(err.to_string().contains(message), "{values:?}: {err}");
        }
    }

    #[test]
    fn bins_numpy_cannot_make_are_errors() {
        // float32 intensities one ulp apart: 64 float32 bins are not finite-sized (numpy raises).
        let sixty_four = count(64);
        let close = [100000.0, 100000.0078125];
        let err = bin_edges(&close, &sixty_four, PixelType::F32).unwrap_err();
        assert!(
            err.to_string().contains("Too many bins for data range"),
            "{err}"
        );
        // One float32 unit apart is fine, and in float64 one ulp of float32 is too.
        assert_eq!(
            bin_edges(&[100000.0, 100001.0], &sixty_four, PixelType::F32)
                .unwrap()
                .len(),
            65
        );
        assert_eq!(
            bin_edges(&close, &sixty_four, PixelType::F64)
                .unwrap()
                .len(),
            65
        );
        // More edges than memory can hold (numpy: MemoryError).
        let tiny_width = TextureSettings {
            bin_width: 1e-3,
            ..TextureSettings::default()
        };
        let err = bin_edges(&[0.0, 1e18], &tiny_width, PixelType::F64).unwrap_err();
        assert!(err.to_string().contains("do not fit in memory"), "{err}");
    }
}

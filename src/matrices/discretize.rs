//! Grey-level discretisation exactly as PyRadiomics' `getBinEdges` + `numpy.digitize`.

use ndarray::{Array3, Zip};

use crate::params::Settings;

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

/// Bin edges for the ROI values `values` (PyRadiomics' `getBinEdges`).
///
/// Fixed bin count `N_b` (`binCount`): `numpy.histogram(values, N_b)` edges, the last one raised by 1.
/// Fixed bin width `W` (`binWidth`): `numpy.arange(min - (min mod W), max + 2W, W)`, or
/// `[e - 0.5, e + 0.5]` when that yields a single edge `e` (flat region).
pub fn bin_edges(values: &[f64], settings: &Settings) -> Vec<f64> {
    let (min, max) = min_max(values);
    if let Some(count) = settings.bin_count {
        let mut edges = histogram_edges(min, max, count);
        if let Some(last) = edges.last_mut() {
            *last += 1.0;
        }
        edges
    } else {
        let width = settings.bin_width;
        let low = min - python_mod(min, width);
        let high = max + 2.0 * width;
        let edges = numpy_arange(low, high, width);
        if edges.len() == 1 {
            vec![edges[0] - 0.5, edges[0] + 0.5]
        } else {
            edges
        }
    }
}

/// `numpy.digitize(value, edges)` for ascending edges: the number of edges `<= value`.
pub fn digitize(value: f64, edges: &[f64]) -> u32 {
    edges.partition_point(|&e| e <= value) as u32
}

/// Discretise `image` inside `mask` (PyRadiomics' `binImage`).
pub fn discretize(image: &Array3<f64>, mask: &Array3<bool>, settings: &Settings) -> Discretized {
    let values: Vec<f64> = Zip::from(image)
        .and(mask)
        .fold(Vec::new(), |mut acc, &v, &m| {
            if m {
                acc.push(v);
            }
            acc
        });
    let bin_edges = bin_edges(&values, settings);
    let levels = Zip::from(image)
        .and(mask)
        .map_collect(|&v, &m| if m { digitize(v, &bin_edges) } else { 0 });
    let mut present = vec![false; bin_edges.len() + 1];
    Zip::from(&levels).and(mask).for_each(|&l, &m| {
        if m {
            present[l as usize] = true;
        }
    });
    let gray_levels: Vec<u32> = (0..present.len() as u32)
        .filter(|&l| present[l as usize])
        .collect();
    let ng = gray_levels.last().copied().unwrap_or(0);
    Discretized {
        levels,
        mask: mask.clone(),
        gray_levels,
        ng,
        bin_edges,
    }
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// Python's float `%`: the result takes the sign of the divisor.
fn python_mod(a: f64, b: f64) -> f64 {
    let r = a % b;
    if r != 0.0 && (r < 0.0) != (b < 0.0) {
        r + b
    } else {
        r
    }
}

/// `numpy.arange(start, stop, step)` for floats: `ceil((stop - start) / step)` values
/// `start + i * delta`, where numpy takes `delta = (start + step) - start`.
fn numpy_arange(start: f64, stop: f64, step: f64) -> Vec<f64> {
    let n = ((stop - start) / step).ceil().max(0.0) as usize;
    let delta = (start + step) - start;
    (0..n).map(|i| start + i as f64 * delta).collect()
}

/// The edges `numpy.histogram(values, bins)` uses: `linspace(min, max, bins + 1)`, widened by
/// 0.5 on each side when `min == max`.
fn histogram_edges(min: f64, max: f64, bins: usize) -> Vec<f64> {
    let (lo, hi) = if min == max {
        (min - 0.5, max + 0.5)
    } else {
        (min, max)
    };
    numpy_linspace(lo, hi, bins + 1)
}

/// `numpy.linspace(start, stop, num)` with `endpoint=True`.
fn numpy_linspace(start: f64, stop: f64, num: usize) -> Vec<f64> {
    let div = (num - 1) as f64;
    let step = (stop - start) / div;
    let mut out: Vec<f64> = (0..num).map(|i| i as f64 * step + start).collect();
    if let Some(last) = out.last_mut() {
        *last = stop;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bin_width_edges_start_at_a_multiple_of_the_width() {
        // PyRadiomics' documented example: values 54..166, width 25 -> [50, 75, ..., 175, 200].
        let edges = bin_edges(&[54.0, 166.0], &Settings::default());
        assert_eq!(edges, vec![50.0, 75.0, 100.0, 125.0, 150.0, 175.0, 200.0]);
        assert_eq!(digitize(54.0, &edges), 1);
        assert_eq!(digitize(166.0, &edges), 5);
        assert_eq!(digitize(150.0, &edges), 5);
    }

    #[test]
    fn negative_minimum_uses_floored_modulo() {
        let edges = bin_edges(&[-30.0, 10.0], &Settings::default());
        assert_eq!(edges[0], -50.0);
        assert_eq!(digitize(-30.0, &edges), 1);
    }

    #[test]
    fn flat_region_gets_one_bin() {
        let edges = bin_edges(&[50.0, 50.0], &Settings::default());
        assert_eq!(edges, vec![50.0, 75.0]);
        assert_eq!(digitize(50.0, &edges), 1);
    }

    #[test]
    fn bin_count_puts_the_maximum_in_the_top_bin() {
        let settings = Settings {
            bin_count: Some(4),
            ..Settings::default()
        };
        let edges = bin_edges(&[0.0, 1.0, 2.0, 3.0, 4.0], &settings);
        assert_eq!(edges, vec![0.0, 1.0, 2.0, 3.0, 5.0]);
        assert_eq!(digitize(4.0, &edges), 4);
        assert_eq!(digitize(0.0, &edges), 1);
    }

    #[test]
    fn discretize_leaves_zero_outside_the_mask() {
        let image = Array3::from_shape_vec((1, 1, 3), vec![10.0, 60.0, 1000.0]).unwrap();
        let mask = Array3::from_shape_vec((1, 1, 3), vec![true, true, false]).unwrap();
        let d = discretize(&image, &mask, &Settings::default());
        assert_eq!(d.levels.as_slice().unwrap(), &[1, 3, 0]);
        assert_eq!(d.gray_levels, vec![1, 3]);
        assert_eq!(d.ng, 3);
    }
}

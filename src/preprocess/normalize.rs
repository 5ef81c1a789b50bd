//! PyRadiomics' `normalizeImage`: SimpleITK's `Normalize`, optional outlier clipping, scaling.

use ndarray::{Array3, Axis};
use rayon::prelude::*;

use crate::image::{Image, PixelType};

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

    /// Adds another running sum as ITK's `CompensatedSummation::operator+=(const Self &)` does:
    /// its compensation, then its sum, each as one element.
    fn merge(&mut self, other: CompensatedSum) {
        self.add(other.compensation);
        self.add(other.sum);
    }
}

/// How many pieces ITK's `StatisticsImageFilter` splits an image into: SimpleITK's default
/// number of threads, i.e. ITK's `GetGlobalDefaultNumberOfThreads` — the last of the environment
/// variables `NSLOTS` and `ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS` that holds a positive number,
/// else the number of online processors (`/sys/devices/system/cpu/online`, as glibc's
/// `sysconf(_SC_NPROCESSORS_ONLN)` counts them), at most 128 (`ITK_MAX_THREADS`).
pub fn itk_work_units() -> usize {
    let from_env = ["NSLOTS", "ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .filter_map(|value| value.trim().parse::<i64>().ok())
        .next_back()
        .filter(|&n| n > 0)
        .map(|n| n as usize);
    let online = || {
        std::fs::read_to_string("/sys/devices/system/cpu/online")
            .ok()
            .and_then(|list| count_cpu_list(list.trim()))
            .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
            .unwrap_or(1)
    };
    from_env.unwrap_or_else(online).clamp(1, 128)
}

/// The number of CPUs in a Linux CPU list such as `0-3,8,10-11`.
fn count_cpu_list(list: &str) -> Option<usize> {
    list.split(',')
        .map(|part| match part.split_once('-') {
            Some((a, b)) => Some(b.parse::<usize>().ok()? + 1 - a.parse::<usize>().ok()?),
            None => part.parse::<usize>().ok().map(|_| 1),
        })
        .sum()
}

/// Mean and sample standard deviation (`n − 1`) of all voxels, as ITK's `StatisticsImageFilter`
/// computes them with `work_units` threads: the image is cut along its slowest axis of more than
/// one voxel into pieces of `⌈n / work_units⌉` slices (ITK's `ImageRegionSplitterSlowDimension`),
/// each piece sums its voxels and their squares in index order with Kahan compensation, the
/// pieces' running sums are merged into one (`CompensatedSum::merge`), and
/// `σ² = (Σx² − (Σx)²/n) / (n − 1)`. Where that difference cancels (huge offsets, tiny spread)
/// the result depends on the cut, as PyRadiomics' does on the machine's thread count; in every
/// other case only the last bits do.
/// (With more than two pieces ITK adds them in the order its threads finish; piece order here.)
/// Integer images whose sums stay below 2⁵³ are summed exactly instead, which gives what every
/// cut gives (`exact_integer_sums`).
pub fn mean_and_sigma(voxels: &Array3<f64>, work_units: usize) -> (f64, f64) {
    let (sum, squares) = match voxels.as_slice().and_then(exact_integer_sums) {
        Some(sums) => sums,
        None => compensated_sums(voxels, work_units),
    };
    let n = voxels.len() as f64;
    let mean = sum / n;
    let variance = (squares - (sum * sum / n)) / (n - 1.0);
    (mean, variance.sqrt())
}

/// `Σx` and `Σx²` as ITK's pieces and merge compute them ([`mean_and_sigma`]).
fn compensated_sums(voxels: &Array3<f64>, work_units: usize) -> (f64, f64) {
    let axis = (0..3).find(|&a| voxels.shape()[a] > 1).unwrap_or(0);
    let slices = voxels.shape()[axis];
    let per_piece = slices.div_ceil(work_units.max(1)).max(1);
    // The pieces are summed in parallel (as ITK's threads sum them), then merged in order.
    let pieces: Vec<_> = voxels.axis_chunks_iter(Axis(axis), per_piece).collect();
    let piece_sums: Vec<(CompensatedSum, CompensatedSum)> = pieces
        .into_par_iter()
        .map(|piece| {
            let mut piece_sum = CompensatedSum::default();
            let mut piece_squares = CompensatedSum::default();
            for &v in piece.iter() {
                piece_sum.add(v);
                piece_squares.add(v * v);
            }
            (piece_sum, piece_squares)
        })
        .collect();
    let mut sum = CompensatedSum::default();
    let mut squares = CompensatedSum::default();
    for (piece_sum, piece_squares) in piece_sums {
        sum.merge(piece_sum);
        squares.merge(piece_squares);
    }
    (sum.sum, squares.sum)
}

/// `Σx` and `Σx²` when every value is an integer and `Σ|x|` and `Σx²` are below 2⁵³ (as integer
/// images almost always are), else `None`. Then every partial sum, in any order, is an integer
/// below 2⁵³ and so exact: ITK's compensated sums (whose compensation stays 0) and this code's
/// lane-wise sums agree bit for bit, whatever the pieces and their merge order.
fn exact_integer_sums(values: &[f64]) -> Option<(f64, f64)> {
    const LANES: usize = 8;
    /// Adding and subtracting 2⁵² rounds a magnitude below 2⁵² to an integer (vectorised, where
    /// `f64::round` would be a library call on baseline x86-64).
    const ROUNDER: f64 = 4_503_599_627_370_496.0;
    /// Lane-wise `Σx`, `Σ|x|`, `Σx²` and `Σ| |x| − round |x| |` (0 only when every value is an
    /// integer below 2⁵²; NaN for NaN values; infinite values make `Σ|x|` infinite).
    type Sums = [[f64; LANES]; 4];
    let add = |mut acc: Sums, v: &[f64; LANES]| {
        for l in 0..LANES {
            let magnitude = v[l].abs();
            acc[0][l] += v[l];
            acc[1][l] += magnitude;
            acc[2][l] += v[l] * v[l];
            acc[3][l] += ((magnitude + ROUNDER) - ROUNDER - magnitude).abs();
        }
        acc
    };
    let merge = |mut a: Sums, b: Sums| {
        for (a, b) in a.iter_mut().zip(b) {
            a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        }
        a
    };
    let (blocks, tail) = values.as_chunks::<LANES>();
    let mut padded = [0.0; LANES];
    padded[..tail.len()].copy_from_slice(tail);
    let sums = blocks
        .par_chunks(1 << 13)
        .map(|chunk| chunk.iter().fold([[0.0; LANES]; 4], add))
        .reduce(|| [[0.0; LANES]; 4], merge);
    let [sum, absolute, squares, fraction] = add(sums, &padded).map(|lanes| lanes.iter().sum());
    const LIMIT: f64 = 9_007_199_254_740_992.0; // 2⁵³
    (fraction == 0.0 && absolute < LIMIT && squares < LIMIT).then_some((sum, squares))
}

/// Normalise the whole image: `f(x) = s · clip((x − μ) / σ, ±n)` with μ and σ the mean and sample
/// standard deviation of every voxel (ITK's `NormalizeImageFilter`, computed as
/// `(x + (−μ)) · (1/σ)`), clipping at `±n` only when `remove_outliers = Some(n)`, and
/// `s = normalize_scale`. The result is a `F64` image (SimpleITK's real type for every input type).
pub fn normalize_image(image: Image, normalize_scale: f64, remove_outliers: Option<f64>) -> Image {
    let (mean, sigma) = mean_and_sigma(&image.volume.voxels, itk_work_units());
    let shift = -mean;
    let scale = 1.0 / sigma;
    let normalize = |v: &mut f64| {
        let mut x = (*v + shift) * scale;
        if let Some(limit) = remove_outliers {
            if x > limit {
                x = limit;
            }
            if x < -limit {
                x = -limit;
            }
        }
        *v = x * normalize_scale;
    };
    let mut volume = image.volume;
    match volume.voxels.as_slice_mut() {
        Some(s) => s.par_iter_mut().for_each(normalize),
        None => volume.voxels.iter_mut().for_each(normalize),
    }
    Image {
        volume,
        pixel_type: PixelType::F64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::{Geometry, Volume};
    use crate::test_random::random_u64s;
    use ndarray::Array3;

    /// SimpleITK 2.5's `StatisticsImageFilter` on an int64 image of 2⁵² plus offsets in
    /// [0, 300) (7 × 5 × 11 voxels), with 1, 2 and 3 threads: the variance cancels to a different
    /// number for each cut (`GetVariance()` as hexadecimal floats).
    #[test]
    fn statistics_follow_itk_pieces() {
        let mut next = random_u64s(12345);
        let voxels = Array3::from_shape_fn((11, 5, 7), |_| {
            (2f64).powi(52) + ((next() >> 33) % 300) as f64
        });
        let mean = 4503599627370648.0; // 0x1.0000000000098p+52
        for (work_units, variance) in [(1, 0.0), (2, 6004799503160661.0), (3, 3002399751580330.5)] {
            let (m, sigma) = mean_and_sigma(&voxels, work_units);
            assert_eq!(m, mean, "{work_units} work units");
            assert_eq!(sigma, f64::sqrt(variance), "{work_units} work units");
        }
    }

    /// Pseudo-random integers in `[-range, range)`.
    fn random_integers(shape: (usize, usize, usize), range: u64, seed: u64) -> Array3<f64> {
        let mut next = random_u64s(seed);
        Array3::from_shape_fn(shape, |_| {
            ((next() >> 20) % (2 * range)) as f64 - range as f64
        })
    }

    #[test]
    fn exact_integer_sums_are_itks_compensated_sums() {
        // Sizes with a tail shorter than the lanes; values of up to 16 and 21 bits.
        for (shape, range) in [((3, 5, 7), 40_000), ((17, 9, 13), 1 << 20), ((1, 1, 3), 7)] {
            let voxels = random_integers(shape, range, 99);
            let exact = exact_integer_sums(voxels.as_slice().unwrap());
            assert!(exact.is_some(), "{shape:?}");
            for work_units in [1, 2, 3, 5] {
                assert_eq!(exact, Some(compensated_sums(&voxels, work_units)));
            }
        }
    }

    #[test]
    fn exact_integer_sums_refuse_fractions_non_finite_values_and_large_sums() {
        let mut voxels = random_integers((4, 4, 4), 1000, 7);
        let slice = voxels.as_slice_mut().unwrap();
        assert!(exact_integer_sums(slice).is_some());
        for bad in [0.5, -1e-300, f64::NAN, f64::INFINITY] {
            let kept = slice[37];
            slice[37] = bad;
            assert_eq!(exact_integer_sums(slice), None, "{bad}");
            slice[37] = kept;
        }
        // Σx² reaches 2⁵³: 2 × (2²⁶)² = 2⁵³.
        let large = [2f64.powi(26), -(2f64.powi(26))];
        assert_eq!(exact_integer_sums(&large), None);
        assert!(exact_integer_sums(&large[..1]).is_some());
    }

    #[test]
    fn cpu_lists_count_as_linux_writes_them() {
        assert_eq!(count_cpu_list("0-1"), Some(2));
        assert_eq!(count_cpu_list("0-3,8,10-11"), Some(7));
        assert_eq!(count_cpu_list("x"), None);
    }

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
        let out = normalize_image(image.clone(), 100.0, None);
        // 0..7: mean 3.5, sample sigma sqrt(6).
        let expected = (7.0 - 3.5) / 6f64.sqrt() * 100.0;
        assert!((out.volume.voxels[[1, 1, 1]] - expected).abs() < 1e-12);
        let clipped = normalize_image(image, 1.0, Some(1.0));
        assert_eq!(clipped.volume.voxels[[1, 1, 1]], 1.0);
        assert_eq!(clipped.volume.voxels[[0, 0, 0]], -1.0);
        assert_eq!(out.pixel_type, PixelType::F64);
    }
}

//! numpy's summation order, so means and standard deviations round exactly as numpy's do, and
//! numpy's `min`/`max`, which NaN makes NaN.

use std::ops::Add;

/// numpy's pairwise sum of a contiguous array (`pairwise_sum` in numpy's `loops_utils`): below 8
/// values a plain loop from 0; up to 128 values eight interleaved accumulators combined as
/// `((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))`, then the remainder; above that the two
/// halves (split at a multiple of 8) summed recursively. `np.sum` adds this to 0.
pub fn pairwise_sum<T: Copy + Default + Add<Output = T>>(a: &[T]) -> T {
    let n = a.len();
    if n < 8 {
        a.iter().fold(T::default(), |acc, &v| acc + v)
    } else if n <= 128 {
        let mut r = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
        let whole = n - n % 8;
        for block in a[8..whole].chunks_exact(8) {
            for (acc, &v) in r.iter_mut().zip(block) {
                *acc = *acc + v;
            }
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &v in &a[whole..] {
            res = res + v;
        }
        res
    } else {
        let mut half = n / 2;
        half -= half % 8;
        pairwise_sum(&a[..half]) + pairwise_sum(&a[half..])
    }
}

/// [`pairwise_sum`] of the `n` values `value(0), …, value(n - 1)`, computed on the fly (for sums
/// of derived terms without a temporary array).
pub fn pairwise_sum_by(n: usize, value: impl Fn(usize) -> f64) -> f64 {
    sum_range(0, n, &value)
}

fn sum_range(start: usize, n: usize, value: &impl Fn(usize) -> f64) -> f64 {
    if n < 8 {
        (start..start + n).fold(0.0, |acc, i| acc + value(i))
    } else if n <= 128 {
        let mut r = [0.0; 8];
        for (k, acc) in r.iter_mut().enumerate() {
            *acc = value(start + k);
        }
        let whole = n - n % 8;
        for base in (8..whole).step_by(8) {
            for (k, acc) in r.iter_mut().enumerate() {
                *acc += value(start + base + k);
            }
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for i in whole..n {
            res += value(start + i);
        }
        res
    } else {
        let mut half = n / 2;
        half -= half % 8;
        sum_range(start, half, value) + sum_range(start + half, n - half, value)
    }
}

/// `numpy.max` of the values: NaN as soon as one is NaN (`f64::max` would skip it); `-inf`
/// when there are none.
pub fn max(values: impl IntoIterator<Item = f64>) -> f64 {
    nan_propagating(values, f64::NEG_INFINITY, f64::max)
}

/// `numpy.min` of the values: NaN as soon as one is NaN; `inf` when there are none.
pub fn min(values: impl IntoIterator<Item = f64>) -> f64 {
    nan_propagating(values, f64::INFINITY, f64::min)
}

/// Folds `pick` over the values from `start`, NaN once a NaN is met.
fn nan_propagating(
    values: impl IntoIterator<Item = f64>,
    start: f64,
    pick: fn(f64, f64) -> f64,
) -> f64 {
    values.into_iter().fold(start, |m, v| {
        if m.is_nan() || v.is_nan() {
            f64::NAN
        } else {
            pick(m, v)
        }
    })
}

/// `numpy.mean` of float64 values.
pub fn mean(a: &[f64]) -> f64 {
    (0.0 + pairwise_sum(a)) / a.len() as f64
}

/// How many values numpy's reductions cast at a time (its iterator's buffer).
const CAST_BUFFER: usize = 8192;

/// `numpy.mean` of an integer array (its values given as f64): numpy casts them to float64
/// through its 8192-value buffer (`CAST_BUFFER`) and adds each buffer's pairwise sum to the
/// running total, so past 8192 values the sum rounds differently from one pairwise sum (where
/// partial sums pass 2⁵³).
pub fn mean_of_integers(a: &[f64]) -> f64 {
    let total = a
        .chunks(CAST_BUFFER)
        .fold(0.0, |total, buffer| total + pairwise_sum(buffer));
    total / a.len() as f64
}

/// `numpy.std` (population) of float64 values: `sqrt(mean((x − mean)²))`, as numpy sums it.
pub fn std(a: &[f64], mean: f64) -> f64 {
    let squares: Vec<f64> = a.iter().map(|&v| (v - mean) * (v - mean)).collect();
    ((0.0 + pairwise_sum(&squares)) / a.len() as f64).sqrt()
}

/// `numpy.mean` and `numpy.std` of a float32 array: float32 sums, each division made in float64
/// and rounded back to float32.
pub fn mean_std_f32(a: &[f32]) -> (f32, f32) {
    let n = a.len() as f64;
    let mean = (f64::from(0.0f32 + pairwise_sum(a)) / n) as f32;
    let squares: Vec<f32> = a.iter().map(|&v| (v - mean) * (v - mean)).collect();
    let var = (f64::from(0.0f32 + pairwise_sum(&squares)) / n) as f32;
    (mean, var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_means_sum_buffer_by_buffer() {
        // numpy 2.4: a = 2**52 + np.arange(20000) % 7 (int64); np.mean(a) (one pairwise sum
        // of all 20000 would give ...499.0).
        let a: Vec<f64> = (0..20000)
            .map(|i| 4503599627370496.0 + f64::from(i % 7))
            .collect();
        assert_eq!(mean_of_integers(&a), 4503599627370498.0);
        assert_eq!(mean(&a), 4503599627370499.0);
        // Up to one buffer the two agree.
        assert_eq!(mean_of_integers(&a[..8192]), mean(&a[..8192]));
    }

    #[test]
    fn groups_like_numpy() {
        let a: Vec<f64> = (0..13).map(|i| 1.0 + f64::from(i) * 1e-16).collect();
        let r: Vec<f64> = a[..8].to_vec();
        let tree = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        let expected = a[8..].iter().fold(tree, |s, v| s + v);
        assert_eq!(pairwise_sum(&a), expected);
        assert_eq!(pairwise_sum(&[1.0, 2.0]), 3.0);
        let big: Vec<f64> = (0..300).map(f64::from).collect();
        assert_eq!(pairwise_sum(&big), 44850.0);
        // numpy.sum([1e16, 1, ..., 1]) with 15 ones: 1e16 + 14 exactly.
        let mut v = vec![1.0; 16];
        v[0] = 1e16;
        assert_eq!(pairwise_sum(&v), 1e16 + 14.0);
        assert_eq!(pairwise_sum::<f64>(&[]), 0.0);
    }

    #[test]
    fn long_sums_split_in_halves() {
        let v: Vec<f64> = (0..1000).map(|i| i as f64 * 0.1).collect();
        let exact: f64 = (0..1000).map(|i| i as f64).sum::<f64>() * 0.1;
        assert!((pairwise_sum(&v) - exact).abs() < 1e-9);
    }

    #[test]
    fn indexed_form_sums_in_the_same_order() {
        for n in [0, 5, 13, 128, 129, 1000] {
            let v: Vec<f64> = (0..n)
                .map(|i| 1.0 + i as f64 * 0.1 + 1e-16 * i as f64)
                .collect();
            assert_eq!(
                pairwise_sum_by(n, |k| v[k]).to_bits(),
                pairwise_sum(&v).to_bits(),
                "{n}"
            );
        }
    }

    #[test]
    fn sums_and_moments_equal_numpy_bitwise() {
        // numpy: a = (np.arange(1, 301, dtype=np.float64) * 0.37) ** 2
        let a: Vec<f64> = (1..=300)
            .map(|i| (i as f64 * 0.37) * (i as f64 * 0.37))
            .collect();
        assert_eq!(pairwise_sum(&a), 1238267.345);
        let m = mean(&a);
        assert_eq!(m, 4127.557816666666);
        assert_eq!(std(&a, m), 3684.8675217365926);
        // the same in float32
        let b: Vec<f32> = (1..=300)
            .map(|i| (i as f32 * 0.37) * (i as f32 * 0.37))
            .collect();
        assert_eq!(mean_std_f32(&b), (4127.5576, 3684.8674));
        assert_eq!(pairwise_sum::<f64>(&[]), 0.0);
    }
}

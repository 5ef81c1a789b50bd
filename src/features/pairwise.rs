//! Summation in numpy's order, so that sums (and the means, variances and entropies built on them)
//! round exactly as PyRadiomics' `numpy.sum` does.

/// Block length below which numpy sums with eight interleaved accumulators.
const BLOCK: usize = 128;

/// `numpy.sum` of the `n` values `value(0), …, value(n - 1)` along a contiguous axis: numpy's
/// pairwise summation (a plain loop below 8 values, eight interleaved accumulators up to 128
/// values, halves split at a multiple of 8 above).
pub fn pairwise_sum(n: usize, value: impl Fn(usize) -> f64) -> f64 {
    sum_range(0, n, &value)
}

/// `numpy.sum` of a slice (see [`pairwise_sum`]).
pub fn sum_slice(values: &[f64]) -> f64 {
    pairwise_sum(values.len(), |i| values[i])
}

fn sum_range(start: usize, n: usize, value: &impl Fn(usize) -> f64) -> f64 {
    if n < 8 {
        (start..start + n).fold(0.0, |acc, i| acc + value(i))
    } else if n <= BLOCK {
        let mut r = [0.0; 8];
        for (k, acc) in r.iter_mut().enumerate() {
            *acc = value(start + k);
        }
        let blocked = n - n % 8;
        for base in (8..blocked).step_by(8) {
            for (k, acc) in r.iter_mut().enumerate() {
                *acc += value(start + base + k);
            }
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for i in blocked..n {
            res += value(start + i);
        }
        res
    } else {
        let half = n / 2;
        let half = half - half % 8;
        sum_range(start, half, value) + sum_range(start + half, n - half, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_numpy_on_values_where_the_order_matters() {
        // numpy.sum([1e16, 1, 1, ..., 1]) with 15 ones: the ones of each accumulator meet
        // 1e16 one at a time in a plain loop but are added together first pairwise.
        let mut v = vec![1.0; 16];
        v[0] = 1e16;
        // r[0] = 1e16 + 1 (lost), r[1..8] = 2 each: 1e16 + 14 exactly.
        assert_eq!(sum_slice(&v), 1e16 + 14.0);
        assert_eq!(sum_slice(&[]), 0.0);
        assert_eq!(sum_slice(&[1.5, 2.5]), 4.0);
    }

    #[test]
    fn long_sums_split_in_halves() {
        let v: Vec<f64> = (0..1000).map(|i| i as f64 * 0.1).collect();
        let exact: f64 = (0..1000).map(|i| i as f64).sum::<f64>() * 0.1;
        assert!((sum_slice(&v) - exact).abs() < 1e-9);
    }
}

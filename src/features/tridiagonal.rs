//! Eigenvalues of a large symmetric matrix: its independent diagonal blocks found first, each
//! block reduced to tridiagonal form by Householder reflections, then implicit symmetric QR
//! steps with Wilkinson shifts (Golub & Van Loan, *Matrix Computations*, §8.3). About `4/3 n³`
//! flops for a dense block instead of the ~`10 n³` of a general (Hessenberg) eigensolver, and
//! nothing across blocks: a sparse matrix splits into many small ones.

use std::ops::Range;

use multiversion::multiversion;

/// Eigenvalues (unordered) of the symmetric row-major `n x n` matrix `a`. `None` when the QR
/// iteration of some block does not converge.
pub fn symmetric_eigenvalues_by_blocks(a: &[f64], n: usize) -> Option<Vec<f64>> {
    debug_assert_eq!(a.len(), n * n);
    let mut values = Vec::with_capacity(n);
    for block in diagonal_blocks(a, n) {
        let m = block.len();
        let sub: Vec<f64> = block
            .iter()
            .flat_map(|&i| block.iter().map(move |&j| a[i * n + j]))
            .collect();
        let (diagonal, off_diagonal) = tridiagonalize(sub, m);
        values.extend(tridiagonal_eigenvalues(diagonal, off_diagonal)?);
    }
    Some(values)
}

/// The index sets of the connected components of the graph with an edge `i - j` wherever
/// `a(i, j) != 0`: permuted into these blocks, `a` is block-diagonal.
fn diagonal_blocks(a: &[f64], n: usize) -> Vec<Vec<usize>> {
    let mut block_of = vec![usize::MAX; n];
    let mut blocks = Vec::new();
    for start in 0..n {
        if block_of[start] != usize::MAX {
            continue;
        }
        let id = blocks.len();
        block_of[start] = id;
        let mut members = vec![start];
        let mut next = 0;
        while next < members.len() {
            let i = members[next];
            next += 1;
            for (j, &v) in a[i * n..(i + 1) * n].iter().enumerate() {
                if v != 0.0 && block_of[j] == usize::MAX {
                    block_of[j] = id;
                    members.push(j);
                }
            }
        }
        members.sort_unstable();
        blocks.push(members);
    }
    blocks
}

/// Householder reduction of the symmetric row-major `n x n` matrix `a` to tridiagonal form
/// `T = Qᵀ A Q` (G&VL Algorithm 8.3.1, on the lower triangle only): returns the diagonal and
/// the sub-diagonal of `T`. Step `k` takes `v`, `β` with `(I - β v vᵀ) x = ‖x‖ e₁` for the
/// column below the diagonal `x = A[k+1.., k]`, then on the trailing block
/// `p = β A v`, `w = p - (β pᵀv / 2) v`, `A -= v wᵀ + w vᵀ`. That update is applied in the same
/// pass over the block as the next step's product `A v` (the next `x` is updated on its own
/// first), so the block is read once per step.
fn tridiagonalize(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut diagonal = vec![0.0; n];
    let mut off_diagonal = vec![0.0; n.saturating_sub(1)];
    // The update `A -= v wᵀ + w vᵀ` still to be applied to the trailing block.
    let mut v = vec![0.0; n];
    let mut w = vec![0.0; n];
    let mut next_v = vec![0.0; n];
    let mut p = vec![0.0; n];
    let updated = |a: &[f64], v: &[f64], w: &[f64], r: usize, c: usize| {
        a[r * n + c] - (v[r] * w[c] + w[r] * v[c])
    };
    for k in 0..n.saturating_sub(2) {
        diagonal[k] = updated(&a, &v, &w, k, k);
        let trailing = k + 1..n;
        for r in trailing.clone() {
            next_v[r] = updated(&a, &v, &w, r, k);
        }
        let beta = match householder(&mut next_v[trailing.clone()]) {
            Some((beta, norm)) => {
                off_diagonal[k] = norm;
                beta
            }
            None => {
                off_diagonal[k] = next_v[k + 1];
                next_v[trailing.clone()].iter_mut().for_each(|x| *x = 0.0);
                0.0
            }
        };
        update_and_multiply(&mut a, n, trailing.clone(), [&v, &w], &next_v, &mut p);
        let pv: f64 = trailing.clone().map(|r| p[r] * next_v[r]).sum();
        let half = beta * pv / 2.0;
        for r in trailing {
            v[r] = next_v[r];
            w[r] = beta * p[r] - half * beta * next_v[r];
        }
    }
    for k in n.saturating_sub(2)..n {
        diagonal[k] = updated(&a, &v, &w, k, k);
        if k + 1 < n {
            off_diagonal[k] = updated(&a, &v, &w, k + 1, k);
        }
    }
    (diagonal, off_diagonal)
}

/// On the lower triangle of the block `rows x rows` of the symmetric `a`: applies the pending
/// update `A -= v wᵀ + w vᵀ` (`pending = [v, w]`), then sets `p[rows] = A x[rows]` with the
/// updated block. Sums run in eight interleaved lanes (a fixed order, so every SIMD width
/// computes the same bits).
#[multiversion(targets("x86_64+avx512f", "x86_64+avx2", "aarch64+neon"))]
fn update_and_multiply(
    a: &mut [f64],
    n: usize,
    rows: Range<usize>,
    pending: [&[f64]; 2],
    x: &[f64],
    p: &mut [f64],
) {
    const LANES: usize = 8;
    let [v, w] = pending;
    let start = rows.start;
    p[rows.clone()].iter_mut().for_each(|y| *y = 0.0);
    for r in rows {
        let (vr, wr, xr) = (v[r], w[r], x[r]);
        let row = &mut a[r * n + start..=r * n + r];
        let (row, diagonal) = row.split_at_mut(r - start);
        let (below, at_r) = p.split_at_mut(r);
        let cols = start..r;
        let (v, w, x, below) = (
            &v[cols.clone()],
            &w[cols.clone()],
            &x[cols],
            &mut below[start..],
        );
        let done = row.len() / LANES * LANES;
        let mut lanes = [0.0; LANES];
        let mut row_chunks = row.chunks_exact_mut(LANES);
        let mut below_chunks = below.chunks_exact_mut(LANES);
        let chunks = (&mut row_chunks)
            .zip(&mut below_chunks)
            .zip(v.chunks_exact(LANES).zip(w.chunks_exact(LANES)))
            .zip(x.chunks_exact(LANES));
        for (((row, below), (v, w)), x) in chunks {
            for lane in 0..LANES {
                row[lane] -= vr * w[lane] + wr * v[lane];
                lanes[lane] += row[lane] * x[lane];
                below[lane] += row[lane] * xr;
            }
        }
        let mut dot = lanes.iter().sum::<f64>();
        for c in done..row.len() {
            row[c] -= vr * w[c] + wr * v[c];
            dot += row[c] * x[c];
            below[c] += row[c] * xr;
        }
        diagonal[0] -= 2.0 * vr * wr;
        at_r[0] += dot + diagonal[0] * xr;
    }
}

/// The Householder vector of `x` in place (`v₀ = 1`), with `β` and `‖x‖`, which
/// `(I - β v vᵀ) x = ‖x‖ e₁` leaves in its first entry (G&VL Algorithm 5.1.1); `None` when `x`
/// is already a multiple of `e₁`.
fn householder(x: &mut [f64]) -> Option<(f64, f64)> {
    let (first, rest) = x.split_first_mut()?;
    let sigma: f64 = rest.iter().map(|v| v * v).sum();
    if sigma == 0.0 {
        return None;
    }
    let norm = (*first * *first + sigma).sqrt();
    // v₀ = x₀ - ‖x‖, computed without cancellation when x₀ > 0.
    let v0 = if *first <= 0.0 {
        *first - norm
    } else {
        -sigma / (*first + norm)
    };
    let beta = 2.0 * v0 * v0 / (sigma + v0 * v0);
    rest.iter_mut().for_each(|v| *v /= v0);
    *first = 1.0;
    Some((beta, norm))
}

/// Eigenvalues of the symmetric tridiagonal matrix with `diagonal` and `off_diagonal`, by
/// implicit QR steps with Wilkinson shifts (G&VL Algorithm 8.3.2), deflating wherever
/// `|e_i| <= ε (|d_i| + |d_{i+1}|)`. `None` after `30 n` steps without convergence.
fn tridiagonal_eigenvalues(mut d: Vec<f64>, mut e: Vec<f64>) -> Option<Vec<f64>> {
    let n = d.len();
    let mut steps_left = 30 * n.max(1);
    let mut hi = n.saturating_sub(1);
    while hi > 0 {
        for i in 0..hi {
            if e[i].abs() <= f64::EPSILON * (d[i].abs() + d[i + 1].abs()) {
                e[i] = 0.0;
            }
        }
        if e[hi - 1] == 0.0 {
            hi -= 1;
            continue;
        }
        let mut lo = hi - 1;
        while lo > 0 && e[lo - 1] != 0.0 {
            lo -= 1;
        }
        if steps_left == 0 {
            return None;
        }
        steps_left -= 1;
        qr_step(&mut d[lo..=hi], &mut e[lo..hi]);
    }
    Some(d)
}

/// `sqrt(x² + z²)`, by `hypot` only where the plain formula could overflow or underflow.
fn norm2(x: f64, z: f64) -> f64 {
    let r = (x * x + z * z).sqrt();
    if r.is_normal() && r > 1e-150 && r < 1e150 {
        r
    } else {
        x.hypot(z)
    }
}

/// One implicit symmetric QR step with a Wilkinson shift on an unreduced tridiagonal block:
/// a Givens rotation of rows and columns `(k, k+1)` for each `k`, the first set by the shift,
/// each later one chasing the bulge the previous one left below the sub-diagonal.
fn qr_step(d: &mut [f64], e: &mut [f64]) {
    let m = d.len() - 1;
    // The eigenvalue of the trailing 2x2 block nearer its last diagonal entry.
    let t = (d[m - 1] - d[m]) / 2.0;
    let e_last = e[m - 1];
    let shift = d[m] - e_last * e_last / (t + t.signum() * t.hypot(e_last));
    let mut x = d[0] - shift;
    let mut z = e[0];
    for k in 0..m {
        let r = norm2(x, z);
        let (c, s) = if r == 0.0 { (1.0, 0.0) } else { (x / r, z / r) };
        if k > 0 {
            e[k - 1] = r;
        }
        let (a, b, cc) = (d[k], e[k], d[k + 1]);
        d[k] = c * c * a + 2.0 * c * s * b + s * s * cc;
        d[k + 1] = s * s * a - 2.0 * c * s * b + c * c * cc;
        e[k] = c * s * (cc - a) + (c * c - s * s) * b;
        if k + 1 < m {
            x = e[k];
            z = s * e[k + 1];
            e[k + 1] *= c;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::eigenvalues::symmetric_eigenvalues;
    use crate::test_random::random_u64s;

    fn sorted(mut values: Vec<f64>) -> Vec<f64> {
        values.sort_by(f64::total_cmp);
        values
    }

    fn random_symmetric(n: usize, seed: u64, keep: impl Fn(usize, usize) -> bool) -> Vec<f64> {
        let mut next = random_u64s(seed);
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                if keep(i, j) {
                    let v = (next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                    a[i * n + j] = v;
                    a[j * n + i] = v;
                }
            }
        }
        a
    }

    #[test]
    fn second_difference_matrix_has_its_known_eigenvalues() {
        // tridiag(-1, 2, -1): eigenvalues 2 - 2 cos(kπ / (n + 1)), given in full storage.
        let n = 50;
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            a[i * n + i] = 2.0;
            if i + 1 < n {
                a[i * n + i + 1] = -1.0;
                a[(i + 1) * n + i] = -1.0;
            }
        }
        let got = sorted(symmetric_eigenvalues_by_blocks(&a, n).unwrap());
        for (k, value) in got.iter().enumerate() {
            let want = 2.0 - 2.0 * ((k + 1) as f64 * std::f64::consts::PI / (n + 1) as f64).cos();
            assert!((value - want).abs() < 1e-13, "{k}: {value} vs {want}");
        }
    }

    #[test]
    fn dense_random_matrices_agree_with_jacobi() {
        for (n, seed) in [(1, 1), (2, 2), (3, 3), (17, 4), (90, 5)] {
            let a = random_symmetric(n, seed, |_, _| true);
            let got = sorted(symmetric_eigenvalues_by_blocks(&a, n).unwrap());
            let want = sorted(symmetric_eigenvalues(a, n));
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() < 1e-12, "n = {n}: {g} vs {w}");
            }
        }
    }

    #[test]
    fn block_diagonal_matrix_splits_into_its_blocks() {
        // Entries only between indices of equal parity, and none at all for index 7.
        let n = 40;
        let a = random_symmetric(n, 6, |i, j| (i + j) % 2 == 0 && i != 7 && j != 7);
        let blocks = diagonal_blocks(&a, n);
        assert_eq!(blocks.len(), 3);
        assert!(blocks.contains(&vec![7]));
        let got = sorted(symmetric_eigenvalues_by_blocks(&a, n).unwrap());
        let want = sorted(symmetric_eigenvalues(a, n));
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-12, "{g} vs {w}");
        }
    }
}

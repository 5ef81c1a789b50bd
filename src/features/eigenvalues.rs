//! Eigenvalues of a small dense real (non-symmetric) matrix, as `numpy.linalg.eigvals` returns
//! them: balancing, Householder reduction to upper Hessenberg form, then the Francis
//! double-shift QR iteration on the Hessenberg matrix.

/// A complex number `(re, im)`.
pub type Complex = (f64, f64);

/// The eigenvalues of the row-major `n x n` matrix `a` (consumed as workspace), unordered.
/// `None` when the QR iteration does not converge.
pub fn eigenvalues(mut a: Vec<f64>, n: usize) -> Option<Vec<Complex>> {
    debug_assert_eq!(a.len(), n * n);
    balance(&mut a, n);
    hessenberg(&mut a, n);
    hessenberg_eigenvalues(&mut a, n)
}

/// Scale rows and columns by powers of 2 so that each row and its column have similar norms
/// (a similarity transform that improves the accuracy of the eigenvalues).
fn balance(a: &mut [f64], n: usize) {
    const RADIX: f64 = 2.0;
    let sq = RADIX * RADIX;
    let mut done = false;
    while !done {
        done = true;
        for i in 0..n {
            let mut c = 0.0;
            let mut r = 0.0;
            for j in (0..n).filter(|&j| j != i) {
                c += a[j * n + i].abs();
                r += a[i * n + j].abs();
            }
            if c == 0.0 || r == 0.0 {
                continue;
            }
            let s = c + r;
            let mut g = r / RADIX;
            let mut f = 1.0;
            while c < g {
                f *= RADIX;
                c *= sq;
            }
            g = r * RADIX;
            while c > g {
                f /= RADIX;
                c /= sq;
            }
            if (c + r) / f < 0.95 * s {
                done = false;
                g = 1.0 / f;
                for j in 0..n {
                    a[i * n + j] *= g;
                }
                for j in 0..n {
                    a[j * n + i] *= f;
                }
            }
        }
    }
}

/// Reduce `a` to upper Hessenberg form by Householder reflections (orthogonal similarity).
fn hessenberg(a: &mut [f64], n: usize) {
    let mut v = vec![0.0; n];
    for k in 0..n.saturating_sub(2) {
        let scale: f64 = (k + 1..n).map(|i| a[i * n + k].abs()).sum();
        if scale == 0.0 {
            continue;
        }
        let mut h = 0.0;
        for i in k + 1..n {
            v[i] = a[i * n + k] / scale;
            h += v[i] * v[i];
        }
        let g = if v[k + 1] > 0.0 { -h.sqrt() } else { h.sqrt() };
        h -= v[k + 1] * g;
        v[k + 1] -= g;
        // A <- (I - v v^T / h) A (I - v v^T / h)
        for j in 0..n {
            let f: f64 = (k + 1..n).map(|i| v[i] * a[i * n + j]).sum::<f64>() / h;
            for i in k + 1..n {
                a[i * n + j] -= f * v[i];
            }
        }
        for i in 0..n {
            let f: f64 = (k + 1..n).map(|j| v[j] * a[i * n + j]).sum::<f64>() / h;
            for j in k + 1..n {
                a[i * n + j] -= f * v[j];
            }
        }
        a[(k + 1) * n + k] = scale * g;
        for i in k + 2..n {
            a[i * n + k] = 0.0;
        }
    }
}

/// `|a|` with the sign of `b`.
fn sign(a: f64, b: f64) -> f64 {
    if b >= 0.0 { a.abs() } else { -a.abs() }
}

/// Eigenvalues of the upper Hessenberg matrix `h` by the Francis double-shift QR iteration,
/// deflating single and 2x2 blocks from the bottom.
fn hessenberg_eigenvalues(h: &mut [f64], n: usize) -> Option<Vec<Complex>> {
    let idx = |i: usize, j: usize| i * n + j;
    let mut w = vec![(0.0, 0.0); n];
    let mut norm = 0.0;
    for i in 0..n {
        for j in i.saturating_sub(1)..n {
            norm += h[idx(i, j)].abs();
        }
    }
    let mut shift = 0.0;
    let mut nn = n as isize - 1;
    while nn >= 0 {
        let mut iterations = 0;
        loop {
            let last = nn as usize;
            // Find the lowest negligible sub-diagonal element: the active block is l..=last.
            let mut l = last;
            while l >= 1 {
                let mut s = h[idx(l - 1, l - 1)].abs() + h[idx(l, l)].abs();
                if s == 0.0 {
                    s = norm;
                }
                if h[idx(l, l - 1)].abs() + s == s {
                    h[idx(l, l - 1)] = 0.0;
                    break;
                }
                l -= 1;
            }
            let mut x = h[idx(last, last)];
            if l == last {
                w[last] = (x + shift, 0.0);
                nn -= 1;
                break;
            }
            let mut y = h[idx(last - 1, last - 1)];
            let mut ww = h[idx(last, last - 1)] * h[idx(last - 1, last)];
            if l == last - 1 {
                let p = 0.5 * (y - x);
                let q = p * p + ww;
                let z = q.abs().sqrt();
                x += shift;
                if q >= 0.0 {
                    let z = p + sign(z, p);
                    w[last - 1] = (x + z, 0.0);
                    w[last] = (if z != 0.0 { x - ww / z } else { x + z }, 0.0);
                } else {
                    w[last - 1] = (x + p, z);
                    w[last] = (x + p, -z);
                }
                nn -= 2;
                break;
            }
            if iterations == 60 {
                return None;
            }
            if iterations == 10 || iterations == 20 {
                // Exceptional shift.
                shift += x;
                for i in 0..=last {
                    h[idx(i, i)] -= x;
                }
                let s = h[idx(last, last - 1)].abs() + h[idx(last - 1, last - 2)].abs();
                x = 0.75 * s;
                y = x;
                ww = -0.4375 * s * s;
            }
            iterations += 1;
            // Look for two consecutive small sub-diagonal elements.
            let mut m = last - 2;
            let (mut p, mut q, mut r);
            loop {
                let z = h[idx(m, m)];
                let rr = x - z;
                let s = y - z;
                p = (rr * s - ww) / h[idx(m + 1, m)] + h[idx(m, m + 1)];
                q = h[idx(m + 1, m + 1)] - z - rr - s;
                r = h[idx(m + 2, m + 1)];
                let s = p.abs() + q.abs() + r.abs();
                p /= s;
                q /= s;
                r /= s;
                if m == l {
                    break;
                }
                let u = h[idx(m, m - 1)].abs() * (q.abs() + r.abs());
                let v =
                    p.abs() * (h[idx(m - 1, m - 1)].abs() + z.abs() + h[idx(m + 1, m + 1)].abs());
                if u + v == v {
                    break;
                }
                m -= 1;
            }
            for i in m + 2..=last {
                h[idx(i, i - 2)] = 0.0;
                if i != m + 2 {
                    h[idx(i, i - 3)] = 0.0;
                }
            }
            // Double QR step on rows l..=last and columns m..=last.
            for k in m..last {
                if k != m {
                    p = h[idx(k, k - 1)];
                    q = h[idx(k + 1, k - 1)];
                    r = if k != last - 1 {
                        h[idx(k + 2, k - 1)]
                    } else {
                        0.0
                    };
                    x = p.abs() + q.abs() + r.abs();
                    if x != 0.0 {
                        p /= x;
                        q /= x;
                        r /= x;
                    }
                }
                let s = sign((p * p + q * q + r * r).sqrt(), p);
                if s == 0.0 {
                    continue;
                }
                if k == m {
                    if l != m {
                        h[idx(k, k - 1)] = -h[idx(k, k - 1)];
                    }
                } else {
                    h[idx(k, k - 1)] = -s * x;
                }
                p += s;
                x = p / s;
                y = q / s;
                let z = r / s;
                q /= p;
                r /= p;
                for j in k..=last {
                    let mut pp = h[idx(k, j)] + q * h[idx(k + 1, j)];
                    if k != last - 1 {
                        pp += r * h[idx(k + 2, j)];
                        h[idx(k + 2, j)] -= pp * z;
                    }
                    h[idx(k + 1, j)] -= pp * y;
                    h[idx(k, j)] -= pp * x;
                }
                let mmin = last.min(k + 3);
                for i in l..=mmin {
                    let mut pp = x * h[idx(i, k)] + y * h[idx(i, k + 1)];
                    if k != last - 1 {
                        pp += z * h[idx(i, k + 2)];
                        h[idx(i, k + 2)] -= pp * r;
                    }
                    h[idx(i, k + 1)] -= pp * q;
                    h[idx(i, k)] -= pp;
                }
            }
        }
    }
    Some(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut w: Vec<Complex>) -> Vec<Complex> {
        w.sort_by(|a, b| a.partial_cmp(b).unwrap());
        w
    }

    fn close(a: &[Complex], b: &[Complex]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!(
                (x.0 - y.0).abs() < 1e-12 && (x.1 - y.1).abs() < 1e-12,
                "{a:?} vs {b:?}"
            );
        }
    }

    #[test]
    fn triangular_matrix_has_its_diagonal() {
        let a = vec![1.0, 5.0, 7.0, 0.0, 3.0, 2.0, 0.0, 0.0, 2.0];
        close(
            &sorted(eigenvalues(a, 3).unwrap()),
            &[(1.0, 0.0), (2.0, 0.0), (3.0, 0.0)],
        );
    }

    #[test]
    fn rotation_has_complex_pair() {
        let a = vec![0.0, -1.0, 1.0, 0.0];
        close(
            &sorted(eigenvalues(a, 2).unwrap()),
            &[(0.0, -1.0), (0.0, 1.0)],
        );
    }

    #[test]
    fn matches_numpy_on_a_general_matrix() {
        // numpy.linalg.eigvals([[4,1,2,0.5],[3,-1,0,2],[0.2,5,1,1],[1,1,1,1]])
        let a = vec![
            4.0, 1.0, 2.0, 0.5, 3.0, -1.0, 0.0, 2.0, 0.2, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
        ];
        let expected = [
            (-1.063_588_709_425_856_3, -1.947_095_620_018_805),
            (-1.063_588_709_425_856_3, 1.947_095_620_018_805),
            (1.041_526_870_229_438_2, 0.0),
            (6.085_650_548_622_274, 0.0),
        ];
        close(&sorted(eigenvalues(a, 4).unwrap()), &expected);
    }
}

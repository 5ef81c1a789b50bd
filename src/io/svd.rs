//! LINPACK's `ssvdc` (single precision SVD, as `vnl_svd<float>` calls it) for 3x3 matrices: ITK
//! decides between a NIfTI file's sform and qform by comparing the left singular vectors that
//! this routine returns, whose signs depend on its exact sequence of Householder reflections and
//! Givens rotations. Ported from the algorithm's published description (LINPACK, Dongarra et
//! al. 1979), with 1-based indices as in the original to keep the correspondence obvious.

// A literal port of an index-heavy numerical routine.
#![allow(clippy::needless_range_loop, clippy::many_single_char_names)]

/// Left singular vectors (columns of `u`) and singular values (absolute, in descending order).
pub(super) struct Svd3 {
    pub u: [[f32; 3]; 3],
    pub w: [f32; 3],
}

/// BLAS `srotg`: builds a Givens rotation; returns (r, z, c, s).
fn rotg(a: f32, b: f32) -> (f32, f32, f32, f32) {
    let roe = if a.abs() > b.abs() { a } else { b };
    let scale = a.abs() + b.abs();
    if scale == 0.0 {
        return (0.0, 0.0, 1.0, 0.0);
    }
    let (ra, rb) = (a / scale, b / scale);
    // The square root and the product with `scale` are taken in double precision (f2c).
    let mut r = (f64::from(scale) * f64::from(ra * ra + rb * rb).sqrt()) as f32;
    r *= if roe >= 0.0 { 1.0 } else { -1.0 };
    let c = a / r;
    let s = b / r;
    let mut z = 1.0;
    if a.abs() > b.abs() {
        z = s;
    }
    if b.abs() >= a.abs() && c != 0.0 {
        z = 1.0 / c;
    }
    (r, z, c, s)
}

/// BLAS `snrm2` (scaled sum of squares, final product in double precision).
fn nrm2(x: impl Iterator<Item = f32>) -> f32 {
    let (mut scale, mut ssq) = (0f32, 1f32);
    for xi in x.filter(|&v| v != 0.0) {
        let a = xi.abs();
        if scale < a {
            let r = scale / a;
            ssq = ssq * (r * r) + 1.0;
            scale = a;
        } else {
            let r = a / scale;
            ssq += r * r;
        }
    }
    (f64::from(scale) * f64::from(ssq).sqrt()) as f32
}

/// Fortran's `sign(a, b)`: |a| with the sign of b.
fn sign(a: f32, b: f32) -> f32 {
    if b >= 0.0 { a.abs() } else { -a.abs() }
}

/// Applies a plane rotation to columns `i` and `j` of `m` (BLAS `srot`).
fn rot(m: &mut [[f32; 4]; 4], i: usize, j: usize, c: f32, s: f32) {
    for r in 1..=3 {
        let t = c * m[r][i] + s * m[r][j];
        m[r][j] = c * m[r][j] - s * m[r][i];
        m[r][i] = t;
    }
}

/// `ssvdc` with job 21 on a 3x3 matrix `a` (row-major).
pub(super) fn svd3(a: [[f32; 3]; 3]) -> Svd3 {
    const N: usize = 3;
    const P: usize = 3;
    let mut x = [[0f32; 4]; 4];
    for i in 1..=N {
        for j in 1..=P {
            x[i][j] = a[i - 1][j - 1];
        }
    }
    let mut s = [0f32; 5];
    let mut e = [0f32; 5];
    let mut u = [[0f32; 4]; 4];
    let mut v = [[0f32; 4]; 4];
    let mut work = [0f32; 4];
    let nct = (N - 1).min(P);
    let nrt = P.saturating_sub(2).min(N);
    let lu = nct.max(nrt);
    let ncu = N.min(P);

    // Reduction to bidiagonal form.
    for l in 1..=lu {
        let lp1 = l + 1;
        if l <= nct {
            s[l] = nrm2((l..=N).map(|i| x[i][l]));
            if s[l] != 0.0 {
                if x[l][l] != 0.0 {
                    s[l] = sign(s[l], x[l][l]);
                }
                let inv = 1.0 / s[l];
                for i in l..=N {
                    x[i][l] *= inv;
                }
                x[l][l] += 1.0;
            }
            s[l] = -s[l];
        }
        for j in lp1..=P {
            if l <= nct && s[l] != 0.0 {
                let t = -(l..=N).map(|i| x[i][l] * x[i][j]).sum::<f32>() / x[l][l];
                for i in l..=N {
                    x[i][j] += t * x[i][l];
                }
            }
            e[j] = x[l][j];
        }
        if l <= nct {
            for i in l..=N {
                u[i][l] = x[i][l];
            }
        }
        if l <= nrt {
            e[l] = nrm2((lp1..=P).map(|i| e[i]));
            if e[l] != 0.0 {
                if e[lp1] != 0.0 {
                    e[l] = sign(e[l], e[lp1]);
                }
                let inv = 1.0 / e[l];
                for i in lp1..=P {
                    e[i] *= inv;
                }
                e[lp1] += 1.0;
            }
            e[l] = -e[l];
            if lp1 <= N && e[l] != 0.0 {
                for i in lp1..=N {
                    work[i] = 0.0;
                }
                for j in lp1..=P {
                    for i in lp1..=N {
                        work[i] += e[j] * x[i][j];
                    }
                }
                for j in lp1..=P {
                    let t = -e[j] / e[lp1];
                    for i in lp1..=N {
                        x[i][j] += t * work[i];
                    }
                }
            }
            for i in lp1..=P {
                v[i][l] = e[i];
            }
        }
    }

    // The final bidiagonal matrix and the transformations.
    let mut m = P.min(N + 1);
    let nctp1 = nct + 1;
    let nrtp1 = nrt + 1;
    if nct < P {
        s[nctp1] = x[nctp1][nctp1];
    }
    if N < m {
        s[m] = 0.0;
    }
    if nrtp1 < m {
        e[nrtp1] = x[nrtp1][m];
    }
    e[m] = 0.0;
    for j in nctp1..=ncu {
        for i in 1..=N {
            u[i][j] = 0.0;
        }
        u[j][j] = 1.0;
    }
    for l in (1..=nct).rev() {
        if s[l] != 0.0 {
            for j in l + 1..=ncu {
                let t = -(l..=N).map(|i| u[i][l] * u[i][j]).sum::<f32>() / u[l][l];
                for i in l..=N {
                    u[i][j] += t * u[i][l];
                }
            }
            for i in l..=N {
                u[i][l] = -u[i][l];
            }
            u[l][l] += 1.0;
            for i in 1..l {
                u[i][l] = 0.0;
            }
        } else {
            for i in 1..=N {
                u[i][l] = 0.0;
            }
            u[l][l] = 1.0;
        }
    }
    for l in (1..=P).rev() {
        let lp1 = l + 1;
        if l <= nrt && e[l] != 0.0 {
            for j in lp1..=P {
                let t = -(lp1..=P).map(|i| v[i][l] * v[i][j]).sum::<f32>() / v[lp1][l];
                for i in lp1..=P {
                    v[i][j] += t * v[i][l];
                }
            }
        }
        for i in 1..=P {
            v[i][l] = 0.0;
        }
        v[l][l] = 1.0;
    }

    // Diagonalisation of the bidiagonal matrix.
    let mm = m;
    let mut iter = 0;
    while m > 0 && iter < 1000 {
        let mut l = 0;
        for ll in 1..=m {
            l = m - ll;
            if l == 0 {
                break;
            }
            let test = s[l].abs() + s[l + 1].abs();
            if test + e[l].abs() == test {
                e[l] = 0.0;
                break;
            }
        }
        let kase;
        if l == m - 1 {
            kase = 4;
        } else {
            let mut ls = l;
            for lls in l + 1..=m + 1 {
                ls = m + l + 1 - lls;
                if ls == l {
                    break;
                }
                let mut test = 0.0;
                if ls != m {
                    test += e[ls].abs();
                }
                if ls != l + 1 {
                    test += e[ls - 1].abs();
                }
                if test + s[ls].abs() == test {
                    s[ls] = 0.0;
                    break;
                }
            }
            if ls == l {
                kase = 3;
            } else if ls == m {
                kase = 1;
            } else {
                kase = 2;
                l = ls;
            }
        }
        l += 1;
        match kase {
            1 => {
                // Deflate negligible s(m).
                let mm1 = m - 1;
                let mut f = e[m - 1];
                e[m - 1] = 0.0;
                for k in (l..=mm1).rev() {
                    let (r, _, cs, sn) = rotg(s[k], f);
                    s[k] = r;
                    if k != l {
                        f = -sn * e[k - 1];
                        e[k - 1] *= cs;
                    }
                    rot(&mut v, k, m, cs, sn);
                }
            }
            2 => {
                // Split at negligible s(l).
                let mut f = e[l - 1];
                e[l - 1] = 0.0;
                for k in l..=m {
                    let (r, _, cs, sn) = rotg(s[k], f);
                    s[k] = r;
                    f = -sn * e[k];
                    e[k] *= cs;
                    rot(&mut u, k, l - 1, cs, sn);
                }
            }
            3 => {
                // One QR step.
                let scale = s[m]
                    .abs()
                    .max(s[m - 1].abs())
                    .max(e[m - 1].abs())
                    .max(s[l].abs())
                    .max(e[l].abs());
                let sm = s[m] / scale;
                let smm1 = s[m - 1] / scale;
                let emm1 = e[m - 1] / scale;
                let sl = s[l] / scale;
                let el = e[l] / scale;
                let b = ((smm1 + sm) * (smm1 - sm) + emm1 * emm1) / 2.0;
                let c = (sm * emm1) * (sm * emm1);
                let mut shift = 0.0;
                if !(b == 0.0 && c == 0.0) {
                    shift = (b * b + c).sqrt();
                    if b < 0.0 {
                        shift = -shift;
                    }
                    shift = c / (b + shift);
                }
                let mut f = (sl + sm) * (sl - sm) + shift;
                let mut g = sl * el;
                for k in l..m {
                    let (r, _, cs, sn) = rotg(f, g);
                    if k != l {
                        e[k - 1] = r;
                    }
                    f = cs * s[k] + sn * e[k];
                    e[k] = cs * e[k] - sn * s[k];
                    g = sn * s[k + 1];
                    s[k + 1] *= cs;
                    rot(&mut v, k, k + 1, cs, sn);
                    let (r, _, cs, sn) = rotg(f, g);
                    s[k] = r;
                    f = cs * e[k] + sn * s[k + 1];
                    s[k + 1] = -sn * e[k] + cs * s[k + 1];
                    g = sn * e[k + 1];
                    e[k + 1] *= cs;
                    if k < N {
                        rot(&mut u, k, k + 1, cs, sn);
                    }
                }
                e[m - 1] = f;
                iter += 1;
            }
            _ => {
                // Convergence: make s(l) positive, then sort.
                if s[l] < 0.0 {
                    s[l] = -s[l];
                    for i in 1..=P {
                        v[i][l] = -v[i][l];
                    }
                }
                while l != mm && s[l] < s[l + 1] {
                    s.swap(l, l + 1);
                    for i in 1..=3 {
                        v[i].swap(l, l + 1);
                        u[i].swap(l, l + 1);
                    }
                    l += 1;
                }
                iter = 0;
                m -= 1;
            }
        }
    }
    Svd3 {
        u: std::array::from_fn(|i| std::array::from_fn(|j| u[i + 1][j + 1])),
        w: std::array::from_fn(|j| s[j + 1].abs()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposes_a_matrix() {
        let a = [[0.5f32, -1.2, 2.0], [1.5, 0.3, -0.7], [-0.2, 2.2, 0.9]];
        let svd = svd3(a);
        assert!(svd.w[0] >= svd.w[1] && svd.w[1] >= svd.w[2]);
        // U is orthogonal and U^T A has rows of norm w.
        for i in 0..3 {
            for j in 0..3 {
                let dot: f32 = (0..3).map(|k| svd.u[k][i] * svd.u[k][j]).sum();
                assert!((dot - if i == j { 1.0 } else { 0.0 }).abs() < 1e-5);
            }
            let row: Vec<f32> = (0..3)
                .map(|c| (0..3).map(|k| svd.u[k][i] * a[k][c]).sum())
                .collect();
            let norm = row.iter().map(|v| v * v).sum::<f32>().sqrt();
            assert!((norm - svd.w[i]).abs() < 1e-5);
        }
    }
}

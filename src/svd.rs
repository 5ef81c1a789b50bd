//! LINPACK's singular value decomposition (`ssvdc` / `dsvdc`, as `vnl_svd<float>` and
//! `vnl_svd<double>` call it) for 3x3 matrices, and ITK's matrix inverse built on it. ITK decides
//! between a NIfTI file's sform and qform by comparing the left singular vectors of the float
//! routine, whose signs depend on its exact sequence of Householder reflections and Givens
//! rotations; and it inverts an image's `direction · diag(spacing)` matrix (to map physical
//! points to indices) as `vnl_svd<double>`'s pseudo-inverse `V · W⁻¹ · Uᵀ`, whose last bits decide
//! on which side of a voxel boundary a resampled point falls. Ported from the algorithm's
//! published description (LINPACK, Dongarra et al. 1979), with 1-based indices as in the
//! original to keep the correspondence obvious.

// A literal port of an index-heavy numerical routine.
#![allow(clippy::needless_range_loop, clippy::many_single_char_names)]

use num_traits::{Float, NumAssign};

/// The floating-point types the routine runs in (`f32`: `ssvdc`, `f64`: `dsvdc`).
pub trait SvdReal: Float + NumAssign {
    /// `scale · sqrt(ssq)` as the f2c-translated BLAS computes it: in double precision.
    fn scaled_sqrt(scale: Self, ssq: Self) -> Self;
}

impl SvdReal for f32 {
    fn scaled_sqrt(scale: f32, ssq: f32) -> f32 {
        (f64::from(scale) * f64::from(ssq).sqrt()) as f32
    }
}

impl SvdReal for f64 {
    fn scaled_sqrt(scale: f64, ssq: f64) -> f64 {
        scale * ssq.sqrt()
    }
}

/// Singular vectors (columns of `u` and `v`) and singular values (absolute, in descending order).
pub struct Svd3<T> {
    pub u: [[T; 3]; 3],
    pub w: [T; 3],
    pub v: [[T; 3]; 3],
}

/// BLAS `srotg` / `drotg`: builds a Givens rotation; returns (r, z, c, s).
fn rotg<T: SvdReal>(a: T, b: T) -> (T, T, T, T) {
    let (zero, one) = (T::zero(), T::one());
    let roe = if a.abs() > b.abs() { a } else { b };
    let scale = a.abs() + b.abs();
    if scale == zero {
        return (zero, zero, one, zero);
    }
    let (ra, rb) = (a / scale, b / scale);
    let mut r = T::scaled_sqrt(scale, ra * ra + rb * rb);
    r *= if roe >= zero { one } else { -one };
    let c = a / r;
    let s = b / r;
    let mut z = one;
    if a.abs() > b.abs() {
        z = s;
    }
    if b.abs() >= a.abs() && c != zero {
        z = one / c;
    }
    (r, z, c, s)
}

/// BLAS `snrm2` / `dnrm2` (scaled sum of squares).
fn nrm2<T: SvdReal>(x: impl Iterator<Item = T>) -> T {
    let (mut scale, mut ssq) = (T::zero(), T::one());
    for xi in x.filter(|&v| v != T::zero()) {
        let a = xi.abs();
        if scale < a {
            let r = scale / a;
            ssq = ssq * (r * r) + T::one();
            scale = a;
        } else {
            let r = a / scale;
            ssq += r * r;
        }
    }
    T::scaled_sqrt(scale, ssq)
}

/// BLAS `sdot` / `ddot` of short vectors: products summed in order from zero.
fn dot<T: SvdReal>(products: impl Iterator<Item = T>) -> T {
    products.fold(T::zero(), |sum, p| sum + p)
}

/// Fortran's `sign(a, b)`: |a| with the sign of b.
fn sign<T: SvdReal>(a: T, b: T) -> T {
    if b >= T::zero() { a.abs() } else { -a.abs() }
}

/// Applies a plane rotation to columns `i` and `j` of `m` (BLAS `srot` / `drot`).
fn rot<T: SvdReal>(m: &mut [[T; 4]; 4], i: usize, j: usize, c: T, s: T) {
    for r in 1..=3 {
        let t = c * m[r][i] + s * m[r][j];
        m[r][j] = c * m[r][j] - s * m[r][i];
        m[r][i] = t;
    }
}

/// `ssvdc` / `dsvdc` with job 21 on a 3x3 matrix `a` (row-major), as `vnl_svd` calls it.
pub fn svd3<T: SvdReal>(a: [[T; 3]; 3]) -> Svd3<T> {
    let (zero, one) = (T::zero(), T::one());
    const N: usize = 3;
    const P: usize = 3;
    let mut x = [[zero; 4]; 4];
    for i in 1..=N {
        for j in 1..=P {
            x[i][j] = a[i - 1][j - 1];
        }
    }
    let mut s = [zero; 5];
    let mut e = [zero; 5];
    let mut u = [[zero; 4]; 4];
    let mut v = [[zero; 4]; 4];
    let mut work = [zero; 4];
    let nct = (N - 1).min(P);
    let nrt = P.saturating_sub(2).min(N);
    let lu = nct.max(nrt);
    let ncu = N.min(P);

    // Reduction to bidiagonal form.
    for l in 1..=lu {
        let lp1 = l + 1;
        if l <= nct {
            s[l] = nrm2((l..=N).map(|i| x[i][l]));
            if s[l] != zero {
                if x[l][l] != zero {
                    s[l] = sign(s[l], x[l][l]);
                }
                let inv = one / s[l];
                for i in l..=N {
                    x[i][l] *= inv;
                }
                x[l][l] += one;
            }
            s[l] = -s[l];
        }
        for j in lp1..=P {
            if l <= nct && s[l] != zero {
                let t = -dot((l..=N).map(|i| x[i][l] * x[i][j])) / x[l][l];
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
            if e[l] != zero {
                if e[lp1] != zero {
                    e[l] = sign(e[l], e[lp1]);
                }
                let inv = one / e[l];
                for i in lp1..=P {
                    e[i] *= inv;
                }
                e[lp1] += one;
            }
            e[l] = -e[l];
            if lp1 <= N && e[l] != zero {
                for i in lp1..=N {
                    work[i] = zero;
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
        s[m] = zero;
    }
    if nrtp1 < m {
        e[nrtp1] = x[nrtp1][m];
    }
    e[m] = zero;
    for j in nctp1..=ncu {
        for i in 1..=N {
            u[i][j] = zero;
        }
        u[j][j] = one;
    }
    for l in (1..=nct).rev() {
        if s[l] != zero {
            for j in l + 1..=ncu {
                let t = -dot((l..=N).map(|i| u[i][l] * u[i][j])) / u[l][l];
                for i in l..=N {
                    u[i][j] += t * u[i][l];
                }
            }
            for i in l..=N {
                u[i][l] = -u[i][l];
            }
            u[l][l] += one;
            for i in 1..l {
                u[i][l] = zero;
            }
        } else {
            for i in 1..=N {
                u[i][l] = zero;
            }
            u[l][l] = one;
        }
    }
    for l in (1..=P).rev() {
        let lp1 = l + 1;
        if l <= nrt && e[l] != zero {
            for j in lp1..=P {
                let t = -dot((lp1..=P).map(|i| v[i][l] * v[i][j])) / v[lp1][l];
                for i in lp1..=P {
                    v[i][j] += t * v[i][l];
                }
            }
        }
        for i in 1..=P {
            v[i][l] = zero;
        }
        v[l][l] = one;
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
                e[l] = zero;
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
                let mut test = zero;
                if ls != m {
                    test += e[ls].abs();
                }
                if ls != l + 1 {
                    test += e[ls - 1].abs();
                }
                if test + s[ls].abs() == test {
                    s[ls] = zero;
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
                e[m - 1] = zero;
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
                e[l - 1] = zero;
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
                let b = ((smm1 + sm) * (smm1 - sm) + emm1 * emm1) / (one + one);
                let c = (sm * emm1) * (sm * emm1);
                let mut shift = zero;
                if !(b == zero && c == zero) {
                    shift = (b * b + c).sqrt();
                    if b < zero {
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
                if s[l] < zero {
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
    let outer = |m: [[T; 4]; 4]| std::array::from_fn(|i| std::array::from_fn(|j| m[i + 1][j + 1]));
    Svd3 {
        u: outer(u),
        w: std::array::from_fn(|j| s[j + 1].abs()),
        v: outer(v),
    }
}

/// ITK's `Matrix::GetInverse` of a 3x3 matrix: the pseudo-inverse `V · W⁻¹ · Uᵀ` of
/// `vnl_svd<double>` (`vnl_matrix_inverse`), multiplied left to right as `vnl_matrix` does.
/// `None` when the matrix is not finite or singular (ITK refuses those).
pub fn itk_inverse(m: [[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    if !m.iter().flatten().all(|v| v.is_finite()) {
        return None;
    }
    let svd = svd3(m);
    if svd.w.contains(&0.0) {
        return None;
    }
    let mut w_inverse = [[0.0; 3]; 3];
    for (k, row) in w_inverse.iter_mut().enumerate() {
        row[k] = 1.0 / svd.w[k];
    }
    let u_transposed = std::array::from_fn(|i| std::array::from_fn(|j| svd.u[j][i]));
    Some(matmul(&matmul(&svd.v, &w_inverse), &u_transposed))
}

/// `vnl_matrix` multiplication: each entry summed from zero in order of the inner index.
fn matmul(a: &[[f64; 3]; 3], b: &[[f64; 3]; 3]) -> [[f64; 3]; 3] {
    std::array::from_fn(|i| {
        std::array::from_fn(|k| (0..3).fold(0.0, |sum, j| sum + a[i][j] * b[j][k]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposes_a_matrix() {
        let a = [[0.5f32, -1.2, 2.0], [1.5, 0.3, -0.7], [-0.2, 2.2, 0.9]];
        let svd = svd3(a);
        // A = U W Vᵀ.
        for r in 0..3 {
            for c in 0..3 {
                let sum: f32 = (0..3).map(|k| svd.u[r][k] * svd.w[k] * svd.v[c][k]).sum();
                assert!((sum - a[r][c]).abs() < 1e-5, "{r} {c}");
            }
        }
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

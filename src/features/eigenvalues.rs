//! Eigenvalues of a small dense real (non-symmetric) matrix, computed the way LAPACK's `dgeev`
//! (behind `numpy.linalg.eigvals`) does, so that ill-determined eigenvalues (rounding noise
//! around 0) come out real or complex as they do there as far as possible: `dgebal` balancing
//! (permutations isolating eigenvalues, then power-of-2 scaling), `dgehd2` Householder reduction
//! to upper Hessenberg form, and `dlahqr`'s double-shift QR iteration with `dlanv2`'s 2x2
//! standardisation. (LAPACK's `dhseqr` runs `dlahqr` up to n = 75 and the multishift `dlaqr0`
//! above; this code runs `dlahqr` at any size, which finds the same eigenvalues to rounding but
//! slowly for large matrices: GLCM's MCC uses it up to n = 75 only.)
//! Also the eigenvalues of a symmetric matrix by Jacobi rotations, which always converge.

/// A complex number `(re, im)`.
pub type Complex = (f64, f64);

use std::ops::Range;

use multiversion::multiversion;

const ULP: f64 = f64::EPSILON; // dlamch('P')
const SAFMIN: f64 = f64::MIN_POSITIVE; // dlamch('S')

/// Row-major square matrix.
struct Matrix {
    n: usize,
    a: Vec<f64>,
}

impl Matrix {
    fn at(&self, i: usize, j: usize) -> f64 {
        self.a[i * self.n + j]
    }

    fn set(&mut self, i: usize, j: usize, v: f64) {
        self.a[i * self.n + j] = v;
    }

    /// Columns `cols` of the `R` consecutive rows from `first`, mutably.
    fn rows_mut<const R: usize>(&mut self, first: usize, cols: Range<usize>) -> [&mut [f64]; R] {
        let n = self.n;
        let mut rest = &mut self.a[first * n..(first + R) * n];
        std::array::from_fn(|_| {
            let (row, tail) = std::mem::take(&mut rest).split_at_mut(n);
            rest = tail;
            &mut row[cols.clone()]
        })
    }

    fn swap_rows_cols(&mut self, j: usize, m: usize, rows_to: usize, cols_from: usize) {
        let n = self.n;
        for r in 0..=rows_to {
            self.a.swap(r * n + j, r * n + m);
        }
        for c in cols_from..n {
            self.a.swap(j * n + c, m * n + c);
        }
    }
}

/// The eigenvalues of the row-major `n x n` matrix `a` (consumed as workspace), unordered.
/// `None` when the QR iteration does not converge.
///
/// Compiled for AVX-512 and AVX2 too (picked at run time): the wide loops are element-wise
/// updates, so every width computes the same bits.
#[multiversion(targets("x86_64+avx512f", "x86_64+avx2", "aarch64+neon"))]
pub fn eigenvalues(a: Vec<f64>, n: usize) -> Option<Vec<Complex>> {
    debug_assert_eq!(a.len(), n * n);
    if n == 0 {
        return Some(Vec::new());
    }
    let mut m = Matrix { n, a };
    let (ilo, ihi) = balance(&mut m);
    hessenberg(&mut m, ilo, ihi);
    let mut w = vec![(0.0, 0.0); n];
    // Eigenvalues isolated by the permutations.
    for i in (0..ilo).chain(ihi + 1..n) {
        w[i] = (m.at(i, i), 0.0);
    }
    // `dhseqr`: when `dlahqr` stops without converging at row `i`, it hands the matrix as left
    // to `dlaqr0`, which up to n = 75 is `dlahqr` again, on rows `ilo..=i` with fresh iteration
    // counts.
    if let Err(i) = hessenberg_qr(&mut m, ilo, ihi, &mut w) {
        hessenberg_qr(&mut m, ilo, i, &mut w).ok()?;
    }
    Some(w)
}

/// Eigenvalues (unordered) of the symmetric row-major `n x n` matrix `a` (consumed as
/// workspace), by cyclic Jacobi rotations: slower than QR, but it always converges.
pub fn symmetric_eigenvalues(mut a: Vec<f64>, n: usize) -> Vec<f64> {
    debug_assert_eq!(a.len(), n * n);
    const MAX_SWEEPS: usize = 64;
    for _ in 0..MAX_SWEEPS {
        let mut rotated = false;
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let (app, aqq) = (a[p * n + p], a[q * n + q]);
                // Negligible against both diagonal entries: drop it.
                if app.abs() + 1e3 * apq.abs() == app.abs()
                    && aqq.abs() + 1e3 * apq.abs() == aqq.abs()
                {
                    a[p * n + q] = 0.0;
                    a[q * n + p] = 0.0;
                    continue;
                }
                rotated = true;
                let theta = (aqq - app) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + theta.hypot(1.0));
                let c = 1.0 / t.hypot(1.0);
                let s = t * c;
                a[p * n + p] -= t * apq;
                a[q * n + q] += t * apq;
                a[p * n + q] = 0.0;
                a[q * n + p] = 0.0;
                for r in (0..n).filter(|&r| r != p && r != q) {
                    let (arp, arq) = (a[r * n + p], a[r * n + q]);
                    a[r * n + p] = c * arp - s * arq;
                    a[p * n + r] = a[r * n + p];
                    a[r * n + q] = s * arp + c * arq;
                    a[q * n + r] = a[r * n + q];
                }
            }
        }
        if !rotated {
            break;
        }
    }
    (0..n).map(|d| a[d * n + d]).collect()
}

/// Euclidean norm.
fn norm2(values: impl Iterator<Item = f64>) -> f64 {
    values.map(|v| v * v).sum::<f64>().sqrt()
}

/// `dgebal` with job 'B': permute rows and columns that isolate an eigenvalue to the bottom
/// (rows with zero off-diagonal) and top (columns), then scale rows and columns of the rest
/// by powers of 2 to even out their norms. Returns the remaining block `ilo..=ihi`.
#[inline(always)]
fn balance(m: &mut Matrix) -> (usize, usize) {
    let n = m.n;
    let mut k = 0;
    let mut l = n - 1;
    // Rows isolating an eigenvalue, pushed down.
    while let Some(j) = (0..=l)
        .rev()
        .find(|&j| (0..=l).all(|i| i == j || m.at(j, i) == 0.0))
    {
        m.swap_rows_cols(j, l, l, k);
        if l == 0 {
            return (k, l);
        }
        l -= 1;
    }
    // Columns isolating an eigenvalue, pushed left.
    while let Some(j) = (k..=l).find(|&j| (k..=l).all(|i| i == j || m.at(i, j) == 0.0)) {
        m.swap_rows_cols(j, k, l, k);
        k += 1;
    }
    const RADIX: f64 = 2.0;
    let sfmin1 = SAFMIN / ULP;
    let sfmax1 = 1.0 / sfmin1;
    let sfmin2 = sfmin1 * RADIX;
    let sfmax2 = 1.0 / sfmin2;
    let mut scale = vec![1.0; n];
    loop {
        let mut noconv = false;
        for (i, scale_i) in scale.iter_mut().enumerate().take(l + 1).skip(k) {
            let mut c = norm2((k..=l).map(|r| m.at(r, i)));
            let mut r = norm2((k..=l).map(|col| m.at(i, col)));
            let mut ca = (0..=l).map(|row| m.at(row, i).abs()).fold(0.0, f64::max);
            let mut ra = (k..n).map(|col| m.at(i, col).abs()).fold(0.0, f64::max);
            if c == 0.0 || r == 0.0 {
                continue;
            }
            let mut g = r / RADIX;
            let mut f: f64 = 1.0;
            let s = c + r;
            while c < g && f.max(c).max(ca) < sfmax2 && r.min(g).min(ra) > sfmin2 {
                f *= RADIX;
                c *= RADIX;
                ca *= RADIX;
                r /= RADIX;
                g /= RADIX;
                ra /= RADIX;
            }
            g = c / RADIX;
            while g >= r && r.max(ra) < sfmax2 && f.min(c).min(g).min(ca) > sfmin2 {
                f /= RADIX;
                c /= RADIX;
                g /= RADIX;
                ca /= RADIX;
                r *= RADIX;
                ra *= RADIX;
            }
            if c + r >= 0.95 * s
                || (f < 1.0 && *scale_i < 1.0 && f * *scale_i <= sfmin1)
                || (f > 1.0 && *scale_i > 1.0 && *scale_i >= sfmax1 / f)
            {
                continue;
            }
            g = 1.0 / f;
            *scale_i *= f;
            noconv = true;
            for col in k..n {
                m.a[i * n + col] *= g;
            }
            for row in 0..=l {
                m.a[row * n + i] *= f;
            }
        }
        if !noconv {
            return (k, l);
        }
    }
}

/// `dlapy2`: `sqrt(x^2 + y^2)` without needless overflow.
fn hypot(x: f64, y: f64) -> f64 {
    let (x, y) = (x.abs(), y.abs());
    let w = x.max(y);
    let z = x.min(y);
    if z == 0.0 || w > f64::MAX {
        w
    } else {
        w * (1.0 + (z / w) * (z / w)).sqrt()
    }
}

/// `|a|` with the sign of `b` (Fortran `SIGN`).
fn sign(a: f64, b: f64) -> f64 {
    if b.is_sign_negative() {
        -a.abs()
    } else {
        a.abs()
    }
}

/// `dlarfg`: the elementary reflector `H = I - tau (1, v)(1, v)^T` with
/// `H (alpha, x) = (beta, 0)`. Overwrites `alpha` with `beta` and `x` with `v`; returns `tau`.
fn reflector(alpha: &mut f64, x: &mut [f64]) -> f64 {
    let xnorm = norm2(x.iter().copied());
    if xnorm == 0.0 {
        return 0.0;
    }
    let beta = -sign(hypot(*alpha, xnorm), *alpha);
    let tau = (beta - *alpha) / beta;
    let scal = 1.0 / (*alpha - beta);
    x.iter_mut().for_each(|v| *v *= scal);
    *alpha = beta;
    tau
}

/// `dgehd2`: reduce rows and columns `ilo..=ihi` to upper Hessenberg form by Householder
/// reflections (the reflectors are not kept: entries below the sub-diagonal are set to 0).
#[inline(always)]
fn hessenberg(m: &mut Matrix, ilo: usize, ihi: usize) {
    let n = m.n;
    let mut v = vec![0.0; n];
    let mut w = vec![0.0; n];
    for i in ilo..ihi {
        let mut alpha = m.at(i + 1, i);
        let len = ihi - i; // reflector order
        let mut x: Vec<f64> = (i + 2..=ihi).map(|r| m.at(r, i)).collect();
        let tau = reflector(&mut alpha, &mut x);
        v[0] = 1.0;
        v[1..len].copy_from_slice(&x);
        let cols = i + 1..=ihi;
        let v = &v[..len];
        // From the right, on rows 0..=ihi, columns i+1..=ihi: A -= tau (A v) v^T.
        for r in 0..=ihi {
            let row = &mut m.a[r * n + i + 1..=r * n + ihi];
            let wr: f64 = row.iter().zip(v).map(|(a, vc)| vc * a).sum();
            for (a, vc) in row.iter_mut().zip(v) {
                *a += wr * (-tau * vc);
            }
        }
        // From the left, on rows i+1..=ihi, columns i+1..n: A -= tau v (A^T v)^T.
        let w = &mut w[i + 1..n];
        w.iter_mut().for_each(|x| *x = 0.0);
        for (r, vr) in cols.clone().zip(v) {
            for (wc, a) in w.iter_mut().zip(&m.a[r * n + i + 1..(r + 1) * n]) {
                *wc += a * vr;
            }
        }
        for (r, vr) in cols.zip(v) {
            for (a, wc) in m.a[r * n + i + 1..(r + 1) * n].iter_mut().zip(w.iter()) {
                *a += vr * (-tau * wc);
            }
        }
        m.set(i + 1, i, alpha);
        for r in i + 2..=ihi {
            m.set(r, i, 0.0);
        }
    }
}

/// `dlanv2`: eigenvalues of the 2x2 block `[[a, b], [c, d]]` after reducing it to standard
/// Schur form (real eigenvalues when the block can be triangularised, else a conjugate pair
/// with equal diagonal).
fn schur_2x2(mut a: f64, mut b: f64, mut c: f64, mut d: f64) -> [Complex; 2] {
    const MULTPL: f64 = 4.0;
    let eps = ULP;
    if c == 0.0 {
    } else if b == 0.0 {
        std::mem::swap(&mut a, &mut d);
        b = -c;
        c = 0.0;
    } else if a - d == 0.0 && sign(1.0, b) != sign(1.0, c) {
    } else {
        let temp = a - d;
        let mut p = 0.5 * temp;
        let bcmax = b.abs().max(c.abs());
        let bcmis = b.abs().min(c.abs()) * sign(1.0, b) * sign(1.0, c);
        let scale = p.abs().max(bcmax);
        let mut z = (p / scale) * p + (bcmax / scale) * bcmis;
        if z >= MULTPL * eps {
            // Real eigenvalues.
            z = p + sign(scale.sqrt() * z.sqrt(), p);
            a = d + z;
            d -= (bcmax / z) * bcmis;
            b -= c;
            c = 0.0;
        } else {
            // Complex, or real and almost equal: make the diagonal equal.
            let sigma = b + c;
            let tau = hypot(sigma, temp);
            let cs = (0.5 * (1.0 + sigma.abs() / tau)).sqrt();
            let sn = -(p / (tau * cs)) * sign(1.0, sigma);
            let aa = a * cs + b * sn;
            let bb = -a * sn + b * cs;
            let cc = c * cs + d * sn;
            let dd = -c * sn + d * cs;
            a = aa * cs + cc * sn;
            b = bb * cs + dd * sn;
            c = -aa * sn + cc * cs;
            let temp = 0.5 * (a + (-bb * sn + dd * cs));
            a = temp;
            d = temp;
            if c != 0.0 {
                if b != 0.0 {
                    if sign(1.0, b) == sign(1.0, c) {
                        // Real eigenvalues.
                        let sab = b.abs().sqrt();
                        let sac = c.abs().sqrt();
                        p = sign(sab * sac, c);
                        a = temp + p;
                        d = temp - p;
                        b -= c;
                        c = 0.0;
                    }
                } else {
                    b = -c;
                    c = 0.0;
                }
            }
        }
    }
    if c == 0.0 {
        [(a, 0.0), (d, 0.0)]
    } else {
        let im = b.abs().sqrt() * c.abs().sqrt();
        [(a, im), (d, -im)]
    }
}

/// `dlahqr` (eigenvalues only): double-shift QR iteration on the Hessenberg block `ilo..=ihi`,
/// writing its eigenvalues into `w[ilo..=ihi]`. `Err(i)` if the eigenvalue(s) ending at row `i`
/// do not converge (those below `i` are in `w`; `h` is left as the iteration left it).
#[inline(always)]
fn hessenberg_qr(h: &mut Matrix, ilo: usize, ihi: usize, w: &mut [Complex]) -> Result<(), usize> {
    if ilo == ihi {
        w[ilo] = (h.at(ilo, ilo), 0.0);
        return Ok(());
    }
    for j in ilo..ihi.saturating_sub(2) {
        h.set(j + 2, j, 0.0);
        h.set(j + 3, j, 0.0);
    }
    if ilo + 2 <= ihi {
        h.set(ihi, ihi - 2, 0.0);
    }
    let nh = ihi - ilo + 1;
    let smlnum = SAFMIN * (nh as f64 / ULP);
    let itmax = 30 * nh.max(10);
    const KEXSH: usize = 10;
    const DAT1: f64 = 0.75;
    const DAT2: f64 = -0.4375;
    let mut kdefl = 0usize;
    let mut i = ihi as isize;
    while i >= ilo as isize {
        let iu = i as usize;
        let mut l = ilo;
        let mut converged = false;
        for _ in 0..=itmax {
            // Look for a single small sub-diagonal element.
            let mut k = iu;
            while k > l {
                let hkk1 = h.at(k, k - 1).abs();
                if hkk1 <= smlnum {
                    break;
                }
                let mut tst = h.at(k - 1, k - 1).abs() + h.at(k, k).abs();
                if tst == 0.0 {
                    if k >= ilo + 2 {
                        tst += h.at(k - 1, k - 2).abs();
                    }
                    if k < ihi {
                        tst += h.at(k + 1, k).abs();
                    }
                }
                if hkk1 <= ULP * tst {
                    let ab = hkk1.max(h.at(k - 1, k).abs());
                    let ba = hkk1.min(h.at(k - 1, k).abs());
                    let diff = (h.at(k - 1, k - 1) - h.at(k, k)).abs();
                    let aa = h.at(k, k).abs().max(diff);
                    let bb = h.at(k, k).abs().min(diff);
                    let s = aa + ab;
                    if ba * (ab / s) <= smlnum.max(ULP * (bb * (aa / s))) {
                        break;
                    }
                }
                k -= 1;
            }
            l = k;
            if l > ilo {
                h.set(l, l - 1, 0.0);
            }
            if l + 1 >= iu {
                converged = true;
                break;
            }
            kdefl += 1;
            let (i1, i2) = (l, iu);
            let (mut h11, mut h12, mut h21, mut h22);
            if kdefl.is_multiple_of(2 * KEXSH) {
                let s = h.at(iu, iu - 1).abs() + h.at(iu - 1, iu - 2).abs();
                h11 = DAT1 * s + h.at(iu, iu);
                h12 = DAT2 * s;
                h21 = s;
                h22 = h11;
            } else if kdefl.is_multiple_of(KEXSH) {
                let s = h.at(l + 1, l).abs() + h.at(l + 2, l + 1).abs();
                h11 = DAT1 * s + h.at(l, l);
                h12 = DAT2 * s;
                h21 = s;
                h22 = h11;
            } else {
                h11 = h.at(iu - 1, iu - 1);
                h21 = h.at(iu, iu - 1);
                h12 = h.at(iu - 1, iu);
                h22 = h.at(iu, iu);
            }
            let s = h11.abs() + h12.abs() + h21.abs() + h22.abs();
            let (rt1r, rt1i, rt2r, rt2i);
            if s == 0.0 {
                (rt1r, rt1i, rt2r, rt2i) = (0.0, 0.0, 0.0, 0.0);
            } else {
                h11 /= s;
                h21 /= s;
                h12 /= s;
                h22 /= s;
                let tr = (h11 + h22) / 2.0;
                let det = (h11 - tr) * (h22 - tr) - h12 * h21;
                let rtdisc = det.abs().sqrt();
                if det >= 0.0 {
                    rt1r = tr * s;
                    rt2r = rt1r;
                    rt1i = rtdisc * s;
                    rt2i = -rt1i;
                } else {
                    let (a, b) = (tr + rtdisc, tr - rtdisc);
                    let shift = if (a - h22).abs() <= (b - h22).abs() {
                        a
                    } else {
                        b
                    } * s;
                    rt1r = shift;
                    rt2r = shift;
                    rt1i = 0.0;
                    rt2i = 0.0;
                }
            }
            // Look for two consecutive small sub-diagonal elements.
            let mut v = [0.0; 3];
            let mut m = iu - 2;
            loop {
                let s = (h.at(m, m) - rt2r).abs() + rt2i.abs() + h.at(m + 1, m).abs();
                let h21s = h.at(m + 1, m) / s;
                v[0] = h21s * h.at(m, m + 1) + (h.at(m, m) - rt1r) * ((h.at(m, m) - rt2r) / s)
                    - rt1i * (rt2i / s);
                v[1] = h21s * (h.at(m, m) + h.at(m + 1, m + 1) - rt1r - rt2r);
                v[2] = h21s * h.at(m + 2, m + 1);
                let s = v[0].abs() + v[1].abs() + v[2].abs();
                v.iter_mut().for_each(|x| *x /= s);
                if m == l {
                    break;
                }
                let h00 = h.at(m - 1, m - 1).abs() + h.at(m, m).abs() + h.at(m + 1, m + 1).abs();
                if h.at(m, m - 1).abs() * (v[1].abs() + v[2].abs()) <= ULP * v[0].abs() * h00 {
                    break;
                }
                m -= 1;
            }
            // Double-shift QR step.
            for k in m..iu {
                let nr = 3.min(iu - k + 1);
                if k > m {
                    for (x, r) in v.iter_mut().zip(k..k + nr) {
                        *x = h.at(r, k - 1);
                    }
                }
                let (head, tail) = v.split_at_mut(1);
                let t1 = reflector(&mut head[0], &mut tail[..nr - 1]);
                if k > m {
                    h.set(k, k - 1, v[0]);
                    h.set(k + 1, k - 1, 0.0);
                    if k + 1 < iu {
                        h.set(k + 2, k - 1, 0.0);
                    }
                } else if m > l {
                    h.set(k, k - 1, h.at(k, k - 1) * (1.0 - t1));
                }
                let v2 = v[1];
                let t2 = t1 * v2;
                if nr == 3 {
                    let v3 = v[2];
                    let t3 = t1 * v3;
                    let [r0, r1, r2] = h.rows_mut(k, k..i2 + 1);
                    for ((a0, a1), a2) in r0.iter_mut().zip(r1).zip(r2) {
                        let sum = *a0 + v2 * *a1 + v3 * *a2;
                        *a0 -= sum * t1;
                        *a1 -= sum * t2;
                        *a2 -= sum * t3;
                    }
                    for j in i1..=(k + 3).min(iu) {
                        let sum = h.at(j, k) + v2 * h.at(j, k + 1) + v3 * h.at(j, k + 2);
                        h.set(j, k, h.at(j, k) - sum * t1);
                        h.set(j, k + 1, h.at(j, k + 1) - sum * t2);
                        h.set(j, k + 2, h.at(j, k + 2) - sum * t3);
                    }
                } else if nr == 2 {
                    let [r0, r1] = h.rows_mut(k, k..i2 + 1);
                    for (a0, a1) in r0.iter_mut().zip(r1) {
                        let sum = *a0 + v2 * *a1;
                        *a0 -= sum * t1;
                        *a1 -= sum * t2;
                    }
                    for j in i1..=iu {
                        let sum = h.at(j, k) + v2 * h.at(j, k + 1);
                        h.set(j, k, h.at(j, k) - sum * t1);
                        h.set(j, k + 1, h.at(j, k + 1) - sum * t2);
                    }
                }
            }
        }
        if !converged {
            return Err(iu);
        }
        if l == iu {
            w[iu] = (h.at(iu, iu), 0.0);
        } else {
            let [w1, w2] = schur_2x2(
                h.at(iu - 1, iu - 1),
                h.at(iu - 1, iu),
                h.at(iu, iu - 1),
                h.at(iu, iu),
            );
            w[iu - 1] = w1;
            w[iu] = w2;
        }
        kdefl = 0;
        i = l as isize - 1;
    }
    Ok(())
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
    fn symmetric_eigenvalues_of_known_matrix() {
        // Eigenvalues 1, 2, 4 in a rotated basis.
        let a = vec![2.5, -0.5, 1.0, -0.5, 2.5, -1.0, 1.0, -1.0, 2.0];
        let mut e = symmetric_eigenvalues(a, 3);
        e.sort_by(f64::total_cmp);
        for (got, want) in e.iter().zip([1.0, 2.0, 4.0]) {
            assert!((got - want).abs() < 1e-14, "{e:?}");
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

//! Spherical harmonics `Y_n^m` as SciPy defines them (`sph_harm_y(n, m, polar, azimuth)`, the
//! deprecated `sph_harm(m, n, azimuth, polar)`), with the Condon–Shortley phase:
//!
//! `Y_n^m(θ, φ) = √((2n+1)/(4π) · (n−m)!/(n+m)!) · P_n^m(cos θ) · e^{imφ}`, θ the polar angle,
//! `P_n^m(x) = (−1)^m (1−x²)^{m/2} dᵐ/dxᵐ P_n(x)`, and `Y_n^{−m} = (−1)^m conj(Y_n^m)`.
//! `P_n^m` depends on θ only through `cos θ` (so θ outside `[0, π]` is taken as `|θ|`, as SciPy does).

use std::f64::consts::PI;

use super::complex::Complex;

/// `Y_n^m(polar, azimuth)` for `|m| ≤ n`.
pub fn sph_harm_y(n: usize, m: i64, polar: f64, azimuth: f64) -> Complex {
    let ma = m.unsigned_abs() as usize;
    let x = polar.cos();
    let p = legendre(n, ma, x);
    // (n − |m|)! / (n + |m|)! as a product of the factors n−|m|+1 … n+|m|.
    let ratio: f64 = ((n - ma + 1)..=(n + ma)).fold(1.0, |r, k| r / k as f64);
    let norm = ((2 * n + 1) as f64 / (4.0 * PI) * ratio).sqrt();
    let angle = m as f64 * azimuth;
    let y = Complex::new(norm * p * angle.cos(), norm * p * angle.sin());
    // Y_n^{−|m|} = (−1)^|m| conj(Y_n^{|m|}); with angle = −|m|φ the conjugate is already taken.
    if m < 0 && ma % 2 == 1 {
        Complex::new(-y.re, -y.im)
    } else {
        y
    }
}

/// The associated Legendre function `P_n^m(x)`, `0 ≤ m ≤ n`, `|x| ≤ 1`, with the
/// Condon–Shortley phase, by the standard upward recurrences in `m`, then `n`.
fn legendre(n: usize, m: usize, x: f64) -> f64 {
    let s = (1.0 - x * x).max(0.0).sqrt();
    // P_m^m = (−1)^m (2m−1)!! s^m
    let mut pmm = 1.0;
    for k in 1..=m {
        pmm *= -((2 * k - 1) as f64) * s;
    }
    if n == m {
        return pmm;
    }
    // P_{m+1}^m = x (2m+1) P_m^m, then (l−m) P_l^m = x(2l−1) P_{l−1}^m − (l+m−1) P_{l−2}^m.
    let mut prev = pmm;
    let mut cur = x * (2 * m + 1) as f64 * pmm;
    for l in (m + 2)..=n {
        let next = (x * (2 * l - 1) as f64 * cur - (l + m - 1) as f64 * prev) / (l - m) as f64;
        prev = cur;
        cur = next;
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_scipy_values() {
        // scipy 1.17.1: sph_harm_y(n, m, theta, phi)
        let cases = [
            (1, 1, 0.5, 0.3, -0.15824071198124587, -0.048949588379835166),
            (1, 1, -0.5, 0.3, -0.15824071198124587, -0.048949588379835166),
            (2, 1, 2.5, 0.3, 0.35386400025745995, 0.10946296271150141),
            (2, 1, -2.5, 0.3, 0.35386400025745995, 0.10946296271150141),
        ];
        for (n, m, theta, phi, re, im) in cases {
            let y = sph_harm_y(n, m, theta, phi);
            assert!(
                (y.re - re).abs() < 1e-15 && (y.im - im).abs() < 1e-15,
                "{y:?}"
            );
        }
        let y00 = sph_harm_y(0, 0, 1.0, 2.0);
        assert_eq!((y00.re, y00.im), (0.5 / PI.sqrt(), 0.0));
    }

    #[test]
    fn negative_order_is_conjugate_with_phase() {
        for m in 1..=3 {
            let p = sph_harm_y(3, m, 1.1, 0.7);
            let q = sph_harm_y(3, -m, 1.1, 0.7);
            let sign = if m % 2 == 1 { -1.0 } else { 1.0 };
            assert!((q.re - sign * p.re).abs() < 1e-15 && (q.im + sign * p.im).abs() < 1e-15);
        }
    }
}

//! Spherical harmonics `Y_n^m` as SciPy defines them (`sph_harm_y(n, m, polar, azimuth)`, the
//! deprecated `sph_harm(m, n, azimuth, polar)`), with the Condon–Shortley phase:
//!
//! `Y_n^m(θ, φ) = √((2n+1)/(4π) · (n−m)!/(n+m)!) · P_n^m(cos θ) · e^{imφ}`, θ the polar angle,
//! `P_n^m(x) = (−1)^m (1−x²)^{m/2} dᵐ/dxᵐ P_n(x)`, and `Y_n^{−m} = (−1)^m conj(Y_n^m)`.
//! `P_n^m` depends on θ only through `cos θ` and `|sin θ|`.
//!
//! Evaluated as SciPy 1.17 (its `xsf` library) evaluates it, to the bit: the normalised Legendre
//! value `p̄` starts from `p̄_0^0 = 1/(2√π)` and `p̄_1^{±1} = ∓√3/(2√(2π))·|sin θ|`, climbs the
//! diagonal with `p̄_k^k = √((2k+1)(2k−1)/(4k(k−1)))·sin²θ · p̄_{k−2}^{k−2}`, steps to
//! `p̄_{|m|+1}^m = √(2|m|+3)·cos θ · p̄_{|m|}^m`, then recurs in `n` with
//! `p̄_l^m = −√((2l+1)((l−1)²−m²)/((2l−3)(l²−m²)))·p̄_{l−2}^m + √((2l+1)(4(l−1)²−1)/((2l−3)(l²−m²)))·cos θ · p̄_{l−1}^m`;
//! finally `Y = (p̄ cos mφ, p̄ sin mφ)`.

use std::f64::consts::PI;

use super::complex::Complex;

/// `Y_n^m(polar, azimuth)` for `|m| ≤ n`.
pub fn sph_harm_y(n: usize, m: i64, polar: f64, azimuth: f64) -> Complex {
    let p = normalised_legendre(n, m, polar);
    let angle = m as f64 * azimuth;
    Complex::new(p * angle.cos(), p * angle.sin())
}

/// SciPy's `sph_legendre_p(n, m, θ)`: `√((2n+1)/(4π) · (n−m)!/(n+m)!) · P_n^m(cos θ)`.
fn normalised_legendre(n: usize, m: i64, theta: f64) -> f64 {
    let ma = m.unsigned_abs() as usize;
    let (sin, cos) = (theta.sin(), theta.cos());
    // A two-term recurrence step as xsf's `dot`: (0 + c₀·a) + c₁·b.
    let step = |c0: f64, a: f64, c1: f64, b: f64| (0.0 + c0 * a) + c1 * b;
    let mut diagonal = [
        1.0 / (2.0 * PI.sqrt()),
        -(3.0f64.sqrt()) / (2.0 * (2.0 * PI).sqrt()) * sin.abs(),
    ];
    if m < 0 {
        diagonal[1] = 3.0f64.sqrt() / (2.0 * (2.0 * PI).sqrt()) * sin.abs();
    }
    for k in 2..=ma {
        let fac = (((2 * k + 1) * (2 * k - 1)) as f64 / (4 * k * (k - 1)) as f64).sqrt();
        let next = step(fac * sin * sin, diagonal[0], 0.0, diagonal[1]);
        diagonal = [diagonal[1], next];
    }
    let p_mm = diagonal[ma.min(1)];
    if n == ma {
        return p_mm;
    }
    let mut prev = p_mm;
    let mut cur = ((2 * ma + 3) as f64).sqrt() * cos * p_mm;
    let m2 = m * m;
    for l in (ma + 2)..=n {
        let l = l as i64;
        let den = ((2 * l - 3) * (l * l - m2)) as f64;
        let fac0 = -(((2 * l + 1) * ((l - 1) * (l - 1) - m2)) as f64 / den).sqrt();
        let fac1 = (((2 * l + 1) * (4 * (l - 1) * (l - 1) - 1)) as f64 / den).sqrt();
        let next = step(fac0, prev, fac1 * cos, cur);
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
        // to the bit
        let exact = [
            (3, 2, 1.1, 0.7, 0.06258014418941468, 0.3628323989083784),
            (4, -3, -2.2, 2.9, 0.2914397634830462, 0.2580865041577902),
            (1, -1, 0.4, -1.3, 0.03598976292408586, 0.12963881313063685),
        ];
        for (n, m, theta, phi, re, im) in exact {
            assert_eq!(sph_harm_y(n, m, theta, phi), Complex::new(re, im));
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

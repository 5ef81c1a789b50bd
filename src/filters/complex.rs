//! The few complex-number operations PyRadiomics' LBP3D uses, each evaluated as numpy (and the C
//! library under it) evaluates it, so rounding follows the same steps.

use std::ops::{Add, Mul};

/// A complex double, numpy's `complex128`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Complex {
    pub re: f64,
    pub im: f64,
}

impl Complex {
    /// `re + i·im`.
    pub const fn new(re: f64, im: f64) -> Self {
        Complex { re, im }
    }

    /// numpy's `square`: `(re² − im²) + i(re·im + im·re)`.
    pub fn square(self) -> Self {
        Complex::new(
            self.re * self.re - self.im * self.im,
            self.re * self.im + self.im * self.re,
        )
    }

    /// Real part of the principal square root, as C99's `csqrt` gives it: `√x` for a real
    /// `x ≥ 0`, else `√((|z| + x) / 2)` for `x > 0` and `|y / (2·√((|z| − x) / 2))|` otherwise.
    pub fn sqrt_re(self) -> f64 {
        let (x, y) = (self.re, self.im);
        if y == 0.0 {
            return if x >= 0.0 { x.sqrt() } else { 0.0 };
        }
        let d = x.hypot(y);
        if x > 0.0 {
            (0.5 * (d + x)).sqrt()
        } else {
            (0.5 * (y / (0.5 * (d - x)).sqrt())).abs()
        }
    }
}

impl Add for Complex {
    type Output = Complex;
    fn add(self, o: Complex) -> Complex {
        Complex::new(self.re + o.re, self.im + o.im)
    }
}

impl Mul for Complex {
    type Output = Complex;
    /// numpy's (SIMD, fused multiply-add) complex product `(ac − bd) + i(ad + bc)`, rounded as
    /// `fma(a, c, −(b·d)) + i·fma(a, d, b·c)`.
    fn mul(self, o: Complex) -> Complex {
        Complex::new(
            self.re.mul_add(o.re, -(self.im * o.im)),
            self.re.mul_add(o.im, self.im * o.re),
        )
    }
}

//! PyRadiomics' `lbp-3D-m1`, `lbp-3D-m2`, …, `lbp-3D-k` image types (`getLBP3DImage`): local
//! binary patterns on a sphere, made rotation invariant with spherical harmonics (Banerjee et al.
//! 2013), plus the kurtosis of the sphere's samples.
//!
//! For each voxel `p` of the region of interest (numpy index `(z, y, x)`):
//! 1. `Nv` samples `f_v` at `p + u_v`, `u_v` the vertices `(a, b, c)` of trimesh's icosphere
//!    ([`super::icosphere`], `lbp3DIcosphereSubdivision`, `lbp3DIcosphereRadius`) added to the
//!    numpy index as PyRadiomics adds them (`a` to `z`, `b` to `y`, `c` to `x`), read by SciPy's
//!    cubic-spline `map_coordinates` ([`super::cubic_spline`]) into the image's own pixel type
//!    (integers rounded half away from zero, float32 rounded to float32).
//! 2. `lbp-3D-k` = the sample kurtosis `m₄ / m₂² − 3` (`scipy.stats.kurtosis`, Fisher, biased; NaN
//!    when `m₂ ≤ (ε·mean)²`), computed in float32 for float32 images, else float64.
//! 3. `s_v = [f_v ≥ image(p)]`; `c_{n,m} = Σ_v s_v Y_n^m(v)` with PyRadiomics' (swapped) angles:
//!    `Y_n^m(v) = sph_harm_y(n, m, polar = atan2(b, a), azimuth = arccos(c / radius))`.
//! 4. `lbp-3D-m{n+1}` = `Re √(Σ_v (Σ_m c_{n,m} Y_n^m(v))²)` for `n = 0 … lbp3DLevels − 1`
//!    (the complex square and root, as numpy takes them).
//!
//! Voxels outside the region are 0 here (PyRadiomics leaves them uninitialised; no feature reads
//! them). Sums follow numpy's order (pairwise along contiguous axes, sequential otherwise), and
//! complex products numpy's fused multiply-add rounding.

use ndarray::Array3;
use rayon::prelude::*;

use super::complex::Complex;
use super::cubic_spline::{interpolate, spline_coefficients};
use super::icosphere::icosphere;
use super::spherical_harmonics::sph_harm_y;
use crate::image::{Dimensionality, PixelType, Volume};
use crate::params::FilterSettings;
use crate::{Error, Result};

/// The LBP3D settings (`lbp3DLevels`, `lbp3DIcosphereRadius`, `lbp3DIcosphereSubdivision`).
#[derive(Clone, Copy, Debug)]
pub struct Lbp3dSettings {
    pub levels: usize,
    pub radius: f64,
    pub subdivision: usize,
}

impl From<&FilterSettings> for Lbp3dSettings {
    fn from(settings: &FilterSettings) -> Self {
        Lbp3dSettings {
            levels: settings.lbp3d_levels,
            radius: settings.lbp3d_icosphere_radius,
            subdivision: settings.lbp3d_icosphere_subdivision,
        }
    }
}

/// Whether an image of `dimensionality` gets LBP3D images (PyRadiomics' LBP3D needs 3D input).
pub fn applies_to(dimensionality: Dimensionality) -> bool {
    dimensionality == Dimensionality::Three
}

/// The LBP3D images in PyRadiomics' order: `lbp-3D-m1` … `lbp-3D-m{levels}`, then `lbp-3D-k`,
/// each with its name; float64, the geometry of `image`.
pub fn lbp3d_images(
    image: &Volume<f64>,
    pixel_type: PixelType,
    mask: &Volume<bool>,
    settings: Lbp3dSettings,
) -> Result<Vec<(String, Volume<f64>)>> {
    if settings.levels < 2 {
        return Err(Error::setting(
            "lbp3DLevels",
            format!(
                "{} is not supported: PyRadiomics 3.1's LBP3D fails (IndexError) below 2 levels",
                settings.levels
            ),
        ));
    }
    let vertices = icosphere(settings.subdivision, settings.radius);
    let harmonics = Harmonics::new(&vertices, settings);
    let coefficients = spline_coefficients(&image.voxels);
    let roi: Vec<[usize; 3]> = mask
        .voxels
        .indexed_iter()
        .filter(|(_, inside)| **inside)
        .map(|((z, y, x), _)| [z, y, x])
        .collect();
    // Per voxel: the levels, then the kurtosis.
    let values: Vec<Vec<f64>> = roi
        .par_iter()
        .map(|&p| {
            let samples: Vec<f64> = vertices
                .iter()
                .map(|u| {
                    let point = [0, 1, 2].map(|d| p[d] as f64 + u[d]);
                    to_pixel_type(interpolate(&coefficients, point), pixel_type)
                })
                .collect();
            let centre = image.voxels[p];
            let mut out = harmonics.levels(&samples, centre);
            out.push(match pixel_type {
                PixelType::F32 => kurtosis(&samples.iter().map(|&s| s as f32).collect::<Vec<_>>()),
                _ => kurtosis(&samples),
            });
            out
        })
        .collect();
    let names = (1..=settings.levels)
        .map(|l| format!("lbp-3D-m{l}"))
        .chain(std::iter::once("lbp-3D-k".to_string()));
    Ok(names
        .enumerate()
        .map(|(i, name)| {
            let mut voxels = Array3::zeros(image.voxels.dim());
            for (p, v) in roi.iter().zip(&values) {
                voxels[*p] = v[i];
            }
            let volume = Volume {
                voxels,
                geometry: image.geometry.clone(),
            };
            (name, volume)
        })
        .collect())
}

/// An interpolated sample stored in the image's pixel type, as SciPy's output array holds it.
fn to_pixel_type(t: f64, pixel_type: PixelType) -> f64 {
    let int = |min: f64, max: f64| {
        let r = if t > 0.0 { t + 0.5 } else { t - 0.5 };
        r.clamp(min, max).trunc()
    };
    let uint = |max: f64| {
        if t > 0.0 {
            (t + 0.5).min(max).trunc()
        } else {
            0.0
        }
    };
    match pixel_type {
        PixelType::U8 => uint(u8::MAX as f64),
        PixelType::U16 => uint(u16::MAX as f64),
        PixelType::U32 => uint(u32::MAX as f64),
        PixelType::U64 => uint(u64::MAX as f64),
        PixelType::I8 => int(i8::MIN as f64, i8::MAX as f64),
        PixelType::I16 => int(i16::MIN as f64, i16::MAX as f64),
        PixelType::I32 => int(i32::MIN as f64, i32::MAX as f64),
        PixelType::I64 => int(i64::MIN as f64, i64::MAX as f64),
        PixelType::F32 => t as f32 as f64,
        PixelType::F64 => t,
    }
}

/// The spherical harmonics at the sphere's vertices, per level `n`: `Y[n][v][m + n]`.
struct Harmonics {
    by_level: Vec<Vec<Vec<Complex>>>,
}

impl Harmonics {
    fn new(vertices: &[[f64; 3]], settings: Lbp3dSettings) -> Self {
        let by_level = (0..settings.levels)
            .map(|n| {
                vertices
                    .iter()
                    .map(|u| {
                        let azimuth = (u[2] / settings.radius).acos();
                        let polar = u[1].atan2(u[0]);
                        (-(n as i64)..=n as i64)
                            .map(|m| sph_harm_y(n, m, polar, azimuth))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Harmonics { by_level }
    }

    /// `Re √(Σ_v (Σ_m c_{n,m} Y_n^m(v))²)` for each level `n`.
    fn levels(&self, samples: &[f64], centre: f64) -> Vec<f64> {
        let ones: Vec<bool> = samples.iter().map(|&s| s >= centre).collect();
        self.by_level
            .iter()
            .map(|y| {
                let orders = y[0].len();
                // c_m = Σ_v s_v Y_m(v), summed over v in order (numpy's reduction over a middle axis).
                let c: Vec<Complex> = (0..orders)
                    .map(|m| {
                        y.iter()
                            .zip(&ones)
                            .fold(Complex::default(), |acc, (yv, &one)| {
                                acc + if one { yv[m] } else { Complex::default() }
                            })
                    })
                    .collect();
                let norm = y.iter().fold(Complex::default(), |acc, yv| {
                    // Σ_m c_m Y_m(v) in order: numpy's product array has m as a strided axis.
                    let value = if orders == 1 {
                        c[0] * yv[0]
                    } else {
                        c.iter()
                            .zip(yv)
                            .fold(Complex::default(), |sum, (&cm, &ym)| sum + cm * ym)
                    };
                    acc + value.square()
                });
                norm.sqrt_re()
            })
            .collect()
    }
}

/// Floating-point types scipy's kurtosis may run in.
trait Float:
    Copy
    + Default
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
    + PartialOrd
{
    const ZERO: Self;
    const EPS: Self;
    fn from_usize(n: usize) -> Self;
    fn to_f64(self) -> f64;
}

impl Float for f64 {
    const ZERO: Self = 0.0;
    const EPS: Self = f64::EPSILON;
    fn from_usize(n: usize) -> Self {
        n as f64
    }
    fn to_f64(self) -> f64 {
        self
    }
}

impl Float for f32 {
    const ZERO: Self = 0.0;
    const EPS: Self = f32::EPSILON;
    fn from_usize(n: usize) -> Self {
        n as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
}

/// `scipy.stats.kurtosis(a)` (Fisher, biased): `m₄ / m₂² − 3` with central moments `m₂ =
/// mean(d²)`, `m₄ = mean((d²)²)`, `d = a − mean(a)`; NaN when `m₂ ≤ (ε · mean)²`.
fn kurtosis<T: Float>(a: &[T]) -> f64 {
    let n = T::from_usize(a.len());
    let mean = pairwise_sum(a) / n;
    let d2: Vec<T> = a.iter().map(|&v| (v - mean) * (v - mean)).collect();
    let m2 = pairwise_sum(&d2) / n;
    let d4: Vec<T> = d2.iter().map(|&v| v * v).collect();
    let m4 = pairwise_sum(&d4) / n;
    let limit = T::EPS * mean;
    if m2 <= limit * limit {
        return f64::NAN;
    }
    (m4 / (m2 * m2) - T::from_usize(3)).to_f64()
}

/// numpy's pairwise sum along a contiguous axis: sequential below 8 values, 8 interleaved
/// partial sums up to 128, halves (split at a multiple of 8) above; the reduction starts from 0.
fn pairwise_sum<T: Float>(a: &[T]) -> T {
    T::ZERO + crate::numpy_sum::pairwise_sum(a)
}

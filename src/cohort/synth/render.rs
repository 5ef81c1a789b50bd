//! Sequences, their grids, and their voxels: the patient's anatomy sampled at each voxel
//! centre, with the sequence's tissue contrast and Gaussian noise (magnitude taken, as in MR).

use ndarray::Array3;
use rand::RngExt;
use rand_distr::StandardNormal;
use rand_pcg::Pcg64;
use rayon::prelude::*;

use super::VolumeSize;
use super::case::{BREAST_OFFSET, CHEST_WALL, CaseModel};
use crate::image::resample::Grid;
use crate::image::{Geometry, Volume};

/// The MR sequences of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sequence {
    /// Dynamic contrast-enhanced T1 (a post-contrast phase); the tumour is drawn here.
    Dce,
    /// T2-weighted, fat-suppressed.
    T2fs,
    /// Apparent diffusion coefficient map, in 10⁻⁶ mm²/s.
    Adc,
}

impl Sequence {
    pub const ALL: [Sequence; 3] = [Sequence::Dce, Sequence::T2fs, Sequence::Adc];

    /// File stem and manifest column.
    pub fn name(self) -> &'static str {
        match self {
            Sequence::Dce => "dce",
            Sequence::T2fs => "t2fs",
            Sequence::Adc => "adc",
        }
    }

    /// Voxel counts `(nx, ny, nz)` and spacing (mm) of the sequence's grid.
    pub fn shape(self, size: VolumeSize) -> ([usize; 3], [f64; 3]) {
        match (self, size) {
            (Sequence::Dce, VolumeSize::Full) => ([352, 352, 160], [1.0, 1.0, 1.2]),
            (Sequence::T2fs, VolumeSize::Full) => ([256, 256, 48], [1.375, 1.375, 4.0]),
            (Sequence::Adc, VolumeSize::Full) => ([176, 176, 48], [2.0, 2.0, 4.0]),
            (Sequence::Dce, VolumeSize::Small) => ([80, 80, 50], [1.0, 1.0, 1.2]),
            (Sequence::T2fs, VolumeSize::Small) => ([58, 58, 15], [1.375, 1.375, 4.0]),
            (Sequence::Adc, VolumeSize::Small) => ([40, 40, 15], [2.0, 2.0, 4.0]),
        }
    }

    /// Tissue values and noise level.
    fn contrast(self) -> Contrast {
        match self {
            Sequence::Dce => Contrast {
                fat: 120.0,
                gland: 320.0,
                muscle: 260.0,
                tumour: 650.0,
                oedema: 0.0,
                texture_gain: 1.0,
                noise: 18.0,
            },
            Sequence::T2fs => Contrast {
                fat: 70.0,
                gland: 240.0,
                muscle: 160.0,
                tumour: 330.0,
                oedema: 220.0,
                texture_gain: 0.5,
                noise: 14.0,
            },
            Sequence::Adc => Contrast {
                fat: 250.0,
                gland: 1900.0,
                muscle: 1450.0,
                tumour: 1050.0,
                oedema: 400.0,
                texture_gain: -0.6,
                noise: 90.0,
            },
        }
    }
}

/// A sequence's tissue values (before noise).
struct Contrast {
    fat: f64,
    gland: f64,
    muscle: f64,
    tumour: f64,
    /// Added in the peritumoral oedema (3 mm shell), when the case has it.
    oedema: f64,
    /// Relative tumour texture: value × (1 + texture_gain · heterogeneity · texture).
    texture_gain: f64,
    /// Standard deviation of the Gaussian noise.
    noise: f64,
}

/// The grid of `sequence` centred at `centre` (LPS, mm), identity direction.
pub fn grid(sequence: Sequence, size: VolumeSize, centre: [f64; 3]) -> Grid {
    let (n, spacing) = sequence.shape(size);
    let origin = [0, 1, 2].map(|k| centre[k] - (n[k] as f64 - 1.0) / 2.0 * spacing[k]);
    Grid {
        size: n,
        geometry: Geometry {
            spacing,
            origin,
            ..Geometry::identity()
        },
    }
}

/// Physical coordinates of a grid's voxel centres along each axis.
fn axis_positions(grid: &Grid) -> [Vec<f64>; 3] {
    let g = &grid.geometry;
    [0, 1, 2].map(|k| {
        (0..grid.size[k])
            .map(|i| g.origin[k] + i as f64 * g.spacing[k])
            .collect()
    })
}

/// The tumour region on `grid`: voxels whose centre lies inside the tumour.
pub fn tumour_mask(case: &CaseModel, grid: &Grid) -> Volume<bool> {
    let [xs, ys, zs] = axis_positions(grid);
    let [nx, ny, nz] = grid.size;
    let voxels = Array3::from_shape_fn((nz, ny, nx), |(z, y, x)| {
        case.tumour.contains([xs[x], ys[y], zs[z]])
    });
    Volume {
        voxels,
        geometry: grid.geometry.clone(),
    }
}

/// The voxels of `sequence` on `grid`; the noise of slice z comes from `noise(z)`.
pub fn render(
    case: &CaseModel,
    sequence: Sequence,
    grid: &Grid,
    noise: impl Fn(usize) -> Pcg64 + Sync,
) -> Volume<i16> {
    let positions = axis_positions(grid);
    let [nx, ny, nz] = grid.size;
    let contrast = sequence.contrast();
    let gland = case.gland.on_axes(&positions);
    let [xs, ys, zs] = &positions;
    let mut voxels = vec![0i16; nx * ny * nz];
    voxels
        .par_chunks_mut(nx * ny)
        .enumerate()
        .for_each(|(z, plane)| {
            let mut rng = noise(z);
            for (y, row) in plane.chunks_mut(nx).enumerate() {
                for (x, v) in row.iter_mut().enumerate() {
                    let p = [xs[x], ys[y], zs[z]];
                    let fraction = gland.fraction([x, y, z]);
                    let clean = case_value(case, &contrast, fraction, p) * case.gain;
                    let n: f64 = rng.sample(StandardNormal);
                    let value = (clean + n * contrast.noise * case.noise).abs();
                    *v = value.round().min(f64::from(i16::MAX)) as i16;
                }
            }
        });
    Volume {
        voxels: Array3::from_shape_vec((nz, ny, nx), voxels).unwrap_or_default(),
        geometry: grid.geometry.clone(),
    }
}

/// The noiseless value at `p`, where the breast holds a `fraction` of glandular tissue: tumour,
/// its oedema, breast (fat and glandular tissue), chest wall muscle, or air.
fn case_value(case: &CaseModel, contrast: &Contrast, fraction: f64, p: [f64; 3]) -> f64 {
    let breast = contrast.fat + (contrast.gland - contrast.fat) * fraction;
    let t = &case.tumour;
    let d = [0, 1, 2].map(|k| p[k] - t.centre[k]);
    let reach = t.reach * (1.0 + 3.0 / t.radius);
    if d[0] * d[0] + d[1] * d[1] + d[2] * d[2] <= reach * reach {
        let r = t.relative_distance(p);
        if r <= 1.0 {
            let texture = contrast.texture_gain * case.heterogeneity * t.texture(p);
            let enhancement = if contrast.oedema == 0.0 {
                case.enhancement
            } else {
                1.0
            };
            return contrast.tumour * enhancement * (1.0 + texture);
        }
        let shell = 1.0 + 3.0 / t.radius;
        if case.oedema && r <= shell && in_breast(case, p) {
            return breast + contrast.oedema;
        }
    }
    let d = [0, 1, 2].map(|k| p[k] - case.centre[k]);
    if d[1] >= CHEST_WALL {
        let torso = (d[0] / 170.0).powi(2) + ((d[1] - 110.0) / 115.0).powi(2);
        return if torso <= 1.0 { contrast.muscle } else { 0.0 };
    }
    if in_breast(case, p) { breast } else { 0.0 }
}

/// Inside one of the two breast ellipsoids (anterior to the chest wall).
fn in_breast(case: &CaseModel, p: [f64; 3]) -> bool {
    let d = [0, 1, 2].map(|k| p[k] - case.centre[k]);
    d[1] < CHEST_WALL
        && [-1.0, 1.0].iter().any(|side| {
            ((d[0] - side * BREAST_OFFSET) / 78.0).powi(2)
                + ((d[1] - CHEST_WALL) / 95.0).powi(2)
                + (d[2] / 95.0).powi(2)
                <= 1.0
        })
}

/// The fraction of glandular tissue in the breast:
/// `clamp(0.45 + 0.35 Σ_m X_m(x) Y_m(y) Z_m(z), 0, 1)`, with smooth random profiles along
/// each axis (value noise, knots [`GLAND_STEP`] mm apart).
#[derive(Clone, Debug)]
pub struct Glandular {
    profiles: Vec<[Profile; 3]>,
}

/// Distance (mm) between the knots of the glandular profiles.
const GLAND_STEP: f64 = 12.0;

impl Glandular {
    /// Three random terms over 250 mm around `centre`.
    pub fn draw(rng: &mut Pcg64, centre: [f64; 3]) -> Glandular {
        let profiles = (0..3)
            .map(|_| centre.map(|c| Profile::draw(rng, c, 250.0, GLAND_STEP)))
            .collect();
        Glandular { profiles }
    }

    /// The profiles evaluated at a grid's voxel positions along each axis.
    fn on_axes(&self, positions: &[Vec<f64>; 3]) -> GlandTable {
        let tables = self
            .profiles
            .iter()
            .map(|m| [0, 1, 2].map(|k| positions[k].iter().map(|&p| m[k].value(p)).collect()))
            .collect();
        GlandTable { tables }
    }
}

/// [`Glandular`] tabulated on a grid's axes.
struct GlandTable {
    tables: Vec<[Vec<f64>; 3]>,
}

impl GlandTable {
    /// The glandular fraction at voxel `(x, y, z)`.
    fn fraction(&self, index: [usize; 3]) -> f64 {
        let sum: f64 = self
            .tables
            .iter()
            .map(|t| t[0][index[0]] * t[1][index[1]] * t[2][index[2]])
            .sum();
        (0.45 + 0.35 * sum).clamp(0.0, 1.0)
    }
}

/// A smooth random function of one coordinate: values in [−1, 1] at knots `step` mm apart,
/// joined by smoothstep interpolation; 0 outside.
#[derive(Clone, Debug)]
struct Profile {
    start: f64,
    step: f64,
    knots: Vec<f64>,
}

impl Profile {
    /// A profile over `[centre − half_width, centre + half_width]`.
    fn draw(rng: &mut Pcg64, centre: f64, half_width: f64, step: f64) -> Profile {
        let count = (2.0 * half_width / step).ceil() as usize + 2;
        Profile {
            start: centre - half_width,
            step,
            knots: (0..count).map(|_| rng.random_range(-1.0..1.0)).collect(),
        }
    }

    fn value(&self, position: f64) -> f64 {
        let t = (position - self.start) / self.step;
        if t < 0.0 || t >= self.knots.len() as f64 - 1.0 {
            return 0.0;
        }
        let i = t.floor() as usize;
        let f = t - i as f64;
        let s = f * f * (3.0 - 2.0 * f);
        self.knots[i] + (self.knots[i + 1] - self.knots[i]) * s
    }
}

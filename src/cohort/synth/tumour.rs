//! The synthetic tumour: an irregular, possibly spiculated ellipsoid with a texture field.

use rand::RngExt;
use rand_pcg::Pcg64;

/// A tumour in physical space (LPS, mm).
///
/// With `q = (p − centre) / axes` (per component), the boundary radius in the direction
/// `u = q / |q|` is `R(u) = radius · (1 + Σ_j a_j sin(f_j u·d_j + φ_j) + h Σ_k spike(u·e_k))`,
/// where `spike(c) = max(0, (c − cos w) / (1 − cos w))²` draws a narrow cone of half-angle `w`
/// around each spicule direction `e_k`. A point is inside when `|q| ≤ R(u)`.
#[derive(Clone, Debug)]
pub struct Tumour {
    pub centre: [f64; 3],
    pub radius: f64,
    /// Distance (mm) from the centre beyond which no point is inside.
    pub reach: f64,
    axes: [f64; 3],
    lobes: Vec<Lobe>,
    spicules: Vec<[f64; 3]>,
    texture: Lattice,
}

/// One term of the margin's undulation.
#[derive(Clone, Debug)]
struct Lobe {
    direction: [f64; 3],
    frequency: f64,
    phase: f64,
    amplitude: f64,
}

/// Height of a spicule, relative to the radius.
const SPICULE_HEIGHT: f64 = 0.5;
/// Cosine of a spicule's half-angle (about 14°).
const SPICULE_COS: f64 = 0.97;
/// Mesh of the texture lattice (mm): the scale of the enhancement's heterogeneity.
const TEXTURE_STEP: f64 = 3.0;

impl Tumour {
    /// A tumour of `radius` mm at `centre` whose margin undulates with relative amplitude about
    /// `irregularity`, with spicules when `spiculated`.
    pub fn draw(
        rng: &mut Pcg64,
        centre: [f64; 3],
        radius: f64,
        irregularity: f64,
        spiculated: bool,
    ) -> Tumour {
        let axes = [0, 1, 2].map(|_| rng.random_range(0.8..1.2));
        let lobes = (0..6)
            .map(|_| Lobe {
                direction: unit_vector(rng),
                frequency: rng.random_range(2.0..6.0),
                phase: rng.random_range(0.0..std::f64::consts::TAU),
                amplitude: irregularity * rng.random_range(0.2..0.6),
            })
            .collect();
        let spicule_count = if spiculated {
            rng.random_range(4..9)
        } else {
            0
        };
        let spicules = (0..spicule_count).map(|_| unit_vector(rng)).collect();
        let mut tumour = Tumour {
            centre,
            radius,
            reach: 0.0,
            axes,
            lobes,
            spicules,
            texture: Lattice::empty(),
        };
        tumour.reach = tumour.bound();
        tumour.texture = Lattice::draw(rng, centre, tumour.reach);
        tumour
    }

    /// An upper bound of `|p − centre|` over the points inside.
    fn bound(&self) -> f64 {
        let lobes: f64 = self.lobes.iter().map(|l| l.amplitude).sum();
        let spikes = if self.spicules.is_empty() {
            0.0
        } else {
            SPICULE_HEIGHT
        };
        let widest = self.axes.iter().copied().fold(0.0, f64::max);
        self.radius * (1.0 + lobes + spikes) * widest
    }

    /// Whether `p` lies inside (`relative_distance(p) ≤ 1`), without trigonometry for points
    /// beyond [`Tumour::reach`].
    pub fn contains(&self, p: [f64; 3]) -> bool {
        let d = [0, 1, 2].map(|k| p[k] - self.centre[k]);
        dot(d, d) <= self.reach * self.reach && self.relative_distance(p) <= 1.0
    }

    /// `|q| / R(u)` for the point `p`: at most 1 inside, 1 on the margin.
    pub fn relative_distance(&self, p: [f64; 3]) -> f64 {
        let q = [0, 1, 2].map(|k| (p[k] - self.centre[k]) / self.axes[k]);
        let norm = dot(q, q).sqrt();
        if norm == 0.0 {
            return 0.0;
        }
        let u = q.map(|v| v / norm);
        let undulation: f64 = self
            .lobes
            .iter()
            .map(|l| l.amplitude * (l.frequency * dot(u, l.direction) + l.phase).sin())
            .sum();
        let spikes: f64 = self
            .spicules
            .iter()
            .map(|&e| {
                ((dot(u, e) - SPICULE_COS) / (1.0 - SPICULE_COS))
                    .max(0.0)
                    .powi(2)
            })
            .sum();
        norm / (self.radius * (1.0 + undulation + SPICULE_HEIGHT * spikes))
    }

    /// The texture field at `p`, in [−1, 1].
    pub fn texture(&self, p: [f64; 3]) -> f64 {
        self.texture.value(p)
    }
}

/// A random unit vector, uniform on the sphere.
fn unit_vector(rng: &mut Pcg64) -> [f64; 3] {
    let z: f64 = rng.random_range(-1.0..1.0);
    let angle: f64 = rng.random_range(0.0..std::f64::consts::TAU);
    let r = (1.0 - z * z).sqrt();
    [r * angle.cos(), r * angle.sin(), z]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// Value noise: uniform values in [−1, 1] on a cubic lattice of mesh [`TEXTURE_STEP`],
/// interpolated trilinearly; 0 outside the lattice.
#[derive(Clone, Debug)]
struct Lattice {
    corner: [f64; 3],
    n: usize,
    values: Vec<f64>,
}

impl Lattice {
    fn empty() -> Lattice {
        Lattice {
            corner: [0.0; 3],
            n: 0,
            values: Vec::new(),
        }
    }

    /// A lattice covering the cube of half-width `reach` around `centre`.
    fn draw(rng: &mut Pcg64, centre: [f64; 3], reach: f64) -> Lattice {
        let n = (2.0 * reach / TEXTURE_STEP).ceil() as usize + 2;
        let values = (0..n * n * n)
            .map(|_| rng.random_range(-1.0..1.0))
            .collect();
        Lattice {
            corner: centre.map(|c| c - reach - TEXTURE_STEP),
            n,
            values,
        }
    }

    fn value(&self, p: [f64; 3]) -> f64 {
        let t = [0, 1, 2].map(|k| (p[k] - self.corner[k]) / TEXTURE_STEP);
        if t.iter().any(|&v| v < 0.0 || v >= self.n as f64 - 1.0) {
            return 0.0;
        }
        let base = t.map(|v| v.floor() as usize);
        let frac = [0, 1, 2].map(|k| t[k] - base[k] as f64);
        let mut sum = 0.0;
        for corner in 0..8 {
            let i = [0, 1, 2].map(|k| base[k] + (corner >> k & 1));
            let weight: f64 = (0..3)
                .map(|k| {
                    if corner >> k & 1 == 1 {
                        frac[k]
                    } else {
                        1.0 - frac[k]
                    }
                })
                .product();
            sum += weight * self.values[(i[2] * self.n + i[1]) * self.n + i[0]];
        }
        sum
    }
}

//! One synthetic patient: clinical values and the hidden parameters of the images, drawn with
//! the label's effects in the directions the HER2 study reports.
//!
//! HER2-positive cases (label 1), against negative ones, have on average: a larger tumour
//! (radius × e^0.15), more heterogeneous enhancement (texture amplitude 0.18 against 0.15, each
//! case ± 0.05), stronger enhancement (× 1.06, ± 0.10), more uneven margins (undulation 0.14
//! against 0.10, ± 0.05), spicules slightly more often (0.40 against 0.30), higher Ki-67 (29 %
//! against 20 %, ± 12), ER and PR negative more often (positive 0.55 / 0.50 against 0.80 / 0.70),
//! washout (type III) curves more often, and peritumoral oedema more often (0.45 against 0.20).
//! Each effect alone separates the classes moderately (standardised differences 0.5 to 0.8).

use rand::RngExt;
use rand_distr::{Distribution, Normal};
use rand_pcg::Pcg64;

use super::CohortSet;
use super::render::Glandular;
use super::tumour::Tumour;

/// The clinical columns of the manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct Clinical {
    /// Age in years.
    pub age: u32,
    /// Oestrogen receptor positive.
    pub er: bool,
    /// Progesterone receptor positive.
    pub pr: bool,
    /// Ki-67 index, percent.
    pub ki67: u32,
    /// Spiculated margin (as a reader would report it).
    pub spiculation: bool,
    /// Uneven (irregular) margin (as a reader would report it).
    pub uneven_margins: bool,
    /// Time–intensity curve type: 1 persistent, 2 plateau, 3 washout.
    pub tic_type: u8,
}

/// A patient's hidden image parameters and clinical values.
#[derive(Clone, Debug)]
pub struct CaseModel {
    pub clinical: Clinical,
    pub tumour: Tumour,
    /// Physical centre of the patient's chest (LPS, mm); breasts lie anterior to it.
    pub centre: [f64; 3],
    /// The breasts' glandular tissue.
    pub gland: Glandular,
    /// Relative enhancement of the tumour on DCE (1 = typical).
    pub enhancement: f64,
    /// Amplitude of the tumour's texture (relative intensity variation).
    pub heterogeneity: f64,
    /// Bright peritumoral oedema on T2FS.
    pub oedema: bool,
    /// Scanner gain and noise factor (external cases come from another scanner).
    pub gain: f64,
    pub noise: f64,
}

/// Chest-wall position: breasts lie at `y < CHEST_WALL` relative to the centre (LPS: −y is
/// anterior).
pub const CHEST_WALL: f64 = 20.0;
/// Lateral offset of each breast's centre from the midline (mm).
pub const BREAST_OFFSET: f64 = 85.0;

impl CaseModel {
    /// Draws a patient with label `her2` in cohort set `set`.
    pub fn draw(rng: &mut Pcg64, her2: bool, set: CohortSet) -> CaseModel {
        let z = f64::from(u8::from(her2));
        let normal = |rng: &mut Pcg64, mean: f64, sd: f64| {
            Normal::new(mean, sd).map_or(mean, |d| d.sample(rng))
        };
        let centre = [0, 1, 2].map(|_| rng.random_range(-15.0..15.0));
        let side = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
        let tumour_centre = [
            centre[0] + side * BREAST_OFFSET + rng.random_range(-20.0..20.0),
            centre[1] + CHEST_WALL - rng.random_range(35.0..55.0),
            centre[2] + rng.random_range(-25.0..25.0),
        ];
        let radius = (normal(rng, 8f64.ln() + 0.15 * z, 0.3))
            .exp()
            .clamp(4.0, 16.0);
        let irregularity = normal(rng, 0.10 + 0.04 * z, 0.05).clamp(0.0, 0.3);
        let spiculated = rng.random_bool(0.30 + 0.10 * z);
        let tumour = Tumour::draw(rng, tumour_centre, radius, irregularity, spiculated);
        let enhancement = normal(rng, 1.0 + 0.06 * z, 0.10).max(0.5);
        let clinical = Clinical {
            age: normal(rng, 52.0 - 2.0 * z, 10.0).round().clamp(25.0, 85.0) as u32,
            er: rng.random_bool(0.80 - 0.25 * z),
            pr: rng.random_bool(0.70 - 0.20 * z),
            ki67: normal(rng, 20.0 + 9.0 * z, 12.0).round().clamp(1.0, 95.0) as u32,
            spiculation: spiculated,
            uneven_margins: irregularity + normal(rng, 0.0, 0.03) > 0.12,
            tic_type: tic_type(rng, her2, enhancement),
        };
        let external = set == CohortSet::External;
        CaseModel {
            clinical,
            tumour,
            gland: Glandular::draw(rng, centre),
            centre,
            enhancement,
            heterogeneity: normal(rng, 0.15 + 0.03 * z, 0.05).clamp(0.02, 0.4),
            oedema: rng.random_bool(0.20 + 0.25 * z),
            gain: if external { 0.9 } else { 1.0 },
            noise: if external { 1.2 } else { 1.0 },
        }
    }
}

/// Time–intensity curve type, washout more likely for HER2-positive and strongly enhancing
/// tumours.
fn tic_type(rng: &mut Pcg64, her2: bool, enhancement: f64) -> u8 {
    let washout = (if her2 { 0.40 } else { 0.25 } + 0.5 * (enhancement - 1.0)).clamp(0.05, 0.8);
    let u: f64 = rng.random_range(0.0..1.0);
    if u < washout {
        3
    } else if u < washout + 0.4 {
        2
    } else {
        1
    }
}

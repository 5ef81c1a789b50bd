//! The grey level × size matrix shape shared by the GLSZM (zone sizes) and the GLDM (dependence
//! sizes), after PyRadiomics' post-processing.

use ndarray::Array2;

use super::Discretized;
use crate::Result;

/// Counts `P(i, j)` of grey level `i` with size `j`, keeping only the grey levels present in the
/// ROI and the sizes that occur (PyRadiomics deletes the empty rows and columns).
#[derive(Clone, Debug, PartialEq)]
pub struct SizeMatrix {
    /// `P(i, j)`: rows follow `gray_levels`, columns follow `sizes`.
    pub counts: Array2<f64>,
    /// The grey level of each row (PyRadiomics' `ivector`).
    pub gray_levels: Vec<f64>,
    /// The size of each column (PyRadiomics' `jvector`).
    pub sizes: Vec<f64>,
}

/// Tallies `(grey level, size)` pairs into a [`SizeMatrix`] whose rows are the grey levels
/// present in `disc` and whose columns are the sizes `1..=max_size` that occur.
#[derive(Clone, Debug)]
pub struct SizeTally {
    row_of_level: Vec<usize>,
    gray_levels: Vec<f64>,
    max_size: usize,
    /// Dense counts, `gray_levels.len()` rows × `max_size` columns (size `s` in column `s - 1`).
    dense: Vec<f64>,
}

impl SizeTally {
    /// An empty tally for sizes up to `max_size` (for feature class `class`); errors when the
    /// grey levels do not fit in memory ([`super::level_table`]).
    pub fn new(disc: &Discretized, max_size: usize, class: &str) -> Result<Self> {
        // Only the rows of levels present are ever read.
        let mut row_of_level = super::level_table(disc.ng as usize + 1, class)?;
        for (row, &level) in disc.gray_levels.iter().enumerate() {
            row_of_level[level as usize] = row;
        }
        Ok(SizeTally {
            row_of_level,
            gray_levels: disc.gray_levels.iter().map(|&l| f64::from(l)).collect(),
            max_size,
            dense: vec![0.0; disc.gray_levels.len() * max_size],
        })
    }

    /// Counts one occurrence of grey `level` (present in the ROI) with `size` in `1..=max_size`.
    #[inline]
    pub fn add(&mut self, level: u32, size: usize) {
        let row = self.row_of_level[level as usize];
        self.dense[row * self.max_size + size - 1] += 1.0;
    }

    /// The matrix without the sizes that never occur.
    pub fn finish(self) -> SizeMatrix {
        let rows = self.gray_levels.len();
        let occurring: Vec<usize> = (0..self.max_size)
            .filter(|&c| (0..rows).any(|r| self.dense[r * self.max_size + c] != 0.0))
            .collect();
        let counts = Array2::from_shape_fn((rows, occurring.len()), |(r, c)| {
            self.dense[r * self.max_size + occurring[c]]
        });
        SizeMatrix {
            counts,
            gray_levels: self.gray_levels,
            sizes: occurring.iter().map(|&c| (c + 1) as f64).collect(),
        }
    }
}

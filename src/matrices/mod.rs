//! Texture matrices on the CPU, and the discretisation they all start from.

pub mod angles;
pub mod discretize;
pub mod glcm;
pub mod gldm;
pub mod glrlm;
pub mod glszm;
pub mod neighbours;
pub mod ngtdm;
pub mod roi;
pub mod size_matrix;
pub mod weighting;

pub use discretize::{Discretized, discretize};

use crate::{Error, Result};

/// A table of `len` zeros indexed by grey level (up to `N_g`, as PyRadiomics sizes its
/// matrices), allocated zeroed (pages a sparse table never touches cost no memory); when so many
/// bins do not fit in memory, the error PyRadiomics' `MemoryError` becomes (`class`: the feature
/// class that needs the table).
pub fn level_table<T: bytemuck::Zeroable>(len: usize, class: &str) -> Result<Vec<T>> {
    bytemuck::allocation::try_zeroed_vec(len).map_err(|_| {
        Error::params(
            class,
            format!(
                "a table of {len} grey levels does not fit in memory (PyRadiomics fails with a \
                 MemoryError): far too many bins for the ROI's intensity range"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_tables_that_cannot_exist_are_errors() {
        assert_eq!(level_table::<u32>(3, "glcm").unwrap(), vec![0, 0, 0]);
        let err = level_table::<f64>(usize::MAX / 4, "ngtdm").unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("ngtdm") && message.contains("does not fit in memory"),
            "{message}"
        );
    }
}

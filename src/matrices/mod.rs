//! Texture matrices on the CPU, and the discretisation they all start from.

pub mod angles;
pub mod discretize;

pub use discretize::{Discretized, discretize};

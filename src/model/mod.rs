//! The modelling layer: statistics, feature selection and models on a feature table, and the
//! study report.

pub mod report;

//! Cohorts: many cases through the same extraction. [`synth`] writes synthetic multi-sequence
//! breast MRI cohorts for demos, tests and benchmarks.

pub mod synth;

//! Cohorts: many cases through the same extraction. [`manifest`] reads PyRadiomics' batch
//! manifests and slices them into shards; [`batch`] runs a manifest's cases in parallel within a
//! memory budget, writing each finished case at once ([`writer`]) so that a run can be killed
//! and resumed; [`study`] extracts several sequences and regions per case (study files);
//! [`synth`] writes synthetic multi-sequence breast MRI cohorts; [`merge`] joins shard outputs; [`table`] holds the output layout (PyRadiomics'
//! batch CSV with a leading `manifest_row` key and an `error` column).

pub mod batch;
pub mod interrupt;
pub mod manifest;
pub mod memory;
pub mod merge;
pub mod study;
pub mod synth;
pub mod table;
pub mod writer;

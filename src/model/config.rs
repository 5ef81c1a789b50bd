//! The model file (`MODEL.yaml`) of `radiome model`: where the data are, how they are split,
//! which columns form the feature groups and the clinical candidates, and the selection settings.
//!
//! ```yaml
//! tables: [features.csv]          # joined on `id` when several (relative to this file)
//! id: case_id
//! outcome: HER2                   # 0 / 1
//! split:                          # either a split column with train / test / external …
//!   column: split
//! # … or a stratified random split of the non-external cases:
//! # split: {test_fraction: 0.3, seed: 1, external: {column: set, value: external}}
//! groups: [dce_intra_, dce_peri_] # feature column prefixes, one selection pipeline each
//! clinical: [age, ER, PR, Ki67]
//! selection: {variance_threshold: 0.0, correlation: 0.9, lambda: min}
//! folds: 10
//! seed: 1
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::data::{ModelError, Result};

/// A model file, with its table paths resolved against the file's folder.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// The feature and clinical tables (CSV), joined on [`ModelConfig::id`].
    pub tables: Vec<PathBuf>,
    /// The case identifier column (needed to join several tables).
    #[serde(default = "default_id")]
    pub id: String,
    /// The binary outcome column (1 = positive).
    pub outcome: String,
    /// How cases are assigned to training, test and external sets.
    pub split: SplitConfig,
    /// Feature column prefixes; each group runs its own selection pipeline.
    pub groups: Vec<String>,
    /// Clinical candidate columns (numeric; binary variables coded 0 / 1).
    #[serde(default)]
    pub clinical: Vec<String>,
    /// The radiomics selection settings.
    #[serde(default)]
    pub selection: SelectionConfig,
    /// Cross-validation folds (LASSO-CV and the training-set CV of each model).
    #[serde(default = "default_folds")]
    pub folds: usize,
    /// Seed of the folds.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// The report's title.
    #[serde(default = "default_title")]
    pub title: String,
}

/// How cases are assigned to sets.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum SplitConfig {
    /// A column whose values are `train`, `test` or `external`.
    Column {
        /// The column's name.
        column: String,
    },
    /// A stratified random split of the non-external cases.
    Random {
        /// The test set's share of each class (0.3 for 7:3).
        test_fraction: f64,
        /// Seed of the shuffle.
        seed: u64,
        /// Which cases form the external set, if any.
        #[serde(default)]
        external: Option<ExternalSet>,
    },
}

/// The external cases: rows whose `column` equals `value`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalSet {
    /// The column that marks them.
    pub column: String,
    /// The value that marks them.
    pub value: String,
}

/// The radiomics selection settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SelectionConfig {
    /// Features whose training variance is at most this are dropped.
    pub variance_threshold: f64,
    /// Of a pair with Pearson |r| above this, the later column is dropped.
    pub correlation: f64,
    /// Which λ of the LASSO-CV picks the features.
    pub lambda: LambdaChoice,
    /// Recursive feature elimination down to this many features (after LASSO), if set.
    pub rfe: Option<usize>,
}

impl Default for SelectionConfig {
    fn default() -> Self {
        SelectionConfig {
            variance_threshold: 0.0,
            correlation: 0.9,
            lambda: LambdaChoice::Min,
            rfe: None,
        }
    }
}

/// glmnet's two choices of λ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LambdaChoice {
    /// The λ of least cross-validated deviance.
    Min,
    /// The largest λ within one standard error of it.
    #[serde(rename = "1se")]
    OneSe,
}

fn default_id() -> String {
    "case_id".into()
}
fn default_folds() -> usize {
    10
}
fn default_seed() -> u64 {
    1
}
fn default_title() -> String {
    "radiome model report".into()
}

impl ModelConfig {
    /// Reads and checks a model file; table paths become relative to its folder.
    pub fn from_file(path: &Path) -> Result<ModelConfig> {
        let file = path.display().to_string();
        let fail = |problem: String| ModelError::Table {
            file: file.clone(),
            problem,
        };
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        let mut config: ModelConfig =
            serde_norway::from_str(&text).map_err(|e| fail(e.to_string()))?;
        let folder = path.parent().unwrap_or(Path::new(""));
        for table in &mut config.tables {
            *table = folder.join(&*table);
        }
        config.check().map_err(fail)?;
        Ok(config)
    }

    /// The settings' own consistency (columns are checked against the tables later).
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.tables.is_empty() {
            return Err("key 'tables': names no table".into());
        }
        if self.groups.is_empty() {
            return Err("key 'groups': names no feature group".into());
        }
        if self.folds < 2 {
            return Err(format!("key 'folds': {} (at least 2)", self.folds));
        }
        if let SplitConfig::Random { test_fraction, .. } = self.split
            && !(test_fraction > 0.0 && test_fraction < 1.0)
        {
            return Err(format!(
                "key 'split.test_fraction': {test_fraction} (in (0, 1))"
            ));
        }
        let r = self.selection.correlation;
        if !(r > 0.0 && r <= 1.0) {
            return Err(format!("key 'selection.correlation': {r} (in (0, 1])"));
        }
        Ok(())
    }
}

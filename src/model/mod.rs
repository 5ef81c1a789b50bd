//! The modelling layer: the statistics of a radiomics study, computed from a feature table.
//!
//! Each concern has its own file and matches a named reference implementation:
//! [`roc`] (AUC, DeLong; scikit-learn and pROC), [`logit`] (statsmodels `Logit`), [`lasso`] and
//! [`lasso_cv`] (glmnet's L1 logistic path; scikit-learn at a fixed λ), [`icc`] (pingouin),
//! [`dca`] (dcurves' net benefit), [`table1`] and [`groups`] (SciPy's univariate tests).
//! [`data`] reads and validates the table; every error names the file and column. [`report`]
//! turns the results into one self-contained HTML page.
//!
//! `radiome model` ([`pipeline`]) reads a model file ([`config`]), splits the cohort ([`split`]),
//! selects radiomics features per group ([`select`]), fits and evaluates the radiomics, clinical
//! and combined models, and writes results.json, CSV tables and the report ([`output`]).
//! [`demo`] runs the whole study on a synthetic cohort.

pub mod config;
pub mod data;
pub mod dca;
pub mod demo;
pub mod groups;
pub mod icc;
pub mod lasso;
pub mod lasso_cv;
pub mod logit;
pub mod output;
pub mod pipeline;
pub mod ranks;
pub mod report;
pub mod roc;
pub mod select;
pub mod split;
pub mod table1;

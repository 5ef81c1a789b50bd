//! The modelling layer: the statistics of a radiomics study, computed from a feature table.
//!
//! Each concern has its own file and matches a named reference implementation:
//! `roc` (AUC, DeLong; scikit-learn and pROC), `logit` (statsmodels `Logit`), `lasso`
//! (glmnet's L1 logistic path; scikit-learn at a fixed λ), `icc` (pingouin), `dca`
//! (dcurves' net benefit), `table1` (SciPy's univariate tests). `data` reads and validates
//! the table; every error names the file and column. [`report`] turns the results into one
//! self-contained HTML page.

pub mod report;

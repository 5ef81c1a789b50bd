//! The study report: one self-contained HTML page with the study's tables and its figures (ROC
//! curves, LASSO path and CV curve, decision curves, calibration, nomogram) as inline SVG.
//!
//! The modelling pipeline fills a [`ReportData`] (plain, serialisable data; `results.json` holds
//! the same) and [`render`] or [`write`] turns it into the page. Nothing is recomputed here
//! except the nomogram's points scales ([`Nomogram::scales`]).

mod data;
mod error;
pub mod example;
mod html;
mod plot;
mod points;
mod validate;

pub use data::{
    CalibrationBin, CalibrationCurve, CalibrationPanel, CoefficientPath, DecisionPanel, LassoPath,
    Level, NetBenefit, Nomogram, NomogramVariable, ReportData, RocCurve, RocPanel, Table,
    VariableScale,
};
pub use error::ReportError;
pub use points::{NomogramScales, VariableAxis};
pub use validate::validate;

/// The report page for `data`; fails, naming the section, on inconsistent data.
pub fn render(data: &ReportData) -> Result<String, ReportError> {
    validate(data)?;
    html::page(data)
}

/// Writes the report page for `data` to `path`.
pub fn write(data: &ReportData, path: &std::path::Path) -> Result<(), ReportError> {
    let page = render(data)?;
    std::fs::write(path, page).map_err(|source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    })
}

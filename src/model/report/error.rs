//! The report's error: which part of the data is unusable, and why, on one line.

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A section of [`super::ReportData`] is inconsistent (lengths, ranges, non-finite values).
    #[error("report data, {section}: {message}")]
    Invalid {
        /// The section and item, e.g. `roc "Test" / "Combined"`.
        section: String,
        /// What is wrong with it.
        message: String,
    },
    /// A figure could not be drawn.
    #[error("report figure {figure}: {message}")]
    Draw {
        /// The figure's name.
        figure: String,
        /// The plotting library's message.
        message: String,
    },
    /// The page could not be written.
    #[error("{path}: {source}")]
    Write {
        /// The file written.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl ReportError {
    /// An [`ReportError::Invalid`] for `section`.
    pub fn invalid(section: impl Into<String>, message: impl Into<String>) -> Self {
        ReportError::Invalid {
            section: section.into(),
            message: message.into(),
        }
    }
}

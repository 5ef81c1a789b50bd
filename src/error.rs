//! The one error type of the library. Every variant renders as a single line that names the file
//! (or setting) and the problem, so the CLI can print it as is.

use std::path::PathBuf;

/// Everything that can go wrong while reading inputs, validating settings or extracting features.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file was read but its content is not what its format requires.
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    /// A parameter file or setting is invalid.
    #[error("{origin}: {message}")]
    Params { origin: String, message: String },
    /// Image and mask cannot be used together, or the region of interest is unusable.
    #[error("{message}")]
    Mask { message: String },
    /// A requested capability is not available (e.g. the GPU backend).
    #[error("{0}")]
    Unsupported(String),
}

impl Error {
    /// A format error for `path`.
    pub fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Format {
            path: path.into(),
            message: message.into(),
        }
    }

    /// A parameter error found in `origin` (a file name or "settings").
    pub fn params(origin: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Params {
            origin: origin.into(),
            message: message.into(),
        }
    }

    /// A mask / region-of-interest error.
    pub fn mask(message: impl Into<String>) -> Self {
        Error::Mask {
            message: message.into(),
        }
    }
}

/// Result with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

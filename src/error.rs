//! The one error type of the library. Every variant renders as a single line that names the file
//! (or setting) and the problem, so the CLI can print it as is.
//!
//! Errors found while extracting a case carry the file they blame as a value: the feature code
//! raises them without it, and [`Error::in_case`] adds it once the case's files are known.

use std::path::{Path, PathBuf};

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
    /// A parameter file or a setting made in code is invalid (`origin`: the file, or
    /// "settings").
    #[error("{origin}: {message}")]
    Params { origin: String, message: String },
    /// A valid setting the case's image cannot be processed with (e.g. far too many bins for its
    /// intensities); blames the image once known.
    #[error("{}{setting}: {message}", file_prefix(.image))]
    Setting {
        image: Option<PathBuf>,
        setting: String,
        message: String,
    },
    /// Image and mask cannot be used together, or the region of interest is unusable; blames
    /// the mask once known.
    #[error("{}{message}", file_prefix(.mask))]
    Mask {
        mask: Option<PathBuf>,
        message: String,
    },
    /// A requested capability is not available (e.g. the GPU backend).
    #[error("{0}")]
    Unsupported(String),
}

/// A copy of the error (an I/O error is copied as its kind and message), for an error that
/// fails several results at once.
impl Clone for Error {
    fn clone(&self) -> Self {
        match self {
            Error::Io { path, source } => Error::Io {
                path: path.clone(),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
            Error::Format { path, message } => Error::format(path, message),
            Error::Params { origin, message } => Error::params(origin, message),
            Error::Setting {
                image,
                setting,
                message,
            } => Error::Setting {
                image: image.clone(),
                setting: setting.clone(),
                message: message.clone(),
            },
            Error::Mask { mask, message } => Error::Mask {
                mask: mask.clone(),
                message: message.clone(),
            },
            Error::Unsupported(message) => Error::Unsupported(message.clone()),
        }
    }
}

/// `"<file>: "`, or nothing while the file is not known.
fn file_prefix(file: &Option<PathBuf>) -> String {
    file.as_ref()
        .map(|f| format!("{}: ", f.display()))
        .unwrap_or_default()
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

    /// An error of `setting` (PyRadiomics' key, or the image type) with the image at hand.
    pub fn setting(setting: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Setting {
            image: None,
            setting: setting.into(),
            message: message.into(),
        }
    }

    /// A mask / region-of-interest error.
    pub fn mask(message: impl Into<String>) -> Self {
        Error::Mask {
            mask: None,
            message: message.into(),
        }
    }

    /// This error in the case of `image` and `mask`: a mask error names `mask`, a setting error
    /// `image` (unless they name a file already); other errors name their file themselves.
    pub fn in_case(self, image: &Path, mask: &Path) -> Self {
        match self {
            Error::Mask {
                mask: None,
                message,
            } => Error::Mask {
                mask: Some(mask.to_path_buf()),
                message,
            },
            Error::Setting {
                image: None,
                setting,
                message,
            } => Error::Setting {
                image: Some(image.to_path_buf()),
                setting,
                message,
            },
            other => other,
        }
    }
}

/// Result with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The case's files are added as values, once, to the errors that blame them.
    #[test]
    fn a_case_names_the_file_each_kind_blames() {
        let (image, mask) = (Path::new("img.nrrd"), Path::new("seg.nrrd"));
        let in_case = |e: Error| e.in_case(image, mask).to_string();
        assert_eq!(
            in_case(Error::mask("ROI too small")),
            "seg.nrrd: ROI too small"
        );
        assert_eq!(
            in_case(Error::setting("binWidth", "too many bins")),
            "img.nrrd: binWidth: too many bins"
        );
        let other = Path::new("other.nrrd");
        let twice = Error::mask("empty")
            .in_case(image, other)
            .in_case(image, mask);
        assert_eq!(twice.to_string(), "other.nrrd: empty");
        assert_eq!(in_case(Error::format("x.nii", "bad")), "x.nii: bad");
        assert_eq!(
            Error::setting("LoG", "too small").to_string(),
            "LoG: too small"
        );
    }
}

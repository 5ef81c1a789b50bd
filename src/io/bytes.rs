//! File contents as the readers see them: memory-mapped where the system allows (no copy, and
//! pages are read only when touched), read into memory otherwise, and sub-ranges of either
//! shared without copying.
//!
//! A mapped file must not be modified by another process while radiome reads it (the usual
//! caveat of memory maps); images and masks are inputs that nothing rewrites during a run.

use std::fs::File;
use std::ops::{Deref, Range};
use std::path::Path;
use std::sync::Arc;

use memmap2::Mmap;

/// Where the bytes live.
enum Source {
    Mapped(Mmap),
    Owned(Vec<u8>),
}

impl Deref for Source {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Source::Mapped(map) => map,
            Source::Owned(vec) => vec,
        }
    }
}

/// A range of a file's (or a decoded buffer's) bytes; cloning and slicing share them.
#[derive(Clone)]
pub(super) struct Bytes {
    source: Arc<Source>,
    range: Range<usize>,
}

impl Bytes {
    /// The whole file at `path`: mapped when it is a non-empty regular file that can be mapped,
    /// read otherwise.
    pub(super) fn read(path: &Path) -> std::io::Result<Bytes> {
        let file = File::open(path)?;
        let metadata = file.metadata()?;
        if metadata.is_file() && metadata.len() > 0 {
            // SAFETY: the map is read-only; inputs are not modified while a case is read (see
            // the module documentation).
            if let Ok(map) = unsafe { Mmap::map(&file) } {
                return Ok(Bytes::from_source(Source::Mapped(map)));
            }
        }
        std::fs::read(path).map(Bytes::from)
    }

    fn from_source(source: Source) -> Bytes {
        let range = 0..source.len();
        Bytes {
            source: Arc::new(source),
            range,
        }
    }

    /// The bytes `range` of these bytes (relative to their start; must lie within them).
    pub(super) fn slice(&self, range: Range<usize>) -> Bytes {
        assert!(range.start <= range.end && range.end <= self.range.len());
        Bytes {
            source: Arc::clone(&self.source),
            range: self.range.start + range.start..self.range.start + range.end,
        }
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(vec: Vec<u8>) -> Bytes {
        Bytes::from_source(Source::Owned(vec))
    }
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.source[self.range.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_share_and_offset() {
        let bytes = Bytes::from((0u8..100).collect::<Vec<_>>());
        let middle = bytes.slice(10..60);
        assert_eq!(middle.len(), 50);
        assert_eq!(middle[0], 10);
        let inner = middle.slice(5..7);
        assert_eq!(&*inner, &[15, 16]);
    }

    #[test]
    fn reads_files_mapped_and_empty() {
        let dir = std::env::temp_dir().join(format!("radiome-bytes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (full, empty) = (dir.join("full"), dir.join("empty"));
        std::fs::write(&full, b"NRRD0004").unwrap();
        std::fs::write(&empty, b"").unwrap();
        assert_eq!(&*Bytes::read(&full).unwrap(), b"NRRD0004");
        assert!(Bytes::read(&empty).unwrap().is_empty());
        assert!(Bytes::read(&dir.join("absent")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

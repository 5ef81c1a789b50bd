//! Writing volumes: the voxel types a writer can store, the file itself (plain or gzipped), and
//! region masks with the format chosen by the file name.

use super::{nifti, nrrd_write};
use crate::image::{PixelType, Volume};
use crate::{Error, Result};
use std::io::Write;
use std::path::Path;

/// A voxel type the writers can store: its pixel type and little-endian bytes.
pub trait WritableVoxel: Copy {
    /// The stored pixel type.
    const PIXEL_TYPE: PixelType;
    /// Appends the value's little-endian bytes.
    fn extend_le(self, out: &mut Vec<u8>);
}

macro_rules! writable {
    ($($t:ty => $pixel:ident),*) => {$(
        impl WritableVoxel for $t {
            const PIXEL_TYPE: PixelType = PixelType::$pixel;
            fn extend_le(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
writable!(u8 => U8, i16 => I16, u32 => U32, f32 => F32, f64 => F64);

/// The voxels of `volume` in (z, y, x) order as little-endian bytes, after `prefix`.
pub(super) fn voxel_bytes<T: WritableVoxel>(prefix: &[u8], volume: &Volume<T>) -> Vec<u8> {
    let size = std::mem::size_of::<T>();
    let mut body = Vec::with_capacity(prefix.len() + volume.voxels.len() * size);
    body.extend_from_slice(prefix);
    volume.voxels.iter().for_each(|v| v.extend_le(&mut body));
    body
}

/// Writes `header`, then `data`, compressed as `gzip` says.
pub(super) fn write_file(path: &Path, header: &[u8], data: &[u8], gzip: Gzip) -> Result<()> {
    let io_err = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::create(path).map_err(io_err)?;
    let mut out = std::io::BufWriter::new(file);
    let compressed = |out: &mut dyn Write, bytes: &[&[u8]]| -> std::io::Result<()> {
        let mut enc = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
        bytes.iter().try_for_each(|b| enc.write_all(b))?;
        enc.finish().map(drop)
    };
    match gzip {
        Gzip::None => out.write_all(header).and_then(|()| out.write_all(data)),
        Gzip::Data => out
            .write_all(header)
            .and_then(|()| compressed(&mut out, &[data])),
        Gzip::All => compressed(&mut out, &[header, data]),
    }
    .and_then(|()| out.flush())
    .map_err(io_err)
}

/// What [`write_file`] compresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Gzip {
    /// Nothing.
    None,
    /// The data after a plain header (NRRD's `encoding: gzip`).
    Data,
    /// The whole file as one gzip stream (NIfTI `.nii.gz`).
    All,
}

/// Writes a region as a mask file: value 1 inside, 0 outside, unsigned 8-bit, with the region's
/// geometry. The format follows the name: `.nrrd` (gzip-encoded NRRD), `.nii` or `.nii.gz`
/// (NIfTI-1, whose header holds the geometry in single precision).
pub fn write_mask(path: &Path, region: &Volume<bool>) -> Result<()> {
    let mask = Volume {
        voxels: region.voxels.mapv(u8::from),
        geometry: region.geometry.clone(),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".nrrd") {
        nrrd_write::write_nrrd(path, &mask)
    } else if name.ends_with(".nii") || name.ends_with(".nii.gz") {
        nifti::write_nifti(path, &mask)
    } else {
        Err(Error::format(
            path,
            "unknown mask file extension (use .nrrd, .nii or .nii.gz)",
        ))
    }
}

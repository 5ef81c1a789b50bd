//! Reading images and masks from disk as SimpleITK (ITK 5.4) reads them, and writing NIfTI.
//!
//! The format is found from the file's first bytes, never from its name: NRRD (`NRRD000x`),
//! NIfTI-1 (`sizeof_hdr` 348, magic `n+1`), NIfTI-2 (`sizeof_hdr` 540, magic `n+2`), each possibly
//! gzip-compressed. Geometry is returned in ITK's convention (LPS physical space), computed with
//! the same arithmetic as ITK's `NrrdImageIO` / `NiftiImageIO`, so that spacing, origin and
//! direction equal SimpleITK's to the last bit.
//!
//! [`read_image`] returns 3D scalar images and refuses others with a clear error;
//! [`read_image_2d_or_3d`] also returns 2D images (PyRadiomics accepts them) as one slice. A vector image, as 3D Slicer writes
//! overlapping segmentations (`.seg.nrrd` with a `list` axis of layers), can be read as a mask
//! with [`read_mask`], which selects one layer exactly as PyRadiomics' `label_channel` does.

mod hash;
mod nifti;
mod nrrd;
mod svd;

pub use hash::{mask_hash, pixel_hash};
pub use nifti::write_nifti;

use crate::image::{Geometry, Image, PixelType, Volume};
use crate::{Error, Result};
use ndarray::Array3;
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

/// Reads a 3D scalar image (NRRD, NIfTI-1 or NIfTI-2, optionally gzipped), as
/// `sitk.ReadImage` does: voxels widened to f64, the pixel type SimpleITK reports, and geometry
/// in LPS. 2D images, 4D images and vector images (e.g. multi-layer segmentations, see
/// [`read_mask`]) are refused.
pub fn read_image(path: &Path) -> Result<Image> {
    only_3d(path, read_image_2d_or_3d(path)?)
}

/// Reads a mask as PyRadiomics' `imageoperations.getMask` returns it: for a vector image (3D
/// Slicer's `.seg.nrrd` with overlapping segments stored as layers) the layer `label_channel` is
/// selected, then the values are cast to UInt32 (pixel type [`PixelType::U32`]), as
/// `sitk.Cast` does. Segment metadata (`Segment<N>_LabelValue`, `Segment<N>_Layer`) is not
/// consulted, as PyRadiomics does not consult it either: the region is the voxels of that layer
/// equal to the `label` setting. (The `label_channel` setting defaults to 0.)
pub fn read_mask(path: &Path, label_channel: usize) -> Result<Image> {
    only_3d(path, read_mask_2d_or_3d(path, label_channel)?)
}

/// As [`read_image`], but also accepts 2D images, which PyRadiomics processes (with its 2D
/// features and without 3D shape). Returns the image and SimpleITK's `GetDimension()` (2 or 3);
/// a 2D image is returned as one slice, with the geometry `sitk.JoinSeries` gives it (third
/// axis: spacing 1, origin 0, direction e_z).
pub fn read_image_2d_or_3d(path: &Path) -> Result<(Image, usize)> {
    let raw = read_raw(path)?;
    if raw.components != 1 {
        return Err(Error::format(
            path,
            format!(
                "has {} components per voxel (a vector image or multi-layer segmentation); \
                 only masks can select a layer (label_channel)",
                raw.components
            ),
        ));
    }
    let dimensionality = raw.dimensionality;
    Ok((raw.into_image(path, 0)?, dimensionality))
}

/// As [`read_mask`], but also accepts 2D masks (see [`read_image_2d_or_3d`]).
pub fn read_mask_2d_or_3d(path: &Path, label_channel: usize) -> Result<(Image, usize)> {
    let raw = read_raw(path)?;
    if label_channel >= raw.components {
        return Err(Error::format(
            path,
            format!(
                "label_channel {label_channel} requested, but the mask has only {} layer(s)",
                raw.components
            ),
        ));
    }
    let dimensionality = raw.dimensionality;
    let mut mask = raw.into_image(path, label_channel)?;
    mask.volume.voxels.mapv_inplace(cast_u32);
    mask.pixel_type = PixelType::U32;
    Ok((mask, dimensionality))
}

/// `sitk.Cast(…, sitkUInt32)` of one value as x86-64 code computes it: truncation towards zero to
/// a 64-bit integer, of which the low 32 bits are kept (so -1 becomes 4294967295).
pub(crate) fn cast_u32(v: f64) -> f64 {
    f64::from((v as i64) as u32)
}

/// Refuses images that are not 3D.
fn only_3d(path: &Path, (image, dimensionality): (Image, usize)) -> Result<Image> {
    match dimensionality {
        3 => Ok(image),
        d => Err(dimension_error(path, d)),
    }
}

/// Image data as decoded from a file, before selection of a component and widening to f64.
struct RawImage {
    /// Size in ITK order (x, y, z).
    size: [usize; 3],
    /// Number of components per voxel (1 for scalar images).
    components: usize,
    /// Element stride (in elements) of index axes x, y, z and of the component axis.
    strides: [usize; 4],
    /// Type of each stored element.
    stored: PixelType,
    /// True when `data` is big-endian.
    big_endian: bool,
    /// The stored elements, `stored.size()` bytes each.
    data: Vec<u8>,
    /// Geometry in LPS.
    geometry: Geometry,
    /// Value rescaling (NIfTI `scl_slope`/`scl_inter`) as ITK applies it.
    rescale: Option<Rescale>,
    /// Number of index axes in the file (2 or 3; a 2D image has `size[2] == 1`).
    dimensionality: usize,
}

/// NIfTI value rescaling as ITK's `NiftiImageIO` applies it: integer data is first cast to
/// float, then `(float)((double)v * slope + inter)`; float data keeps its type.
#[derive(Clone, Copy, Debug)]
struct Rescale {
    slope: f64,
    inter: f64,
}

impl RawImage {
    /// The pixel type SimpleITK reports for this image.
    fn pixel_type(&self) -> PixelType {
        match self.rescale {
            Some(_) if self.stored.is_integer() => PixelType::F32,
            _ => self.stored,
        }
    }

    /// Widens component `channel` to f64 in numpy (z, y, x) order.
    fn into_image(self, path: &Path, channel: usize) -> Result<Image> {
        let [nx, ny, nz] = self.size;
        let needed = self.strides[3] * channel
            + (nx - 1) * self.strides[0]
            + (ny - 1) * self.strides[1]
            + (nz - 1) * self.strides[2]
            + 1;
        if self.data.len() < needed * self.stored.size() {
            return Err(Error::format(path, "data shorter than its header says"));
        }
        let values = match self.stored {
            PixelType::U8 => self.widen::<u8>(channel),
            PixelType::I8 => self.widen::<i8>(channel),
            PixelType::U16 => self.widen::<u16>(channel),
            PixelType::I16 => self.widen::<i16>(channel),
            PixelType::U32 => self.widen::<u32>(channel),
            PixelType::I32 => self.widen::<i32>(channel),
            PixelType::U64 => self.widen::<u64>(channel),
            PixelType::I64 => self.widen::<i64>(channel),
            PixelType::F32 => self.widen::<f32>(channel),
            PixelType::F64 => self.widen::<f64>(channel),
        };
        let voxels = Array3::from_shape_vec((nz, ny, nx), values)
            .map_err(|e| Error::format(path, format!("bad voxel grid: {e}")))?;
        Ok(Image {
            pixel_type: self.pixel_type(),
            volume: Volume {
                voxels,
                geometry: self.geometry,
            },
        })
    }

    /// The voxels of component `channel`, stored as `T`, rescaled as ITK does, in (z, y, x)
    /// order. `data` must hold them (checked by the caller).
    fn widen<T: Stored>(&self, channel: usize) -> Vec<f64> {
        let [nx, ny, nz] = self.size;
        let (big, size) = (self.big_endian, std::mem::size_of::<T>());
        let pixel_type = self.pixel_type();
        let value = |b: &[u8]| {
            let v = T::get(b, big);
            match (self.rescale, pixel_type) {
                (None, _) => v,
                (Some(r), PixelType::F64) => v * r.slope + r.inter,
                // Integer and float32 data: ITK computes in double, stores float32.
                (Some(r), _) => (f64::from(v as f32) * r.slope + r.inter) as f32 as f64,
            }
        };
        let mut values = vec![0.0f64; nx * ny * nz];
        let s = self.strides;
        if s[0] == 1 && s[1] == nx && s[2] == nx * ny {
            let base = channel * s[3] * size;
            let bytes = &self.data[base..base + values.len() * size];
            values
                .par_chunks_mut(1 << 16)
                .zip(bytes.par_chunks(size << 16))
                .for_each(|(out, bytes)| {
                    for (o, b) in out.iter_mut().zip(bytes.chunks_exact(size)) {
                        *o = value(b);
                    }
                });
        } else {
            values
                .par_chunks_mut(nx)
                .enumerate()
                .for_each(|(row, out)| {
                    let start = channel * s[3] + (row % ny) * s[1] + (row / ny) * s[2];
                    for (x, o) in out.iter_mut().enumerate() {
                        let at = (start + x * s[0]) * size;
                        *o = value(&self.data[at..at + size]);
                    }
                });
        }
        values
    }
}

/// A stored element type: decodes itself from its bytes.
trait Stored: Sync {
    /// The value of the element in `bytes` (exactly its size), big- or little-endian.
    fn get(bytes: &[u8], big_endian: bool) -> f64;
}

macro_rules! stored {
    ($($t:ty),*) => {$(
        impl Stored for $t {
            #[inline(always)]
            fn get(bytes: &[u8], big_endian: bool) -> f64 {
                let raw = bytes.try_into().unwrap_or_default();
                (if big_endian { <$t>::from_be_bytes(raw) } else { <$t>::from_le_bytes(raw) }) as f64
            }
        }
    )*};
}
stored!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64);

/// Reads the file, detects its format and decodes it.
fn read_raw(path: &Path) -> Result<RawImage> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if bytes.starts_with(b"NRRD000") {
        return nrrd::read(path, &bytes);
    }
    if nifti::is_nifti(&bytes) {
        return nifti::read(path, &bytes);
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        // A gzipped file: only NIfTI is stored this way (a gzipped NRRD has a plain header).
        let mut head = Vec::with_capacity(nifti::MAX_HEADER);
        let _ = flate2::read::GzDecoder::new(&bytes[..])
            .take(nifti::MAX_HEADER as u64)
            .read_to_end(&mut head);
        if nifti::is_nifti(&head) {
            let plain = gunzip(path, &bytes)?;
            return nifti::read(path, &plain);
        }
        return Err(Error::format(
            path,
            "gzip file whose content is neither NIfTI-1 nor NIfTI-2",
        ));
    }
    Err(Error::format(
        path,
        "unknown image format (expected NRRD or NIfTI-1/2, optionally gzipped)",
    ))
}

/// Decompresses a whole gzip stream (all members).
fn gunzip(path: &Path, bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() * 4);
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| Error::format(path, format!("bad gzip data: {e}")))?;
    Ok(out)
}

/// Decompresses a gzip stream, skips `skip` bytes, returns the next `len` bytes, and checks the
/// stream's end (its CRC).
fn gunzip_exact(path: &Path, bytes: &[u8], skip: usize, len: usize) -> Result<Vec<u8>> {
    let truncated = || {
        Error::format(
            path,
            "gzip data shorter than its header says (truncated file?)",
        )
    };
    // Deflate expands at most 1032:1; refuse impossible sizes before allocating them.
    if len / 1032 > bytes.len() {
        return Err(truncated());
    }
    let mut decoder = flate2::read::GzDecoder::new(bytes);
    let bad = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => truncated(),
        _ => Error::format(path, format!("bad gzip data: {e}")),
    };
    let skipped =
        std::io::copy(&mut (&mut decoder).take(skip as u64), &mut std::io::sink()).map_err(bad)?;
    if skipped < skip as u64 {
        return Err(truncated());
    }
    let mut out = vec![0u8; len];
    decoder.read_exact(&mut out).map_err(bad)?;
    // Reading past the data checks the gzip trailer; extra data there is ignored.
    decoder.read(&mut [0u8; 1]).map_err(bad)?;
    Ok(out)
}

/// Number of voxels of a size, failing on overflow.
fn checked_count(path: &Path, sizes: &[usize]) -> Result<usize> {
    sizes
        .iter()
        .try_fold(1usize, |acc, &s| acc.checked_mul(s))
        .ok_or_else(|| Error::format(path, "image size overflows"))
}

/// The error for an image of the wrong dimensionality.
fn dimension_error(path: &Path, dims: usize) -> Error {
    Error::format(
        path,
        format!("is a {dims}D image; only 3D images are supported"),
    )
}

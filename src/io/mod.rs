//! Reading images and masks from disk as SimpleITK (ITK 5.4) reads them, and writing NIfTI and
//! NRRD ([`write_nifti`], [`write_nrrd`], and [`write_mask`] for regions).
//!
//! The format is found from the file's first bytes, never from its name: NRRD (`NRRD000x`),
//! NIfTI-1 (`sizeof_hdr` 348, magic `n+1`), NIfTI-2 (`sizeof_hdr` 540, magic `n+2`), each possibly
//! gzip-compressed. Geometry is returned in ITK's convention (LPS physical space), computed with
//! the same arithmetic as ITK's `NrrdImageIO` / `NiftiImageIO`, so that spacing, origin and
//! direction equal SimpleITK's to the last bit.
//!
//! [`read_image`] returns 3D scalar images and refuses others with a clear error;
//! [`read_image_2d_or_3d`] also returns 2D images (PyRadiomics accepts them) as one slice, as do
//! [`read_stored_image`] and [`read_stored_mask`], which the extractor uses (and
//! [`read_mask_region`], both steps of the mask's in one call). A vector image, as 3D Slicer writes
//! overlapping segmentations (`.seg.nrrd` with a `list` axis of layers), can be read as a mask
//! with [`read_mask`], which selects one layer exactly as PyRadiomics' `label_channel` does.

mod bytes;
mod hash;
mod nifti;
mod nrrd;
mod nrrd_write;
mod stored;
mod write;

pub use hash::{VoxelHashes, mask_hash, pixel_hash, region_hash};
pub use nifti::write_nifti;
pub use nrrd_write::write_nrrd;
pub use stored::{
    MaskRegion, PendingHash, StoredImage, StoredMask, read_mask_region, read_stored_image,
    read_stored_mask,
};
pub use write::{WritableVoxel, write_mask};

use crate::image::source::Element;
use crate::image::{Dimensionality, Geometry, Image, PixelType, Volume};
use crate::{Error, Result};
use bytes::Bytes;
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
/// features and without 3D shape). Returns the image and SimpleITK's `GetDimension()`; a 2D
/// image is returned as one slice, with the geometry `sitk.JoinSeries` gives it (third axis:
/// spacing 1, origin 0, direction e_z).
pub fn read_image_2d_or_3d(path: &Path) -> Result<(Image, Dimensionality)> {
    let raw = read_scalar_raw(path)?;
    let dimensionality = raw.dimensionality;
    Ok((raw.into_image(path, 0)?, dimensionality))
}

/// As [`read_mask`], but also accepts 2D masks (see [`read_image_2d_or_3d`]).
pub fn read_mask_2d_or_3d(path: &Path, label_channel: usize) -> Result<(Image, Dimensionality)> {
    let raw = read_mask_raw(path, label_channel)?;
    let dimensionality = raw.dimensionality;
    let mut mask = raw.into_image(path, label_channel)?;
    mask.volume.voxels.mapv_inplace(cast_u32);
    mask.pixel_type = PixelType::U32;
    Ok((mask, dimensionality))
}

/// A mask file's data, refused when it has no layer `label_channel`.
fn read_mask_raw(path: &Path, label_channel: usize) -> Result<RawImage> {
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
    Ok(raw)
}

/// `sitk.Cast(…, sitkUInt32)` of one value as x86-64 code computes it: truncation towards zero to
/// a 64-bit integer, of which the low 32 bits are kept (so -1 becomes 4294967295).
pub(crate) fn cast_u32(v: f64) -> f64 {
    f64::from((v as i64) as u32)
}

/// Refuses images that are not 3D.
fn only_3d(path: &Path, (image, dimensionality): (Image, Dimensionality)) -> Result<Image> {
    match dimensionality {
        Dimensionality::Three => Ok(image),
        Dimensionality::Two => Err(Error::format(
            path,
            "is a 2D image; this reader takes 3D images (read_image_2d_or_3d takes both)",
        )),
    }
}

/// Image data as decoded from a file, before selection of a component and widening to f64.
/// Clones share the data.
#[derive(Clone)]
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
    data: Bytes,
    /// Geometry in LPS.
    geometry: Geometry,
    /// Value rescaling (NIfTI `scl_slope`/`scl_inter`) as ITK applies it.
    rescale: Option<Rescale>,
    /// Whether the file has 2 or 3 index axes (a 2D image has `size[2] == 1`).
    dimensionality: Dimensionality,
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

    /// Refuses an image without voxels, or data shorter than the header says (component
    /// `channel` must be readable).
    fn check_length(&self, path: &Path, channel: usize) -> Result<()> {
        let [nx, ny, nz] = self.size;
        if nx == 0 || ny == 0 || nz == 0 {
            return Err(Error::format(path, "image has no voxels"));
        }
        let needed = self.strides[3] * channel
            + (nx - 1) * self.strides[0]
            + (ny - 1) * self.strides[1]
            + (nz - 1) * self.strides[2]
            + 1;
        if self.data.len() < needed * self.stored.size() {
            return Err(Error::format(path, "data shorter than its header says"));
        }
        Ok(())
    }

    /// Widens component `channel` to f64 in numpy (z, y, x) order.
    fn into_image(self, path: &Path, channel: usize) -> Result<Image> {
        self.check_length(path, channel)?;
        let [nx, ny, nz] = self.size;
        let values = self.widen_box(channel, [0; 3], self.size);
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

    /// The voxels of component `channel` in the index box starting at `lower` (ITK order) of
    /// `size` voxels, widened to f64 and rescaled as ITK does, in (z, y, x) order.
    fn widen_box(&self, channel: usize, lower: [usize; 3], size: [usize; 3]) -> Vec<f64> {
        match self.stored {
            PixelType::U8 => self.widen::<u8>(channel, lower, size),
            PixelType::I8 => self.widen::<i8>(channel, lower, size),
            PixelType::U16 => self.widen::<u16>(channel, lower, size),
            PixelType::I16 => self.widen::<i16>(channel, lower, size),
            PixelType::U32 => self.widen::<u32>(channel, lower, size),
            PixelType::I32 => self.widen::<i32>(channel, lower, size),
            PixelType::U64 => self.widen::<u64>(channel, lower, size),
            PixelType::I64 => self.widen::<i64>(channel, lower, size),
            PixelType::F32 => self.widen::<f32>(channel, lower, size),
            PixelType::F64 => self.widen::<f64>(channel, lower, size),
        }
    }

    /// [`Self::widen_box`] for elements stored as `T`. `data` must hold the box (checked by the
    /// caller).
    fn widen<T: Stored>(&self, channel: usize, lower: [usize; 3], size: [usize; 3]) -> Vec<f64> {
        self.decode_box::<T, f64>(channel, lower, size)
    }

    /// The voxels of component `channel` in the index box starting at `lower` of `size` voxels,
    /// stored as `T`, rescaled as ITK does and converted to `E` (which must hold every value), in
    /// (z, y, x) order. `data` must hold the box (checked by the caller).
    fn decode_box<T: Stored, E: Element>(
        &self,
        channel: usize,
        lower: [usize; 3],
        size: [usize; 3],
    ) -> Vec<E> {
        let [nx, ny, nz] = size;
        let mut values = crate::huge_pages::zeroed::<E>(nx * ny * nz);
        // Rows in parallel, several at a time so that small rows do not cost a task each.
        let rows_per_task = (1 << 14) / nx.max(1) + 1;
        values
            .par_chunks_mut(nx.max(1) * rows_per_task)
            .enumerate()
            .for_each(|(task, out)| {
                for (i, out) in out.chunks_mut(nx.max(1)).enumerate() {
                    let row = task * rows_per_task + i;
                    let (y, z) = (lower[1] + row % ny, lower[2] + row / ny);
                    self.decode_row::<T, E>(channel, [lower[0], y, z], out, E::from_f64);
                }
            });
        values
    }

    /// Decodes `out.len()` voxels of component `channel` along x from index `start` (x, y, z),
    /// rescaled as ITK does, each mapped by `map`. `data` must hold them.
    #[inline(always)]
    fn decode_row<T: Stored, U>(
        &self,
        channel: usize,
        start: [usize; 3],
        out: &mut [U],
        map: impl Fn(f64) -> U,
    ) {
        let (big, bytes) = (self.big_endian, std::mem::size_of::<T>());
        let pixel_type = self.pixel_type();
        let value = |b: &[u8]| {
            let v = T::get(b, big);
            map(match (self.rescale, pixel_type) {
                (None, _) => v,
                (Some(r), PixelType::F64) => v * r.slope + r.inter,
                // Integer and float32 data: ITK computes in double, stores float32.
                (Some(r), _) => (f64::from(v as f32) * r.slope + r.inter) as f32 as f64,
            })
        };
        let s = self.strides;
        let first = channel * s[3] + start[0] * s[0] + start[1] * s[1] + start[2] * s[2];
        if s[0] == 1 {
            let row_bytes = &self.data[first * bytes..(first + out.len()) * bytes];
            let elements = out.iter_mut().zip(row_bytes.chunks_exact(bytes));
            if !big && self.rescale.is_none() {
                // The common case, without per-voxel branches (so that it vectorises).
                elements.for_each(|(o, b)| *o = map(T::get(b, false)));
            } else {
                elements.for_each(|(o, b)| *o = value(b));
            }
        } else {
            for (x, o) in out.iter_mut().enumerate() {
                let at = (first + x * s[0]) * bytes;
                *o = value(&self.data[at..at + bytes]);
            }
        }
    }

    /// Component `channel` of the z-plane `z` cast to UInt32 as [`read_mask`] casts it, into
    /// `out` (one plane long).
    fn uint32_plane(&self, channel: usize, z: usize, out: &mut [u32]) {
        match self.stored {
            PixelType::U8 => self.uint32_plane_as::<u8>(channel, z, out),
            PixelType::I8 => self.uint32_plane_as::<i8>(channel, z, out),
            PixelType::U16 => self.uint32_plane_as::<u16>(channel, z, out),
            PixelType::I16 => self.uint32_plane_as::<i16>(channel, z, out),
            PixelType::U32 => self.uint32_plane_as::<u32>(channel, z, out),
            PixelType::I32 => self.uint32_plane_as::<i32>(channel, z, out),
            PixelType::U64 => self.uint32_plane_as::<u64>(channel, z, out),
            PixelType::I64 => self.uint32_plane_as::<i64>(channel, z, out),
            PixelType::F32 => self.uint32_plane_as::<f32>(channel, z, out),
            PixelType::F64 => self.uint32_plane_as::<f64>(channel, z, out),
        }
    }

    /// [`Self::uint32_plane`] for elements stored as `T`.
    fn uint32_plane_as<T: Stored>(&self, channel: usize, z: usize, out: &mut [u32]) {
        let nx = self.size[0].max(1);
        let s = self.strides;
        let plain = self.rescale.is_none() && s[0] == 1 && !self.big_endian;
        let size = std::mem::size_of::<T>();
        for (y, row) in out.chunks_mut(nx).enumerate() {
            if plain {
                // The common case, without per-voxel branches.
                let first = channel * s[3] + y * s[1] + z * s[2];
                uint32_row::<T>(&self.data[first * size..(first + row.len()) * size], row);
            } else {
                self.decode_row::<T, u32>(channel, [0, y, z], row, |v| cast_u32(v) as u32);
            }
        }
    }
}

/// The little-endian elements `T` in `bytes` cast to UInt32 into `out` (AVX-512 and AVX2 clones
/// picked at run time).
#[multiversion::multiversion(targets("x86_64+avx512f+avx512bw", "x86_64+avx2", "aarch64+neon"))]
fn uint32_row<T: Stored>(bytes: &[u8], out: &mut [u32]) {
    for (o, b) in out
        .iter_mut()
        .zip(bytes.chunks_exact(std::mem::size_of::<T>()))
    {
        *o = T::uint32_le(b);
    }
}

/// A stored element type: decodes itself from its bytes.
trait Stored: Sync {
    /// The value of the element in `bytes` (exactly its size), big- or little-endian.
    fn get(bytes: &[u8], big_endian: bool) -> f64;
    /// The little-endian element in `bytes` cast to UInt32 as [`cast_u32`] casts its value.
    fn uint32_le(bytes: &[u8]) -> u32;
}

macro_rules! stored {
    ($($t:ident),*) => {$(
        impl Stored for $t {
            #[inline(always)]
            fn get(bytes: &[u8], big_endian: bool) -> f64 {
                let raw = bytes.try_into().unwrap_or_default();
                (if big_endian { <$t>::from_be_bytes(raw) } else { <$t>::from_le_bytes(raw) }) as f64
            }
            #[inline(always)]
            fn uint32_le(bytes: &[u8]) -> u32 {
                uint32_of!($t, <$t>::from_le_bytes(bytes.try_into().unwrap_or_default()))
            }
        }
    )*};
}

/// [`cast_u32`] of a value of type `$t`: integers of up to 32 bits are exact in f64, so their
/// cast is their two's complement low 32 bits; other types go through f64.
macro_rules! uint32_of {
    (u8, $v:expr) => {
        u32::from($v)
    };
    (u16, $v:expr) => {
        u32::from($v)
    };
    (u32, $v:expr) => {
        $v
    };
    (i8, $v:expr) => {
        i32::from($v) as u32
    };
    (i16, $v:expr) => {
        i32::from($v) as u32
    };
    (i32, $v:expr) => {
        $v as u32
    };
    ($t:ty, $v:expr) => {
        cast_u32($v as f64) as u32
    };
}
stored!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64);

/// Reads the file, detects its format and decodes it.
/// [`read_raw`] for an image (not a mask): vector images are refused, as only masks can select
/// a layer.
fn read_scalar_raw(path: &Path) -> Result<RawImage> {
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
    Ok(raw)
}

fn read_raw(path: &Path) -> Result<RawImage> {
    let bytes = Bytes::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if bytes.starts_with(b"NRRD000") {
        return nrrd::read(path, bytes);
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
            return nifti::read(path, &Bytes::from(plain));
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

/// The number of stored elements (voxels × components) an image file's header declares, read
/// without decoding the data (of a gzipped NIfTI only the header is decompressed): the size of
/// a case before it is read, e.g. to budget memory.
pub fn element_count(path: &Path) -> Result<usize> {
    let bytes = Bytes::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if bytes.starts_with(b"NRRD000") {
        return nrrd::element_count(path, &bytes);
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut head = Vec::with_capacity(nifti::MAX_HEADER);
        let _ = flate2::read::GzDecoder::new(&bytes[..])
            .take(nifti::MAX_HEADER as u64)
            .read_to_end(&mut head);
        return nifti::element_count(path, &head);
    }
    if nifti::is_nifti(&bytes) {
        return nifti::element_count(path, &bytes);
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
        format!("is a {dims}D image; only 2D and 3D images are supported"),
    )
}

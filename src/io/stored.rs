//! Images kept in their stored pixel type, and masks read straight into their label region, so
//! that a whole volume is widened to f64 only when an operation needs all of it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha1::{Digest, Sha1};

use super::hash::hex;
use super::{RawImage, Stored, read_mask_raw, read_scalar_raw};
use crate::image::source::{Element, SourceImage};
use crate::image::{Dimensionality, Geometry, Image, PixelType, Volume};
use crate::{Error, Result};

/// A 2D or 3D scalar image as stored on disk (pixel type, byte order, layout kept), as
/// [`super::read_image_2d_or_3d`] reads it but not yet widened to f64. Clones share the voxels.
#[derive(Clone)]
pub struct StoredImage {
    raw: RawImage,
    path: PathBuf,
}

/// Reads a 2D or 3D scalar image as [`super::read_image_2d_or_3d`] does (same checks and
/// errors), keeping the voxels in their stored type.
pub fn read_stored_image(path: &Path) -> Result<StoredImage> {
    let raw = read_scalar_raw(path)?;
    raw.check_length(path, 0)?;
    Ok(StoredImage {
        raw,
        path: path.to_path_buf(),
    })
}

impl StoredImage {
    /// The pixel type SimpleITK reports.
    pub fn pixel_type(&self) -> PixelType {
        self.raw.pixel_type()
    }

    /// Size in ITK order `(nx, ny, nz)`.
    pub fn size(&self) -> [usize; 3] {
        self.raw.size
    }

    /// Geometry in LPS.
    pub fn geometry(&self) -> &Geometry {
        &self.raw.geometry
    }

    /// Whether the file is a 2D or a 3D image.
    pub fn dimensionality(&self) -> Dimensionality {
        self.raw.dimensionality
    }

    /// The whole image widened to f64, as [`super::read_image`] returns it.
    pub fn into_image(self) -> Result<Image> {
        self.raw.into_image(&self.path, 0)
    }

    /// The image as the image types filter it: in its stored element type when that widens to
    /// f64 exactly and no rescaling applies, else widened to f64 ([`Self::into_image`]).
    pub fn into_source(self) -> Result<SourceImage<'static>> {
        let raw = &self.raw;
        if raw.rescale.is_some() {
            return Ok(SourceImage::from(self.into_image()?));
        }
        Ok(match raw.stored {
            PixelType::U8 => SourceImage::U8(self.volume_as::<u8>()),
            PixelType::I8 => SourceImage::I8(self.volume_as::<i8>()),
            PixelType::U16 => SourceImage::U16(self.volume_as::<u16>()),
            PixelType::I16 => SourceImage::I16(self.volume_as::<i16>()),
            PixelType::U32 => SourceImage::U32(self.volume_as::<u32>()),
            PixelType::I32 => SourceImage::I32(self.volume_as::<i32>()),
            PixelType::F32 => SourceImage::F32(self.volume_as::<f32>()),
            PixelType::U64 | PixelType::I64 | PixelType::F64 => {
                SourceImage::from(self.into_image()?)
            }
        })
    }

    /// The whole image in the element type `E` it is stored as.
    fn volume_as<E: Element + Stored>(&self) -> Volume<E> {
        let [nx, ny, nz] = self.raw.size;
        let values = self.raw.decode_box::<E, E>(0, [0; 3], self.raw.size);
        Volume {
            voxels: ndarray::Array3::from_shape_vec((nz, ny, nx), values)
                .unwrap_or_else(|_| ndarray::Array3::default((0, 0, 0))),
            geometry: self.raw.geometry.clone(),
        }
    }

    /// The voxels in the inclusive index box `lower..=upper` (ITK order, within the image)
    /// widened to f64, with the geometry `crop` gives the sub-volume.
    pub fn crop(&self, lower: [usize; 3], upper: [usize; 3]) -> Image {
        let size = [0, 1, 2].map(|a| upper[a] + 1 - lower[a]);
        let values = self.raw.widen_box(0, lower, size);
        let [nx, ny, nz] = size;
        let voxels = ndarray::Array3::from_shape_vec((nz, ny, nx), values)
            .unwrap_or_else(|_| ndarray::Array3::zeros((0, 0, 0)));
        let geometry = Geometry {
            origin: self.raw.geometry.index_to_physical(lower.map(|l| l as f64)),
            ..self.raw.geometry.clone()
        };
        Image {
            volume: Volume { voxels, geometry },
            pixel_type: self.pixel_type(),
        }
    }

    /// `sitk.Hash` of the image ([`super::pixel_hash`] of [`Self::into_image`]'s result), to
    /// compute later, e.g. on another thread while the image is processed.
    pub fn pending_hash(&self) -> PendingHash {
        PendingHash {
            raw: self.raw.clone(),
            path: self.path.clone(),
            mask_channel: None,
        }
    }

    /// `(mean, min, max)` of all voxels as numpy computes them, when this can be done exactly
    /// without widening (integer types of at most 16 bits: every partial sum is exact in f64).
    pub fn integer_mean_min_max(&self) -> Option<(f64, f64, f64)> {
        let raw = &self.raw;
        if raw.rescale.is_some() {
            return None;
        }
        match raw.stored {
            PixelType::U8 => Some(raw.int_stats::<u8>()),
            PixelType::I8 => Some(raw.int_stats::<i8>()),
            PixelType::U16 => Some(raw.int_stats::<u16>()),
            PixelType::I16 => Some(raw.int_stats::<i16>()),
            _ => None,
        }
    }
}

/// A mask reduced, while reading, to what PyRadiomics uses of it.
pub struct MaskRegion {
    /// The voxels whose UInt32-cast value equals the label.
    pub region: Volume<bool>,
    /// The distinct UInt32-cast values present, ascending.
    pub labels: Vec<u32>,
    /// `sitk.Hash` of the UInt32-cast mask ([`super::mask_hash`]), to compute when needed.
    pub hash: PendingHash,
    /// Whether the file is a 2D or a 3D mask.
    pub dimensionality: Dimensionality,
}

/// A 2D or 3D mask as stored on disk, one layer selected: the file is read and checked, its
/// voxels not yet looked at, so that its hash can start while its region is found.
pub struct StoredMask {
    raw: RawImage,
    path: PathBuf,
    label_channel: usize,
}

/// Reads a 2D or 3D mask as [`super::read_mask_2d_or_3d`] does (same checks and errors),
/// keeping the voxels in their stored type.
pub fn read_stored_mask(path: &Path, label_channel: usize) -> Result<StoredMask> {
    let raw = read_mask_raw(path, label_channel)?;
    raw.check_length(path, label_channel)?;
    Ok(StoredMask {
        raw,
        path: path.to_path_buf(),
        label_channel,
    })
}

/// Reads a 2D or 3D mask as [`super::read_mask_2d_or_3d`] does (same checks and errors) and
/// reduces it to the region of `label` and its labels, without an f64 copy of the mask.
pub fn read_mask_region(path: &Path, label_channel: usize, label: i64) -> Result<MaskRegion> {
    let mask = read_stored_mask(path, label_channel)?;
    let hash = mask.pending_hash();
    let (region, labels) = mask.region_and_labels(label)?;
    Ok(MaskRegion {
        region,
        labels,
        dimensionality: mask.dimensionality(),
        hash,
    })
}

impl StoredMask {
    /// Whether the file is a 2D or a 3D mask.
    pub fn dimensionality(&self) -> Dimensionality {
        self.raw.dimensionality
    }

    /// `sitk.Hash` of the UInt32-cast mask ([`super::mask_hash`]), to compute when needed.
    pub fn pending_hash(&self) -> PendingHash {
        PendingHash {
            raw: self.raw.clone(),
            path: self.path.clone(),
            mask_channel: Some(self.label_channel),
        }
    }

    /// The pixel type SimpleITK reports for the mask file.
    pub fn pixel_type(&self) -> PixelType {
        self.raw.pixel_type()
    }

    /// Whether any voxel holds a value with a fractional part (only a floating-point or
    /// rescaled mask can), read plane by plane and stopping at the first.
    pub fn holds_fractions(&self) -> bool {
        let [nx, ny, nz] = self.raw.size;
        self.raw.pixel_type().integer_range().is_none()
            && (0..nz).any(|z| {
                self.raw
                    .widen_box(self.label_channel, [0, 0, z], [nx, ny, 1])
                    .iter()
                    .any(|v| v.fract() != 0.0)
            })
    }

    /// The voxels whose UInt32-cast value equals `label`, and the distinct UInt32-cast values
    /// present, ascending.
    pub fn region_and_labels(&self, label: i64) -> Result<(Volume<bool>, Vec<u32>)> {
        let raw = &self.raw;
        let [nx, ny, nz] = raw.size;
        let plane = nx * ny;
        let mut voxels = crate::huge_pages::zeroed::<bool>(plane * nz);
        let labels: BTreeSet<u32> = voxels
            .par_chunks_mut(plane)
            .enumerate()
            .fold(
                || (BTreeSet::new(), vec![0u32; plane]),
                |(mut labels, mut values), (z, out)| {
                    raw.uint32_plane(self.label_channel, z, &mut values);
                    label_plane(&values, u32::try_from(label).ok(), out, &mut labels);
                    (labels, values)
                },
            )
            .map(|(labels, _)| labels)
            .reduce(BTreeSet::new, |mut a, b| {
                a.extend(b);
                a
            });
        let voxels = ndarray::Array3::from_shape_vec((nz, ny, nx), voxels)
            .map_err(|e| Error::format(&self.path, format!("bad voxel grid: {e}")))?;
        let region = Volume {
            voxels,
            geometry: raw.geometry.clone(),
        };
        Ok((region, labels.into_iter().collect()))
    }
}

/// Marks in `out` the voxels of `values` (a plane of a mask, cast to UInt32) equal to `label`
/// (`None`: a label no UInt32 equals) and adds the plane's distinct values to `labels` (AVX-512
/// and AVX2 clones picked at run time).
#[multiversion::multiversion(targets("x86_64+avx512f+avx512bw", "x86_64+avx2", "aarch64+neon"))]
fn label_plane(values: &[u32], label: Option<u32>, out: &mut [bool], labels: &mut BTreeSet<u32>) {
    let label = label.map_or(u64::MAX, u64::from);
    for (o, &v) in out.iter_mut().zip(values) {
        *o = u64::from(v) == label;
    }
    let Some(&first) = values.first() else {
        return;
    };
    // Most planes of a mask hold a single value; elsewhere values come in runs: only insert on a
    // change.
    if values.iter().fold(true, |same, &v| same & (v == first)) {
        labels.insert(first);
        return;
    }
    let mut last = None;
    for &v in values {
        if last != Some(v) {
            labels.insert(v);
            last = Some(v);
        }
    }
}

/// A voxel hash as PyRadiomics' diagnostics report it, not yet computed: it shares the bytes
/// read, so it can run on another thread while the case is processed.
pub struct PendingHash {
    raw: RawImage,
    path: PathBuf,
    /// `Some(layer)` for a mask (hashed after the cast to UInt32), `None` for an image (hashed
    /// in its stored type).
    mask_channel: Option<usize>,
}

impl PendingHash {
    /// The lower-case hex SHA-1: [`super::pixel_hash`] of the image, or [`super::mask_hash`] of
    /// the mask, as `sitk.Hash` computes them.
    pub fn compute(&self) -> Result<String> {
        let raw = &self.raw;
        let [nx, ny, nz] = raw.size;
        let Some(channel) = self.mask_channel else {
            let n = nx * ny * nz * raw.stored.size();
            if raw.strides[..3] == [1, nx, nx * ny] && !raw.big_endian && raw.rescale.is_none() {
                return Ok(hex(Sha1::digest(&raw.data[..n]).as_slice()));
            }
            let image = raw.clone().into_image(&self.path, 0)?;
            return Ok(super::pixel_hash(&image));
        };
        let mut hasher = Sha1::new();
        let mut values = vec![0u32; nx * ny];
        for z in 0..nz {
            raw.uint32_plane(channel, z, &mut values);
            values.iter_mut().for_each(|v| *v = v.to_le());
            hasher.update(bytemuck::cast_slice(&values));
        }
        Ok(hex(hasher.finalize().as_slice()))
    }
}

/// An integer element type of at most 16 bits.
trait SmallInt: Stored {
    /// The little-endian element in `bytes` (exactly its size).
    fn from_le(bytes: &[u8]) -> i32;
    /// The big-endian element in `bytes` (exactly its size).
    fn from_be(bytes: &[u8]) -> i32;
}

macro_rules! small_int {
    ($($t:ty),*) => {$(
        impl SmallInt for $t {
            #[inline(always)]
            fn from_le(bytes: &[u8]) -> i32 {
                i32::from(<$t>::from_le_bytes(bytes.try_into().unwrap_or_default()))
            }
            #[inline(always)]
            fn from_be(bytes: &[u8]) -> i32 {
                i32::from(<$t>::from_be_bytes(bytes.try_into().unwrap_or_default()))
            }
        }
    )*};
}
small_int!(u8, i8, u16, i16);

/// `(sum, min, max)` of the contiguous elements in `bytes`, each `size` bytes long and decoded by
/// `decode`. Sums run in `i32` over pieces of 2¹⁴ elements (at most 2¹⁴ · 2¹⁶ = 2³⁰ in
/// magnitude), so that the loop vectorises (AVX-512 and AVX2 clones picked at run time).
#[multiversion::multiversion(targets("x86_64+avx512f+avx512bw", "x86_64+avx2", "aarch64+neon"))]
fn int_stats_of(bytes: &[u8], size: usize, decode: impl Fn(&[u8]) -> i32) -> (i64, i64, i64) {
    const PIECE: usize = 1 << 14;
    let (mut sum, mut min, mut max) = (0i64, i32::MAX, i32::MIN);
    for piece in bytes.chunks(PIECE * size) {
        let mut piece_sum = 0i32;
        for v in piece.chunks_exact(size).map(&decode) {
            piece_sum += v;
            min = min.min(v);
            max = max.max(v);
        }
        sum += i64::from(piece_sum);
    }
    (sum, i64::from(min), i64::from(max))
}

impl RawImage {
    /// `(mean, min, max)` of component 0 (exact integer sum, converted once).
    fn int_stats<T: SmallInt>(&self) -> (f64, f64, f64) {
        let [nx, ny, nz] = self.size;
        let (size, s) = (std::mem::size_of::<T>(), self.strides);
        let decode = |bytes: &[u8]| match self.big_endian {
            true => T::from_be(bytes),
            false => T::from_le(bytes),
        };
        let (sum, min, max) = (0..ny * nz)
            .into_par_iter()
            .map(|row| {
                let start = (row % ny) * s[1] + (row / ny) * s[2];
                if s[0] != 1 {
                    let at = |x: usize| (start + x * s[0]) * size;
                    let row: Vec<u8> = (0..nx)
                        .flat_map(|x| self.data[at(x)..at(x) + size].iter().copied())
                        .collect();
                    return int_stats_of(&row, size, decode);
                }
                let bytes = &self.data[start * size..(start + nx) * size];
                match self.big_endian {
                    true => int_stats_of(bytes, size, T::from_be),
                    false => int_stats_of(bytes, size, T::from_le),
                }
            })
            .reduce(
                || (0, i64::MAX, i64::MIN),
                |a, b| (a.0 + b.0, a.1.min(b.1), a.2.max(b.2)),
            );
        let n = (nx * ny * nz) as f64;
        (sum as f64 / n, min as f64, max as f64)
    }
}

//! The voxel hashes PyRadiomics reports as `diagnostics_Image-original_Hash` and
//! `diagnostics_Mask-original_Hash`: `sitk.Hash(image)`, the SHA-1 of the pixel buffer in the
//! stored pixel type, little-endian (as on the x86 / ARM machines SimpleITK runs on).

use crate::image::{Image, PixelType, Volume};
use sha1::{Digest, Sha1};

/// SHA-1 (lower-case hex) of the voxels in their stored pixel type, x fastest: PyRadiomics'
/// `diagnostics_Image-original_Hash`. Voxel values must be representable in that type, as they
/// are when read from disk (64-bit integers beyond 2^53 excepted).
pub fn pixel_hash(image: &Image) -> String {
    hash_as(image, image.pixel_type)
}

/// PyRadiomics' `diagnostics_Mask-original_Hash`: the mask is hashed after `getMask` cast it to
/// UInt32 (as [`super::read_mask`] returns it; any other image is cast here the same way).
pub fn mask_hash(mask: &Image) -> String {
    hash_as(mask, PixelType::U32)
}

/// [`mask_hash`] of a region as a 0/1 mask on its grid (what `sitk.Hash` gives for a mask file
/// holding 1 inside the region and 0 elsewhere), without building that mask.
pub fn region_hash(region: &Volume<bool>) -> String {
    let mut hasher = Sha1::new();
    let voxels = region.voxels.as_standard_layout();
    for chunk in voxels.as_slice().unwrap_or_default().chunks(4096) {
        let values: Vec<u32> = chunk
            .iter()
            .map(|&inside| u32::from(inside).to_le())
            .collect();
        hasher.update(bytemuck::cast_slice(&values));
    }
    hex(&hasher.finalize())
}

/// PyRadiomics' two voxel hashes of a case (`diagnostics_Image-original_Hash`,
/// `diagnostics_Mask-original_Hash`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoxelHashes {
    /// [`pixel_hash`] of the image.
    pub image: String,
    /// [`mask_hash`] of the mask.
    pub mask: String,
}

impl VoxelHashes {
    /// Both hashes of an image and mask in memory, computed in parallel.
    pub fn of(image: &Image, mask: &Image) -> Self {
        let (image, mask) = rayon::join(|| pixel_hash(image), || mask_hash(mask));
        VoxelHashes { image, mask }
    }
}

/// SHA-1 of the voxels converted to `pixel_type`.
fn hash_as(image: &Image, pixel_type: PixelType) -> String {
    let mut hasher = Sha1::new();
    let mut buffer = Vec::with_capacity(8 * 4096);
    let voxels = image.volume.voxels.as_standard_layout();
    for chunk in voxels.as_slice().unwrap_or_default().chunks(4096) {
        buffer.clear();
        for &v in chunk {
            push_as(&mut buffer, v, pixel_type);
        }
        hasher.update(&buffer);
    }
    hex(&hasher.finalize())
}

/// Lower-case hex of a digest.
pub(super) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends `v` cast to `pixel_type` (C++ cast semantics for in-range values), little-endian.
fn push_as(out: &mut Vec<u8>, v: f64, pixel_type: PixelType) {
    match pixel_type {
        PixelType::U8 => out.push(v as u8),
        PixelType::I8 => out.push(v as i8 as u8),
        PixelType::U16 => out.extend_from_slice(&(v as u16).to_le_bytes()),
        PixelType::I16 => out.extend_from_slice(&(v as i16).to_le_bytes()),
        PixelType::U32 => out.extend_from_slice(&(super::cast_u32(v) as u32).to_le_bytes()),
        PixelType::I32 => out.extend_from_slice(&(v as i32).to_le_bytes()),
        PixelType::U64 => out.extend_from_slice(&(v as u64).to_le_bytes()),
        PixelType::I64 => out.extend_from_slice(&(v as i64).to_le_bytes()),
        PixelType::F32 => out.extend_from_slice(&(v as f32).to_le_bytes()),
        PixelType::F64 => out.extend_from_slice(&v.to_le_bytes()),
    }
}

//! NRRD writing (attached, gzip-encoded data) in the layout ITK's `NrrdImageIO` writes: LPS
//! space, one `space directions` vector per axis (direction column times spacing) and the
//! origin, each number in the shortest form that reads back to the same f64.

use super::write::{Gzip, WritableVoxel, voxel_bytes, write_file};
use crate::Result;
use crate::image::{PixelType, Volume};
use std::path::Path;

/// Writes `volume` as a gzip-encoded NRRD file with its geometry.
pub fn write_nrrd<T: WritableVoxel>(path: &Path, volume: &Volume<T>) -> Result<()> {
    let g = &volume.geometry;
    let [nx, ny, nz] = volume.size();
    let vector = |v: [f64; 3]| format!("({:?},{:?},{:?})", v[0], v[1], v[2]);
    let directions: Vec<String> = (0..3)
        .map(|c| vector([0, 1, 2].map(|r| g.direction[r][c] * g.spacing[c])))
        .collect();
    let header = format!(
        "NRRD0004\n\
         # Complete NRRD file format specification at:\n\
         # http://teem.sourceforge.net/nrrd/format.html\n\
         type: {}\n\
         dimension: 3\n\
         space: left-posterior-superior\n\
         sizes: {nx} {ny} {nz}\n\
         space directions: {}\n\
         kinds: domain domain domain\n\
         endian: little\n\
         encoding: gzip\n\
         space origin: {}\n\n",
        type_name(T::PIXEL_TYPE),
        directions.join(" "),
        vector(g.origin),
    );
    write_file(
        path,
        header.as_bytes(),
        &voxel_bytes(&[], volume),
        Gzip::Data,
    )
}

/// The NRRD name of a pixel type.
fn type_name(pixel_type: PixelType) -> &'static str {
    match pixel_type {
        PixelType::U8 => "unsigned char",
        PixelType::I8 => "signed char",
        PixelType::U16 => "unsigned short",
        PixelType::I16 => "short",
        PixelType::U32 => "unsigned int",
        PixelType::I32 => "int",
        PixelType::U64 => "unsigned long long int",
        PixelType::I64 => "long long int",
        PixelType::F32 => "float",
        PixelType::F64 => "double",
    }
}

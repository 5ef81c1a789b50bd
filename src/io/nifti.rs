//! NIfTI-1 and NIfTI-2 reading with the rules of ITK 5.4's `NiftiImageIO` (on top of
//! `nifti1_io`), and NIfTI-1 writing.
//!
//! Reading, as ITK does:
//! - the qform matrix is built from the quaternion, `pixdim` and `qfac` in double precision and
//!   stored in single precision (NIfTI-1); the sform is the `srow_*` rows;
//! - the sform is used when it is orthonormal and (the qform is absent, or the sform code is
//!   SCANNER_ANAT, or both are present and ITK's SVD-based test finds them "very similar" — a
//!   test whose outcome hinges on the signs of LINPACK's singular vectors, reproduced here by a
//!   port of `ssvdc`), or when both matrices are element-wise equal; else the qform; with neither code set, the origin is 0 and the direction
//!   the identity;
//! - origin = the matrix's translation with x and y negated (RAS → LPS); direction = its columns
//!   with rows x and y negated, each normalised; spacing = `pixdim[1..3]` (× 1000 for metres,
//!   × 0.001 for microns);
//! - `scl_slope`/`scl_inter` (slope 0 meaning 1) rescale the voxels; integer data then becomes
//!   float32, as in ITK.
//!
//! NIfTI-2 headers (which ITK 5.4 does not read) get the same rules in double precision.

// Matrix code reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

use super::bytes::Bytes;
use super::write::{Gzip, WritableVoxel, voxel_bytes, write_file};
use super::{RawImage, Rescale, checked_count, dimension_error};
use crate::image::{Dimensionality, Geometry, PixelType, Volume};
use crate::svd::svd3;
use crate::{Error, Result};
use std::path::Path;

/// Size of the largest NIfTI header (NIfTI-2).
pub(super) const MAX_HEADER: usize = 540;

/// NIfTI transform codes.
const XFORM_UNKNOWN: i32 = 0;
const XFORM_SCANNER_ANAT: i32 = 1;

/// The header fields that matter for reading an image, widened to f64 / i64.
struct Header {
    version: u8,
    big_endian: bool,
    dim: [i64; 8],
    datatype: i32,
    pixdim: [f64; 8],
    vox_offset: i64,
    scl_slope: f64,
    scl_inter: f64,
    xyz_units: i32,
    intent_code: i32,
    qform_code: i32,
    sform_code: i32,
    quatern: [f64; 3],
    qoffset: [f64; 3],
    srow: [[f64; 4]; 3],
    /// `ni1` / `ni2`: header and data in separate files.
    two_files: bool,
}

/// True if `bytes` start with a NIfTI-1 or NIfTI-2 header.
pub(super) fn is_nifti(bytes: &[u8]) -> bool {
    version(bytes).is_some()
}

/// `(version, big_endian, two_files)` from the header's size and magic.
fn version(bytes: &[u8]) -> Option<(u8, bool, bool)> {
    let size_le = i32::from_le_bytes(bytes.get(0..4)?.try_into().ok()?);
    let size_be = i32::from_be_bytes(bytes.get(0..4)?.try_into().ok()?);
    let big_endian = match (size_le, size_be) {
        (348 | 540, _) => false,
        (_, 348 | 540) => true,
        _ => return None,
    };
    let size = if big_endian { size_be } else { size_le };
    let magic = match size {
        348 => bytes.get(344..348)?,
        _ => bytes.get(4..8)?,
    };
    match (size, magic) {
        (348, b"n+1\0") => Some((1, big_endian, false)),
        (540, b"n+2\0") => Some((2, big_endian, false)),
        (348, b"ni1\0") => Some((1, big_endian, true)),
        (540, b"ni2\0") => Some((2, big_endian, true)),
        _ => None,
    }
}

/// Reads a (decompressed) NIfTI file.
pub(super) fn read(path: &Path, bytes: &Bytes) -> Result<RawImage> {
    let h = parse_header(path, bytes)?;
    if h.two_files {
        return Err(Error::format(
            path,
            "NIfTI header/image file pairs (.hdr/.img) are not supported",
        ));
    }
    // Vector, tensor and matrix intents make ITK read a multi-component image.
    if matches!(h.intent_code, 1004..=1007) {
        return Err(Error::format(
            path,
            format!(
                "NIfTI intent {} (vector / matrix data) is not a scalar image",
                h.intent_code
            ),
        ));
    }
    let stored = pixel_type(h.datatype)
        .ok_or_else(|| Error::format(path, format!("unsupported NIfTI datatype {}", h.datatype)))?;
    let ndim = h.dim[0] as usize;
    let mut realdim = ndim;
    while realdim > 3 && h.dim[realdim] == 1 {
        realdim -= 1;
    }
    if !(2..=3).contains(&realdim) {
        return Err(dimension_error(path, realdim));
    }
    // A 2D image's third size is 1 whatever `dim[3]` holds (ITK reads `dim[0]` axes only).
    let depth = if realdim == 2 { 1 } else { h.dim[3] };
    let size = [h.dim[1], h.dim[2], depth].map(|d| d as usize);
    let count = checked_count(path, &size)?;
    let nbytes = count
        .checked_mul(stored.size())
        .ok_or_else(|| Error::format(path, "image size overflows"))?;
    let min_offset = if h.version == 1 { 348 } else { 540 };
    let offset = usize::try_from(h.vox_offset.max(min_offset))
        .map_err(|_| Error::format(path, "bad NIfTI vox_offset"))?;
    let end = offset.saturating_add(nbytes);
    if end > bytes.len() {
        return Err(Error::format(
            path,
            "NIfTI data shorter than its header says (truncated file?)",
        ));
    }
    let data = bytes.slice(offset..end);

    let slope = if h.scl_slope.abs() < f64::EPSILON {
        1.0
    } else {
        h.scl_slope
    };
    let must_rescale = slope.abs() > f64::EPSILON
        && ((slope - 1.0).abs() > f64::EPSILON || h.scl_inter.abs() > f64::EPSILON);
    Ok(RawImage {
        size,
        components: 1,
        strides: [1, size[0], size[0] * size[1], 0],
        stored,
        big_endian: h.big_endian,
        data,
        geometry: geometry(path, &h, realdim)?,
        dimensionality: if realdim == 2 {
            Dimensionality::Two
        } else {
            Dimensionality::Three
        },
        rescale: must_rescale.then_some(Rescale {
            slope,
            inter: h.scl_inter,
        }),
    })
}

/// The number of stored elements (the product of `dim[1..=dim[0]]`) a NIfTI header declares.
pub(super) fn element_count(path: &Path, bytes: &[u8]) -> Result<usize> {
    let h = parse_header(path, bytes)?;
    let sizes: Vec<usize> = h.dim[1..=h.dim[0] as usize]
        .iter()
        .map(|&d| usize::try_from(d).unwrap_or(usize::MAX))
        .collect();
    checked_count(path, &sizes)
}

/// Parses a NIfTI-1 or NIfTI-2 header, applying `nifti1_io`'s repairs of bad values.
fn parse_header(path: &Path, bytes: &[u8]) -> Result<Header> {
    let truncated = || Error::format(path, "NIfTI header is truncated");
    let (version, big_endian, two_files) = version(bytes).ok_or_else(truncated)?;
    let hdr_len = if version == 1 { 348 } else { 540 };
    let b = bytes.get(..hdr_len).ok_or_else(truncated)?;
    macro_rules! field {
        ($t:ty, $off:expr) => {{
            let raw: [u8; std::mem::size_of::<$t>()] = b[$off..$off + std::mem::size_of::<$t>()]
                .try_into()
                .unwrap_or_default();
            if big_endian {
                <$t>::from_be_bytes(raw)
            } else {
                <$t>::from_le_bytes(raw)
            }
        }};
    }
    let finite_or_zero = |v: f64| if v.is_finite() { v } else { 0.0 };
    let mut h = if version == 1 {
        Header {
            version,
            big_endian,
            dim: std::array::from_fn(|i| i64::from(field!(i16, 40 + 2 * i))),
            datatype: i32::from(field!(i16, 70)),
            pixdim: std::array::from_fn(|i| f64::from(field!(f32, 76 + 4 * i))),
            vox_offset: field!(f32, 108) as i64,
            scl_slope: finite_or_zero(f64::from(field!(f32, 112))),
            scl_inter: finite_or_zero(f64::from(field!(f32, 116))),
            xyz_units: i32::from(b[123] & 0x07),
            intent_code: i32::from(field!(i16, 68)),
            qform_code: i32::from(field!(i16, 252)),
            sform_code: i32::from(field!(i16, 254)),
            quatern: std::array::from_fn(|i| finite_or_zero(f64::from(field!(f32, 256 + 4 * i)))),
            qoffset: std::array::from_fn(|i| finite_or_zero(f64::from(field!(f32, 268 + 4 * i)))),
            srow: std::array::from_fn(|r| {
                std::array::from_fn(|c| f64::from(field!(f32, 280 + 16 * r + 4 * c)))
            }),
            two_files,
        }
    } else {
        Header {
            version,
            big_endian,
            dim: std::array::from_fn(|i| field!(i64, 16 + 8 * i)),
            datatype: i32::from(field!(i16, 12)),
            pixdim: std::array::from_fn(|i| field!(f64, 104 + 8 * i)),
            vox_offset: field!(i64, 168),
            scl_slope: finite_or_zero(field!(f64, 176)),
            scl_inter: finite_or_zero(field!(f64, 184)),
            xyz_units: field!(i32, 500) & 0x07,
            intent_code: field!(i32, 504),
            qform_code: field!(i32, 344),
            sform_code: field!(i32, 348),
            quatern: std::array::from_fn(|i| finite_or_zero(field!(f64, 352 + 8 * i))),
            qoffset: std::array::from_fn(|i| finite_or_zero(field!(f64, 376 + 8 * i))),
            srow: std::array::from_fn(|r| {
                std::array::from_fn(|c| field!(f64, 400 + 32 * r + 8 * c))
            }),
            two_files,
        }
    };
    let ndim = h.dim[0];
    if !(1..=7).contains(&ndim) {
        return Err(Error::format(path, format!("bad NIfTI dim[0] = {ndim}")));
    }
    if h.dim[1] <= 0 {
        return Err(Error::format(
            path,
            format!("bad NIfTI dim[1] = {}", h.dim[1]),
        ));
    }
    for i in 2..=ndim as usize {
        if h.dim[i] <= 0 {
            h.dim[i] = 1;
        }
    }
    for i in ndim as usize + 1..8 {
        h.dim[i] = 1;
    }
    for i in 1..=ndim as usize {
        if h.pixdim[i] == 0.0 || !h.pixdim[i].is_finite() {
            h.pixdim[i] = 1.0;
        }
    }
    Ok(h)
}

/// Maps a NIfTI datatype code to a pixel type.
fn pixel_type(code: i32) -> Option<PixelType> {
    Some(match code {
        2 => PixelType::U8,
        4 => PixelType::I16,
        8 => PixelType::I32,
        16 => PixelType::F32,
        64 => PixelType::F64,
        256 => PixelType::I8,
        512 => PixelType::U16,
        768 => PixelType::U32,
        1024 => PixelType::I64,
        1280 => PixelType::U64,
        _ => return None,
    })
}

/// The NIfTI datatype code of a pixel type (the inverse of [`pixel_type`]).
fn datatype(pixel_type: PixelType) -> i16 {
    match pixel_type {
        PixelType::U8 => 2,
        PixelType::I16 => 4,
        PixelType::I32 => 8,
        PixelType::F32 => 16,
        PixelType::F64 => 64,
        PixelType::I8 => 256,
        PixelType::U16 => 512,
        PixelType::U32 => 768,
        PixelType::I64 => 1024,
        PixelType::U64 => 1280,
    }
}

/// A 4x4 affine (index → RAS), stored as `nifti1_io` stores it.
type Mat = [[f64; 4]; 4];

/// Rounds to single precision for NIfTI-1 (whose `mat44` is float), keeps f64 for NIfTI-2.
fn store(version: u8, v: f64) -> f64 {
    if version == 1 { f64::from(v as f32) } else { v }
}

/// `nifti_quatern_to_mat44`: the qform matrix.
fn qform_matrix(h: &Header) -> Mat {
    let [mut b, mut c, mut d] = h.quatern;
    let mut a = 1.0 - (b * b + c * c + d * d);
    if a < 1e-7 {
        let s = 1.0 / (b * b + c * c + d * d).sqrt();
        b *= s;
        c *= s;
        d *= s;
        a = 0.0;
    } else {
        a = a.sqrt();
    }
    let positive = |v: f64| if v > 0.0 { v } else { 1.0 };
    let xd = positive(h.pixdim[1]);
    let yd = positive(h.pixdim[2]);
    let mut zd = positive(h.pixdim[3]);
    if h.pixdim[0] < 0.0 {
        zd = -zd;
    }
    let s = |v: f64| store(h.version, v);
    [
        [
            s((a * a + b * b - c * c - d * d) * xd),
            s(2.0 * (b * c - a * d) * yd),
            s(2.0 * (b * d + a * c) * zd),
            s(h.qoffset[0]),
        ],
        [
            s(2.0 * (b * c + a * d) * xd),
            s((a * a + c * c - b * b - d * d) * yd),
            s(2.0 * (c * d - a * b) * zd),
            s(h.qoffset[1]),
        ],
        [
            s(2.0 * (b * d - a * c) * xd),
            s(2.0 * (c * d + a * b) * yd),
            s((a * a + d * d - c * c - b * b) * zd),
            s(h.qoffset[2]),
        ],
        [0.0, 0.0, 0.0, 1.0],
    ]
}

/// Columns of the 3x3 part, their norms, and the normalised columns.
fn columns(m: &Mat) -> ([f64; 3], [[f64; 3]; 3]) {
    let mut norms = [0.0; 3];
    let mut unit = [[0.0; 3]; 3];
    for c in 0..3 {
        norms[c] = (0..3).map(|r| m[r][c] * m[r][c]).sum::<f64>().sqrt();
        for r in 0..3 {
            unit[c][r] = if norms[c] > 0.0 {
                m[r][c] / norms[c]
            } else {
                0.0
            };
        }
    }
    (norms, unit)
}

/// ITK's test that the sform is an orthonormal rotation times scales (`IsAffine` + orthonormal
/// normalised columns within 1e-4).
fn decomposable(m: &Mat) -> bool {
    let (norms, unit) = columns(m);
    if norms.iter().any(|&n| n == 0.0 || !n.is_finite()) {
        return false;
    }
    (0..3).all(|i| {
        (0..3).all(|j| {
            let dot: f64 = (0..3).map(|k| unit[k][i] * unit[k][j]).sum();
            (dot - if i == j { 1.0 } else { 0.0 }).abs() <= 1e-4
        })
    })
}

/// ITK's "sform and qform are very similar" test: equal singular values, offsets and bottom rows
/// (within 1e-4), and `U_sform * inverse(U_qform)` the identity within 1e-4, where `U` are the
/// left singular vectors that LINPACK's single-precision SVD returns (their signs decide).
fn very_similar(s: &Mat, q: &Mat) -> bool {
    let top = |m: &Mat| -> [[f32; 3]; 3] {
        std::array::from_fn(|r| std::array::from_fn(|c| m[r][c] as f32))
    };
    let (ss, qs) = (svd3(top(s)), svd3(top(q)));
    let close = |a: f32, b: f32| (a - b).abs() <= 1e-4;
    let spacing_similar = (0..3).all(|i| close(ss.w[i], qs.w[i]));
    // U is orthogonal: its inverse is its transpose.
    let rotation_similar = (0..3).all(|i| {
        (0..3).all(|j| {
            let v: f32 = (0..3).map(|k| ss.u[i][k] * qs.u[j][k]).sum();
            close(v, if i == j { 1.0 } else { 0.0 })
        })
    });
    let offsets_similar = (0..3).all(|r| close(s[r][3] as f32, q[r][3] as f32));
    spacing_similar && rotation_similar && offsets_similar
}

/// ITK's choice between sform and qform, then its RAS → LPS geometry for the first `dims` (2 or
/// 3) axes; a 2D image gets the third axis of `sitk.JoinSeries` (unit spacing, zero origin).
fn geometry(path: &Path, h: &Header, dims: usize) -> Result<Geometry> {
    let scale = match h.xyz_units {
        1 => 1e3,
        3 => 1e-3,
        _ => 1.0,
    };
    let mut geometry = Geometry::identity();
    for i in 0..dims {
        geometry.spacing[i] = h.pixdim[i + 1] * scale;
    }
    let qcode = if h.qform_code > 0 {
        h.qform_code
    } else {
        XFORM_UNKNOWN
    };
    let scode = if h.sform_code > 0 {
        h.sform_code
    } else {
        XFORM_UNKNOWN
    };
    if qcode == XFORM_UNKNOWN && scode == XFORM_UNKNOWN {
        return Ok(geometry);
    }
    let q = if qcode == XFORM_UNKNOWN {
        let mut m = [[0.0; 4]; 4];
        for i in 0..3 {
            m[i][i] = store(h.version, h.pixdim[i + 1]);
        }
        m[3][3] = 1.0;
        m
    } else {
        qform_matrix(h)
    };
    let s: Mat = if scode == XFORM_UNKNOWN {
        [[0.0; 4]; 4]
    } else {
        let r = |i: usize| h.srow[i].map(|v| store(h.version, v));
        [r(0), r(1), r(2), [0.0, 0.0, 0.0, 1.0]]
    };
    let elementwise_similar = (0..3).all(|r| (0..3).all(|c| (s[r][c] - q[r][c]).abs() <= 1e-5))
        && (0..4).map(|r| (s[r][3] - q[r][3]).abs()).sum::<f64>() <= 1e-7
        && (0..4).map(|c| (s[3][c] - q[3][c]).abs()).sum::<f64>() <= 1e-7;
    let mut prefer_sform = elementwise_similar;
    // ITK re-examines the choice whenever an sform is set (an unset one is never decomposable).
    if scode != XFORM_UNKNOWN && decomposable(&s) {
        if qcode == XFORM_UNKNOWN || scode == XFORM_SCANNER_ANAT {
            prefer_sform = true;
        } else {
            prefer_sform = very_similar(&s, &q);
        }
    }
    let m = if prefer_sform {
        s
    } else if qcode != XFORM_UNKNOWN {
        q
    } else {
        return Err(Error::format(
            path,
            "NIfTI sform is not orthonormal and there is no qform (ITK refuses such files)",
        ));
    };
    let sign = [-1.0, -1.0, 1.0];
    for r in 0..dims {
        geometry.origin[r] = sign[r] * m[r][3] * scale;
    }
    for c in 0..dims {
        let col: Vec<f64> = (0..dims).map(|r| m[r][c] * sign[r]).collect();
        let norm = col.iter().map(|v| v * v).sum::<f64>();
        let norm = if norm == 0.0 { 1.0 } else { norm.sqrt() };
        for r in 0..dims {
            geometry.direction[r][c] = col[r] / norm;
        }
    }
    Ok(geometry)
}

/// Writes `volume` as a NIfTI-1 file of its voxel type (gzipped when the name ends in `.gz`),
/// with its geometry converted from LPS to RAS in both the qform and the sform (code
/// SCANNER_ANAT), as ITK writes it; SimpleITK reads it back with the same geometry (to single
/// precision, the precision of the NIfTI-1 header).
pub fn write_nifti<T: WritableVoxel>(path: &Path, volume: &Volume<T>) -> Result<()> {
    let header = nifti1_header(path, volume.size(), &volume.geometry, T::PIXEL_TYPE)?;
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let gzip = if gz { Gzip::All } else { Gzip::None };
    // The header, then 4 bytes saying "no extensions", then the voxels from byte 352.
    let data = voxel_bytes(&[0u8; 4], volume);
    write_file(path, &header, &data, gzip)
}

/// The 348-byte NIfTI-1 header of a volume of `size` voxels of `pixel_type`.
fn nifti1_header(
    path: &Path,
    size: [usize; 3],
    g: &Geometry,
    pixel_type: PixelType,
) -> Result<[u8; 348]> {
    let mut h = [0u8; 348];
    let mut put = |off: usize, bytes: &[u8]| h[off..off + bytes.len()].copy_from_slice(bytes);
    put(0, &348i32.to_le_bytes());
    let dims = [3, size[0], size[1], size[2], 1, 1, 1, 1];
    for (i, &d) in dims.iter().enumerate() {
        let d =
            i16::try_from(d).map_err(|_| Error::format(path, "volume too large for NIfTI-1"))?;
        put(40 + 2 * i, &d.to_le_bytes());
    }
    let code = datatype(pixel_type);
    put(70, &code.to_le_bytes());
    put(72, &(8 * pixel_type.size() as i16).to_le_bytes()); // bitpix
    // RAS affine columns: direction column times spacing, rows x and y negated.
    let sign = [-1.0, -1.0, 1.0];
    let ras: [[f64; 3]; 3] =
        std::array::from_fn(|r| std::array::from_fn(|c| sign[r] * g.direction[r][c]));
    let det = ras[0][0] * (ras[1][1] * ras[2][2] - ras[1][2] * ras[2][1])
        - ras[0][1] * (ras[1][0] * ras[2][2] - ras[1][2] * ras[2][0])
        + ras[0][2] * (ras[1][0] * ras[2][1] - ras[1][1] * ras[2][0]);
    let qfac = if det < 0.0 { -1.0f32 } else { 1.0 };
    let pixdim = [
        qfac,
        g.spacing[0] as f32,
        g.spacing[1] as f32,
        g.spacing[2] as f32,
        1.0,
        1.0,
        1.0,
        1.0,
    ];
    for (i, p) in pixdim.iter().enumerate() {
        put(76 + 4 * i, &p.to_le_bytes());
    }
    put(108, &352f32.to_le_bytes()); // vox_offset
    put(112, &1f32.to_le_bytes()); // scl_slope
    put(123, &[2 | 8]); // mm, s
    put(252, &(XFORM_SCANNER_ANAT as i16).to_le_bytes());
    put(254, &(XFORM_SCANNER_ANAT as i16).to_le_bytes());
    let mut rot = ras;
    if qfac < 0.0 {
        for row in rot.iter_mut() {
            row[2] = -row[2];
        }
    }
    let quatern = rotation_to_quaternion(&rot);
    for (i, q) in quatern.iter().enumerate() {
        put(256 + 4 * i, &(*q as f32).to_le_bytes());
    }
    for r in 0..3 {
        let offset = (sign[r] * g.origin[r]) as f32;
        put(268 + 4 * r, &offset.to_le_bytes());
        for c in 0..3 {
            put(
                280 + 16 * r + 4 * c,
                &((ras[r][c] * g.spacing[c]) as f32).to_le_bytes(),
            );
        }
        put(280 + 16 * r + 12, &offset.to_le_bytes());
    }
    put(344, b"n+1\0");
    Ok(h)
}

/// Quaternion (b, c, d) of a proper rotation matrix, with a ≥ 0 (as `nifti_mat44_to_quatern`).
fn rotation_to_quaternion(r: &[[f64; 3]; 3]) -> [f64; 3] {
    let trace = r[0][0] + r[1][1] + r[2][2] + 1.0;
    let (a, b, c, d) = if trace > 0.5 {
        let a = 0.5 * trace.sqrt();
        (
            a,
            0.25 * (r[2][1] - r[1][2]) / a,
            0.25 * (r[0][2] - r[2][0]) / a,
            0.25 * (r[1][0] - r[0][1]) / a,
        )
    } else {
        let xd = 1.0 + r[0][0] - (r[1][1] + r[2][2]);
        let yd = 1.0 + r[1][1] - (r[0][0] + r[2][2]);
        let zd = 1.0 + r[2][2] - (r[0][0] + r[1][1]);
        if xd > 1.0 {
            let b = 0.5 * xd.sqrt();
            (
                0.25 * (r[2][1] - r[1][2]) / b,
                b,
                0.25 * (r[0][1] + r[1][0]) / b,
                0.25 * (r[0][2] + r[2][0]) / b,
            )
        } else if yd > 1.0 {
            let c = 0.5 * yd.sqrt();
            (
                0.25 * (r[0][2] - r[2][0]) / c,
                0.25 * (r[0][1] + r[1][0]) / c,
                c,
                0.25 * (r[1][2] + r[2][1]) / c,
            )
        } else {
            let d = 0.5 * zd.sqrt();
            (
                0.25 * (r[1][0] - r[0][1]) / d,
                0.25 * (r[0][2] + r[2][0]) / d,
                0.25 * (r[1][2] + r[2][1]) / d,
                d,
            )
        }
    };
    if a < 0.0 { [-b, -c, -d] } else { [b, c, d] }
}

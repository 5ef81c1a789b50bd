//! NRRD reading (attached or detached data; raw, gzip or ascii encoding) with the geometry rules
//! of ITK's `NrrdImageIO`: spacing is the norm of each `space directions` vector, the direction
//! is that vector times `1 / spacing`, and RAS / LAS coordinates are turned into LPS by negating
//! their x and y (RAS) or y (LAS) components, as SimpleITK 2.5 does (ITK 5.4.5's source still
//! negates x for LAS; the fix that negates y is in the ITK that SimpleITK 2.5.7 ships). Without `space` information, `spacings` gives the spacing and the
//! origin comes from `axis mins` as teem's `nrrdOriginCalculate` gives it (else zero).

use super::bytes::Bytes;
use super::{RawImage, checked_count, dimension_error, gunzip, gunzip_exact};
use crate::image::{Dimensionality, Geometry, PixelType};
use crate::{Error, Result};
use std::path::Path;

/// Physical spaces whose conversion to LPS ITK knows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Space {
    Lps,
    Ras,
    Las,
    /// Any other space (scanner-xyz, 3D-right-handed, ...): coordinates are kept as they are.
    Other,
}

/// Data encodings.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Encoding {
    Raw,
    Gzip,
    Ascii,
}

/// The header fields that matter for reading an image.
#[derive(Default)]
struct Header {
    dimension: Option<usize>,
    pixel: Option<PixelType>,
    sizes: Vec<usize>,
    /// `Some(true)` for big-endian data; required for multi-byte types unless ascii.
    big_endian: Option<bool>,
    encoding: Option<Encoding>,
    space: Option<Space>,
    space_dimension: Option<usize>,
    /// Per axis: `None` for `none`, else the vector.
    space_directions: Option<Vec<Option<Vec<f64>>>>,
    space_origin: Option<Vec<f64>>,
    kinds: Option<Vec<String>>,
    spacings: Option<Vec<f64>>,
    axis_mins: Option<Vec<f64>>,
    axis_maxs: Option<Vec<f64>>,
    /// Per axis: true for node centering, false for cell (or unknown: ITK's default is cell).
    node_centered: Option<Vec<bool>>,
    data_file: Option<String>,
    line_skip: usize,
    byte_skip: i64,
}

/// Reads an NRRD file whose bytes are `bytes` (raw data is kept in that buffer, not copied).
pub(super) fn read(path: &Path, bytes: Bytes) -> Result<RawImage> {
    let (header, data_start) = parse_header(path, &bytes)?;
    let dim = header
        .dimension
        .ok_or_else(|| Error::format(path, "NRRD header lacks the \"dimension\" field"))?;
    let pixel = header
        .pixel
        .ok_or_else(|| Error::format(path, "NRRD header lacks the \"type\" field"))?;
    let encoding = header
        .encoding
        .ok_or_else(|| Error::format(path, "NRRD header lacks the \"encoding\" field"))?;
    if header.sizes.len() != dim {
        return Err(Error::format(
            path,
            format!(
                "NRRD \"sizes\" has {} values for dimension {dim}",
                header.sizes.len()
            ),
        ));
    }
    if header.big_endian.is_none() && pixel.size() > 1 && encoding != Encoding::Ascii {
        return Err(Error::format(
            path,
            "NRRD header lacks the \"endian\" field its type and encoding need",
        ));
    }
    if header.sizes.contains(&0) {
        return Err(Error::format(path, "NRRD \"sizes\" contains 0"));
    }
    let kinds = header
        .kinds
        .clone()
        .unwrap_or_else(|| vec![String::new(); dim]);
    if kinds.len() != dim {
        return Err(Error::format(
            path,
            "NRRD \"kinds\" does not have one value per axis",
        ));
    }
    let (domain, range): (Vec<usize>, Vec<usize>) =
        (0..dim).partition(|&a| is_domain_kind(&kinds[a]));
    if !(2..=3).contains(&domain.len()) {
        return Err(dimension_error(path, domain.len()));
    }
    if range.len() > 1 {
        return Err(Error::format(
            path,
            format!(
                "NRRD has {} non-spatial axes (at most 1 is supported)",
                range.len()
            ),
        ));
    }
    let geometry = geometry(path, &header, &domain)?;

    let count = checked_count(path, &header.sizes)?;
    // Cannot overflow: each stride is at most `count`.
    let mut strides = vec![1usize; dim];
    for a in 1..dim {
        strides[a] = strides[a - 1] * header.sizes[a - 1];
    }
    let nbytes = count
        .checked_mul(pixel.size())
        .ok_or_else(|| Error::format(path, "image size overflows"))?;

    let file_data = match &header.data_file {
        None => bytes.slice(data_start..bytes.len()),
        Some(name) => {
            let data_path = path.parent().unwrap_or(Path::new("")).join(name);
            Bytes::read(&data_path).map_err(|source| Error::Io {
                path: data_path.clone(),
                source,
            })?
        }
    };
    let payload = skip_lines(path, &file_data, header.line_skip)?;
    // A byte skip counts bytes of the data as stored (raw, ascii) or decompressed (gzip);
    // -N-1 means "the data end N bytes before the end".
    let short = || {
        Error::format(
            path,
            "NRRD data shorter than its header says (truncated file?)",
        )
    };
    let from_end = |data_len: usize| {
        let backwards = usize::try_from(-(header.byte_skip + 1)).ok()?;
        data_len.checked_sub(nbytes.checked_add(backwards)?)
    };
    let data = match encoding {
        Encoding::Raw => {
            let start = match usize::try_from(header.byte_skip) {
                Ok(skip) => skip,
                Err(_) => from_end(payload.len()).ok_or_else(short)?,
            };
            let end = start
                .checked_add(nbytes)
                .filter(|&end| end <= payload.len())
                .ok_or_else(short)?;
            // `payload` is a suffix of `file_data`: keep just the data of that buffer.
            let offset = file_data.len() - payload.len();
            file_data.slice(offset + start..offset + end)
        }
        Encoding::Gzip => match usize::try_from(header.byte_skip) {
            Ok(skip) => Bytes::from(gunzip_exact(path, payload, skip, nbytes)?),
            Err(_) => {
                let mut all = gunzip(path, payload)?;
                let start = from_end(all.len()).ok_or_else(short)?;
                all.drain(..start);
                all.truncate(nbytes);
                Bytes::from(all)
            }
        },
        Encoding::Ascii => {
            let skip = usize::try_from(header.byte_skip).map_err(|_| {
                Error::format(path, "NRRD negative byte skip needs raw or gzip encoding")
            })?;
            let text = payload.get(skip..).ok_or_else(short)?;
            Bytes::from(parse_ascii(path, text, pixel, count)?)
        }
    };
    // A 2D image gets a third axis of one slice (its stride is never used).
    let axis = |i: usize| {
        domain
            .get(i)
            .map_or((1, 0), |&a| (header.sizes[a], strides[a]))
    };
    Ok(RawImage {
        size: [axis(0).0, axis(1).0, axis(2).0],
        components: range.first().map_or(1, |&a| header.sizes[a]),
        strides: [
            axis(0).1,
            axis(1).1,
            axis(2).1,
            range.first().map_or(0, |&a| strides[a]),
        ],
        stored: pixel,
        // Ascii data is decoded to little-endian bytes.
        big_endian: header.big_endian == Some(true) && encoding != Encoding::Ascii,
        data,
        geometry,
        rescale: None,
        dimensionality: if domain.len() == 2 {
            Dimensionality::Two
        } else {
            Dimensionality::Three
        },
    })
}

/// The number of stored elements (the product of `sizes`) an NRRD header declares.
pub(super) fn element_count(path: &Path, bytes: &[u8]) -> Result<usize> {
    let (header, _) = parse_header(path, bytes)?;
    checked_count(path, &header.sizes)
}

/// Splits the header from the data; returns the header and the offset of the data.
fn parse_header(path: &Path, bytes: &[u8]) -> Result<(Header, usize)> {
    let mut header = Header {
        space_directions: None,
        ..Header::default()
    };
    let mut pos = 0usize;
    let mut first = true;
    loop {
        let Some(len) = bytes[pos..].iter().position(|&b| b == b'\n') else {
            // Header without a blank line: only valid for detached data ending the file.
            if header.data_file.is_some() {
                let line = String::from_utf8_lossy(&bytes[pos..]).into_owned();
                if !line.trim().is_empty() {
                    parse_line(path, &mut header, line.trim_end_matches('\r'))?;
                }
                return Ok((header, bytes.len()));
            }
            return Err(Error::format(
                path,
                "NRRD header is not terminated (truncated file?)",
            ));
        };
        let raw = &bytes[pos..pos + len];
        pos += len + 1;
        let line = String::from_utf8_lossy(raw);
        let line = line.trim_end_matches('\r');
        if first {
            first = false;
            continue; // the magic line
        }
        if line.is_empty() {
            return Ok((header, pos));
        }
        parse_line(path, &mut header, line)?;
    }
}

/// Interprets one header line.
fn parse_line(path: &Path, header: &mut Header, line: &str) -> Result<()> {
    if line.starts_with('#') || line.contains(":=") {
        return Ok(()); // comment or key/value pair
    }
    let Some((field, value)) = line.split_once(':') else {
        return Err(Error::format(
            path,
            format!("bad NRRD header line {line:?}"),
        ));
    };
    let value = value.trim();
    let bad = |what: &str| Error::format(path, format!("bad NRRD {field:?} value {value:?}{what}"));
    let numbers = |v: &str| -> Result<Vec<f64>> {
        v.split_whitespace()
            .map(|t| parse_f64(t).ok_or_else(|| bad("")))
            .collect()
    };
    match field.trim().to_ascii_lowercase().as_str() {
        "dimension" => header.dimension = Some(value.parse().map_err(|_| bad(""))?),
        "type" => header.pixel = Some(pixel_type(value).ok_or_else(|| bad(" (unsupported type)"))?),
        "sizes" => {
            header.sizes = value
                .split_whitespace()
                .map(|t| t.parse().map_err(|_| bad("")))
                .collect::<Result<_>>()?
        }
        "endian" => {
            header.big_endian = Some(match value.to_ascii_lowercase().as_str() {
                "big" => true,
                "little" => false,
                _ => return Err(bad("")),
            })
        }
        "encoding" => {
            header.encoding = Some(match value.to_ascii_lowercase().as_str() {
                "raw" => Encoding::Raw,
                "gzip" | "gz" => Encoding::Gzip,
                "ascii" | "text" | "txt" => Encoding::Ascii,
                _ => return Err(bad(" (unsupported encoding)")),
            })
        }
        "space" => {
            let (space, dim) = space(value).ok_or_else(|| bad(""))?;
            header.space = Some(space);
            header.space_dimension = Some(dim);
        }
        "space dimension" => header.space_dimension = Some(value.parse().map_err(|_| bad(""))?),
        "space directions" => {
            header.space_directions = Some(
                vectors(value)
                    .ok_or_else(|| bad(""))?
                    .into_iter()
                    .map(|v| v.map(|v| numbers(&v)).transpose())
                    .collect::<Result<_>>()?,
            )
        }
        "space origin" => {
            let v = vectors(value).ok_or_else(|| bad(""))?;
            match v.as_slice() {
                [Some(v)] => header.space_origin = Some(numbers(v)?),
                _ => return Err(bad("")),
            }
        }
        "kinds" => {
            header.kinds = Some(
                value
                    .split_whitespace()
                    .map(|k| k.to_ascii_lowercase())
                    .collect(),
            )
        }
        "spacings" => header.spacings = Some(numbers(value)?),
        "axis mins" | "axismins" => header.axis_mins = Some(numbers(value)?),
        "axis maxs" | "axismaxs" => header.axis_maxs = Some(numbers(value)?),
        "centers" | "centerings" => {
            header.node_centered = Some(
                value
                    .split_whitespace()
                    .map(|c| c.eq_ignore_ascii_case("node"))
                    .collect(),
            )
        }
        "data file" | "datafile" => header.data_file = Some(value.to_string()),
        "line skip" | "lineskip" => header.line_skip = value.parse().map_err(|_| bad(""))?,
        "byte skip" | "byteskip" => {
            header.byte_skip = value.parse().map_err(|_| bad(""))?;
        }
        _ => {} // fields without effect on the voxels or their geometry
    }
    Ok(())
}

/// Parses a number as teem does (`nan`, `inf` accepted).
fn parse_f64(token: &str) -> Option<f64> {
    match token.to_ascii_lowercase().as_str() {
        "nan" => Some(f64::NAN),
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        t => t.parse().ok(),
    }
}

/// Splits `(a,b,c) none (d,e,f)` into per-axis comma-separated contents (`None` for `none`).
fn vectors(value: &str) -> Option<Vec<Option<String>>> {
    let mut out = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("none") {
            out.push(None);
            rest = r.trim_start();
        } else if let Some(r) = rest.strip_prefix('(') {
            let end = r.find(')')?;
            out.push(Some(r[..end].replace(',', " ")));
            rest = r[end + 1..].trim_start();
        } else {
            return None;
        }
    }
    Some(out)
}

/// Maps a NRRD `type` to a pixel type.
fn pixel_type(name: &str) -> Option<PixelType> {
    Some(match name.to_ascii_lowercase().as_str() {
        "signed char" | "int8" | "int8_t" => PixelType::I8,
        "uchar" | "unsigned char" | "uint8" | "uint8_t" => PixelType::U8,
        "short" | "short int" | "signed short" | "signed short int" | "int16" | "int16_t" => {
            PixelType::I16
        }
        "ushort" | "unsigned short" | "unsigned short int" | "uint16" | "uint16_t" => {
            PixelType::U16
        }
        "int" | "signed int" | "int32" | "int32_t" => PixelType::I32,
        "uint" | "unsigned int" | "uint32" | "uint32_t" => PixelType::U32,
        "longlong"
        | "long long"
        | "long long int"
        | "signed long long"
        | "signed long long int"
        | "int64"
        | "int64_t" => PixelType::I64,
        "ulonglong" | "unsigned long long" | "unsigned long long int" | "uint64" | "uint64_t" => {
            PixelType::U64
        }
        "float" => PixelType::F32,
        "double" => PixelType::F64,
        _ => return None,
    })
}

/// Maps a NRRD `space` to the space and its dimension.
fn space(name: &str) -> Option<(Space, usize)> {
    Some(match name.to_ascii_lowercase().as_str() {
        "left-posterior-superior" | "lps" => (Space::Lps, 3),
        "right-anterior-superior" | "ras" => (Space::Ras, 3),
        "left-anterior-superior" | "las" => (Space::Las, 3),
        "scanner-xyz" | "3d-right-handed" | "3d-left-handed" => (Space::Other, 3),
        "left-posterior-superior-time"
        | "lpst"
        | "right-anterior-superior-time"
        | "rast"
        | "left-anterior-superior-time"
        | "last"
        | "scanner-xyz-time"
        | "3d-right-handed-time"
        | "3d-left-handed-time" => (Space::Other, 4),
        _ => return None,
    })
}

/// Axes of these kinds are index axes of the image (teem's `nrrdKindIsDomain`, plus unknown).
fn is_domain_kind(kind: &str) -> bool {
    matches!(kind, "" | "domain" | "space" | "time" | "???" | "none")
}

/// ITK's geometry of the domain axes.
fn geometry(path: &Path, header: &Header, domain: &[usize]) -> Result<Geometry> {
    let mut geometry = Geometry::identity();
    let space_dim = header.space_dimension.unwrap_or(0);
    if space_dim > 0 && space_dim != domain.len() {
        return Err(Error::format(
            path,
            format!(
                "NRRD space dimension {space_dim} differs from its {} index axes",
                domain.len()
            ),
        ));
    }
    let space = header.space.unwrap_or(Space::Other);
    let flip = |v: &mut [f64]| match space {
        Space::Ras => {
            v[0] = -v[0];
            v[1] = -v[1];
        }
        Space::Las => v[1] = -v[1],
        Space::Lps | Space::Other => {}
    };
    let ndim = header.sizes.len();
    for (i, &axis) in domain.iter().enumerate() {
        let spacing = header
            .spacings
            .as_ref()
            .map(|s| s.get(axis).copied().unwrap_or(f64::NAN));
        let direction = header
            .space_directions
            .as_ref()
            .and_then(|d| d.get(axis).cloned().flatten());
        if let Some(s) = header.spacings.as_ref()
            && s.len() != ndim
        {
            return Err(Error::format(
                path,
                "NRRD \"spacings\" does not have one value per axis",
            ));
        }
        match (spacing.filter(|s| !s.is_nan()), direction) {
            (Some(_), _) if space_dim > 0 => {
                return Err(Error::format(
                    path,
                    "NRRD has both \"spacings\" and a \"space\"",
                ));
            }
            (Some(s), _) => geometry.spacing[i] = s,
            (None, Some(mut v)) if space_dim > 0 => {
                if v.len() != space_dim {
                    return Err(Error::format(
                        path,
                        "NRRD space direction has the wrong length",
                    ));
                }
                let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
                if norm.is_finite() {
                    let scale = 1.0 / norm;
                    v.iter_mut().for_each(|x| *x *= scale);
                    flip(&mut v);
                    geometry.spacing[i] = norm;
                    for (r, x) in v.iter().enumerate() {
                        geometry.direction[r][i] = *x;
                    }
                }
            }
            _ => {}
        }
    }
    if space_dim == 0 {
        if let Some(origin) = origin_from_axis_mins(header, domain) {
            geometry.origin[..domain.len()].copy_from_slice(&origin);
        }
    } else if let Some(mut origin) = header.space_origin.clone() {
        if origin.len() != space_dim {
            return Err(Error::format(
                path,
                "NRRD space origin has the wrong length",
            ));
        }
        if !origin[0].is_nan() {
            flip(&mut origin);
            geometry.origin[..space_dim].copy_from_slice(&origin);
        }
    }
    Ok(geometry)
}

/// Teem's `nrrdOriginCalculate` (cell centering by default) for files without a `space`: the
/// centre of the first sample from `axis mins` and `spacings` (or `axis maxs`). `None` when
/// teem reports no origin (no minimum on the first axis, or neither spacing nor maximum).
fn origin_from_axis_mins(header: &Header, domain: &[usize]) -> Option<Vec<f64>> {
    let at = |v: &Option<Vec<f64>>, a: usize| {
        v.as_ref()
            .and_then(|v| v.get(a).copied())
            .unwrap_or(f64::NAN)
    };
    // Teem tests the first axis' minimum only.
    if at(&header.axis_mins, domain[0]).is_nan() {
        return None;
    }
    if domain
        .iter()
        .any(|&a| at(&header.axis_maxs, a).is_nan() && at(&header.spacings, a).is_nan())
    {
        return None;
    }
    let origin = domain.iter().map(|&a| {
        let node = header
            .node_centered
            .as_ref()
            .and_then(|c| c.get(a).copied())
            .unwrap_or(false);
        let size = header.sizes[a] as f64;
        let min = at(&header.axis_mins, a);
        let spacing = match at(&header.spacings, a) {
            s if s.is_nan() => {
                (at(&header.axis_maxs, a) - min) / if node { size - 1.0 } else { size }
            }
            s => s,
        };
        min + if node { 0.0 } else { spacing / 2.0 }
    });
    Some(origin.collect())
}

/// Skips `n` lines of data.
fn skip_lines<'a>(path: &Path, mut data: &'a [u8], n: usize) -> Result<&'a [u8]> {
    for _ in 0..n {
        let end = data
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| Error::format(path, "NRRD data shorter than its line skip"))?;
        data = &data[end + 1..];
    }
    Ok(data)
}

/// Parses whitespace-separated ascii values into little-endian bytes of `pixel`.
fn parse_ascii(path: &Path, text: &[u8], pixel: PixelType, count: usize) -> Result<Vec<u8>> {
    let text = std::str::from_utf8(text)
        .map_err(|_| Error::format(path, "NRRD ascii data is not text"))?;
    let mut out = Vec::with_capacity((count * pixel.size()).min(text.len() * 8));
    let mut tokens = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty());
    for _ in 0..count {
        let t = tokens.next().ok_or_else(|| {
            Error::format(
                path,
                "NRRD ascii data has fewer values than its header says",
            )
        })?;
        let bad = || Error::format(path, format!("bad NRRD ascii value {t:?}"));
        macro_rules! int {
            ($ty:ty) => {
                out.extend_from_slice(&t.parse::<$ty>().map_err(|_| bad())?.to_le_bytes())
            };
        }
        match pixel {
            PixelType::U8 => int!(u8),
            PixelType::I8 => int!(i8),
            PixelType::U16 => int!(u16),
            PixelType::I16 => int!(i16),
            PixelType::U32 => int!(u32),
            PixelType::I32 => int!(i32),
            PixelType::U64 => int!(u64),
            PixelType::I64 => int!(i64),
            PixelType::F32 => {
                let v: f32 = match parse_f64(t).ok_or_else(bad)? {
                    v if v.is_finite() => t.parse().map_err(|_| bad())?,
                    v => v as f32,
                };
                out.extend_from_slice(&v.to_le_bytes())
            }
            PixelType::F64 => out.extend_from_slice(&parse_f64(t).ok_or_else(bad)?.to_le_bytes()),
        }
    }
    Ok(out)
}

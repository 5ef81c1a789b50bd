//! A minimal NRRD reader for the preprocessing tests (3-D scalar volumes, raw or gzip, little
//! endian): just enough to load PyRadiomics' test cases without depending on the crate's reader.

use std::io::Read;
use std::path::Path;

use ndarray::Array3;
use radiome::image::{Geometry, Image, PixelType, Volume};

fn vector(text: &str) -> Vec<f64> {
    text.trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(|v| v.trim().parse().expect("number"))
        .collect()
}

/// Read a 3-D NRRD file the way SimpleITK does: spacing = length of each space direction,
/// direction = the unit vectors, voxels widened to f64.
pub fn read(path: &Path) -> Image {
    let bytes = std::fs::read(path).expect("readable NRRD");
    let split = bytes
        .windows(2)
        .position(|w| w == b"\n\n")
        .expect("NRRD header");
    let header = std::str::from_utf8(&bytes[..split]).expect("text header");
    let mut data = &bytes[split + 2..];
    let mut fields = std::collections::HashMap::new();
    for line in header.lines().skip(1) {
        if let Some((k, v)) = line.split_once(": ") {
            fields.insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    let sizes: Vec<usize> = fields["sizes"]
        .split_whitespace()
        .map(|s| s.parse().expect("size"))
        .collect();
    let dirs: Vec<Vec<f64>> = fields["space directions"]
        .split(") (")
        .map(vector)
        .collect();
    let origin = vector(&fields["space origin"]);
    let mut spacing = [0.0; 3];
    let mut direction = [[0.0; 3]; 3];
    for c in 0..3 {
        spacing[c] = dirs[c].iter().map(|v| v * v).sum::<f64>().sqrt();
        for r in 0..3 {
            direction[r][c] = dirs[c][r] / spacing[c];
        }
    }
    let mut raw = Vec::new();
    if fields["encoding"] == "gzip" {
        flate2::read::GzDecoder::new(&mut data)
            .read_to_end(&mut raw)
            .expect("gzip data");
    } else {
        raw = data.to_vec();
    }
    let (pixel_type, values): (PixelType, Vec<f64>) = match fields["type"].as_str() {
        "short" | "int16" => (
            PixelType::I16,
            raw.chunks_exact(2)
                .map(|b| i16::from_le_bytes([b[0], b[1]]) as f64)
                .collect(),
        ),
        "unsigned short" | "ushort" | "uint16" => (
            PixelType::U16,
            raw.chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]) as f64)
                .collect(),
        ),
        "int" | "int32" => (
            PixelType::I32,
            raw.chunks_exact(4)
                .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64)
                .collect(),
        ),
        "unsigned int" | "uint32" => (
            PixelType::U32,
            raw.chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64)
                .collect(),
        ),
        "unsigned char" | "uchar" | "uint8" => {
            (PixelType::U8, raw.iter().map(|&b| b as f64).collect())
        }
        other => panic!("unsupported NRRD type {other}"),
    };
    let voxels =
        Array3::from_shape_vec((sizes[2], sizes[1], sizes[0]), values).expect("voxel count");
    Image {
        volume: Volume {
            voxels,
            geometry: Geometry {
                spacing,
                origin: [origin[0], origin[1], origin[2]],
                direction,
            },
        },
        pixel_type,
    }
}

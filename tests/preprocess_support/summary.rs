//! Comparing our images and masks with the compact summaries make_fixtures.py stores: geometry,
//! sums, range, sample voxels and SHA-1 hashes of int16 voxels and of masks.

use radiome::image::{Image, Volume};
use serde_json::Value;
use sha1::{Digest, Sha1};

/// A float stored as its exact `repr` string.
pub fn num(v: &Value) -> f64 {
    v.as_str().expect("float string").parse().expect("float")
}

/// `|a − b| <= rel · max(|b|, 1)`.
pub fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1.0)
}

fn hex(bytes: &[u8]) -> String {
    Sha1::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Size, spacing and origin against a summary.
pub fn check_geometry(what: &str, got: &Volume<impl Sized>, e: &Value) {
    let size: Vec<usize> = e["size"]
        .as_array()
        .expect("size")
        .iter()
        .map(|v| v.as_u64().expect("n") as usize)
        .collect();
    assert_eq!(got.size().to_vec(), size, "{what}: size");
    let spacing: [f64; 3] = std::array::from_fn(|a| num(&e["spacing"][a]));
    let origin: [f64; 3] = std::array::from_fn(|a| num(&e["origin"][a]));
    assert_eq!(got.geometry.spacing, spacing, "{what}: spacing");
    assert_eq!(got.geometry.origin, origin, "{what}: origin");
}

/// Geometry, sums (within `rel` of the voxels' magnitude), range and sample voxels (exactly) and,
/// for int16 data, the SHA-1 of the voxels.
pub fn check_image(what: &str, got: &Image, e: &Value, rel: f64) {
    check_geometry(what, &got.volume, e);
    let v = &got.volume.voxels;
    let sum: f64 = v.iter().sum();
    let squares: f64 = v.iter().map(|x| x * x).sum();
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // A sum can cancel to ~0 (normalised images): bound its error by the voxels' magnitude.
    let scale = num(&e["sum_squares"]).sqrt().max(num(&e["sum"]).abs());
    assert!(
        (sum - num(&e["sum"])).abs() <= rel * scale,
        "{what}: sum {sum} vs {}",
        e["sum"]
    );
    assert!(
        close(squares, num(&e["sum_squares"]), rel),
        "{what}: sum of squares"
    );
    assert!(
        min == num(&e["min"]) && max == num(&e["max"]),
        "{what}: range"
    );
    for s in e["samples"].as_array().expect("samples") {
        let i: Vec<usize> = s[0]
            .as_array()
            .expect("index")
            .iter()
            .map(|v| v.as_u64().expect("i") as usize)
            .collect();
        let got = v[[i[0], i[1], i[2]]];
        assert!(got == num(&s[1]), "{what}: voxel {i:?}: {got} vs {}", s[1]);
    }
    if let Some(hash) = e.get("sha1_int16") {
        let bytes: Vec<u8> = v.iter().flat_map(|&x| (x as i16).to_le_bytes()).collect();
        assert_eq!(
            hex(&bytes),
            hash.as_str().expect("hash"),
            "{what}: int16 voxels"
        );
    }
}

/// Geometry, voxel count and SHA-1 of a mask against a summary.
pub fn check_mask_summary(what: &str, got: &Volume<bool>, e: &Value) {
    check_geometry(what, got, e);
    let count = got.voxels.iter().filter(|&&m| m).count();
    assert_eq!(
        count as u64,
        e["count"].as_u64().expect("count"),
        "{what}: count"
    );
    let bytes: Vec<u8> = got.voxels.iter().map(|&m| u8::from(m)).collect();
    assert_eq!(
        hex(&bytes),
        e["sha1"].as_str().expect("hash"),
        "{what}: voxels"
    );
}

//! Bad inputs give one-line errors naming the file, never a panic.

mod common;
use common::fixtures;

use radiome::io::{read_image, read_mask};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    fixtures().join("io").join(name)
}

/// A scratch file unique to this test process.
fn scratch(tag: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("radiome-io-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// Reads `bytes` written under `name`; returns the error line, or None if the read succeeded.
fn try_read(tag: &str, name: &str, bytes: &[u8]) -> Option<String> {
    let path = scratch(tag, name);
    std::fs::write(&path, bytes).expect("write");
    let result = read_image(&path).err().map(|e| e.to_string());
    if let Some(e) = &result {
        assert!(e.contains(name), "error does not name the file: {e}");
        assert!(!e.contains(['\n', '\r']), "error is not one line: {e:?}");
    }
    result
}

/// Deterministic pseudo-random numbers (xorshift).
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn missing_file() {
    let path = fixture("no_such_file.nrrd");
    let e = read_image(&path).expect_err("missing").to_string();
    assert!(e.contains("no_such_file.nrrd") && !e.contains('\n'), "{e}");
}

/// (Ascii NRRD is left out: a cut inside its last number leaves a valid shorter number.)
#[test]
fn truncated_files_are_errors() {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    for name in [
        "pair.nrrd",
        "pair.nii.gz",
        "sitk_uint8_identity.nii",
        "nrrd_ras.nrrd",
        "nib_nifti2.nii",
        "segmentation.seg.nrrd",
    ] {
        let bytes = std::fs::read(fixture(name)).expect("fixture");
        let mut cuts: Vec<usize> = (0..40).map(|_| rng.below(bytes.len())).collect();
        cuts.extend([0, 1, 4, 347, 348, 352, bytes.len() - 1]);
        for cut in cuts.into_iter().filter(|&c| c < bytes.len()) {
            let e = try_read("trunc", name, &bytes[..cut]);
            assert!(e.is_some(), "{name} truncated at {cut} was read");
        }
    }
}

#[test]
fn corrupted_files_never_panic() {
    let mut rng = Rng(0x2545f4914f6cdd1d);
    for name in [
        "pair.nrrd",
        "pair.nii.gz",
        "sitk_int16_oblique.nii.gz",
        "nib_scaled_int16.nii",
        "nrrd_ascii.nrrd",
    ] {
        let bytes = std::fs::read(fixture(name)).expect("fixture");
        for _ in 0..60 {
            let mut b = bytes.clone();
            // Corrupt mostly the header, where the structure is.
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(b.len().min(600));
                b[at] = rng.below(256) as u8;
            }
            let _ = try_read("corrupt", name, &b);
        }
    }
}

#[test]
fn bad_gzip_data() {
    let header =
        "NRRD0004\ntype: short\ndimension: 3\nsizes: 7 6 5\nencoding: gzip\nendian: little\n\n";
    let mut bytes = header.as_bytes().to_vec();
    bytes.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]);
    let e = try_read("gzip", "bad_gzip.nrrd", &bytes).expect("bad gzip");
    assert!(e.contains("gzip"), "{e}");
    let e = try_read(
        "gzip",
        "not_nifti.nii.gz",
        &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3],
    )
    .expect("bad");
    assert!(e.contains("gzip") || e.contains("format"), "{e}");
}

#[test]
fn unsupported_types_and_fields() {
    // NIfTI complex64 (datatype 32).
    let mut nii = std::fs::read(fixture("sitk_uint8_identity.nii")).expect("fixture");
    nii[70..72].copy_from_slice(&32i16.to_le_bytes());
    let e = try_read("types", "complex.nii", &nii).expect("complex");
    assert!(e.contains("datatype 32"), "{e}");
    for (field, what) in [
        ("type: block\nblock size: 4", "type"),
        ("type: short\nencoding: bzip2", "encoding"),
        ("type: short\nsizes: 7 6", "sizes"),
        ("type: short", "endian"),
    ] {
        let text = format!("NRRD0004\ndimension: 3\nsizes: 7 6 5\nencoding: raw\n{field}\n\n");
        let e = try_read("types", "bad_field.nrrd", text.as_bytes()).expect(what);
        assert!(e.contains(what), "{e}");
    }
    // Control characters read from a header are escaped, so the error stays one line.
    let text = "NRRD0004\ntype: short\ndimension: 3\nspace: left-posterior-super\ror\n\n";
    let e = try_read("types", "control.nrrd", text.as_bytes()).expect("space");
    assert!(e.contains(r#""left-posterior-super\ror""#), "{e}");
    let e = try_read("types", "unknown.img", b"hello world, not an image").expect("unknown");
    assert!(e.contains("unknown image format"), "{e}");
}

#[test]
fn label_channel_out_of_range_for_scalar_mask() {
    let e = read_mask(&fixture("pair.nrrd"), 1)
        .expect_err("one layer")
        .to_string();
    assert!(
        e.contains("pair.nrrd") && e.contains("label_channel 1"),
        "{e}"
    );
}

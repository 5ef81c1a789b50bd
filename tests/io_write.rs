//! `write_nifti` round trip: the written file reads back with the same voxels and, to the
//! single precision of the NIfTI-1 header, the same geometry.

use ndarray::Array3;
use radiome::image::{Geometry, PixelType, Volume};
use radiome::io::{read_image, write_nifti};

fn volume(direction: [[f64; 3]; 3]) -> Volume<f64> {
    let voxels = Array3::from_shape_fn((5, 6, 7), |(z, y, x)| {
        (z * 100 + y * 10 + x) as f64 * 0.37 - 20.0
    });
    Volume {
        voxels,
        geometry: Geometry {
            spacing: [0.78125, 0.9, 6.5],
            origin: [-99.609375, 99.609375, -78.0],
            direction,
        },
    }
}

fn rotation(angle: f64, left_handed: bool) -> [[f64; 3]; 3] {
    let (s, c) = angle.sin_cos();
    let z = if left_handed { -1.0 } else { 1.0 };
    // Rotation about (1, 1, 1)/sqrt(3) composed with an optional flip of the third axis.
    let k = 1.0 / 3.0f64.sqrt();
    let u = [k, k, k];
    let mut r = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            let cross = match (i, j) {
                (0, 1) => -u[2],
                (0, 2) => u[1],
                (1, 0) => u[2],
                (1, 2) => -u[0],
                (2, 0) => -u[1],
                (2, 1) => u[0],
                _ => 0.0,
            };
            let id = if i == j { 1.0 } else { 0.0 };
            r[i][j] = (c * id + (1.0 - c) * u[i] * u[j] + s * cross) * if j == 2 { z } else { 1.0 };
        }
    }
    r
}

#[test]
fn nifti_round_trip() {
    let dir = std::env::temp_dir().join(format!("radiome-io-write-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cases = [
        (
            "identity.nii",
            [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        ),
        (
            "flipped.nii.gz",
            [[-1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, -1.0]],
        ),
        ("oblique.nii", rotation(0.7, false)),
        ("oblique_left.nii.gz", rotation(2.9, true)),
    ];
    for (name, direction) in cases {
        let v = volume(direction);
        let path = dir.join(name);
        write_nifti(&path, &v).expect("write");
        let back = read_image(&path).expect("read back");
        assert_eq!(back.pixel_type, PixelType::F64, "{name}");
        assert_eq!(back.volume.voxels, v.voxels, "{name}");
        let (g, w) = (&back.volume.geometry, &v.geometry);
        for i in 0..3 {
            assert!(
                (g.spacing[i] - w.spacing[i]).abs() <= 1e-6 * w.spacing[i],
                "{name} spacing"
            );
            assert!(
                (g.origin[i] - w.origin[i]).abs() <= 1e-5,
                "{name} origin {:?}",
                g.origin
            );
            for j in 0..3 {
                let d = (g.direction[i][j] - w.direction[i][j]).abs();
                assert!(
                    d <= 1e-6,
                    "{name} direction {:?} != {:?}",
                    g.direction,
                    w.direction
                );
            }
        }
    }
}

//! Volumes with their physical geometry.
//!
//! Voxels are held as numpy holds them after `sitk.GetArrayFromImage`: axes `(z, y, x)`, x fastest.
//! Geometry is held as ITK holds it: spacing and origin in `(x, y, z)` index order, physical space LPS.

pub mod bbox;
pub mod bspline;
pub mod crop;
pub mod distance;
pub mod regions;
pub mod resample;
pub mod source;

use ndarray::Array3;

/// Physical placement of a voxel grid (ITK conventions, LPS).
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    /// Voxel size along index axes (x, y, z), in mm.
    pub spacing: [f64; 3],
    /// Physical position (LPS, mm) of the centre of voxel (0, 0, 0).
    pub origin: [f64; 3],
    /// Direction cosines as ITK's `GetDirection()`: `direction[row][col]`, column `col` is the unit
    /// physical vector of index axis `col`.
    pub direction: [[f64; 3]; 3],
}

impl Geometry {
    /// Unit spacing, zero origin, identity direction.
    pub fn identity() -> Self {
        Geometry {
            spacing: [1.0; 3],
            origin: [0.0; 3],
            direction: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        }
    }

    /// Physical point (LPS) of a continuous index `(x, y, z)`.
    pub fn index_to_physical(&self, index: [f64; 3]) -> [f64; 3] {
        let mut p = self.origin;
        for (r, pr) in p.iter_mut().enumerate() {
            for (c, &i) in index.iter().enumerate() {
                *pr += self.direction[r][c] * self.spacing[c] * i;
            }
        }
        p
    }
}

/// The pixel type a volume was stored with. PyRadiomics keeps SimpleITK's pixel type through
/// resampling (interpolated values are cast back to it), so the type travels with the voxels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PixelType {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    U64,
    I64,
    F32,
    F64,
}

impl PixelType {
    /// True for the integer types.
    pub fn is_integer(self) -> bool {
        !matches!(self, PixelType::F32 | PixelType::F64)
    }

    /// The lowest and highest value of an integer type, `None` for floating-point types.
    pub fn integer_range(self) -> Option<(i128, i128)> {
        Some(match self {
            PixelType::U8 => (0, u8::MAX.into()),
            PixelType::I8 => (i8::MIN.into(), i8::MAX.into()),
            PixelType::U16 => (0, u16::MAX.into()),
            PixelType::I16 => (i16::MIN.into(), i16::MAX.into()),
            PixelType::U32 => (0, u32::MAX.into()),
            PixelType::I32 => (i32::MIN.into(), i32::MAX.into()),
            PixelType::U64 => (0, u64::MAX.into()),
            PixelType::I64 => (i64::MIN.into(), i64::MAX.into()),
            PixelType::F32 | PixelType::F64 => return None,
        })
    }

    /// numpy's name of the type (`uint8`, `float32`, …).
    pub fn name(self) -> &'static str {
        match self {
            PixelType::U8 => "uint8",
            PixelType::I8 => "int8",
            PixelType::U16 => "uint16",
            PixelType::I16 => "int16",
            PixelType::U32 => "uint32",
            PixelType::I32 => "int32",
            PixelType::U64 => "uint64",
            PixelType::I64 => "int64",
            PixelType::F32 => "float32",
            PixelType::F64 => "float64",
        }
    }

    /// Size of one voxel in bytes.
    pub fn size(self) -> usize {
        match self {
            PixelType::U8 | PixelType::I8 => 1,
            PixelType::U16 | PixelType::I16 => 2,
            PixelType::U32 | PixelType::I32 | PixelType::F32 => 4,
            PixelType::U64 | PixelType::I64 | PixelType::F64 => 8,
        }
    }
}

/// A voxel grid with its geometry. `voxels` has shape `(nz, ny, nx)`.
#[derive(Clone, Debug)]
pub struct Volume<T> {
    pub voxels: Array3<T>,
    pub geometry: Geometry,
}

impl<T> Volume<T> {
    /// Size in ITK order `(nx, ny, nz)`.
    pub fn size(&self) -> [usize; 3] {
        let (nz, ny, nx) = self.voxels.dim();
        [nx, ny, nz]
    }
}

/// Whether an image file had two index axes or three (SimpleITK's `GetDimension()`).
///
/// A 2D image is held as a volume of one slice (`size[2] == 1`, the third axis as
/// `sitk.JoinSeries` gives it), but PyRadiomics treats it as 2D throughout: no 3D shape class,
/// shape2D without `force2D`, `force2Ddimension` counting the 2D array's axes (0 = y, 1 = x),
/// wavelet and LoG over the two in-plane axes, no LBP3D, two-valued diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimensionality {
    Two,
    Three,
}

impl Dimensionality {
    /// The number of index axes, 2 or 3.
    pub fn axes(self) -> usize {
        match self {
            Dimensionality::Two => 2,
            Dimensionality::Three => 3,
        }
    }

    /// The axis of the held volume (numpy order, 0 = z) that PyRadiomics' `force2Ddimension`
    /// names: it counts the axes of the image's own array, so a 2D image's axes 0 (y) and 1 (x)
    /// are the volume's 1 and 2. `None` when it names no axis of the image.
    pub fn volume_axis(self, force_2d_dimension: usize) -> Option<usize> {
        let first = 3 - self.axes();
        (force_2d_dimension < self.axes()).then_some(force_2d_dimension + first)
    }
}

/// A scalar image as read from disk: values widened to f64, plus the stored pixel type.
#[derive(Clone, Debug)]
pub struct Image {
    pub volume: Volume<f64>,
    pub pixel_type: PixelType,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn force2d_dimension_names_a_volume_axis() {
        let (two, three) = (Dimensionality::Two, Dimensionality::Three);
        assert_eq!(
            [0, 1, 2, 3].map(|d| three.volume_axis(d)),
            [Some(0), Some(1), Some(2), None]
        );
        assert_eq!(
            [0, 1, 2].map(|d| two.volume_axis(d)),
            [Some(1), Some(2), None]
        );
    }
}

//! The image the image types filter, as preprocessing hands it over: widened to f64 when
//! preprocessing changed it (or the file needs rescaling), else still in the element type its file
//! stores. ITK and PyWavelets read such an image value by value as f64, which widens every one of
//! these types exactly, so a filter reading the stored type computes what it computes from the
//! widened image — without an f64 copy of the whole image (8 bytes a voxel; lung2: 128 MB).

use std::borrow::Cow;

use super::crop::crop;
use super::resample::Grid;
use super::{Geometry, Image, PixelType, Volume};

/// A voxel element type whose values widen to f64 exactly.
pub trait Element: Copy + Default + Send + Sync + Into<f64> + 'static {
    /// `v`, which must be a value of this type, in this type.
    fn from_f64(v: f64) -> Self;
}

macro_rules! element {
    ($($t:ty),*) => {$(
        impl Element for $t {
            #[inline(always)]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
        }
    )*};
}
element!(u8, i8, u16, i16, u32, i32, f32, f64);

/// The image the image types filter (see the module documentation).
#[derive(Clone, Debug)]
pub enum SourceImage<'a> {
    /// Widened to f64, with the pixel type it keeps; borrowed when nothing changed it.
    Widened(Cow<'a, Image>),
    U8(Volume<u8>),
    I8(Volume<i8>),
    U16(Volume<u16>),
    I16(Volume<i16>),
    U32(Volume<u32>),
    I32(Volume<i32>),
    F32(Volume<f32>),
}

/// Evaluates `$body` with `$volume` bound to the `&Volume<E>` (`E: Element`) that a
/// [`SourceImage`] holds, whatever its element type.
#[macro_export]
macro_rules! with_source_volume {
    ($image:expr, $volume:ident => $body:expr) => {{
        use $crate::image::source::SourceImage;
        match $image {
            SourceImage::Widened(image) => {
                let $volume = &image.volume;
                $body
            }
            SourceImage::U8($volume) => $body,
            SourceImage::I8($volume) => $body,
            SourceImage::U16($volume) => $body,
            SourceImage::I16($volume) => $body,
            SourceImage::U32($volume) => $body,
            SourceImage::I32($volume) => $body,
            SourceImage::F32($volume) => $body,
        }
    }};
}

impl<'a> SourceImage<'a> {
    /// The pixel type SimpleITK reports for the image.
    pub fn pixel_type(&self) -> PixelType {
        match self {
            SourceImage::Widened(image) => image.pixel_type,
            SourceImage::U8(_) => PixelType::U8,
            SourceImage::I8(_) => PixelType::I8,
            SourceImage::U16(_) => PixelType::U16,
            SourceImage::I16(_) => PixelType::I16,
            SourceImage::U32(_) => PixelType::U32,
            SourceImage::I32(_) => PixelType::I32,
            SourceImage::F32(_) => PixelType::F32,
        }
    }

    /// Size in ITK order `(nx, ny, nz)`.
    pub fn size(&self) -> [usize; 3] {
        with_source_volume!(self, volume => volume.size())
    }

    /// The image's geometry.
    pub fn geometry(&self) -> &Geometry {
        with_source_volume!(self, volume => &volume.geometry)
    }

    /// The image's grid (size and geometry).
    pub fn grid(&self) -> Grid {
        Grid {
            size: self.size(),
            geometry: self.geometry().clone(),
        }
    }

    /// The image widened to f64 (borrowed when it already is).
    pub fn widened(&self) -> Cow<'_, Image> {
        match self {
            SourceImage::Widened(image) => Cow::Borrowed(image.as_ref()),
            stored => Cow::Owned(Image {
                volume: with_source_volume!(stored, volume => widen(volume)),
                pixel_type: stored.pixel_type(),
            }),
        }
    }

    /// The image widened to f64, owned: an owned widened image is moved out, not copied.
    pub fn into_widened(self) -> Image {
        match self {
            SourceImage::Widened(image) => image.into_owned(),
            stored => stored.widened().into_owned(),
        }
    }

    /// The sub-image `lower..=upper` (as [`crop`] cuts it), widened to f64.
    pub fn crop(&self, lower: [usize; 3], upper: [usize; 3]) -> Image {
        Image {
            volume: with_source_volume!(self, volume => widen(&crop(volume, lower, upper))),
            pixel_type: self.pixel_type(),
        }
    }
}

impl From<Image> for SourceImage<'_> {
    fn from(image: Image) -> Self {
        SourceImage::Widened(Cow::Owned(image))
    }
}

impl<'a> From<&'a Image> for SourceImage<'a> {
    fn from(image: &'a Image) -> Self {
        SourceImage::Widened(Cow::Borrowed(image))
    }
}

/// `volume` with every voxel widened to f64.
fn widen<E: Element>(volume: &Volume<E>) -> Volume<f64> {
    let mut voxels = crate::huge_pages::zeros3(volume.voxels.dim());
    voxels.zip_mut_with(&volume.voxels, |wide, &v| *wide = v.into());
    Volume {
        voxels,
        geometry: volume.geometry.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array3;

    #[test]
    fn stored_and_widened_agree() {
        let voxels = Array3::from_shape_fn((2, 3, 4), |(z, y, x)| {
            (x as i16 - 2) * 1000 + (y * 7 + z) as i16
        });
        let geometry = Geometry {
            spacing: [0.5, 0.7, 2.0],
            ..Geometry::identity()
        };
        let stored = SourceImage::I16(Volume {
            voxels: voxels.clone(),
            geometry: geometry.clone(),
        });
        let widened = SourceImage::from(Image {
            volume: Volume {
                voxels: voxels.mapv(f64::from),
                geometry,
            },
            pixel_type: PixelType::I16,
        });
        assert_eq!(stored.pixel_type(), PixelType::I16);
        assert_eq!(stored.size(), [4, 3, 2]);
        assert_eq!(
            stored.widened().volume.voxels,
            widened.widened().volume.voxels
        );
        let (a, b) = (
            stored.crop([1, 1, 0], [2, 2, 1]),
            widened.crop([1, 1, 0], [2, 2, 1]),
        );
        assert_eq!(a.volume.voxels, b.volume.voxels);
        assert_eq!(a.volume.geometry, b.volume.geometry);
        // Voxel (x 2, y 1, z 1) of the image: (2 - 2)·1000 + 1·7 + 1.
        assert_eq!(a.volume.voxels[[1, 0, 1]], 8.0);
    }
}

//! Large zero-filled buffers backed by transparent huge pages where the system offers them.
//!
//! A buffer of tens of MiB (a whole decoded image, the whole mask's voxel map, a LoG pass over
//! the image) is written once, page by page, and with 4 KiB pages every first touch is a page
//! fault: about 30,000 of them for PyRadiomics' wavelet + LoG configuration on lung2, some 8% of
//! the run's CPU time. [`zeroed`] asks the kernel for transparent huge pages on such a buffer
//! (`madvise(MADV_HUGEPAGE)`, honoured when the system's THP mode is `always` or `madvise`):
//! one fault per 2 MiB. Elsewhere (THP off, other systems) the buffer is an ordinary vector.

use ndarray::Array3;

/// Buffers smaller than this keep ordinary pages: the saving would be small and a huge page
/// could round a buffer up by most of 2 MiB.
const MIN_BYTES: usize = 8 << 20;

/// A vector of `len` values `T::default()`, on transparent huge pages when it is large. The
/// advice only helps when the default is all zero bits (numbers, `bool`): then the memory comes
/// from the kernel untouched.
pub fn zeroed<T: Clone + Default>(len: usize) -> Vec<T> {
    // `vec!` of a zero value allocates zeroed memory the kernel has not mapped yet (a large
    // `calloc` is a fresh `mmap`), so the advice comes before the first touch.
    let buffer = vec![T::default(); len];
    advise_huge_pages(&buffer);
    buffer
}

/// Makes `buffer` hold `len` values for the caller to overwrite: its own memory (already
/// faulted in, values left as they were) when its capacity suffices, else a new [`zeroed`]
/// buffer.
pub fn resize_for_overwrite<T: Clone + Default>(buffer: &mut Vec<T>, len: usize) {
    if buffer.capacity() >= len {
        buffer.truncate(len);
        buffer.resize(len, T::default());
    } else {
        *buffer = zeroed(len);
    }
}

/// [`zeroed`] as a `(z, y, x)` array of `shape`.
pub fn zeros3<T: Clone + Default>(shape: (usize, usize, usize)) -> Array3<T> {
    let (nz, ny, nx) = shape;
    Array3::from_shape_vec(shape, zeroed(nz * ny * nx)).expect("the length is the shape's")
}

#[cfg(target_os = "linux")]
fn advise_huge_pages<T>(buffer: &[T]) {
    const PAGE: usize = 4096;
    let bytes = std::mem::size_of_val(buffer);
    if bytes < MIN_BYTES {
        return;
    }
    let start = buffer.as_ptr() as usize;
    let first_page = start.next_multiple_of(PAGE);
    let length = (start + bytes).saturating_sub(first_page) / PAGE * PAGE;
    // SAFETY: the advice covers whole pages inside `buffer`'s allocation, which stays mapped;
    // MADV_HUGEPAGE changes how the kernel backs those pages, never their contents. A failure
    // (THP unsupported) leaves ordinary pages, so the result is ignored.
    unsafe {
        libc::madvise(first_page as *mut libc::c_void, length, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages<T>(_buffer: &[T]) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_are_zero_whatever_their_size() {
        for len in [0, 1, 1000, MIN_BYTES / 4 + 3] {
            let floats: Vec<f32> = zeroed(len);
            assert_eq!(floats.len(), len);
            assert!(floats.iter().all(|&v| v.to_bits() == 0));
        }
        let flags: Vec<bool> = zeroed(MIN_BYTES + 1);
        assert!(flags.iter().all(|&v| !v));
        let volume: Array3<f64> = zeros3((3, 1024, 1024));
        assert_eq!(volume.dim(), (3, 1024, 1024));
        assert!(volume.iter().all(|&v| v.to_bits() == 0));
    }

    /// A buffer with the capacity keeps its memory (values beyond its old length are zero); a
    /// larger length gets a new zeroed buffer.
    #[test]
    fn buffers_are_reused_when_they_have_the_capacity() {
        let mut buffer = vec![5u8; 100];
        let start = buffer.as_ptr();
        resize_for_overwrite(&mut buffer, 60);
        assert_eq!((buffer.len(), buffer.as_ptr()), (60, start));
        resize_for_overwrite(&mut buffer, 80);
        assert_eq!((buffer.len(), buffer.as_ptr()), (80, start));
        assert_eq!(&buffer[58..62], &[5, 5, 0, 0]);
        resize_for_overwrite(&mut buffer, 101);
        assert_eq!(buffer, vec![0u8; 101]);
    }
}

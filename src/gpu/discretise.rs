//! Discretisation and the grey-level histogram on the GPU (`shaders/discretise.wgsl`): the bin
//! edges come from the CPU ([`crate::matrices::discretize::roi_bin_edges`]), the shader assigns
//! each ROI voxel its bin with the comparisons of [`crate::matrices::discretize::digitize`], made
//! on order keys of the doubles (so no f64 arithmetic is needed), and counts the voxels per bin.
//! The levels and counts are those of [`crate::matrices::discretize::bin_levels`], exactly.

use ndarray::Array3;

use super::job::{Dispatch, Input, dispatch, fits};
use super::{Gpu, GpuError};
use crate::matrices::discretize::Binned;

/// The key of a voxel outside the ROI: the key of no f64 (every NaN gets `u64::MAX`).
const OUTSIDE: u64 = u64::MAX - 1;

/// An order key of `value`: for doubles `a`, `b` that are not NaN, `a <= b` exactly when
/// `key(a) <= key(b)` (flip the sign bit of a positive double, every bit of a negative one;
/// -0 is keyed as +0, which it equals). NaN gets `u64::MAX`, after every number, as numpy sorts it.
pub fn order_key(value: f64) -> u64 {
    if value.is_nan() {
        return u64::MAX;
    }
    let bits = (value + 0.0).to_bits(); // -0 + 0 = +0
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// A key as the shader reads it: (high word, low word).
fn words(key: u64) -> [u32; 2] {
    [(key >> 32) as u32, key as u32]
}

/// The levels and histogram of `image` inside `mask` at `edges`, binned on the GPU.
pub fn discretise(
    gpu: &Gpu,
    image: &Array3<f64>,
    mask: &Array3<bool>,
    edges: &[f64],
) -> Result<Binned, GpuError> {
    let words = gpu.run_batch(&[discretise_dispatch(gpu, image, mask, edges)?])?;
    Ok(binned_from_words(image.dim(), &words[0]))
}

/// The dispatch of [`discretise`] (for a batch); declines an image whose buffers exceed the
/// device's limits.
pub fn discretise_dispatch<'a>(
    gpu: &'a Gpu,
    image: &Array3<f64>,
    mask: &Array3<bool>,
    edges: &[f64],
) -> Result<Dispatch<'a>, GpuError> {
    let voxels = image.len();
    let output = voxels + edges.len() + 1;
    fits(gpu, output * 4, voxels * 8)?;
    let keys: Vec<[u32; 2]> = image
        .iter()
        .zip(mask)
        .map(|(&v, &inside)| words(if inside { order_key(v) } else { OUTSIDE }))
        .collect();
    let edge_keys: Vec<[u32; 2]> = edges.iter().map(|&e| words(order_key(e))).collect();
    let descending = edges.len() > 1 && edges[0] > edges[edges.len() - 1];
    let (workgroups, row_stride) = dispatch(gpu, voxels as u32);
    let params: [u32; 4] = [
        voxels as u32,
        edges.len() as u32,
        u32::from(descending),
        row_stride,
    ];
    Ok(Dispatch {
        pipeline: &gpu.discretise,
        inputs: vec![
            Input::Uniform(bytemuck::cast_slice(&params).to_vec().into()),
            Input::Read(bytemuck::cast_slice(&keys).to_vec().into()),
            Input::Read(bytemuck::cast_slice(&edge_keys).to_vec().into()),
        ],
        output: (output * 4) as u64,
        workgroups,
    })
}

/// The levels (of an image of `shape`) and histogram a [`discretise_dispatch`] wrote.
pub fn binned_from_words(shape: (usize, usize, usize), words: &[u32]) -> Binned {
    let voxels = shape.0 * shape.1 * shape.2;
    let (levels, histogram) = words.split_at(voxels);
    Binned {
        levels: Array3::from_shape_vec(shape, levels.to_vec()).expect("one level per voxel"),
        histogram: histogram.iter().map(|&c| u64::from(c)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys order doubles as `<=` does, -0 and +0 alike, NaN last.
    #[test]
    fn order_keys_compare_as_the_doubles() {
        let values = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            5e-324,
            1.0,
            1.0 + f64::EPSILON,
            1e300,
            f64::INFINITY,
        ];
        for &a in &values {
            for &b in &values {
                assert_eq!(a <= b, order_key(a) <= order_key(b), "{a} <= {b}");
            }
            assert!(order_key(a) < order_key(f64::NAN));
            assert!(order_key(a) < OUTSIDE);
        }
        assert_eq!(order_key(-f64::NAN), u64::MAX);
    }
}

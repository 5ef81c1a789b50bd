// The inputs every neighbour kernel (glszm, gldm, ngtdm) reads, prepended to each of them:
// the margin-padded ROI of `matrices::neighbours::PaddedRoi` as `cells` (every neighbour index
// lands inside the array), the flat padded index of each ROI voxel (`roi`), and the neighbour
// steps as flat index differences (`steps`). Each kernel's output is its binding 4.

struct Params {
    roi_voxels: u32,
    steps: u32,
    // Invocations per row of the 2D dispatch (workgroups along x times 64).
    row_stride: u32,
    // GLDM: a neighbour depends when |i - j| < below (floor(alpha) + 1; 0: never). Unused by
    // GLSZM and NGTDM.
    below: u32,
}

// Set in a cell of `cells` when the voxel is in the ROI; the low bits hold its grey level.
const IN_ROI: u32 = 0x80000000u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> cells: array<u32>;
@group(0) @binding(2) var<storage, read> roi: array<u32>;
@group(0) @binding(3) var<storage, read> steps: array<i32>;

// NGTDM neighbour sums (the `ngtdm` kernel family).
//
// One invocation per ROI voxel, over the margin-padded ROI of `matrices::neighbours::PaddedRoi`
// (every neighbour index lands inside the array). For ROI voxel k (flat padded index roi[k])
// and each neighbour step s, a neighbour in the ROI adds 1 to the count and its grey level to
// the total. Each invocation writes only its own two outputs: integers, independent of
// scheduling.

// Params, IN_ROI and bindings 0 to 3: neighbours.wgsl, prepended.
// (count, total) per ROI voxel.
@group(0) @binding(4) var<storage, read_write> sums: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let k = id.x + id.y * params.row_stride;
    if (k >= params.roi_voxels) {
        return;
    }
    let here = i32(roi[k]);
    var count = 0u;
    var total = 0u;
    for (var s = 0u; s < params.steps; s++) {
        let cell = cells[u32(here + steps[s])];
        if ((cell & IN_ROI) != 0u) {
            count += 1u;
            total += cell & ~IN_ROI;
        }
    }
    sums[2u * k] = count;
    sums[2u * k + 1u] = total;
}

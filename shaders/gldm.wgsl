// GLDM dependence counts (the `gldm` kernel family).
//
// One invocation per ROI voxel, over the margin-padded ROI of `matrices::neighbours::PaddedRoi`
// (every neighbour index lands inside the array). For ROI voxel k (flat padded index roi[k])
// and each neighbour step s, a neighbour in the ROI whose grey level differs by less than
// `below` is dependent. Each invocation writes only its own output: an integer, independent of
// scheduling.

// Params, IN_ROI and bindings 0 to 3: neighbours.wgsl, prepended.
@group(0) @binding(4) var<storage, read_write> dependents: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let k = id.x + id.y * params.row_stride;
    if (k >= params.roi_voxels) {
        return;
    }
    let here = i32(roi[k]);
    let level = cells[u32(here)] & ~IN_ROI;
    var dependent = 0u;
    for (var s = 0u; s < params.steps; s++) {
        let cell = cells[u32(here + steps[s])];
        let other = cell & ~IN_ROI;
        let diff = max(level, other) - min(level, other);
        if ((cell & IN_ROI) != 0u && diff < params.below) {
            dependent += 1u;
        }
    }
    dependents[k] = dependent;
}

// GLSZM zones by parallel union-find (the `glszm` kernel family).
//
// One invocation per ROI voxel, over the margin-padded ROI of `matrices::neighbours::PaddedRoi`
// at distance 1 (26-connected in 3D, 8-connected in the plane under force2D). For each forward
// neighbour step, a neighbour in the ROI with the same grey level is united with the voxel.
// `parent` holds, per padded voxel, 0 for a root or (parent index + 1). A union links the
// larger of two roots under the smaller with a compare-and-swap that only succeeds while it is
// still a root (retrying otherwise), so links always point to smaller indices and each tree's
// root is its zone's first voxel, whatever order the invocations run in.

// Params, IN_ROI and bindings 0 to 3: neighbours.wgsl, prepended.
@group(0) @binding(4) var<storage, read_write> parent: array<atomic<u32>>;

fn find(start: u32) -> u32 {
    var x = start;
    var p = atomicLoad(&parent[x]);
    while (p != 0u) {
        x = p - 1u;
        p = atomicLoad(&parent[x]);
    }
    return x;
}

fn unite(first: u32, second: u32) {
    var a = first;
    var b = second;
    loop {
        a = find(a);
        b = find(b);
        if (a == b) {
            return;
        }
        let low = min(a, b);
        let high = max(a, b);
        if (atomicCompareExchangeWeak(&parent[high], 0u, low + 1u).exchanged) {
            return;
        }
    }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let k = id.x + id.y * params.row_stride;
    if (k >= params.roi_voxels) {
        return;
    }
    let here = roi[k];
    let cell = cells[here];
    for (var s = 0u; s < params.steps; s++) {
        if (steps[s] <= 0) {
            continue;
        }
        let there = u32(i32(here) + steps[s]);
        if (cells[there] == cell) {
            unite(here, there);
        }
    }
}

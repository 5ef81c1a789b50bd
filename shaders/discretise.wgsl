// Discretisation and grey-level histogram (the `discretise` kernel family).
//
// One invocation per voxel of the cropped image (flat C order). Each value comes as the order key
// of its f64 (see src/gpu/discretise.rs): comparing two keys as (high word, low word) compares the
// doubles, so the shader needs no f64 arithmetic and bins exactly as numpy.digitize does on the
// CPU. An ROI voxel gets the number of edges <= its value (ascending edges) or > its value
// (descending ones), found by binary search; voxels outside the ROI get 0 and are not counted.
// out[0..voxels) holds the levels, out[voxels..voxels + edges + 1) the histogram (atomic counts:
// exact whatever order the invocations run in).

struct Params {
    voxels: u32,
    edges: u32,
    descending: u32,
    // Invocations per row of the 2D dispatch (workgroups along x times 64).
    row_stride: u32,
}

// The key of a voxel outside the ROI (no f64 has it: every NaN's key is all ones).
const OUTSIDE: vec2<u32> = vec2<u32>(0xffffffffu, 0xfffffffeu);

@group(0) @binding(0) var<uniform> params: Params;
// (high, low) words of each voxel's key.
@group(0) @binding(1) var<storage, read> keys: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read> edges: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read_write> out: array<atomic<u32>>;

fn less_or_equal(a: vec2<u32>, b: vec2<u32>) -> bool {
    return a.x < b.x || (a.x == b.x && a.y <= b.y);
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let flat = id.x + id.y * params.row_stride;
    if (flat >= params.voxels) {
        return;
    }
    let value = keys[flat];
    if (all(value == OUTSIDE)) {
        return;
    }
    var low = 0u;
    var high = params.edges;
    while (low < high) {
        let middle = low + (high - low) / 2u;
        let edge = edges[middle];
        var before: bool;
        if (params.descending != 0u) {
            before = !less_or_equal(edge, value);
        } else {
            before = less_or_equal(edge, value);
        }
        if (before) {
            low = middle + 1u;
        } else {
            high = middle;
        }
    }
    atomicStore(&out[flat], low);
    atomicAdd(&out[params.voxels + low], 1u);
}

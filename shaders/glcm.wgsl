// GLCM co-occurrence counts (the `glcm` kernel family).
//
// One invocation per voxel of the cropped image (flat C order over z, y, x). For an ROI voxel of
// grey-level bin i and each neighbour offset a whose neighbour lies inside the image and in the
// ROI with bin j, counts[(a * n + i) * n + j] += 1. The counts are integers added with atomics,
// so the result does not depend on the order the invocations run in.

struct Params {
    nx: u32,
    ny: u32,
    nz: u32,
    levels: u32,
    offsets: u32,
    voxels: u32,
    // Invocations per row of the 2D dispatch (workgroups along x times 64).
    row_stride: u32,
    pad: u32,
}

const OUTSIDE: u32 = 0xffffffffu;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
// (dz, dy, dx, unused) per angle.
@group(0) @binding(2) var<storage, read> offsets: array<vec4<i32>>;
@group(0) @binding(3) var<storage, read_write> counts: array<atomic<u32>>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let flat = id.x + id.y * params.row_stride;
    if (flat >= params.voxels) {
        return;
    }
    let bin = bins[flat];
    if (bin == OUTSIDE) {
        return;
    }
    let plane = params.nx * params.ny;
    let here = vec3<i32>(i32(flat / plane), i32((flat / params.nx) % params.ny), i32(flat % params.nx));
    let size = vec3<i32>(i32(params.nz), i32(params.ny), i32(params.nx));
    for (var a = 0u; a < params.offsets; a++) {
        let there = here + offsets[a].xyz;
        if (any(there < vec3<i32>(0)) || any(there >= size)) {
            continue;
        }
        let neighbour = bins[u32(there.x) * plane + u32(there.y) * params.nx + u32(there.z)];
        if (neighbour != OUTSIDE) {
            atomicAdd(&counts[(a * params.levels + bin) * params.levels + neighbour], 1u);
        }
    }
}

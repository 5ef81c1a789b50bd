// GLRLM run counts (the `glrlm` kernel family).
//
// One invocation per voxel of the cropped image (flat C order over z, y, x) and direction a:
// where the voxel starts a line (stepping back along the direction leaves the image), it walks
// the line, splits it into runs (maximal sequences of consecutive ROI voxels of one grey-level
// bin) and adds 1 to counts[(a * n_gray + bin) * max_run + length - 1] for each. A line holding
// more than one ROI voxel sets flags[a] (stored after the counts). Integers added with atomics:
// the result does not depend on the order the invocations run in.

struct Params {
    nx: u32,
    ny: u32,
    nz: u32,
    n_gray: u32,
    directions: u32,
    voxels: u32,
    // Invocations per row of the 2D dispatch (workgroups along x times 64).
    row_stride: u32,
    max_run: u32,
}

const OUTSIDE: u32 = 0xffffffffu;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
// (dz, dy, dx, unused) per direction.
@group(0) @binding(2) var<storage, read> offsets: array<vec4<i32>>;
// The counts, then one flag per direction.
@group(0) @binding(3) var<storage, read_write> counts: array<atomic<u32>>;

fn inside(p: vec3<i32>, size: vec3<i32>) -> bool {
    return all(p >= vec3<i32>(0)) && all(p < size);
}

fn count_run(a: u32, bin: u32, length: u32) {
    if (bin != OUTSIDE) {
        atomicAdd(&counts[(a * params.n_gray + bin) * params.max_run + length - 1u], 1u);
    }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let flat = id.x + id.y * params.row_stride;
    if (flat >= params.voxels) {
        return;
    }
    let plane = params.nx * params.ny;
    let start = vec3<i32>(i32(flat / plane), i32((flat / params.nx) % params.ny), i32(flat % params.nx));
    let size = vec3<i32>(i32(params.nz), i32(params.ny), i32(params.nx));
    let flags = params.directions * params.n_gray * params.max_run;
    for (var a = 0u; a < params.directions; a++) {
        let step = offsets[a].xyz;
        if (inside(start - step, size)) {
            continue;
        }
        var bin = OUTSIDE;
        var length = 0u;
        var elements = 0u;
        for (var p = start; inside(p, size); p += step) {
            let next = bins[u32(p.x) * plane + u32(p.y) * params.nx + u32(p.z)];
            if (next != OUTSIDE) {
                elements += 1u;
            }
            if (next == bin) {
                length += 1u;
            } else {
                count_run(a, bin, length);
                bin = next;
                length = 1u;
            }
        }
        count_run(a, bin, length);
        if (elements > 1u) {
            atomicOr(&counts[flags + a], 1u);
        }
    }
}

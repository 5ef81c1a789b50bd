// PyRadiomics' voxel-wise image types and the gradient magnitude (the `point` kernel family),
// one invocation per voxel (flat C order over z, y, x), with the operation order of the CPU
// reference (crate::filters::point, crate::filters::gradient):
//
// - op 0, square:      v = c0 * x; v * v                     (c0 = 1 / sqrt(M))
// - op 1, squareroot:  sqrt(x * c0) for x > 0, -sqrt(-x * c0) for x < 0, else x  (c0 = M)
// - op 2, logarithm:   ln(x + 1) * c0 for x > 0, -ln(-(x - 1)) * c0 for x < 0, else x * c0
//                      (c0 = M / max|l|; f32 only: WGSL has no f64 log)
// - op 3, exponential: exp(c0 * x)                            (c0 = ln(M) / M; f32 only)
// - op 4, gradient:    per axis d (x, y, z), g_d = c_d * x[i-1] + -c_d * x[i+1], reading past the
//                      border as the border voxel; sqrt(g_x^2 + g_y^2 + g_z^2)  (c = (c0, c1, c2))
//
// `real` is f64, or f32 in the variant Rust compiles by replacing the alias line below.

alias real = f64;

struct Params {
    op: u32,
    voxels: u32,
    // Invocations per row of the 2D dispatch (workgroups along x times 64).
    row_stride: u32,
    nx: u32,
    ny: u32,
    nz: u32,
    pad0: u32,
    pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> input: array<real>;
@group(0) @binding(2) var<storage, read> constants: array<real>;
@group(0) @binding(3) var<storage, read_write> output: array<real>;

fn square_root(x: real) -> real {
    if (x > 0.0) {
        return sqrt(x * constants[0]);
    }
    if (x < 0.0) {
        return -sqrt(-x * constants[0]);
    }
    return x;
}

// WGSL has ln and exp for f32 only: these compute in f32 in either variant (Rust runs them on the
// f32 variant only).
fn logarithm(x: real) -> real {
    let v = f32(x);
    if (v > 0.0) {
        return real(log(v + 1.0)) * constants[0];
    }
    if (v < 0.0) {
        return real(-log(-(v - 1.0))) * constants[0];
    }
    return x * constants[0];
}

fn exponential(x: real) -> real {
    return real(exp(f32(constants[0] * x)));
}

fn gradient(flat: u32) -> real {
    let nx = params.nx;
    let ny = params.ny;
    let nz = params.nz;
    let x = flat % nx;
    let y = (flat / nx) % ny;
    let z = flat / (nx * ny);
    let row = flat - x;
    let column = flat - y * nx;
    let pillar = flat - z * nx * ny;
    let gx = constants[0] * input[row + max(x, 1u) - 1u]
        + -constants[0] * input[row + min(x + 1u, nx - 1u)];
    let gy = constants[1] * input[column + (max(y, 1u) - 1u) * nx]
        + -constants[1] * input[column + min(y + 1u, ny - 1u) * nx];
    let gz = constants[2] * input[pillar + (max(z, 1u) - 1u) * nx * ny]
        + -constants[2] * input[pillar + min(z + 1u, nz - 1u) * nx * ny];
    return sqrt(gx * gx + gy * gy + gz * gz);
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let flat = id.x + id.y * params.row_stride;
    if (flat >= params.voxels) {
        return;
    }
    let x = input[flat];
    var value: real;
    switch params.op {
        case 0u: {
            let v = constants[0] * x;
            value = v * v;
        }
        case 1u: {
            value = square_root(x);
        }
        case 2u: {
            value = logarithm(x);
        }
        case 3u: {
            value = exponential(x);
        }
        default: {
            value = gradient(flat);
        }
    }
    output[flat] = value;
}

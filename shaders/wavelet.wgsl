// One axis of one level of PyRadiomics' stationary wavelet transform (the `wavelet` kernel
// family): PyWavelets' periodic level-1 SWT convolution along one numpy axis, on the compact grid
// of positions the region's bounding box depends on (crate::filters::wavelet plans it).
//
// The full output has the input's shape with `outputs` samples along `axis`; one dispatch computes
// the window of it that starts at `origin` and spans `extent` (the whole output for a pass whose
// result the next pass reads, the box for an emitted sub-band), one invocation per window sample
// (flat C order over z, y, x of the window). Output position o along the axis has `taps` terms,
// term k being (coefficients[o * taps + k], sources[o * taps + k]): the coefficient and the input
// position along the axis it multiplies, in PyWavelets' summation order. The sum starts at +0 and
// adds the products in that order, as the CPU reference does.
//
// `real` is f64, or f32 in the variant Rust compiles by replacing the alias line below.

alias real = f64;

struct Params {
    // The input's shape (numpy axes z, y, x).
    nz: u32,
    ny: u32,
    nx: u32,
    // The filtered numpy axis: 0 = z, 1 = y, 2 = x.
    axis: u32,
    taps: u32,
    // Window samples in all.
    total: u32,
    // Invocations per row of the 2D dispatch (workgroups along x times 64).
    row_stride: u32,
    _pad0: u32,
    // The window's first output position (z, y, x).
    oz: u32,
    oy: u32,
    ox: u32,
    _pad1: u32,
    // The window's shape (z, y, x).
    ez: u32,
    ey: u32,
    ex: u32,
    _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> input: array<real>;
@group(0) @binding(2) var<storage, read> coefficients: array<real>;
@group(0) @binding(3) var<storage, read> sources: array<u32>;
@group(0) @binding(4) var<storage, read_write> output: array<real>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let flat = id.x + id.y * params.row_stride;
    if (flat >= params.total) {
        return;
    }
    let extent = vec3<u32>(params.ez, params.ey, params.ex);
    let local = vec3<u32>(flat / (extent.y * extent.z), (flat / extent.z) % extent.y, flat % extent.z);
    var at = local + vec3<u32>(params.oz, params.oy, params.ox);
    let o = at[params.axis];
    at[params.axis] = 0u;
    var strides = vec3<u32>(params.ny * params.nx, params.nx, 1u);
    let base = at.x * strides.x + at.y * strides.y + at.z;
    let stride = strides[params.axis];
    var sum = real(0.0);
    for (var k = 0u; k < params.taps; k++) {
        let term = o * params.taps + k;
        sum = sum + coefficients[term] * input[base + sources[term] * stride];
    }
    output[flat] = sum;
}

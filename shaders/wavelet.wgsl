// One axis of one level of PyRadiomics' stationary wavelet transform (the `wavelet` kernel
// family): PyWavelets' periodic level-1 SWT convolution along one numpy axis, on the compact grid
// of positions the region's bounding box depends on (crate::filters::wavelet plans it).
//
// One invocation per output sample (flat C order over z, y, x of the output, whose shape is the
// input's with `outputs` samples along `axis`). Output position o along the axis has `taps`
// terms, term k being (coefficients[o * taps + k], sources[o * taps + k]): the coefficient and
// the input position along the axis it multiplies, in PyWavelets' summation order. The sum starts
// at +0 and adds the products in that order, as the CPU reference does.
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
    // Output samples along the axis.
    outputs: u32,
    taps: u32,
    // Output samples in all.
    total: u32,
    // Invocations per row of the 2D dispatch (workgroups along x times 64).
    row_stride: u32,
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
    var shape = vec3<u32>(params.nz, params.ny, params.nx);
    shape[params.axis] = params.outputs;
    var at = vec3<u32>(flat / (shape.y * shape.z), (flat / shape.z) % shape.y, flat % shape.z);
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

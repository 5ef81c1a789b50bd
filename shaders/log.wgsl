// One pass of the recursive Gaussian behind the LoG image type (the recursive Gaussian/LoG
// kernel family): src/filters/recursive_gaussian.rs, operation for operation.
//
// src/gpu/log.rs puts a prelude before this text that defines the type `wide` the recursion runs
// in and its `add`, `sub`, `mul` and `round_f32`: f64 and its operators where the adapter has
// f64, else double-f32 (an unevaluated sum hi + lo of two f32, about 48 bits: the `df_`
// functions below), since a plain f32 recursion loses too much where the LoG is near zero. One
// invocation filters one whole line along the pass's axis (the recursion is sequential along it)
// and keeps the samples keep_start..keep_end:
//
//   y+[i] = N0 x[i] + N1 x[i-1] + N2 x[i-2] + N3 x[i-3] - (D1 y+[i-1] + ... + D4 y+[i-4])
//   y-[i] = M1 x[i+1] + ... + M4 x[i+4] - (D1 y-[i+1] + ... + D4 y-[i+4])
//   y[i]  = f32(y+[i] + y-[i])
//
// with samples beyond the line taken as its border value b, and an output beyond it contributing
// b BNk (causal) or b BMk (anticausal) in place of Dk y. The causal values wait in `output` for the
// anticausal ones. On a term's last pass (`accumulate`), y goes into the Laplacian instead:
// acc = f32(acc + y / spacing^2).

struct Params {
    // Samples per line.
    n: u32,
    // Distance between successive samples of a line: the product of the dimensions after the
    // pass's axis (z, y, x order). Lines with neighbouring indices start `1` apart within a block
    // of `inner`, and blocks `n * inner` apart.
    inner: u32,
    lines: u32,
    keep_start: u32,
    keep_end: u32,
    // Invocations per row of the 2D dispatch (workgroups along x times 64).
    row_stride: u32,
    accumulate: u32,
    // 1.0, unknown to the compiler: multiplying by it keeps an optimiser that reassociates
    // (Metal's fast math) from folding away the error terms of the double-f32 arithmetic.
    one: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
// N0..N3, D1..D4, M1..M4, BN1..BN4, BM1..BM4, 1 / spacing^2.
@group(0) @binding(1) var<storage, read> c: array<wide, 21>;
@group(0) @binding(2) var<storage, read> input: array<wide>;
@group(0) @binding(3) var<storage, read_write> output: array<wide>;
@group(0) @binding(4) var<storage, read_write> acc: array<wide>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let line = id.x + id.y * params.row_stride;
    if (line >= params.lines) {
        return;
    }
    let inner = params.inner;
    let block = line / inner;
    let src = block * params.n * inner + line % inner;
    let dst = block * (params.keep_end - params.keep_start) * inner + line % inner;
    causal(src, dst);
    anticausal(src, dst);
}

// y+ for the samples up to the last kept one, stored in `output`.
fn causal(src: u32, dst: u32) {
    let inner = params.inner;
    let first = input[src];
    var x1 = first;
    var x2 = first;
    var x3 = first;
    var y1 = wide(0.0);
    var y2 = wide(0.0);
    var y3 = wide(0.0);
    var y4 = wide(0.0);
    for (var i = 0u; i < params.keep_end; i++) {
        let x0 = input[src + i * inner];
        let e = add(add(add(mul(x0, c[0]), mul(x1, c[1])), mul(x2, c[2])), mul(x3, c[3]));
        let g1 = select(mul(first, c[12]), mul(y1, c[4]), i >= 1u);
        let g2 = select(mul(first, c[13]), mul(y2, c[5]), i >= 2u);
        let g3 = select(mul(first, c[14]), mul(y3, c[6]), i >= 3u);
        let g4 = select(mul(first, c[15]), mul(y4, c[7]), i >= 4u);
        let y0 = sub(e, add(add(add(g1, g2), g3), g4));
        if (i >= params.keep_start) {
            output[dst + (i - params.keep_start) * inner] = y0;
        }
        x3 = x2;
        x2 = x1;
        x1 = x0;
        y4 = y3;
        y3 = y2;
        y2 = y1;
        y1 = y0;
    }
}

// y- from the line's end down to the first kept sample, added to y+ and stored (or accumulated).
fn anticausal(src: u32, dst: u32) {
    let inner = params.inner;
    let n = params.n;
    let last = input[src + (n - 1u) * inner];
    var x1 = last;
    var x2 = last;
    var x3 = last;
    var x4 = last;
    var a1 = wide(0.0);
    var a2 = wide(0.0);
    var a3 = wide(0.0);
    var a4 = wide(0.0);
    for (var j = n; j > params.keep_start; j--) {
        let i = j - 1u;
        let e = add(add(add(mul(x1, c[8]), mul(x2, c[9])), mul(x3, c[10])), mul(x4, c[11]));
        let g1 = select(mul(last, c[16]), mul(a1, c[4]), i + 1u < n);
        let g2 = select(mul(last, c[17]), mul(a2, c[5]), i + 2u < n);
        let g3 = select(mul(last, c[18]), mul(a3, c[6]), i + 3u < n);
        let g4 = select(mul(last, c[19]), mul(a4, c[7]), i + 4u < n);
        let a0 = sub(e, add(add(add(g1, g2), g3), g4));
        if (i < params.keep_end) {
            let at = dst + (i - params.keep_start) * inner;
            let y = round_f32(add(output[at], a0));
            if (params.accumulate == 1u) {
                acc[at] = round_f32(add(acc[at], mul(y, c[20])));
            } else {
                output[at] = y;
            }
        }
        x4 = x3;
        x3 = x2;
        x2 = x1;
        x1 = input[src + i * inner];
        a4 = a3;
        a3 = a2;
        a2 = a1;
        a1 = a0;
    }
}

// Double-f32 arithmetic (Dekker, Knuth; Hida, Li and Bailey's QD library): a value is hi + lo with
// |lo| <= ulp(hi) / 2, so hi is the value rounded to f32.

// s + e == a + b exactly.
fn two_sum(a: f32, b: f32) -> vec2<f32> {
    let s = (a + b) * params.one;
    let v = (s - a) * params.one;
    return vec2<f32>(s, (a - (s - v)) + (b - v));
}

// s + e == a + b exactly, for |a| >= |b|.
fn quick_two_sum(a: f32, b: f32) -> vec2<f32> {
    let s = (a + b) * params.one;
    return vec2<f32>(s, b - (s - a));
}

fn df_add(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
    let s = two_sum(a.x, b.x);
    let t = two_sum(a.y, b.y);
    let u = quick_two_sum(s.x, s.y + t.x);
    return quick_two_sum(u.x, u.y + t.y);
}

// The halves of a with at most 12 significant bits each (Veltkamp): hi + lo == a.
fn split(a: f32) -> vec2<f32> {
    let t = (4097.0 * a) * params.one;
    let hi = t - (t - a);
    return vec2<f32>(hi, a - hi);
}

// p + e == a b exactly (Dekker; without fma, which some drivers lower to a multiply and an add).
fn two_prod(a: f32, b: f32) -> vec2<f32> {
    let p = (a * b) * params.one;
    let x = split(a);
    let y = split(b);
    let e = ((x.x * y.x - p) + x.x * y.y + x.y * y.x) + x.y * y.y;
    return vec2<f32>(p, e);
}

fn df_mul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
    let p = two_prod(a.x, b.x);
    return quick_two_sum(p.x, p.y + (a.x * b.y + a.y * b.x));
}

// Element-wise math: activations and their gradients, broadcast binary ops, unary functions and
// an affine map. One invocation per element of `out`, the index folded over a 2-D dispatch.
// Each formula is the one of src/engine/cpu/pointwise.ts, in f32.

struct Params {
  len: u32,        // elements of out
  width: u32,      // columns of out
  op: u32,         // the activation, binary or unary op (codes in src/gpu/pointwiseOps.ts)
  b_one_row: u32,  // binary: b has one row, broadcast down the columns
  b_one_col: u32,  // binary: b has one column, broadcast along the rows
  b_cols: u32,     // binary: columns of b; bias_act: columns of the bias
  alpha: f32,      // scale
  beta: f32,       // scale
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

const WG: u32 = 256u;

fn index(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

// out = act(a + b[col]), b the bias row.
@compute @workgroup_size(WG)
fn bias_act(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.len) { return; }
  out[i] = activate(p.op, a[i] + b[i % p.width]);
}

@compute @workgroup_size(WG)
fn activation(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.len) { return; }
  out[i] = activate(p.op, a[i]);
}

// a holds y, b holds g.
@compute @workgroup_size(WG)
fn activation_backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.len) { return; }
  out[i] = activate_backward(p.op, a[i], b[i]);
}

@compute @workgroup_size(WG)
fn binary(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.len) { return; }
  let r = select(i / p.width, 0u, p.b_one_row != 0u);
  let c = select(i % p.width, 0u, p.b_one_col != 0u);
  let x = a[i];
  let y = b[r * p.b_cols + c];
  var v: f32;
  switch p.op {
    case 0u: { v = x + y; }
    case 1u: { v = x - y; }
    case 2u: { v = x * y; }
    case 3u: { v = x / y; }
    case 4u: { v = max(x, y); }
    case 5u: { v = min(x, y); }
    default: { v = select(0.0, 1.0, x >= y); }
  }
  out[i] = v;
}

@compute @workgroup_size(WG)
fn unary(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.len) { return; }
  let x = a[i];
  var v: f32;
  switch p.op {
    case 0u: { v = sqrt(x); }
    case 1u: { v = inverseSqrt(x); }
    case 2u: { v = x * x; }
    case 3u: { v = 1.0 / x; }
    case 4u: { v = exp(x); }
    default: { v = log(x); }
  }
  out[i] = v;
}

@compute @workgroup_size(WG)
fn scale(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.len) { return; }
  out[i] = p.alpha * a[i] + p.beta;
}

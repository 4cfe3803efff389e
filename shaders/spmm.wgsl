// g-SpMM, copy_u / u_mul_e message with a sum reducer: out[r, :] = sum_k val(k) * x[col(k), :]
// over the entries k of CSR row r. One invocation owns one output element and walks its row in
// order, so the result is the same bits on every run: no atomics, no race.
// The same kernel serves the normalized adjacency (rows = destinations), sparse input features
// times a weight matrix, and both of their transposes in the backward pass (via `perm`).

struct Params {
  rows: u32,
  width: u32,        // columns of x and out
  has_values: u32,   // 0: every stored entry is 1
  has_perm: u32,     // 1: entry k's value is values[perm[k]]
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> indptr: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read> values: array<f32>;
@group(0) @binding(4) var<storage, read> perm: array<u32>;
@group(0) @binding(5) var<storage, read> x: array<f32>;
@group(0) @binding(6) var<storage, read_write> out: array<f32>;

const WG: u32 = 64u;

// 0: every stored entry is 1; 1: entry k's value is values[k]; 2: values[perm[k]]. A pipeline
// constant (src/gpu/kernels.ts), not the uniforms' has_values / has_perm: on SwiftShader the
// branch on a uniform inside the loop made the kernel twice as slow as gspmm.wgsl's copy_u.
override VALUES: u32 = 0u;

fn entry_value(k: u32) -> f32 {
  if (VALUES == 1u) { return values[k]; }
  if (VALUES == 2u) { return values[perm[k]]; }
  return 1.0;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = gid.x + gid.y * nwg.x * WG;
  if (id >= p.rows * p.width) { return; }
  let r = id / p.width;
  let f = id % p.width;
  var acc = 0.0;
  let end = indptr[r + 1u];
  for (var k = indptr[r]; k < end; k++) {
    acc += entry_value(k) * x[indices[k] * p.width + f];
  }
  out[id] = acc;
}

// `fused`: the same sum, then GCN's epilogue in the same invocation: y = act(sum + bias[f]) into
// out and, with dropout, y's inverted dropout into `dropped` with the mask of elementwise.wgsl's
// dropout (same key, same element index). The f32 steps are those of spmm, bias_act and dropout
// run one after another, so both outputs have their bits. Its own uniform struct keeps `main`'s.
struct FusedParams {
  rows: u32,
  width: u32,
  has_values: u32,
  has_perm: u32,
  act: u32,          // pointwise.wgsl's activation codes
  drop: u32,         // 1: write `dropped`
  key: u32,
  prob: f32,
  scale: f32,        // 1 / (1 - prob)
}

@group(0) @binding(0) var<uniform> q: FusedParams;
@group(0) @binding(7) var<storage, read> bias: array<f32>;
@group(0) @binding(8) var<storage, read_write> dropped: array<f32>;

@compute @workgroup_size(WG)
fn fused(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = gid.x + gid.y * nwg.x * WG;
  if (id >= q.rows * q.width) { return; }
  let r = id / q.width;
  let f = id % q.width;
  var acc = 0.0;
  let end = indptr[r + 1u];
  for (var k = indptr[r]; k < end; k++) {
    acc += entry_value(k) * x[indices[k] * q.width + f];
  }
  let y = activate(q.act, acc + bias[f]);
  out[id] = y;
  if (q.drop != 0u) {
    let u = dropout_uniform(id, q.key);
    dropped[id] = select(0.0, y * q.scale, u >= q.prob);
  }
}

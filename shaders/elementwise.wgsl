// Element-wise kernels of the training step. One invocation per element; the linear index is
// folded over a 2-D dispatch so tensors larger than 65535 workgroups still fit.

struct Params {
  len: u32,      // elements
  key: u32,      // dropout: hash of (seed, stream), computed on the host
  prob: f32,     // dropout: drop probability
  scale: f32,    // dropout: 1 / (1 - prob)
  base: u32,     // dropout: the first element's index in the whole tensor (a row chunk's offset)
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

const WG: u32 = 256u;

fn index(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

// out = b where a > 0, else 0: the ReLU gradient, a the ReLU's output and b the incoming gradient.
@compute @workgroup_size(WG)
fn relu_backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.len) { return; }
  out[i] = select(0.0, b[i], a[i] > 0.0);
}

@compute @workgroup_size(WG)
fn add(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.len) { return; }
  out[i] = a[i] + b[i];
}

// Inverted dropout with a counter-based mask: element i is kept when its hash, as a uniform
// number in [0, 1), is at least prob. The backward pass is the same call on the gradient.
@compute @workgroup_size(WG)
fn dropout(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.len) { return; }
  let u = dropout_uniform(p.base + i, p.key);
  out[i] = select(0.0, a[i] * p.scale, u >= p.prob);
}

@compute @workgroup_size(WG)
fn copy(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.len) { return; }
  out[i] = a[i];
}

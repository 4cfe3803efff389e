// Dense matmul: out[M, N] = op(a) * op(b), op = identity or transpose, chosen per call so the
// backward products (a^T g and g b^T) need no transposed copies. One invocation owns one output
// element and sums K in a fixed order: reproducible. GNN matmuls are skinny (N = hidden width or
// class count, 7 to 64), where a shared-memory tiled kernel's barriers cost more than they save.

struct Params {
  m: u32,
  n: u32,
  k: u32,
  trans_a: u32,   // a is stored [K, M] when set, else [M, K]
  trans_b: u32,   // b is stored [N, K] when set, else [K, N]
  // A tensor split into row chunks (past one binding) runs one dispatch per chunk: out_base and
  // b_base are element offsets into out and b, and accumulate adds to out (x^T g over chunks).
  out_base: u32,
  b_base: u32,
  accumulate: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

const WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = gid.x + gid.y * nwg.x * WG;
  if (id >= p.m * p.n) { return; }
  let row = id / p.n;
  let col = id % p.n;
  // Strides turn the transposed layouts into the same loop.
  var ai = row * p.k;
  var astep = 1u;
  if (p.trans_a != 0u) { ai = row; astep = p.m; }
  var bi = p.b_base + col;
  var bstep = p.n;
  if (p.trans_b != 0u) { bi = p.b_base + col * p.k; bstep = 1u; }
  var acc = 0.0;
  for (var t = 0u; t < p.k; t++) {
    acc += a[ai] * b[bi];
    ai += astep;
    bi += bstep;
  }
  if (p.accumulate != 0u) { acc = out[p.out_base + id] + acc; }
  out[p.out_base + id] = acc;
}

// Tiled dense matmul for wide products (all of M, N, K at least 64, e.g. hidden 64 x 64 layers):
// 16 x 16 tiles of op(a) and op(b) are staged in workgroup memory, so each value is read from
// global memory once per tile instead of once per output. Same parameters and the same fixed
// summation order per output as gemm.wgsl.

struct Params {
  m: u32,
  n: u32,
  k: u32,
  trans_a: u32,
  trans_b: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

const T: u32 = 16u;
var<workgroup> ta: array<array<f32, 16>, 16>;
var<workgroup> tb: array<array<f32, 16>, 16>;

fn load_a(row: u32, col: u32) -> f32 {
  if (row >= p.m || col >= p.k) { return 0.0; }
  if (p.trans_a != 0u) { return a[col * p.m + row]; }
  return a[row * p.k + col];
}

fn load_b(row: u32, col: u32) -> f32 {
  if (row >= p.k || col >= p.n) { return 0.0; }
  if (p.trans_b != 0u) { return b[col * p.k + row]; }
  return b[row * p.n + col];
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row = wid.y * T + lid.y;
  let col = wid.x * T + lid.x;
  var acc = 0.0;
  let tiles = (p.k + T - 1u) / T;
  for (var t = 0u; t < tiles; t++) {
    ta[lid.y][lid.x] = load_a(row, t * T + lid.x);
    tb[lid.y][lid.x] = load_b(t * T + lid.y, col);
    workgroupBarrier();
    for (var i = 0u; i < T; i++) {
      acc += ta[lid.y][i] * tb[i][lid.x];
    }
    workgroupBarrier();
  }
  if (row < p.m && col < p.n) {
    out[row * p.n + col] = acc;
  }
}

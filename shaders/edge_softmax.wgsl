// Softmax over each CSR row's entries, per head column of an edge tensor [nnz, heads] indexed by
// edge id. One invocation per (row, head) makes the row's passes in stored order: the sums have
// a fixed order and no invocation waits on another.

struct Params {
  rows: u32,
  heads: u32,
  has_perm: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> indptr: array<u32>;
@group(0) @binding(3) var<storage, read> perm: array<u32>;
@group(0) @binding(4) var<storage, read> a: array<f32>;     // forward: the scores; backward: y
@group(0) @binding(5) var<storage, read> g: array<f32>;     // backward: the incoming gradient
@group(0) @binding(6) var<storage, read_write> out: array<f32>;

const WG: u32 = 64u;

fn at(k: u32, h: u32) -> u32 {
  var id = k;
  if (p.has_perm != 0u) { id = perm[k]; }
  return id * p.heads + h;
}

// Stable: exp(e - max), with the max taken from the row's first entry on (an empty row writes
// nothing, so no -infinity start is needed).
@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.rows * p.heads) { return; }
  let r = i / p.heads;
  let h = i % p.heads;
  let start = indptr[r];
  let end = indptr[r + 1u];
  if (start == end) { return; }
  var m = a[at(start, h)];
  for (var k = start + 1u; k < end; k++) { m = max(m, a[at(k, h)]); }
  var s = 0.0;
  for (var k = start; k < end; k++) { s += exp(a[at(k, h)] - m); }
  for (var k = start; k < end; k++) {
    let o = at(k, h);
    out[o] = exp(a[o] - m) / s;
  }
}

// out = y * (g - sum over the row of y * g).
@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.rows * p.heads) { return; }
  let r = i / p.heads;
  let h = i % p.heads;
  let start = indptr[r];
  let end = indptr[r + 1u];
  var dot = 0.0;
  for (var k = start; k < end; k++) {
    let o = at(k, h);
    dot += a[o] * g[o];
  }
  for (var k = start; k < end; k++) {
    let o = at(k, h);
    out[o] = a[o] * (g[o] - dot);
  }
}

// Generalized SpMM: out[r, f] = reduce over the entries k of CSR row r of a message built from
// the source row x[indices[k]] and the edge tensor e[id(k)], id(k) = perm[k] for a transpose.
// One invocation owns one output element and walks its row in stored order, so every reducer
// gives the same bits on every run (no atomics). MSG and REDUCE are pipeline constants: each
// variant compiles to its own loop, and copy_u with sum is exactly the plain SpMM gather.

struct Params {
  rows: u32,
  width: u32,     // columns of x and out (and of e for copy_e)
  e_cols: u32,    // columns of e: the heads of u_mul_e
  has_perm: u32,
  has_e: u32,     // arg_backward: 0 when every weight is 1
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> indptr: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read> perm: array<u32>;
@group(0) @binding(4) var<storage, read> x: array<f32>;
@group(0) @binding(5) var<storage, read> e: array<f32>;
@group(0) @binding(6) var<storage, read_write> out: array<f32>;
@group(0) @binding(7) var<storage, read_write> arg: array<i32>;
// arg_backward reads the forward's arg; a separate binding keeps the forward's read_write one.
@group(0) @binding(8) var<storage, read> arg_in: array<i32>;

// The codes of messageCode and reducerCode in src/gpu/kernels.ts.
const COPY_U: u32 = 0u;
const U_MUL_E: u32 = 1u;
const COPY_E: u32 = 2u;
const U_ADD_E: u32 = 3u;
const MEAN: u32 = 1u;
const MAX: u32 = 2u; // min is 3

override MSG: u32 = COPY_U;
override REDUCE: u32 = 0u;

const WG: u32 = 64u;

fn edge_id(k: u32) -> u32 {
  if (p.has_perm != 0u) { return perm[k]; }
  return k;
}

// The column of e that column f of a width-`width` row reads (u_mul_e's head(f)).
fn head_of(f: u32) -> u32 {
  return f / (p.width / p.e_cols);
}

fn message(k: u32, f: u32, head: u32) -> f32 {
  if (MSG == COPY_E) { return e[edge_id(k) * p.width + f]; }
  let xv = x[indices[k] * p.width + f];
  if (MSG == U_MUL_E) { return xv * e[edge_id(k) * p.e_cols + head]; }
  if (MSG == U_ADD_E) { return xv + e[edge_id(k) * p.width + f]; }
  return xv;
}

// sum and mean (mean divides by the entry count; an empty row gives 0 either way).
@compute @workgroup_size(WG)
fn sum_rows(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let o = gid.x + gid.y * nwg.x * WG;
  if (o >= p.rows * p.width) { return; }
  let r = o / p.width;
  let f = o % p.width;
  var head = 0u;
  if (MSG == U_MUL_E) { head = head_of(f); }
  let start = indptr[r];
  let end = indptr[r + 1u];
  var acc = 0.0;
  for (var k = start; k < end; k++) {
    acc += message(k, f, head);
  }
  if (REDUCE == MEAN && end > start) { acc = acc / f32(end - start); }
  out[o] = acc;
}

// max and min, with the winning edge id: the row's first entry starts, and only a strictly
// better one replaces it, so ties keep the first in row order. The position is turned into an
// edge id once, after the loop. An empty row gives 0 and -1.
@compute @workgroup_size(WG)
fn extreme_rows(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let o = gid.x + gid.y * nwg.x * WG;
  if (o >= p.rows * p.width) { return; }
  let r = o / p.width;
  let f = o % p.width;
  var head = 0u;
  if (MSG == U_MUL_E) { head = head_of(f); }
  let start = indptr[r];
  let end = indptr[r + 1u];
  var best = 0.0;
  var won = -1;
  if (start < end) {
    best = message(start, f, head);
    var at = start;
    for (var k = start + 1u; k < end; k++) {
      let m = message(k, f, head);
      let better = select((m < best), (m > best), REDUCE == MAX);
      best = select(best, m, better);
      at = select(at, k, better);
    }
    won = i32(edge_id(at));
  }
  out[o] = best;
  arg[o] = won;
}

// The gradient of max / min for x, over the transpose (rows = sources, perm = forward edge ids):
// out[u, f] = sum over u's entries of g[dst, f] * w where the forward chose that edge. x holds g.
@compute @workgroup_size(WG)
fn arg_backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let o = gid.x + gid.y * nwg.x * WG;
  if (o >= p.rows * p.width) { return; }
  let u = o / p.width;
  let f = o % p.width;
  var head = 0u;
  if (p.has_e != 0u) { head = head_of(f); }
  var acc = 0.0;
  for (var k = indptr[u]; k < indptr[u + 1u]; k++) {
    let id = edge_id(k);
    let d = indices[k] * p.width + f;
    if (arg_in[d] == i32(id)) {
      if (p.has_e != 0u) {
        acc += x[d] * e[id * p.e_cols + head];
      } else {
        acc += x[d];
      }
    }
  }
  out[o] = acc;
}

// Generalized SDDMM: one output row per edge, out[id(k), j] from the source row u[indices[k]]
// and the destination row v[r] of entry k in row r. One invocation per (entry, output column),
// finding its row by binary search in indptr: a hub row's edges spread over many invocations
// instead of serializing in one, and no reduction crosses invocations (u_dot_v sums one head's
// columns in order inside its invocation).

struct Params {
  rows: u32,
  nnz: u32,
  width: u32,     // columns of u and v
  out_cols: u32,  // width, or the heads of u_dot_v
  op: u32,        // 0 u_add_v, 1 u_dot_v, 2 copy_u, 3 copy_v
  has_perm: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> indptr: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read> perm: array<u32>;
@group(0) @binding(4) var<storage, read> u: array<f32>;
@group(0) @binding(5) var<storage, read> v: array<f32>;
@group(0) @binding(6) var<storage, read_write> out: array<f32>;

const WG: u32 = 64u;

// The row holding entry k: the last r with indptr[r] <= k (empty rows share their indptr with
// the next row, so the last such r is the one whose range contains k).
fn row_of(k: u32) -> u32 {
  var lo = 0u;
  var hi = p.rows; // indptr[lo] <= k < indptr[hi]
  while (hi - lo > 1u) {
    let mid = (lo + hi) / 2u;
    if (indptr[mid] <= k) { lo = mid; } else { hi = mid; }
  }
  return lo;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.nnz * p.out_cols) { return; }
  let k = i / p.out_cols;
  let j = i % p.out_cols;
  let r = row_of(k);
  let su = indices[k] * p.width;
  let sv = r * p.width;
  var val: f32;
  switch p.op {
    case 0u: { val = u[su + j] + v[sv + j]; }
    case 1u: {
      let hw = p.width / p.out_cols;
      val = 0.0;
      for (var c = j * hw; c < (j + 1u) * hw; c++) { val += u[su + c] * v[sv + c]; }
    }
    case 2u: { val = u[su + j]; }
    default: { val = v[sv + j]; }
  }
  var id = k;
  if (p.has_perm != 0u) { id = perm[k]; }
  out[id * p.out_cols + j] = val;
}

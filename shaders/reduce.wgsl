// Deterministic sums. Column sums (the bias gradient): one workgroup per column, a strided pass
// then a tree in workgroup memory. Row sums: one invocation per row, columns in order. The order
// of additions is fixed, so a sum is the same bits every run.

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

const WG: u32 = 256u;
var<workgroup> part: array<f32, 256>;

@compute @workgroup_size(WG)
fn col_sum(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32) {
  let c = wid.x;
  var acc = 0.0;
  for (var r = t; r < p.rows; r += WG) {
    acc += x[r * p.cols + c];
  }
  part[t] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) { part[t] += part[t + s]; }
    workgroupBarrier();
  }
  if (t == 0u) { out[c] = part[0]; }
}

@compute @workgroup_size(WG)
fn row_sum(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = gid.x + gid.y * nwg.x * WG;
  if (r >= p.rows) { return; }
  var acc = 0.0;
  for (var c = 0u; c < p.cols; c++) {
    acc += x[r * p.cols + c];
  }
  out[r] = acc;
}

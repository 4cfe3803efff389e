// Copies a block of columns of x into a block of columns of out, every row: the one kernel that
// leaves the rest of out as it was (a concatenation writes its parts one call each).

struct Params {
  rows: u32,
  width: u32,       // columns copied
  x_cols: u32,
  x_offset: u32,
  out_cols: u32,
  out_offset: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

const WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.rows * p.width) { return; }
  let r = i / p.width;
  let c = i % p.width;
  out[r * p.out_cols + p.out_offset + c] = x[r * p.x_cols + p.x_offset + c];
}

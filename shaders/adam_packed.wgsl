// adam.wgsl over every parameter of a model in one dispatch: values, gradients and both moments
// each live in one buffer, parameter k at the same element offset in all four. The work is a
// list of runs (parameters that got a gradient, adjacent ones with the same weight decay
// merged), laid end to end: invocation t finds its run by the runs' starting counts.

const MAX_RUNS: u32 = 32u;

struct Params {
  total: u32,                   // elements over all runs
  runs: u32,
  pad0: u32,
  pad1: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  bias_correction1: f32,
  sqrt_bias_correction2: f32,
  one_minus_beta1: f32,
  one_minus_beta2: f32,
  // x: first element, y: length, z: weight decay (f32 bits), w: elements of the runs before it
  run: array<vec4u, MAX_RUNS>,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

const WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = gid.x + gid.y * nwg.x * WG;
  if (t >= p.total) { return; }
  var k = 0u;
  loop {
    if (k + 1u >= p.runs || t < p.run[k + 1u].w) { break; }
    k++;
  }
  let r = p.run[k];
  let i = r.x + (t - r.w);
  let weight_decay = bitcast<f32>(r.z);
  // adam.wgsl's arithmetic, term for term, so the two kernels agree to the bit.
  let g = grad[i] + weight_decay * param[i];
  let mi = p.beta1 * m[i] + p.one_minus_beta1 * g;
  let vi = p.beta2 * v[i] + p.one_minus_beta2 * g * g;
  m[i] = mi;
  v[i] = vi;
  let denom = sqrt(vi) / p.sqrt_bias_correction2 + p.eps;
  param[i] = param[i] - (p.lr / p.bias_correction1) * (mi / denom);
}

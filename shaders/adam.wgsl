// Adam with L2 weight decay, exactly torch.optim.Adam's update (weight decay added to the
// gradient, bias corrections folded into the step size and the denominator).

struct Params {
  len: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  weight_decay: f32,
  bias_correction1: f32,        // 1 - beta1^t
  sqrt_bias_correction2: f32,   // sqrt(1 - beta2^t)
  one_minus_beta1: f32,         // from the host in f64: 1 - f32(0.999) in f32 is 1.3e-5 off
  one_minus_beta2: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

const WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.len) { return; }
  let g = grad[i] + p.weight_decay * param[i];
  let mi = p.beta1 * m[i] + p.one_minus_beta1 * g;
  let vi = p.beta2 * v[i] + p.one_minus_beta2 * g * g;
  m[i] = mi;
  v[i] = vi;
  let denom = sqrt(vi) / p.sqrt_bias_correction2 + p.eps;
  param[i] = param[i] - (p.lr / p.bias_correction1) * (mi / denom);
}

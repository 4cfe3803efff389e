// Log-softmax with masked negative log-likelihood, its gradient, and the per-epoch metrics.
// Reductions run in one workgroup with a fixed order, so loss and accuracy are reproducible.

struct Params {
  rows: u32,
  classes: u32,
  slot: u32,        // where in `metrics` this epoch's numbers go (4 floats per epoch)
  mask_bit: u32,    // nll: which split's nodes carry the loss (1 = train)
  inv_count: f32,   // nll: 1 / number of nodes in that split
  pad0: u32,
  pad1: u32,
  pad2: u32,
  split_size: vec4u, // accuracy: nodes in split 1, 2, 3 (x unused)
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<i32>;
@group(0) @binding(3) var<storage, read> split_of: array<u32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;     // nll: d loss / d logits; accuracy: unused
@group(0) @binding(5) var<storage, read_write> row_out: array<f32>;  // nll: loss per row; accuracy: predicted class
@group(0) @binding(6) var<storage, read_write> metrics: array<f32>;

const WG: u32 = 256u;
var<workgroup> part: array<f32, 256>;
var<workgroup> hits: array<vec4u, 256>;

fn row_lse(r: u32) -> f32 {
  let base = r * p.classes;
  var m = logits[base];
  for (var c = 1u; c < p.classes; c++) { m = max(m, logits[base + c]); }
  var s = 0.0;
  for (var c = 0u; c < p.classes; c++) { s += exp(logits[base + c] - m); }
  return m + log(s);
}

// One invocation per row: loss_r = lse - z[label], grad = (softmax - onehot) / count on masked
// rows, zero elsewhere.
@compute @workgroup_size(WG)
fn nll_rows(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = gid.x + gid.y * nwg.x * WG;
  if (r >= p.rows) { return; }
  let base = r * p.classes;
  if (split_of[r] != p.mask_bit) {
    for (var c = 0u; c < p.classes; c++) { grad[base + c] = 0.0; }
    row_out[r] = 0.0;
    return;
  }
  let lse = row_lse(r);
  let y = u32(labels[r]);
  for (var c = 0u; c < p.classes; c++) {
    let onehot = select(0.0, 1.0, c == y);
    grad[base + c] = (exp(logits[base + c] - lse) - onehot) * p.inv_count;
  }
  row_out[r] = lse - logits[base + y];
}

// metrics[slot * 4] = mean of the per-row losses written by nll_rows.
@compute @workgroup_size(WG)
fn loss_sum(@builtin(local_invocation_index) t: u32) {
  var acc = 0.0;
  for (var r = t; r < p.rows; r += WG) { acc += row_out[r]; }
  part[t] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) { part[t] += part[t + s]; }
    workgroupBarrier();
  }
  if (t == 0u) { metrics[p.slot * 4u] = part[0] * p.inv_count; }
}

// Predicted class (first maximum, as torch.argmax) per row into row_out, and the accuracy of
// each split into metrics[slot * 4 + 1 .. 3].
@compute @workgroup_size(WG)
fn accuracy(@builtin(local_invocation_index) t: u32) {
  var h = vec4u(0u);
  for (var r = t; r < p.rows; r += WG) {
    let base = r * p.classes;
    var best = 0u;
    for (var c = 1u; c < p.classes; c++) {
      if (logits[base + c] > logits[base + best]) { best = c; }
    }
    row_out[r] = f32(best);
    let s = split_of[r];
    if (s != 0u && i32(best) == labels[r]) { h[s] += 1u; }
  }
  hits[t] = h;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) { hits[t] += hits[t + s]; }
    workgroupBarrier();
  }
  if (t == 0u) {
    for (var s = 1u; s < 4u; s++) {
      metrics[p.slot * 4u + s] = f32(hits[0][s]) / f32(max(p.split_size[s], 1u));
    }
  }
}

// The vec4 twin of gspmm_rows.wgsl for widths that are a multiple of 4: a lane owns four adjacent
// columns and gathers them with one 16-byte load. Each component is accumulated exactly as the
// scalar kernel accumulates its column (same order, same roundings), so both give the same bits.
// Work items, lane groups, staged tiles and chunk slots are as described there (with `lanes`
// counting groups of 4 columns); the long rows' merge is gspmm_rows.wgsl's `merge` (the scratch
// layout is the same).

struct Params {
  items: u32,       // mode 0: CSR rows; mode 1: plan items; merge: long rows
  width: u32,       // columns (a multiple of 4)
  e_cols: u32,      // columns of e: the heads of u_mul_e
  has_perm: u32,
  mode: u32,
  lanes: u32,       // lanes per group (each 4 columns), at most WG
  groups: u32,      // groups per workgroup: WG / lanes, rounded down
  tile: u32,        // entries staged per group and tile: TILE / groups, rounded down
  rpg: u32,         // mode 0: rows per group
  slots: u32,       // scratch slots (the values of every slot, then their args for max / min)
  plan_at: u32,     // mode 1: where the plan starts in binding 1 (5 words per item)
  act: u32,         // EPI: pointwise.wgsl's activation code
  drop: u32,        // EPI: 1 writes `dropped`
  key: u32,         // EPI: the dropout key
  prob: f32,        // EPI: drop probability
  scale: f32,       // EPI: 1 / (1 - prob)
  bias_at: u32,     // EPI: the bias row's first word in scratch (a multiple of 4)
}

@group(0) @binding(0) var<uniform> p: Params;
// indptr; in mode 1 followed by the plan: (first row, end row, first entry, end entry, slot).
// merge: the long rows, (row, first slot, slots, entries) each.
@group(0) @binding(1) var<storage, read> rows: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read> perm: array<u32>;
@group(0) @binding(4) var<storage, read> x: array<vec4f>;
// copy_e / u_add_e read rows of 4-vectors; u_mul_e reads e[id * e_cols + h] one component at a time.
@group(0) @binding(5) var<storage, read> e: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> out: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> arg: array<vec4i>;
@group(0) @binding(8) var<storage, read_write> scratch: array<vec4u>;
// EPI: the dropped copy of out (a placeholder otherwise). The bias row is read from scratch
// (at bias_at), which keeps the kernels within 8 storage buffers per stage.
@group(0) @binding(9) var<storage, read_write> dropped: array<vec4f>;

// The codes of messageCode and reducerCode in src/gpu/kernels.ts.
const COPY_U: u32 = 0u;
const U_MUL_E: u32 = 1u;
const COPY_E: u32 = 2u;
const U_ADD_E: u32 = 3u;
const MEAN: u32 = 1u;
const MAX: u32 = 2u; // min is 3

override MSG: u32 = COPY_U;
override REDUCE: u32 = 0u;
// 1: a finished sum gets GCN's epilogue (see epilogue); 0 leaves the kernel as it was.
override EPI: u32 = 0u;

const WG: u32 = 64u;
const TILE: u32 = 512u;
const EV_MAX: u32 = 4u;        // u_mul_e with at most this many heads stages its weights
const OUT: u32 = 0xffffffffu;  // the item's rows are whole: results go to out
const SKIP: u32 = 0xfffffffeu; // a group with no item

var<workgroup> s_col: array<u32, TILE>;
var<workgroup> s_id: array<u32, TILE>;
var<workgroup> s_ev: array<f32, 2048>; // TILE * EV_MAX
var<workgroup> s_tiles: array<u32, WG>;
var<workgroup> s_max: u32;

// A group's work: rows [r0, r1), entries [k0, k1) (the last row ends at k1), and where it goes.
struct Item {
  r0: u32,
  r1: u32,
  k0: u32,
  k1: u32,
  slot: u32,
}

fn edge_id(k: u32) -> u32 {
  if (p.has_perm != 0u) { return perm[k]; }
  return k;
}

fn item_of(grp: u32, wid: vec3u, nwg: vec3u) -> Item {
  let i = (wid.x + wid.y * nwg.x) * p.groups + grp;
  if (grp >= p.groups) { return Item(0u, 0u, 0u, 0u, SKIP); }
  if (p.mode == 0u) {
    let r0 = i * p.rpg;
    if (r0 >= p.items) { return Item(0u, 0u, 0u, 0u, SKIP); }
    let r1 = min(r0 + p.rpg, p.items);
    return Item(r0, r1, rows[r0], rows[r1], OUT);
  }
  if (i >= p.items) { return Item(0u, 0u, 0u, 0u, SKIP); }
  let b = p.plan_at + 5u * i;
  return Item(rows[b], rows[b + 1u], rows[b + 2u], rows[b + 3u], rows[b + 4u]);
}

// Where row r of an item ends: its CSR end, but the item's end for its last row (a chunk).
fn row_end(it: Item, r: u32) -> u32 {
  if (r + 1u >= it.r1) { return it.k1; }
  return rows[r + 1u];
}

// The most tiles any group of the workgroup needs: every lane loops that many times, so the
// barriers inside the loop stay in uniform control flow.
fn tile_count(lid: u32, sub: u32, grp: u32, it: Item) -> u32 {
  if (sub == 0u && grp < p.groups) { s_tiles[grp] = (it.k1 - it.k0 + p.tile - 1u) / p.tile; }
  workgroupBarrier();
  if (lid == 0u) {
    var m = 0u;
    for (var g = 0u; g < p.groups; g++) { m = max(m, s_tiles[g]); }
    s_max = m;
  }
  return workgroupUniformLoad(&s_max);
}

fn needs_id() -> bool {
  return MSG == COPY_E || MSG == U_ADD_E || (MSG == U_MUL_E && p.e_cols > EV_MAX);
}

fn stages_ev() -> bool {
  return MSG == U_MUL_E && p.e_cols <= EV_MAX;
}

// Entries [base, min(base + tile, end)) of a group's item into its region of the tile.
fn stage(region: u32, sub: u32, base: u32, end: u32) {
  for (var j = sub; j < p.tile; j += p.lanes) {
    let k = base + j;
    if (k >= end) { break; }
    let s = region + j;
    if (MSG != COPY_E) { s_col[s] = indices[k]; }
    if (needs_id()) { s_id[s] = edge_id(k); }
    if (stages_ev()) {
      let id = edge_id(k);
      for (var h = 0u; h < p.e_cols; h++) { s_ev[s * p.e_cols + h] = e_at(id * p.e_cols + h); }
    }
  }
}

fn e_at(i: u32) -> f32 {
  return e[i >> 2u][i & 3u];
}

// The heads of a lane's four columns (u_mul_e).
fn heads_of(c: u32) -> vec4u {
  let hw = p.width / p.e_cols;
  let f = 4u * c;
  return vec4u(f / hw, (f + 1u) / hw, (f + 2u) / hw, (f + 3u) / hw);
}

// The message of staged entry s for column group c (columns 4c .. 4c + 3).
fn message(s: u32, c: u32, hd: vec4u) -> vec4f {
  let w4 = p.width / 4u;
  if (MSG == COPY_E) { return e[s_id[s] * w4 + c]; }
  let xv = x[s_col[s] * w4 + c];
  if (MSG == U_MUL_E) {
    if (stages_ev()) {
      let b = s * p.e_cols;
      if (p.e_cols == 1u) { return xv * s_ev[b]; }
      return xv * vec4f(s_ev[b + hd.x], s_ev[b + hd.y], s_ev[b + hd.z], s_ev[b + hd.w]);
    }
    let b = s_id[s] * p.e_cols;
    return xv * vec4f(e_at(b + hd.x), e_at(b + hd.y), e_at(b + hd.z), e_at(b + hd.w));
  }
  if (MSG == U_ADD_E) { return xv + e[s_id[s] * w4 + c]; }
  return xv;
}

// Inverted dropout of element i (elementwise.wgsl's dropout).
fn drop_at(i: u32, y: f32) -> f32 {
  let u = dropout_uniform(i, p.key);
  return select(0.0, y * p.scale, u >= p.prob);
}

// EPI: y = act(sum + bias) into out[o4] and its dropout into dropped[o4], component by
// component as spmm, bias_act and dropout would in turn (element index 4 o4 + j).
fn epilogue(o4: u32, c: u32, sum: vec4f) {
  let b = bitcast<vec4f>(scratch[p.bias_at / 4u + c]);
  let y = vec4f(activate(p.act, sum.x + b.x), activate(p.act, sum.y + b.y),
                activate(p.act, sum.z + b.z), activate(p.act, sum.w + b.w));
  out[o4] = y;
  if (p.drop != 0u) {
    let i = 4u * o4;
    dropped[o4] = vec4f(drop_at(i, y.x), drop_at(i + 1u, y.y), drop_at(i + 2u, y.z), drop_at(i + 3u, y.w));
  }
}

// A finished row's sums (mean: over its n entries; an empty row gives 0), to out or to the slot.
fn put_sum(it: Item, r: u32, c: u32, sum: vec4f, n: u32) {
  let w4 = p.width / 4u;
  if (it.slot == OUT) {
    var v = sum;
    if (REDUCE == MEAN && n > 0u) { v = sum / f32(n); }
    out[r * w4 + c] = v;
  } else {
    scratch[it.slot * w4 + c] = bitcast<vec4u>(sum);
  }
}

// sum and mean.
@compute @workgroup_size(WG)
fn sum_rows(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let grp = lid / p.lanes;
  let sub = lid % p.lanes;
  let it = item_of(grp, wid, nwg);
  let tiles = tile_count(lid, sub, grp, it);
  let live = it.slot != SKIP;
  let region = grp * p.tile;
  let w4 = p.width / 4u;
  let blocks = (w4 + p.lanes - 1u) / p.lanes;
  for (var b = 0u; b < blocks; b++) {
    let f = b * p.lanes + sub;
    let on = live && f < w4;
    var head = vec4u(0u);
    if (MSG == U_MUL_E && on) { head = heads_of(f); }
    var r = it.r0;
    var r_start = it.k0;
    var r_end = 0u;
    if (on) { r_end = row_end(it, r); }
    var acc = vec4f(0.0);
    for (var t = 0u; t < tiles; t++) {
      let base = it.k0 + t * p.tile;
      workgroupBarrier();
      if (live) { stage(region, sub, base, it.k1); }
      workgroupBarrier();
      if (on && base < it.k1) {
        let n = min(p.tile, it.k1 - base);
        for (var j = 0u; j < n; j++) {
          let k = base + j;
          while (k >= r_end) {
            put_sum(it, r, f, acc, r_end - r_start);
            acc = vec4f(0.0);
            r++;
            r_start = r_end;
            r_end = row_end(it, r);
          }
          acc += message(region + j, f, head);
        }
      }
    }
    // The row the walk ended in, and any empty rows after it.
    if (on) {
      loop {
        put_sum(it, r, f, acc, r_end - r_start);
        acc = vec4f(0.0);
        r++;
        if (r >= it.r1) { break; }
        r_start = r_end;
        r_end = row_end(it, r);
      }
    }
  }
  // EPI: as in gspmm_rows.wgsl, the epilogue runs over the item's rows once they are written.
  if (EPI != 0u && live && it.slot == OUT) {
    for (var r = it.r0; r < it.r1; r++) {
      for (var c = sub; c < w4; c += p.lanes) {
        let o = r * w4 + c;
        epilogue(o, c, out[o]);
      }
    }
  }
}

fn put_extreme(it: Item, r: u32, c: u32, best: vec4f, at: vec4u, have: bool) {
  let w4 = p.width / 4u;
  var won = vec4i(-1);
  if (have) { won = vec4i(i32(edge_id(at.x)), i32(edge_id(at.y)), i32(edge_id(at.z)), i32(edge_id(at.w))); }
  if (it.slot == OUT) {
    out[r * w4 + c] = best;
    arg[r * w4 + c] = won;
  } else {
    scratch[it.slot * w4 + c] = bitcast<vec4u>(best);
    scratch[(p.slots + it.slot) * w4 + c] = bitcast<vec4u>(won);
  }
}

// max and min with the winning edge id: a row's first entry starts, only a strictly better one
// replaces it, so ties keep the first in row order. An empty row gives 0 and -1.
@compute @workgroup_size(WG)
fn extreme_rows(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let grp = lid / p.lanes;
  let sub = lid % p.lanes;
  let it = item_of(grp, wid, nwg);
  let tiles = tile_count(lid, sub, grp, it);
  let live = it.slot != SKIP;
  let region = grp * p.tile;
  let w4 = p.width / 4u;
  let blocks = (w4 + p.lanes - 1u) / p.lanes;
  for (var b = 0u; b < blocks; b++) {
    let f = b * p.lanes + sub;
    let on = live && f < w4;
    var head = vec4u(0u);
    if (MSG == U_MUL_E && on) { head = heads_of(f); }
    var r = it.r0;
    var r_end = 0u;
    if (on) { r_end = row_end(it, r); }
    var best = vec4f(0.0);
    var at = vec4u(0u);
    var have = false;
    for (var t = 0u; t < tiles; t++) {
      let base = it.k0 + t * p.tile;
      workgroupBarrier();
      if (live) { stage(region, sub, base, it.k1); }
      workgroupBarrier();
      if (on && base < it.k1) {
        let n = min(p.tile, it.k1 - base);
        for (var j = 0u; j < n; j++) {
          let k = base + j;
          while (k >= r_end) {
            put_extreme(it, r, f, best, at, have);
            best = vec4f(0.0);
            have = false;
            r++;
            r_end = row_end(it, r);
          }
          let m = message(region + j, f, head);
          let better = vec4<bool>(!have) | select((m < best), (m > best), REDUCE == MAX);
          best = select(best, m, better);
          at = select(at, vec4u(k), better);
          have = true;
        }
      }
    }
    if (on) {
      loop {
        put_extreme(it, r, f, best, at, have);
        best = vec4f(0.0);
        have = false;
        r++;
        if (r >= it.r1) { break; }
      }
    }
  }
}


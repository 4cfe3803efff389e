// Row-parallel and nonzero-balanced g-SpMM, scalar lanes (gspmm_rows4.wgsl is the vec4 twin for
// widths that are a multiple of 4). Same messages, reducers and results as gspmm.wgsl.
//
// A workgroup of 64 lanes takes `groups` work items, `lanes` lanes each; a lane owns output
// columns sub, sub + lanes, ... of its item, so the gathered x rows are read coalesced. A work
// item is a CSR row (mode 0: entries from indptr) or a chunk of a long row (mode 1: a plan of
// (row, start, end, slot) written on the host). The item's column ids (and its edge ids, or its
// u_mul_e weights for up to 8 heads) are staged in workgroup memory a tile at a time (GE-SpMM's
// row caching); then every lane walks the tile in stored order. Each output element is still
// accumulated by one lane, entry after entry in the row's order, so a whole row gives the same
// bits as gspmm.wgsl and the CPU reference. A chunk writes its partial result (sum, or best with
// its edge id) to a scratch slot; `merge` folds a long row's slots in chunk order. No atomics: the
// same structure gives the same bits on every run.

struct Params {
  items: u32,       // work items (mode 0: rows; mode 1: chunks; merge: long rows)
  width: u32,       // columns of x and out (and of e for copy_e / u_add_e)
  e_cols: u32,      // columns of e: the heads of u_mul_e
  has_perm: u32,
  mode: u32,        // 0: item i = CSR row i; 1: item i = chunk i of the plan
  lanes: u32,       // lanes per item, at most WG
  groups: u32,      // items per workgroup: WG / lanes, rounded down
  tile: u32,        // entries staged per item and tile: TILE / groups, rounded down
  skip_above: u32,  // mode 0: rows with more entries are left to the chunks
  slots: u32,       // scratch slots (values first, then the arg of each slot for max / min)
}

@group(0) @binding(0) var<uniform> p: Params;
// mode 0: indptr; mode 1: the chunks, 4 words each; merge: the long rows (row, first slot, slots, entries).
@group(0) @binding(1) var<storage, read> items: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read> perm: array<u32>;
@group(0) @binding(4) var<storage, read> x: array<f32>;
@group(0) @binding(5) var<storage, read> e: array<f32>;
@group(0) @binding(6) var<storage, read_write> out: array<f32>;
@group(0) @binding(7) var<storage, read_write> arg: array<i32>;
@group(0) @binding(8) var<storage, read_write> scratch: array<u32>;

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
const TILE: u32 = 256u;
const EV_MAX: u32 = 8u;      // u_mul_e with at most this many heads stages its weights
const OUT: u32 = 0xffffffffu; // an item that is a whole row: write out, not a slot
const SKIP: u32 = 0xfffffffeu; // a lane with no item, or a long row the chunks take

var<workgroup> s_col: array<u32, TILE>;
var<workgroup> s_id: array<u32, TILE>;
var<workgroup> s_ev: array<f32, 2048>; // TILE * EV_MAX
var<workgroup> s_tiles: array<u32, WG>;
var<workgroup> s_max: u32;

struct Item {
  row: u32,
  start: u32,
  end: u32,
  slot: u32,
}

struct Lane {
  it: Item,
  grp: u32,
  sub: u32,
}

fn edge_id(k: u32) -> u32 {
  if (p.has_perm != 0u) { return perm[k]; }
  return k;
}

fn lane_of(lid: u32, wid: vec3u, nwg: vec3u) -> Lane {
  let grp = lid / p.lanes;
  let sub = lid % p.lanes;
  let i = (wid.x + wid.y * nwg.x) * p.groups + grp;
  var it = Item(0u, 0u, 0u, SKIP);
  if (grp < p.groups && i < p.items) {
    if (p.mode == 0u) {
      let s = items[i];
      let t = items[i + 1u];
      if (t - s <= p.skip_above) { it = Item(i, s, t, OUT); }
    } else {
      let b = 4u * i;
      it = Item(items[b], items[b + 1u], items[b + 2u], items[b + 3u]);
    }
  }
  return Lane(it, grp, sub);
}

// The most tiles any item of the workgroup needs: every lane loops that many times, so the
// barriers inside the loop stay in uniform control flow.
fn tile_count(lid: u32, l: Lane) -> u32 {
  if (l.sub == 0u && l.grp < p.groups) {
    s_tiles[l.grp] = (l.it.end - l.it.start + p.tile - 1u) / p.tile;
  }
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

// Entries [base, min(base + tile, end)) of an item into its group's region of the tile.
fn stage(region: u32, sub: u32, base: u32, end: u32) {
  for (var j = sub; j < p.tile; j += p.lanes) {
    let k = base + j;
    if (k >= end) { break; }
    let s = region + j;
    if (MSG != COPY_E) { s_col[s] = indices[k]; }
    if (needs_id()) { s_id[s] = edge_id(k); }
    if (stages_ev()) {
      let id = edge_id(k);
      for (var h = 0u; h < p.e_cols; h++) { s_ev[s * p.e_cols + h] = e[id * p.e_cols + h]; }
    }
  }
}

// The message of staged entry s for column f (head: u_mul_e's head of f).
fn message(s: u32, f: u32, head: u32) -> f32 {
  if (MSG == COPY_E) { return e[s_id[s] * p.width + f]; }
  let xv = x[s_col[s] * p.width + f];
  if (MSG == U_MUL_E) {
    if (p.e_cols <= EV_MAX) { return xv * s_ev[s * p.e_cols + head]; }
    return xv * e[s_id[s] * p.e_cols + head];
  }
  if (MSG == U_ADD_E) { return xv + e[s_id[s] * p.width + f]; }
  return xv;
}

// sum and mean (mean divides by the row's entry count; an empty row gives 0 either way).
@compute @workgroup_size(WG)
fn sum_rows(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let l = lane_of(lid, wid, nwg);
  let tiles = tile_count(lid, l);
  let live = l.it.slot != SKIP;
  let region = l.grp * p.tile;
  let blocks = (p.width + p.lanes - 1u) / p.lanes;
  for (var b = 0u; b < blocks; b++) {
    let f = b * p.lanes + l.sub;
    let on = live && f < p.width;
    var head = 0u;
    if (MSG == U_MUL_E && on) { head = f / (p.width / p.e_cols); }
    var acc = 0.0;
    for (var t = 0u; t < tiles; t++) {
      let base = l.it.start + t * p.tile;
      workgroupBarrier();
      if (live) { stage(region, l.sub, base, l.it.end); }
      workgroupBarrier();
      if (on && base < l.it.end) {
        let n = min(p.tile, l.it.end - base);
        for (var j = 0u; j < n; j++) { acc += message(region + j, f, head); }
      }
    }
    if (on) {
      if (l.it.slot == OUT) {
        let n = l.it.end - l.it.start;
        if (REDUCE == MEAN && n > 0u) { acc = acc / f32(n); }
        out[l.it.row * p.width + f] = acc;
      } else {
        scratch[l.it.slot * p.width + f] = bitcast<u32>(acc);
      }
    }
  }
}

// max and min with the winning edge id: the first entry starts, only a strictly better one
// replaces it, so ties keep the first in row order. An empty row gives 0 and -1.
@compute @workgroup_size(WG)
fn extreme_rows(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let l = lane_of(lid, wid, nwg);
  let tiles = tile_count(lid, l);
  let live = l.it.slot != SKIP;
  let region = l.grp * p.tile;
  let blocks = (p.width + p.lanes - 1u) / p.lanes;
  for (var b = 0u; b < blocks; b++) {
    let f = b * p.lanes + l.sub;
    let on = live && f < p.width;
    var head = 0u;
    if (MSG == U_MUL_E && on) { head = f / (p.width / p.e_cols); }
    var best = 0.0;
    var at = 0u;
    var have = false;
    for (var t = 0u; t < tiles; t++) {
      let base = l.it.start + t * p.tile;
      workgroupBarrier();
      if (live) { stage(region, l.sub, base, l.it.end); }
      workgroupBarrier();
      if (on && base < l.it.end) {
        let n = min(p.tile, l.it.end - base);
        for (var j = 0u; j < n; j++) {
          let m = message(region + j, f, head);
          let better = !have || select((m < best), (m > best), REDUCE == MAX);
          best = select(best, m, better);
          at = select(at, base + j, better);
          have = true;
        }
      }
    }
    if (on) {
      var won = -1;
      if (have) { won = i32(edge_id(at)); }
      if (l.it.slot == OUT) {
        out[l.it.row * p.width + f] = best;
        arg[l.it.row * p.width + f] = won;
      } else {
        scratch[l.it.slot * p.width + f] = bitcast<u32>(best);
        scratch[(p.slots + l.it.slot) * p.width + f] = u32(won);
      }
    }
  }
}

// Folds each long row's chunk results in chunk order, one invocation per output element: sums
// add the partial sums (mean then divides by the row's entry count); max and min keep the first
// strictly better chunk, so a tie still goes to the first entry in row order.
@compute @workgroup_size(WG)
fn merge(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let o = gid.x + gid.y * nwg.x * WG;
  if (o >= p.items * p.width) { return; }
  let lr = o / p.width;
  let f = o % p.width;
  let row = items[4u * lr];
  let first = items[4u * lr + 1u];
  let n = items[4u * lr + 2u];
  let d = row * p.width + f;
  if (REDUCE < MAX) {
    var acc = 0.0;
    for (var s = first; s < first + n; s++) { acc += bitcast<f32>(scratch[s * p.width + f]); }
    if (REDUCE == MEAN) { acc = acc / f32(items[4u * lr + 3u]); }
    out[d] = acc;
  } else {
    var best = bitcast<f32>(scratch[first * p.width + f]);
    var won = scratch[(p.slots + first) * p.width + f];
    for (var s = first + 1u; s < first + n; s++) {
      let m = bitcast<f32>(scratch[s * p.width + f]);
      let better = select((m < best), (m > best), REDUCE == MAX);
      best = select(best, m, better);
      won = select(won, scratch[(p.slots + s) * p.width + f], better);
    }
    out[d] = best;
    arg[d] = i32(won);
  }
}

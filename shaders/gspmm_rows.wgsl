// Row-parallel and nonzero-balanced g-SpMM, scalar lanes (gspmm_rows4.wgsl is the vec4 twin for
// widths that are a multiple of 4). Same messages, reducers and results as gspmm.wgsl.
//
// A workgroup of 64 lanes holds `groups` lane groups of `lanes` lanes; a lane owns output columns
// sub, sub + lanes, ... so the gathered x rows are read coalesced. Each group walks one work
// item: a run of consecutive CSR rows, that is one contiguous range of entries,
//   mode 0 (row-parallel): rows [(w * groups + g) * rpg, + rpg) of workgroup w, group g;
//   mode 1 (balanced): item i of a plan written on the host (after indptr in binding 1): a run
//     of short rows with at most `chunk` entries in all, or one chunk of a long row, whose
//     partial result goes to a scratch slot that `merge` folds in chunk order.
// The group's next `tile` column ids (and edge ids, or u_mul_e's weights for up to 4 heads) are
// staged in workgroup memory (GE-SpMM's row caching); then every lane walks them in stored
// order, finishing a row (writing its result) whenever the walk crosses the row's end. Each
// output element is accumulated by one lane, entry after entry in the row's order, so a row that
// is not split gives the same bits as gspmm.wgsl and the CPU reference. No atomics: the same
// structure gives the same bits on every run.

struct Params {
  items: u32,       // mode 0: CSR rows; mode 1: plan items; merge: long rows
  width: u32,       // columns of x and out (and of e for copy_e / u_add_e)
  e_cols: u32,      // columns of e: the heads of u_mul_e
  has_perm: u32,
  mode: u32,
  lanes: u32,       // lanes per group, at most WG
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
@group(0) @binding(4) var<storage, read> x: array<f32>;
@group(0) @binding(5) var<storage, read> e: array<f32>;
@group(0) @binding(6) var<storage, read_write> out: array<f32>;
@group(0) @binding(7) var<storage, read_write> arg: array<i32>;
@group(0) @binding(8) var<storage, read_write> scratch: array<u32>;
// EPI: the dropped copy of out (a placeholder otherwise). The bias row is read from scratch
// (at bias_at), which keeps the kernels within 8 storage buffers per stage.
@group(0) @binding(9) var<storage, read_write> dropped: array<f32>;

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
      for (var h = 0u; h < p.e_cols; h++) { s_ev[s * p.e_cols + h] = e[id * p.e_cols + h]; }
    }
  }
}

// The message of staged entry s for column f (head: u_mul_e's head of f).
fn message(s: u32, f: u32, head: u32) -> f32 {
  if (MSG == COPY_E) { return e[s_id[s] * p.width + f]; }
  let xv = x[s_col[s] * p.width + f];
  if (MSG == U_MUL_E) {
    if (stages_ev()) { return xv * s_ev[s * p.e_cols + head]; }
    return xv * e[s_id[s] * p.e_cols + head];
  }
  if (MSG == U_ADD_E) { return xv + e[s_id[s] * p.width + f]; }
  return xv;
}

// Inverted dropout of element i (elementwise.wgsl's dropout).
fn drop_at(i: u32, y: f32) -> f32 {
  let u = dropout_uniform(i, p.key);
  return select(0.0, y * p.scale, u >= p.prob);
}

// EPI: y = act(sum + bias[f]) into out[o] and its dropout into dropped[o], as spmm, bias_act
// and dropout would in turn.
fn epilogue(o: u32, f: u32, sum: f32) {
  let y = activate(p.act, sum + bitcast<f32>(scratch[p.bias_at + f]));
  out[o] = y;
  if (p.drop != 0u) { dropped[o] = drop_at(o, y); }
}

// A finished row's sum (mean: over its n entries; an empty row gives 0), to out or to the slot.
fn put_sum(it: Item, r: u32, f: u32, sum: f32, n: u32) {
  if (it.slot == OUT) {
    var v = sum;
    if (REDUCE == MEAN && n > 0u) { v = sum / f32(n); }
    out[r * p.width + f] = v;
  } else {
    scratch[it.slot * p.width + f] = bitcast<u32>(sum);
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
  let blocks = (p.width + p.lanes - 1u) / p.lanes;
  for (var b = 0u; b < blocks; b++) {
    let f = b * p.lanes + sub;
    let on = live && f < p.width;
    var head = 0u;
    if (MSG == U_MUL_E && on) { head = f / (p.width / p.e_cols); }
    var r = it.r0;
    var r_start = it.k0;
    var r_end = 0u;
    if (on) { r_end = row_end(it, r); }
    var acc = 0.0;
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
            acc = 0.0;
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
        acc = 0.0;
        r++;
        if (r >= it.r1) { break; }
        r_start = r_end;
        r_end = row_end(it, r);
      }
    }
  }
  // EPI: the item's rows are whole and written, so this lane finishes its own elements of them
  // (bias, activation, dropout). Kept out of the walk above, whose inner loop stays that of the
  // plain kernel: the epilogue inside it ran the fused kernel 0.6 to 0.8 times as fast as three
  // launches on SwiftShader. A split row's epilogue is the merge's.
  if (EPI != 0u && live && it.slot == OUT) {
    for (var r = it.r0; r < it.r1; r++) {
      for (var f = sub; f < p.width; f += p.lanes) {
        let o = r * p.width + f;
        epilogue(o, f, out[o]);
      }
    }
  }
}

fn put_extreme(it: Item, r: u32, f: u32, best: f32, at: u32, have: bool) {
  var won = -1;
  if (have) { won = i32(edge_id(at)); }
  if (it.slot == OUT) {
    out[r * p.width + f] = best;
    arg[r * p.width + f] = won;
  } else {
    scratch[it.slot * p.width + f] = bitcast<u32>(best);
    scratch[(p.slots + it.slot) * p.width + f] = u32(won);
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
  let blocks = (p.width + p.lanes - 1u) / p.lanes;
  for (var b = 0u; b < blocks; b++) {
    let f = b * p.lanes + sub;
    let on = live && f < p.width;
    var head = 0u;
    if (MSG == U_MUL_E && on) { head = f / (p.width / p.e_cols); }
    var r = it.r0;
    var r_end = 0u;
    if (on) { r_end = row_end(it, r); }
    var best = 0.0;
    var at = 0u;
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
            best = 0.0;
            have = false;
            r++;
            r_end = row_end(it, r);
          }
          let m = message(region + j, f, head);
          let better = !have || select((m < best), (m > best), REDUCE == MAX);
          best = select(best, m, better);
          at = select(at, k, better);
          have = true;
        }
      }
    }
    if (on) {
      loop {
        put_extreme(it, r, f, best, at, have);
        best = 0.0;
        have = false;
        r++;
        if (r >= it.r1) { break; }
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
  let row = rows[4u * lr];
  let first = rows[4u * lr + 1u];
  let n = rows[4u * lr + 2u];
  let d = row * p.width + f;
  if (REDUCE < MAX) {
    var acc = 0.0;
    for (var s = first; s < first + n; s++) { acc += bitcast<f32>(scratch[s * p.width + f]); }
    if (REDUCE == MEAN) { acc = acc / f32(rows[4u * lr + 3u]); }
    // A split row's last writer is the merge, so its epilogue runs here.
    if (EPI != 0u) {
      epilogue(d, f, acc);
    } else {
      out[d] = acc;
    }
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

// The vec4 twin of gspmm_rows.wgsl for widths that are a multiple of 4: a lane owns four adjacent
// columns and gathers them with one 16-byte load. Each component is accumulated exactly as the
// scalar kernel accumulates its column (same order, same roundings), so both give the same bits.
// Everything else (work items, lane groups, staged tiles, chunk slots) is as described there;
// the long rows' merge is gspmm_rows.wgsl's `merge` (the scratch layout is the same).

struct Params {
  items: u32,
  width: u32,       // columns (a multiple of 4); lanes count groups of 4
  e_cols: u32,
  has_perm: u32,
  mode: u32,
  lanes: u32,       // lanes per item: groups of 4 columns, at most WG
  groups: u32,
  tile: u32,
  skip_above: u32,
  slots: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> items: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read> perm: array<u32>;
@group(0) @binding(4) var<storage, read> x: array<vec4f>;
// copy_e / u_add_e read rows of 4-vectors; u_mul_e reads e[id * e_cols + h] one component at a time.
@group(0) @binding(5) var<storage, read> e: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> out: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> arg: array<vec4i>;
@group(0) @binding(8) var<storage, read_write> scratch: array<vec4u>;

const COPY_U: u32 = 0u;
const U_MUL_E: u32 = 1u;
const COPY_E: u32 = 2u;
const U_ADD_E: u32 = 3u;
const MEAN: u32 = 1u;
const MAX: u32 = 2u;

override MSG: u32 = COPY_U;
override REDUCE: u32 = 0u;

const WG: u32 = 64u;
const TILE: u32 = 256u;
const EV_MAX: u32 = 8u;
const OUT: u32 = 0xffffffffu;
const SKIP: u32 = 0xfffffffeu;

var<workgroup> s_col: array<u32, TILE>;
var<workgroup> s_id: array<u32, TILE>;
var<workgroup> s_ev: array<f32, 2048>;
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

fn e_at(i: u32) -> f32 {
  return e[i >> 2u][i & 3u];
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
    if (p.e_cols <= EV_MAX) {
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

@compute @workgroup_size(WG)
fn sum_rows(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let l = lane_of(lid, wid, nwg);
  let tiles = tile_count(lid, l);
  let live = l.it.slot != SKIP;
  let region = l.grp * p.tile;
  let w4 = p.width / 4u;
  let blocks = (w4 + p.lanes - 1u) / p.lanes;
  for (var b = 0u; b < blocks; b++) {
    let c = b * p.lanes + l.sub;
    let on = live && c < w4;
    var hd = vec4u(0u);
    if (MSG == U_MUL_E && on) { hd = heads_of(c); }
    var acc = vec4f(0.0);
    for (var t = 0u; t < tiles; t++) {
      let base = l.it.start + t * p.tile;
      workgroupBarrier();
      if (live) { stage(region, l.sub, base, l.it.end); }
      workgroupBarrier();
      if (on && base < l.it.end) {
        let n = min(p.tile, l.it.end - base);
        for (var j = 0u; j < n; j++) { acc += message(region + j, c, hd); }
      }
    }
    if (on) {
      if (l.it.slot == OUT) {
        let n = l.it.end - l.it.start;
        if (REDUCE == MEAN && n > 0u) { acc = acc / f32(n); }
        out[l.it.row * w4 + c] = acc;
      } else {
        scratch[l.it.slot * w4 + c] = bitcast<vec4u>(acc);
      }
    }
  }
}

@compute @workgroup_size(WG)
fn extreme_rows(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let l = lane_of(lid, wid, nwg);
  let tiles = tile_count(lid, l);
  let live = l.it.slot != SKIP;
  let region = l.grp * p.tile;
  let w4 = p.width / 4u;
  let blocks = (w4 + p.lanes - 1u) / p.lanes;
  for (var b = 0u; b < blocks; b++) {
    let c = b * p.lanes + l.sub;
    let on = live && c < w4;
    var hd = vec4u(0u);
    if (MSG == U_MUL_E && on) { hd = heads_of(c); }
    var best = vec4f(0.0);
    var at = vec4u(0u);
    var have = false;
    for (var t = 0u; t < tiles; t++) {
      let base = l.it.start + t * p.tile;
      workgroupBarrier();
      if (live) { stage(region, l.sub, base, l.it.end); }
      workgroupBarrier();
      if (on && base < l.it.end) {
        let n = min(p.tile, l.it.end - base);
        for (var j = 0u; j < n; j++) {
          let m = message(region + j, c, hd);
          let better = vec4<bool>(!have) | select((m < best), (m > best), REDUCE == MAX);
          best = select(best, m, better);
          at = select(at, vec4u(base + j), better);
          have = true;
        }
      }
    }
    if (on) {
      var won = vec4i(-1);
      if (have) { won = vec4i(i32(edge_id(at.x)), i32(edge_id(at.y)), i32(edge_id(at.z)), i32(edge_id(at.w))); }
      if (l.it.slot == OUT) {
        out[l.it.row * w4 + c] = best;
        arg[l.it.row * w4 + c] = won;
      } else {
        scratch[l.it.slot * w4 + c] = bitcast<vec4u>(best);
        scratch[(p.slots + l.it.slot) * w4 + c] = bitcast<vec4u>(won);
      }
    }
  }
}

/**
 * How a g-SpMM (and the plain SpMM) is laid out on the GPU, chosen from the structure's degree
 * statistics and the width. Pure functions, so they are unit-tested in Node; the launchers in
 * messagePassingOps.ts cache the choice per structure and width.
 *
 * - `element`: shaders/gspmm.wgsl, one invocation per output element walking its row. No
 *   workgroup memory or barriers: best for narrow widths and small problems, and on SwiftShader
 *   almost everywhere (see scheduleThresholds).
 * - `row`: shaders/gspmm_rows(4).wgsl in mode 0, a group of lanes per run of `rowsPerGroup`
 *   consecutive rows, spread over the columns (vec4 lanes where the width is a multiple of 4),
 *   the run's column ids staged in workgroup memory a tile at a time. Same bits as `element`
 *   and the CPU reference.
 * - `balanced`: the same kernels in mode 1 over a plan (chunkPlan): runs of short rows of at
 *   most `block` entries, and rows longer than `chunk` split into chunks of `chunk` entries that
 *   separate groups run into scratch slots, merged afterwards in chunk order.
 *   Max and min (with arg) stay exact; a split row's sum and mean are added in two levels
 *   (within each chunk in stored order, then the chunk sums in order), so they can differ from
 *   the sequential sum by rounding: |gpu - cpu| <= (gamma(n - 1) + gamma(chunk + slots - 2)) *
 *   sum |message| with gamma(m) = m u / (1 - m u), u = 2^-24, n the row's entry count. Rows of at
 *   most `chunk` entries are exact. Every schedule is bit-identical from run to run.
 */

export interface DegreeStats {
  readonly rows: number;
  readonly nnz: number;
  readonly maxDeg: number;
  readonly meanDeg: number;
  /** Coefficient of variation of the row lengths (standard deviation / mean; 0 when empty). */
  readonly cv: number;
}

export type GspmmSchedule =
  | { readonly kind: 'element' }
  /** rowsPerGroup: consecutive rows one lane group walks (see rowsPerGroup). */
  | { readonly kind: 'row'; readonly vec4: boolean; readonly rowsPerGroup: number }
  /** chunk: the most entries of a long row one group takes; block: the most entries (and rows) of a run of short rows. */
  | { readonly kind: 'balanced'; readonly vec4: boolean; readonly chunk: number; readonly block: number };

export interface AdapterHints {
  /** A software adapter (SwiftShader): workgroup barriers are expensive, parallelism is a few cores. */
  readonly software: boolean;
}

export function degreeStats(indptr: ArrayLike<number>): DegreeStats {
  const rows = Math.max(indptr.length - 1, 0);
  const nnz = rows > 0 ? indptr[rows] - indptr[0] : 0;
  let maxDeg = 0, sq = 0;
  for (let r = 0; r < rows; r++) {
    const d = indptr[r + 1] - indptr[r];
    if (d > maxDeg) maxDeg = d;
    sq += d * d;
  }
  const meanDeg = rows > 0 ? nnz / rows : 0;
  const variance = rows > 0 ? Math.max(sq / rows - meanDeg * meanDeg, 0) : 0;
  return { rows, nnz, maxDeg, meanDeg, cv: meanDeg > 0 ? Math.sqrt(variance) / meanDeg : 0 };
}

/** The workgroup's lanes (the kernels' WG) and staged entries per tile (their TILE). */
export const ROWS_WG = 64;
export const ROWS_TILE = 512;

/**
 * How the row kernels split a 64-lane workgroup for a width: `lanes` per item (one per column,
 * or per 4 columns with vec4, at most 64), `groups` items per workgroup, `tile` entries staged
 * per item and tile.
 */
export function rowsLayout(width: number, vec4: boolean): { lanes: number; groups: number; tile: number } {
  const units = vec4 ? width / 4 : width;
  const lanes = Math.max(1, Math.min(units, ROWS_WG));
  const groups = Math.floor(ROWS_WG / lanes);
  return { lanes, groups, tile: Math.floor(ROWS_TILE / groups) };
}

/**
 * The chunk length for a structure whose longest row has `maxDeg` entries: about sqrt(maxDeg),
 * so a chunk's sequential walk and the merge's walk over a row's chunks are about as long,
 * a power of two between 256 and 4096 (and never below the width's tile).
 */
export function balancedChunk(maxDeg: number, tile = 0): number {
  let c = 256;
  while (c < 4096 && c * c < maxDeg) c *= 2;
  return Math.max(c, tile);
}

/**
 * Rows per lane group in the row schedule: about one tile of entries (tile / mean degree, 1 to
 * 64), so a workgroup's barriers are shared by a tile's worth of work per group; fewer where
 * that would leave under `minGroups` groups in all (a GPU wants thousands in flight).
 */
export function rowsPerGroup(stats: DegreeStats, tile: number, minGroups: number): number {
  let rpg = Math.min(64, Math.max(1, Math.floor(tile / Math.max(stats.meanDeg, 1))));
  rpg = Math.min(rpg, Math.max(1, Math.floor(stats.rows / minGroups)));
  return rpg;
}

/**
 * Thresholds. The GPU ones are reasoned, not measured (no GPU was at hand): below 2^16 entries x
 * width a launch costs more than the work; a hub holding 0.2% of the entries is as long as the
 * rows of a few hundred workgroups, so it outlasts a GPU's first wave; the row schedule keeps at
 * least 4096 lane groups in flight. The software ones come from `npm run bench` on SwiftShader
 * (2 shared cores): there the per-element kernel, which has no barriers, was as fast or faster
 * everywhere except skewed graphs (R-MAT, Zipf) at width 64 and above with a million entries,
 * where the balanced schedule won by 1.1 to 1.4x; the row schedule never won clearly.
 */
export const scheduleThresholds = {
  gpu: { minWork: 1 << 16, minWidth: 4, hubShare: 0.002, minGroups: 4096, rows: true },
  software: { minWork: 1 << 25, minWidth: 64, hubShare: 0, minGroups: 16, rows: false },
  /** A hub: at least this long and this many times the mean row (and holding hubShare of the entries). */
  minHub: 2048,
  hubRatio: 16,
  /** A heavy tail: rows this spread (coefficient of variation) with one at least minHub long. */
  heavyCv: 4,
};

/**
 * The schedule for a structure with these degree statistics at this width, on this adapter:
 * 1. empty, narrower than minWidth or less work (nnz x width) than minWork: `element`;
 * 2. skewed, a hub (maxDeg >= minHub, >= hubRatio x the mean, holding hubShare of the entries)
 *    or a heavy tail (cv > heavyCv, maxDeg >= minHub): `balanced` (balancedSchedule);
 * 3. otherwise `row` (rowSchedule), or `element` on a software adapter.
 * vec4 lanes whenever the width is a multiple of 4.
 */
export function chooseGspmmSchedule(stats: DegreeStats, width: number, hints: AdapterHints): GspmmSchedule {
  const t = hints.software ? scheduleThresholds.software : scheduleThresholds.gpu;
  const { minHub, hubRatio, heavyCv } = scheduleThresholds;
  if (stats.nnz === 0 || width < t.minWidth || stats.nnz * width < t.minWork) return { kind: 'element' };
  const vec4 = width % 4 === 0;
  const hub = stats.maxDeg >= minHub && stats.maxDeg >= hubRatio * stats.meanDeg && stats.maxDeg >= t.hubShare * stats.nnz;
  const heavyTail = stats.cv > heavyCv && stats.maxDeg >= minHub;
  if (hub || heavyTail) return balancedSchedule(stats, width, vec4);
  return t.rows ? rowSchedule(stats, width, vec4, hints) : { kind: 'element' };
}

/** The row schedule's parameters for this structure and width (vec4 needs a multiple of 4). */
export function rowSchedule(stats: DegreeStats, width: number, vec4: boolean, hints: AdapterHints): GspmmSchedule {
  const { tile } = rowsLayout(width, vec4);
  const t = hints.software ? scheduleThresholds.software : scheduleThresholds.gpu;
  return { kind: 'row', vec4, rowsPerGroup: rowsPerGroup(stats, tile, t.minGroups) };
}

/** The balanced schedule's parameters: chunks of balancedChunk, runs of short rows of one tile. */
export function balancedSchedule(stats: DegreeStats, width: number, vec4: boolean): GspmmSchedule {
  const { tile } = rowsLayout(width, vec4);
  return { kind: 'balanced', vec4, chunk: balancedChunk(stats.maxDeg, tile), block: tile };
}

/**
 * The balanced schedule's work list, covering every row in order: `items` holds (first row, end
 * row, first entry, end entry, slot) per item, 5 words each: a run of consecutive short rows
 * with at most `block` entries and `block` rows in all (slot OUT = 0xffffffff: their results go
 * straight to out), or one chunk of at most `chunk` entries of a row longer than `chunk` (slot
 * counting up from 0: its partial result goes to scratch). `longRows` holds (row, first slot,
 * slot count, entry count) per long row; `slots` counts the chunks.
 */
export interface ChunkPlan {
  readonly chunk: number;
  readonly block: number;
  readonly items: Uint32Array;
  readonly longRows: Uint32Array;
  readonly slots: number;
}

export const PLAN_OUT = 0xffffffff;

export function chunkPlan(indptr: ArrayLike<number>, chunk: number, block = chunk): ChunkPlan {
  if (!(chunk >= 1 && block >= 1)) throw new Error(`chunk and block must be at least 1, got ${chunk} and ${block}`);
  const rows = Math.max(indptr.length - 1, 0);
  const items: number[] = [], longRows: number[] = [];
  let slots = 0;
  let r0 = 0; // the open run of short rows: [r0, r)
  const close = (r: number) => {
    if (r > r0) items.push(r0, r, indptr[r0], indptr[r], PLAN_OUT);
    r0 = r;
  };
  for (let r = 0; r < rows; r++) {
    const start = indptr[r], end = indptr[r + 1], d = end - start;
    if (d > chunk) {
      close(r);
      longRows.push(r, slots, Math.ceil(d / chunk), d);
      for (let k = start; k < end; k += chunk) items.push(r, r + 1, k, Math.min(k + chunk, end), slots++);
      r0 = r + 1;
      continue;
    }
    if (end - indptr[r0] > block || r + 1 - r0 > block) close(r);
  }
  close(rows);
  return { chunk, block, items: Uint32Array.from(items), longRows: Uint32Array.from(longRows), slots };
}

/** A short name for tables: element, row4x8 (8 rows per group), balanced4/1024 (chunks of 1024). */
export function scheduleName(s: GspmmSchedule): string {
  if (s.kind === 'element') return 'element';
  const base = `${s.kind}${s.vec4 ? '4' : ''}`;
  return s.kind === 'balanced' ? `${base}/${s.chunk}` : `${base}x${s.rowsPerGroup}`;
}

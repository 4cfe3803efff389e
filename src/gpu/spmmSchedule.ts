/**
 * How a g-SpMM (and the plain SpMM) is laid out on the GPU, chosen from the structure's degree
 * statistics and the width. Pure functions, so they are unit-tested in Node; the launchers in
 * messagePassingOps.ts cache the choice per structure and width.
 *
 * - `element`: shaders/gspmm.wgsl, one invocation per output element walking its row. No
 *   workgroup memory or barriers: best for narrow widths and for small problems (on SwiftShader
 *   up to a few hundred thousand entries x width, see chooseGspmmSchedule).
 * - `row`: shaders/gspmm_rows(4).wgsl in mode 0, a group of lanes per CSR row spread over the
 *   columns (vec4 lanes where the width is a multiple of 4), the row's column ids staged in
 *   workgroup memory. Same bits as `element` and the CPU reference.
 * - `balanced`: rows of at most `chunk` entries as in `row`; longer rows split into chunks of
 *   `chunk` entries run by separate workgroups into scratch slots, then merged in chunk order.
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
  | { readonly kind: 'row'; readonly vec4: boolean }
  | { readonly kind: 'balanced'; readonly vec4: boolean; readonly chunk: number };

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
export const ROWS_TILE = 256;

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
 * a power of two between 256 and 4096.
 */
export function balancedChunk(maxDeg: number): number {
  let c = 256;
  while (c < 4096 && c * c < maxDeg) c *= 2;
  return c;
}

/**
 * Thresholds, measured with `npm run bench` (the g-SpMM schedules section) on SwiftShader and
 * reasoned for GPUs; see chooseGspmmSchedule.
 */
export const scheduleThresholds = {
  /** Below this many entries x width the per-element kernel wins (launch-bound either way). */
  minWork: { software: 1 << 20, gpu: 1 << 16 },
  /** Narrower than this, a row's lanes are mostly idle staging: per-element. */
  minWidth: 4,
  /** A row this many times longer than the mean, and at least `minHub` entries, is a hub. */
  hubRatio: 16,
  minHub: 2048,
  /** ... and a hub matters once it holds this share of all entries (roughly 1 / parallel rows). */
  hubShare: { software: 0.05, gpu: 0.002 },
};

/**
 * The schedule for a structure with these degree statistics at this width:
 * 1. empty, narrow (width < 4) or small (nnz x width below minWork): `element`;
 * 2. a hub row (maxDeg >= minHub, >= hubRatio x the mean, holding at least hubShare of the
 *    entries) or a heavy tail (cv > 4 with maxDeg >= minHub): `balanced` with balancedChunk;
 * 3. otherwise `row`. vec4 lanes whenever the width is a multiple of 4.
 */
export function chooseGspmmSchedule(stats: DegreeStats, width: number, hints: AdapterHints): GspmmSchedule {
  const t = scheduleThresholds;
  const work = stats.nnz * width;
  if (stats.nnz === 0 || width < t.minWidth || work < (hints.software ? t.minWork.software : t.minWork.gpu)) {
    return { kind: 'element' };
  }
  const vec4 = width % 4 === 0;
  const hub = stats.maxDeg >= t.minHub && stats.maxDeg >= t.hubRatio * stats.meanDeg
    && stats.maxDeg >= (hints.software ? t.hubShare.software : t.hubShare.gpu) * stats.nnz;
  const heavyTail = stats.cv > 4 && stats.maxDeg >= t.minHub;
  if (hub || heavyTail) return { kind: 'balanced', vec4, chunk: balancedChunk(stats.maxDeg) };
  return { kind: 'row', vec4 };
}

/**
 * The balanced schedule's work list for rows longer than `chunk`: `chunks` holds (row, start,
 * end, slot) per chunk, in row order then entry order, slot counting up from 0; `longRows` holds
 * (row, first slot, slot count, entry count) per long row. `slots` is the number of chunks.
 */
export interface ChunkPlan {
  readonly chunk: number;
  readonly chunks: Uint32Array;
  readonly longRows: Uint32Array;
  readonly slots: number;
}

export function chunkPlan(indptr: ArrayLike<number>, chunk: number): ChunkPlan {
  if (!(chunk >= 1)) throw new Error(`chunk must be at least 1, got ${chunk}`);
  const rows = Math.max(indptr.length - 1, 0);
  let slots = 0, long = 0;
  for (let r = 0; r < rows; r++) {
    const d = indptr[r + 1] - indptr[r];
    if (d > chunk) {
      long++;
      slots += Math.ceil(d / chunk);
    }
  }
  const chunks = new Uint32Array(4 * slots), longRows = new Uint32Array(4 * long);
  let s = 0, l = 0;
  for (let r = 0; r < rows; r++) {
    const start = indptr[r], end = indptr[r + 1], d = end - start;
    if (d <= chunk) continue;
    longRows.set([r, s, Math.ceil(d / chunk), d], 4 * l++);
    for (let k = start; k < end; k += chunk) chunks.set([r, k, Math.min(k + chunk, end), s], 4 * s++);
  }
  return { chunk, chunks, longRows, slots };
}

/** A short name for tables: element, row, row4, balanced4/1024. */
export function scheduleName(s: GspmmSchedule): string {
  if (s.kind === 'element') return 'element';
  const base = `${s.kind}${s.vec4 ? '4' : ''}`;
  return s.kind === 'balanced' ? `${base}/${s.chunk}` : base;
}

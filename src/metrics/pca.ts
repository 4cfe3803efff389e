import { dropoutKey, uniformAt } from '../engine/rng';
import { symmetricEigen } from './symEig';

export interface Pca2Options {
  /**
   * The previous frame's `components` (same `cols`). The result's components are then ordered and
   * signed to match it, so that an embedding animated over epochs neither mirrors nor swaps axes
   * when nothing much changed; it also warm-starts the iterative solver.
   */
  readonly previous?: Float32Array;
  /** Rows used to fit the directions (a seeded sample above it); every row is projected. Default 4096. */
  readonly maxRows?: number;
  /** Seeds the row sample and the iterative solver's start; the same seed gives the same sample every frame. Default 0. */
  readonly seed?: number;
}

export interface Pca2 {
  /** Row-major rows x 2, centred: `coords[r * 2 + k]` is row r on component k. */
  readonly coords: Float32Array;
  /**
   * Row-major cols x 2: `components[j * 2 + k]` is feature j's weight in component k, so
   * coords = (X - mean) * components. Each column is a unit vector, or all zeros where the
   * data has no variance left in that direction (cols = 1, rank 1, all rows equal).
   */
  readonly components: Float32Array;
  /**
   * Each returned component's share of the total variance of the fitted rows, in [0, 1]. After an
   * order swap to follow `previous`, explained[0] can be the smaller.
   */
  readonly explained: [number, number];
}

export const PCA_DEFAULT_MAX_ROWS = 4096;

/**
 * Below this share of the total variance a direction is rounding noise (float32 data that is
 * exactly rank 1 still shows ~1e-14 there), so it is reported as no direction at all.
 */
const NOISE_VARIANCE = 1e-10;

/** Above this share of nonzero entries the sparse products stop paying for their indirection. */
const SPARSE_DENSITY = 0.25;

/**
 * The two leading principal components of the rows of `x` (row-major rows x cols) and every row's
 * coordinates on them.
 *
 * Narrow data (hidden layers, up to ~100 dense columns, by a rough cost estimate): the covariance
 * is formed in float64 and fully diagonalized, exact and cheap since forming it costs
 * rows * cols^2 / 2. Wide data (Cora's 1433 bag-of-words features): a block Krylov method on the
 * implicit covariance Xc^T Xc, with sparse products when most entries are zero, never forming
 * cols x cols.
 *
 * Throws when the input holds NaN or Inf: a diverged run has no meaningful projection.
 */
export function pca2(x: Float32Array, rows: number, cols: number, options: Pca2Options = {}): Pca2 {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new Error(`pca2: rows and cols must be nonnegative integers, got ${rows} x ${cols}`);
  }
  if (x.length !== rows * cols) throw new Error(`pca2: expected ${rows * cols} values for ${rows} x ${cols}, got ${x.length}`);
  const previous = options.previous;
  if (previous && previous.length !== cols * 2) {
    throw new Error(`pca2: previous components must hold cols * 2 = ${cols * 2} values, got ${previous.length}`);
  }
  const maxRows = options.maxRows ?? PCA_DEFAULT_MAX_ROWS;
  if (!(maxRows >= 1)) throw new Error(`pca2: maxRows must be at least 1, got ${maxRows}`);
  const seed = options.seed ?? 0;

  const fit = sampleRows(rows, Math.floor(maxRows), seed);
  const stats = fitStats(x, cols, fit);
  if (!Number.isFinite(stats.total)) throw new Error('pca2: the input holds NaN or Inf');

  let pairs: EigenPair[];
  const nnz = stats.sparse ? stats.sparse.indices.length : fit.length * cols;
  if (stats.total <= 0) pairs = [];
  else if (preferCovariance(fit.length, cols, nnz)) pairs = topByCovariance(x, cols, fit, stats.mean);
  else {
    const op = stats.sparse ? sparseOperator(stats.sparse, fit.length, stats.mean) : denseOperator(x, cols, fit, stats.mean);
    pairs = topByKrylov(op, startBlock(cols, previous, seed));
  }

  const comps: Float64Array[] = [];
  const explained: number[] = [];
  for (let k = 0; k < 2; k++) {
    const pair = pairs[k];
    const share = pair ? pair.value / stats.total : 0;
    if (pair && share > NOISE_VARIANCE) {
      comps.push(pair.vector);
      explained.push(Math.min(1, share));
    } else {
      comps.push(new Float64Array(cols));
      explained.push(0);
    }
  }
  alignComponents(comps, explained, previous, cols);

  const components = new Float32Array(cols * 2);
  for (let j = 0; j < cols; j++) {
    components[j * 2] = comps[0][j];
    components[j * 2 + 1] = comps[1][j];
  }
  const coords = stats.sparse && fit.length === rows ? projectSparse(stats.sparse, rows, comps) : project(x, rows, cols, comps);
  return { coords, components, explained: [explained[0], explained[1]] };
}

interface EigenPair {
  readonly value: number;
  readonly vector: Float64Array;
}

/** Sorted row indices: all rows, or a seeded uniform sample of `max` of them. */
function sampleRows(rows: number, max: number, seed: number): Uint32Array {
  const all = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) all[r] = r;
  if (rows <= max) return all;
  // Partial Fisher-Yates with counter-based draws: the same seed picks the same rows every frame.
  const key = dropoutKey(seed, 0x9ca);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(uniformAt(key, i) * (rows - i));
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.slice(0, max).sort();
}

/** The fitted rows' nonzeros, one CSR row per entry of `fit`. */
interface SparseRows {
  readonly indptr: Uint32Array;
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

interface FitStats {
  readonly mean: Float64Array;
  /** The covariance's trace (population, divided by the fitted row count). */
  readonly total: number;
  readonly sparse?: SparseRows;
}

/**
 * Mean and total variance of the fitted rows in one pass over them, keeping their nonzeros as CSR
 * when a few sampled rows say the data is sparse (bag-of-words features are ~1% nonzero).
 */
function fitStats(x: Float32Array, cols: number, fit: Uint32Array): FitStats {
  const n = fit.length;
  if (n === 0 || cols === 0) return { mean: new Float64Array(cols), total: 0 };
  let probed = 0;
  let probedNnz = 0;
  for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 64))) {
    const base = fit[i] * cols;
    for (let j = 0; j < cols; j++) if (x[base + j] !== 0) probedNnz++;
    probed += cols;
  }
  return probedNnz <= 0.8 * SPARSE_DENSITY * probed ? sparseStats(x, cols, fit) : denseStats(x, cols, fit);
}

function denseStats(x: Float32Array, cols: number, fit: Uint32Array): FitStats {
  const n = fit.length;
  // Sums shifted by the first row, which lies within the data's spread, so that
  // sum(d^2) - sum(d)^2 / n does not cancel the way raw sums do far from the origin.
  const shift = Float64Array.from(x.subarray(fit[0] * cols, fit[0] * cols + cols));
  const s1 = new Float64Array(cols);
  const s2 = new Float64Array(cols);
  for (let i = 0; i < n; i++) {
    const base = fit[i] * cols;
    for (let j = 0; j < cols; j++) {
      const d = x[base + j] - shift[j];
      s1[j] += d;
      s2[j] += d * d;
    }
  }
  const mean = new Float64Array(cols);
  let total = 0;
  for (let j = 0; j < cols; j++) {
    mean[j] = shift[j] + s1[j] / n;
    total += Math.max(0, s2[j] - (s1[j] * s1[j]) / n);
  }
  return { mean, total: total / n };
}

function sparseStats(x: Float32Array, cols: number, fit: Uint32Array): FitStats {
  const n = fit.length;
  const indptr = new Uint32Array(n + 1);
  let indices = new Uint32Array(Math.max(1024, n * 16));
  let values = new Float32Array(indices.length);
  const mean = new Float64Array(cols);
  const count = new Float64Array(cols);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const base = fit[i] * cols;
    if (nnz + cols > indices.length) {
      const grown = new Uint32Array(Math.max(indices.length * 2, nnz + cols));
      grown.set(indices.subarray(0, nnz));
      indices = grown;
      const grownValues = new Float32Array(grown.length);
      grownValues.set(values.subarray(0, nnz));
      values = grownValues;
    }
    for (let j = 0; j < cols; j++) {
      const v = x[base + j];
      if (v !== 0) {
        indices[nnz] = j;
        values[nnz++] = v;
        mean[j] += v;
        count[j]++;
      }
    }
    indptr[i + 1] = nnz;
  }
  for (let j = 0; j < cols; j++) mean[j] /= n;
  // Per column: the stored entries' squared deviations plus mean^2 for each implicit zero; no cancellation.
  let total = 0;
  for (let k = 0; k < nnz; k++) {
    const d = values[k] - mean[indices[k]];
    total += d * d;
  }
  for (let j = 0; j < cols; j++) total += (n - count[j]) * mean[j] * mean[j];
  return { mean, total: total / n, sparse: { indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) } };
}

/**
 * Rough multiply-add counts: forming and diagonalizing the covariance, against ~15 block Krylov
 * steps of 4 vectors, each a product with Xc and one with Xc^T.
 */
function preferCovariance(n: number, cols: number, nnz: number): boolean {
  const covariance = (n * cols * cols) / 2 + 8 * cols * cols * cols;
  const krylov = 15 * 4 * 2 * nnz;
  return covariance <= krylov;
}

function topByCovariance(x: Float32Array, cols: number, fit: Uint32Array, mean: Float64Array): EigenPair[] {
  const c = new Float64Array(cols * cols);
  const z = new Float64Array(cols);
  for (let i = 0; i < fit.length; i++) {
    const base = fit[i] * cols;
    for (let j = 0; j < cols; j++) z[j] = x[base + j] - mean[j];
    // Lower triangle only: symmetricEigen reads no more.
    for (let a = 0; a < cols; a++) {
      const za = z[a];
      if (za === 0) continue;
      const row = a * cols;
      for (let b = 0; b <= a; b++) c[row + b] += za * z[b];
    }
  }
  const inv = 1 / fit.length;
  for (let k = 0; k < c.length; k++) c[k] *= inv;
  const { values, vectors } = symmetricEigen(c, cols);
  const pairs: EigenPair[] = [];
  for (let k = cols - 1; k >= Math.max(0, cols - 2); k--) {
    pairs.push({ value: Math.max(0, values[k]), vector: vectors!.slice(k * cols, (k + 1) * cols) });
  }
  return pairs;
}

/**
 * The covariance applied to a block of vectors without forming it: out_k = Xc^T (Xc v_k) / n.
 * A whole block per pass, so that each row of X is read from memory once, not once per vector.
 */
interface Operator {
  readonly apply: (vs: readonly Float64Array[], outs: readonly Float64Array[]) => void;
  /** Multiply-adds per vector, for the work budget. */
  readonly cost: number;
}

function denseOperator(x: Float32Array, cols: number, fit: Uint32Array, mean: Float64Array): Operator {
  const n = fit.length;
  const apply = (vs: readonly Float64Array[], outs: readonly Float64Array[]) => {
    const b = vs.length;
    const shift = vs.map((v) => dot(mean, v));
    const ySum = new Float64Array(b);
    for (const out of outs) out.fill(0);
    for (let i = 0; i < n; i++) {
      const base = fit[i] * cols;
      for (let k = 0; k < b; k++) {
        const y = rowDot(x, base, vs[k], cols) - shift[k];
        ySum[k] += y;
        const out = outs[k];
        for (let j = 0; j < cols; j++) out[j] += y * x[base + j];
      }
    }
    finishOperator(outs, mean, ySum, n);
  };
  return { apply, cost: 2 * n * cols };
}

function sparseOperator(sparse: SparseRows, n: number, mean: Float64Array): Operator {
  const { indptr, indices, values } = sparse;
  const apply = (vs: readonly Float64Array[], outs: readonly Float64Array[]) => {
    const b = vs.length;
    const shift = vs.map((v) => dot(mean, v));
    const ySum = new Float64Array(b);
    for (const out of outs) out.fill(0);
    for (let i = 0; i < n; i++) {
      const start = indptr[i];
      const end = indptr[i + 1];
      for (let k = 0; k < b; k++) {
        const v = vs[k];
        let y = -shift[k];
        for (let e = start; e < end; e++) y += values[e] * v[indices[e]];
        ySum[k] += y;
        const out = outs[k];
        for (let e = start; e < end; e++) out[indices[e]] += y * values[e];
      }
    }
    finishOperator(outs, mean, ySum, n);
  };
  return { apply, cost: 2 * values.length };
}

/** Four partial sums: the single accumulator's add latency, not memory, bounds the plain loop. */
function rowDot(x: Float32Array, base: number, v: Float64Array, cols: number): number {
  let y0 = 0;
  let y1 = 0;
  let y2 = 0;
  let y3 = 0;
  let j = 0;
  for (const end = cols - (cols % 4); j < end; j += 4) {
    y0 += x[base + j] * v[j];
    y1 += x[base + j + 1] * v[j + 1];
    y2 += x[base + j + 2] * v[j + 2];
    y3 += x[base + j + 3] * v[j + 3];
  }
  for (; j < cols; j++) y0 += x[base + j] * v[j];
  return y0 + y1 + (y2 + y3);
}

/** sum(y) is 0 up to rounding; subtracting mean * sum(y) keeps the product exactly Xc^T y. */
function finishOperator(outs: readonly Float64Array[], mean: Float64Array, ySum: Float64Array, n: number): void {
  outs.forEach((out, k) => {
    for (let j = 0; j < out.length; j++) out[j] = (out[j] - mean[j] * ySum[k]) / n;
  });
}

const BLOCK = 4;
const MAX_BASIS = 48;
const MAX_STEPS = 300;
const RESIDUAL_TOL = 1e-6;
const SETTLED_TOL = 1e-7;
/**
 * Multiply-adds (~0.3 s of plain JavaScript) after which the best Ritz pairs so far are returned.
 * Only wide dense data with a flat spectrum gets there, where they already capture the variance to
 * a few parts in 10^4 and the exact eigenvectors would mean no more.
 */
const WORK_BUDGET = 3e8;

/** Previous components first (they are nearly the answer), then seeded random directions. */
function startBlock(cols: number, previous: Float32Array | undefined, seed: number): Float64Array[] {
  const block: Float64Array[] = [];
  if (previous) {
    for (let k = 0; k < 2; k++) {
      const v = new Float64Array(cols);
      for (let j = 0; j < cols; j++) v[j] = previous[j * 2 + k];
      // A degenerate frame left zeros here; they would only take a random vector's place.
      if (norm(v) > 0 && Number.isFinite(norm(v))) block.push(v);
    }
  }
  const key = dropoutKey(seed, 0x5ca);
  for (let k = 0; block.length < Math.min(BLOCK, cols); k++) {
    const v = new Float64Array(cols);
    for (let j = 0; j < cols; j++) v[j] = 2 * uniformAt(key, k * cols + j) - 1;
    block.push(v);
  }
  return block;
}

/**
 * Block Krylov (block Lanczos with full reorthogonalization and thick restarts) for the two
 * largest eigenpairs. A block rather than one vector finds both copies of a repeated eigenvalue,
 * and rank-deficient data simply exhausts the Krylov space, which is then exactly invariant.
 */
function topByKrylov(op: Operator, start: Float64Array[]): EigenPair[] {
  const cols = start[0].length;
  const maxBasis = Math.min(cols, MAX_BASIS);
  const q: Float64Array[] = [];
  const aq: Float64Array[] = [];
  let t = new Float64Array(maxBasis * maxBasis);
  let block = start;
  let ritz: { values: Float64Array; vectors: Float64Array } | undefined;
  let best: EigenPair[] = [];
  let previousTop: number[] = [];
  let work = 0;

  for (let step = 0; step < MAX_STEPS; step++) {
    const fresh: Float64Array[] = [];
    for (const v of block) {
      if (q.length + fresh.length >= maxBasis) break;
      const before = norm(v);
      if (before === 0) continue;
      // Twice is enough (Giraud et al., "twice is enough" for classical Gram-Schmidt).
      for (let pass = 0; pass < 2; pass++) {
        for (const u of q) axpy(-dot(u, v), u, v);
        for (const u of fresh) axpy(-dot(u, v), u, v);
      }
      const after = norm(v);
      if (after <= 1e-10 * before) continue; // already in the space: a deflated direction
      scale(1 / after, v);
      fresh.push(v);
    }
    if (fresh.length === 0) break; // the space is invariant: the Ritz pairs are exact

    const m0 = q.length;
    const applied = fresh.map(() => new Float64Array(cols));
    op.apply(fresh, applied);
    work += op.cost * fresh.length;
    q.push(...fresh);
    aq.push(...applied);
    const m = q.length;
    for (let i = 0; i < m; i++) {
      for (let j = Math.max(m0, i); j < m; j++) {
        // Average the two orders so that T is symmetric to the last bit.
        const tij = i < m0 ? dot(q[i], aq[j]) : 0.5 * (dot(q[i], aq[j]) + dot(q[j], aq[i]));
        t[i * maxBasis + j] = tij;
        t[j * maxBasis + i] = tij;
      }
    }

    ritz = ritzPairs(t, maxBasis, m);
    best = [];
    let converged = true;
    const top = ritz.values[m - 1];
    for (let k = 0; k < Math.min(2, m); k++) {
      const idx = m - 1 - k;
      const theta = ritz.values[idx];
      const u = combine(q, ritz.vectors, idx, m);
      const au = combine(aq, ritz.vectors, idx, m);
      axpy(-theta, u, au);
      if (norm(au) > RESIDUAL_TOL * Math.max(top, 0)) converged = false;
      best.push({ value: Math.max(0, theta), vector: u });
    }
    // On a flat spectrum (noise) the vectors wander inside a cluster of near-equal eigenvalues
    // long after the variance they capture has settled; any of them shows the data as well.
    const settled = previousTop.length === best.length && best.every((p, k) => Math.abs(p.value - previousTop[k]) <= SETTLED_TOL * top);
    previousTop = best.map((p) => p.value);
    if (converged || settled || m === cols || work > WORK_BUDGET) break;

    if (m + BLOCK > maxBasis && maxBasis < cols) {
      // Thick restart: keep the leading Ritz vectors (with A applied, by linearity) as the basis.
      const keep = Math.min(m, 2 * BLOCK);
      const nq: Float64Array[] = [];
      const naq: Float64Array[] = [];
      t = new Float64Array(maxBasis * maxBasis);
      for (let k = 0; k < keep; k++) {
        const idx = m - 1 - k;
        nq.push(combine(q, ritz.vectors, idx, m));
        naq.push(combine(aq, ritz.vectors, idx, m));
        t[k * maxBasis + k] = ritz.values[idx];
      }
      q.length = 0;
      aq.length = 0;
      q.push(...nq);
      aq.push(...naq);
      block = naq.slice(0, BLOCK).map((v) => v.slice());
    } else {
      block = aq.slice(m0).map((v) => v.slice());
    }
  }
  return best;
}

function ritzPairs(t: Float64Array, stride: number, m: number): { values: Float64Array; vectors: Float64Array } {
  const small = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) small[i * m + j] = t[i * stride + j];
  const eig = symmetricEigen(small, m);
  return { values: eig.values, vectors: eig.vectors! };
}

/** sum_i basis[i] * s[idx][i], with s's eigenvectors stored as rows of length m. */
function combine(basis: Float64Array[], s: Float64Array, idx: number, m: number): Float64Array {
  const out = new Float64Array(basis[0].length);
  for (let i = 0; i < m; i++) axpy(s[idx * m + i], basis[i], out);
  return out;
}

/**
 * Order and signs: follow `previous` where given (the signed permutation closest to it), else
 * make each component's largest-magnitude entry positive. Never mixes the two directions, so
 * each stays an eigenvector.
 */
function alignComponents(comps: Float64Array[], explained: number[], previous: Float32Array | undefined, cols: number): void {
  const overlap = (k: number, c: Float64Array) => {
    if (!previous) return 0;
    let s = 0;
    for (let j = 0; j < cols; j++) s += previous[j * 2 + k] * c[j];
    return s;
  };
  if (previous) {
    const keep = Math.abs(overlap(0, comps[0])) + Math.abs(overlap(1, comps[1]));
    const swap = Math.abs(overlap(0, comps[1])) + Math.abs(overlap(1, comps[0]));
    if (swap > keep) {
      comps.reverse();
      explained.reverse();
    }
  }
  for (let k = 0; k < 2; k++) {
    const c = comps[k];
    let s = overlap(k, c);
    if (s === 0) {
      let at = 0;
      for (let j = 1; j < cols; j++) if (Math.abs(c[j]) > Math.abs(c[at])) at = j;
      s = cols > 0 ? c[at] : 0;
    }
    if (s < 0) scale(-1, c);
  }
}

/** Every row on the components, then centred by the mean over all rows (a projection is linear). */
function project(x: Float32Array, rows: number, cols: number, comps: Float64Array[]): Float32Array {
  const [c0, c1] = comps;
  const raw = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let a = 0;
    let b = 0;
    for (let j = 0; j < cols; j++) {
      const v = x[base + j];
      a += v * c0[j];
      b += v * c1[j];
    }
    raw[r * 2] = a;
    raw[r * 2 + 1] = b;
  }
  return centre(raw, rows);
}

function projectSparse(sparse: SparseRows, rows: number, comps: Float64Array[]): Float32Array {
  const { indptr, indices, values } = sparse;
  const [c0, c1] = comps;
  const raw = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    let a = 0;
    let b = 0;
    for (let e = indptr[r]; e < indptr[r + 1]; e++) {
      a += values[e] * c0[indices[e]];
      b += values[e] * c1[indices[e]];
    }
    raw[r * 2] = a;
    raw[r * 2 + 1] = b;
  }
  return centre(raw, rows);
}

function centre(raw: Float64Array, rows: number): Float32Array {
  let m0 = 0;
  let m1 = 0;
  for (let r = 0; r < rows; r++) {
    m0 += raw[r * 2];
    m1 += raw[r * 2 + 1];
  }
  // Rows outside the fitted sample are only seen here.
  if (!Number.isFinite(m0 + m1)) throw new Error('pca2: the input holds NaN or Inf');
  const coords = new Float32Array(rows * 2);
  if (rows === 0) return coords;
  m0 /= rows;
  m1 /= rows;
  for (let r = 0; r < rows; r++) {
    coords[r * 2] = raw[r * 2] - m0;
    coords[r * 2 + 1] = raw[r * 2 + 1] - m1;
  }
  return coords;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** y += alpha * x */
function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

function scale(alpha: number, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) x[i] *= alpha;
}

import { transposeCsr } from './csr';
import { mulberry32 } from './folds';
import type { Csr, Graph } from './types';

/**
 * Synthetic graphs for benchmarks, built straight into CSR (typed arrays only, no per-node or
 * per-edge objects), so 2 million nodes and 20 million edges take seconds and a few hundred MB:
 *
 * - `uniformGraph`: G(n, m), m distinct directed edges drawn uniformly (Erdős–Rényi-like);
 * - `fixedInDegreeGraph`: every node gets exactly `degree` distinct in-neighbours, drawn uniformly;
 * - `rmatGraph`: R-MAT (Chakrabarti, Zhan & Faloutsos, SDM 2004) with Graph500's quadrant
 *   probabilities (0.57, 0.19, 0.19, 0.05) and a seeded shuffle of the node ids, so the hubs are
 *   not the low ids: a skewed, heavy-tailed degree distribution like a web or social graph;
 * - `barabasiAlbertGraph`: preferential attachment (networkx's `barabasi_albert_graph`), degree
 *   distribution P(k) ~ k^-3.
 *
 * Every graph is simple (no self loops, no repeated edge) and seeded: the same options give the
 * same bytes. The CSR has a row per destination listing its sources in ascending order (the
 * playground's `inCsr`) and no values. `undirected` graphs hold both directions of every edge
 * and count both in `numEdges`, as the shipped datasets do.
 */

export interface SyntheticCsr {
  readonly name: string;
  readonly numNodes: number;
  /** Directed edges: entries of `inCsr` (an undirected edge counts twice). */
  readonly numEdges: number;
  readonly undirected: boolean;
  readonly inCsr: Csr;
}

export interface UniformOptions {
  readonly nodes: number;
  /** Directed edges wanted (even when undirected). */
  readonly edges: number;
  readonly seed: number;
  readonly undirected?: boolean;
}

export interface RmatOptions extends UniformOptions {
  /** Quadrant probabilities; d = 1 - a - b - c. Graph500's defaults. */
  readonly a?: number;
  readonly b?: number;
  readonly c?: number;
  /**
   * Per-level noise of the probabilities (Seshadhri, Pinar & Kolda's "noisy SKG", JACM 2013):
   * level l uses a - 2 mu a / (a + d), b + mu, c + mu, d - 2 mu d / (a + d) with mu drawn once per
   * level uniformly in [-noise, noise]. It smooths the staircase that plain R-MAT's degree
   * histogram shows. Default 0.1; 0 gives plain R-MAT.
   */
  readonly noise?: number;
}

export interface BarabasiAlbertOptions {
  readonly nodes: number;
  /** Edges each new node attaches with (networkx's m); the graph has m (n - m) undirected edges. */
  readonly attach: number;
  readonly seed: number;
}

/** Most node and edge counts a generator accepts (the bench's `--large` size with headroom). */
export const MAX_SYNTHETIC_NODES = 2 ** 25;
export const MAX_SYNTHETIC_EDGES = 2 ** 28;

const TWO32 = 2 ** 32;

function checkSize(what: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${what} must be a whole number in ${min}..${max}, got ${v}`);
}

function checkCounts(o: UniformOptions): void {
  checkSize('nodes', o.nodes, 2, MAX_SYNTHETIC_NODES);
  checkSize('edges', o.edges, 0, MAX_SYNTHETIC_EDGES);
  if (o.undirected && o.edges % 2 !== 0) throw new RangeError(`an undirected graph has an even number of directed edges, got ${o.edges}`);
  const most = o.nodes * (o.nodes - 1);
  // Top-up rounds would crawl near a complete graph; benchmark graphs are far sparser.
  if (o.edges > most / 2) throw new RangeError(`${o.edges} edges is more than half of the ${most} a simple graph on ${o.nodes} nodes can have`);
}

/** Sorts a[lo..hi) ascending: insertion sort for short rows, the typed array sort otherwise. */
function sortRange(a: Uint32Array, lo: number, hi: number): void {
  if (hi - lo > 24) {
    a.subarray(lo, hi).sort();
    return;
  }
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * A simple CSR (rows ascending and without repeats) from `count` (dst, src) pairs, both
 * directions of each when `both`. Self loops must already be absent.
 */
function pairsToCsr(n: number, dst: Uint32Array, src: Uint32Array, count: number, both: boolean): Csr {
  const indptr = new Uint32Array(n + 1);
  for (let k = 0; k < count; k++) {
    indptr[dst[k] + 1]++;
    if (both) indptr[src[k] + 1]++;
  }
  for (let r = 0; r < n; r++) indptr[r + 1] += indptr[r];
  const next = indptr.slice(0, n);
  const indices = new Uint32Array(indptr[n]);
  for (let k = 0; k < count; k++) {
    indices[next[dst[k]]++] = src[k];
    if (both) indices[next[src[k]]++] = dst[k];
  }
  return dedupeRows(n, indptr, indices);
}

/** Sorts every row and drops repeated entries, compacting in place. */
function dedupeRows(n: number, indptr: Uint32Array, indices: Uint32Array): Csr {
  let w = 0;
  let start = 0;
  for (let r = 0; r < n; r++) {
    const end = indptr[r + 1];
    sortRange(indices, start, end);
    const rowStart = w;
    for (let k = start; k < end; k++) {
      if (k === start || indices[k] !== indices[k - 1]) indices[w++] = indices[k];
    }
    start = end;
    indptr[r] = rowStart;
  }
  indptr[n] = w;
  // indptr[r] was overwritten with the row's new start before row r + 1 was read, so it is right.
  return { rows: n, cols: n, indptr, indices: w === indices.length ? indices : indices.slice(0, w) };
}

/** The union of two simple CSRs of the same shape (merge of sorted rows). */
function unionCsr(a: Csr, b: Csr): Csr {
  const n = a.rows;
  const indptr = new Uint32Array(n + 1);
  const indices = new Uint32Array(a.indices.length + b.indices.length);
  let w = 0;
  for (let r = 0; r < n; r++) {
    let i = a.indptr[r], j = b.indptr[r];
    const ie = a.indptr[r + 1], je = b.indptr[r + 1];
    while (i < ie || j < je) {
      let v: number;
      if (j >= je || (i < ie && a.indices[i] < b.indices[j])) v = a.indices[i++];
      else if (i >= ie || b.indices[j] < a.indices[i]) v = b.indices[j++];
      else {
        v = a.indices[i++];
        j++;
      }
      indices[w++] = v;
    }
    indptr[r + 1] = w;
  }
  return { rows: n, cols: n, indptr, indices: indices.slice(0, w) };
}

/**
 * Draws edges until exactly `want` distinct directed edges exist: a first round of `want` draws,
 * then rounds of just the shortfall (repeats are dropped), merged in. `draw` fills (dst, src)
 * pairs with src != dst and returns how many it wrote.
 */
function drawSimple(n: number, want: number, undirected: boolean, draw: (dst: Uint32Array, src: Uint32Array, count: number) => void): Csr {
  let csr: Csr = { rows: n, cols: n, indptr: new Uint32Array(n + 1), indices: new Uint32Array(0) };
  for (let round = 0; csr.indices.length < want; round++) {
    if (round >= 200) throw new Error(`could not draw ${want} distinct edges on ${n} nodes (have ${csr.indices.length})`);
    const short = want - csr.indices.length;
    const pairs = undirected ? short / 2 : short;
    const dst = new Uint32Array(pairs), src = new Uint32Array(pairs);
    draw(dst, src, pairs);
    const fresh = pairsToCsr(n, dst, src, pairs, undirected);
    csr = csr.indices.length === 0 ? fresh : unionCsr(csr, fresh);
  }
  return csr;
}

/** G(n, m): `edges` distinct directed edges (or edges / 2 undirected ones), uniform over pairs. */
export function uniformGraph(o: UniformOptions): SyntheticCsr {
  checkCounts(o);
  const n = o.nodes;
  const next = mulberry32(o.seed ^ 0x756e6966);
  const csr = drawSimple(n, o.edges, o.undirected ?? false, (dst, src, count) => {
    for (let k = 0; k < count; k++) {
      const d = Math.floor((next() / TWO32) * n);
      // A source uniform over the other n - 1 nodes.
      let s = Math.floor((next() / TWO32) * (n - 1));
      if (s >= d) s++;
      dst[k] = d;
      src[k] = s;
    }
  });
  return { name: `uniform-${n}-${o.edges}`, numNodes: n, numEdges: csr.indices.length, undirected: o.undirected ?? false, inCsr: csr };
}

/** Every node gets exactly `degree` distinct in-neighbours, uniform over the other nodes. */
export function fixedInDegreeGraph(o: { readonly nodes: number; readonly degree: number; readonly seed: number }): SyntheticCsr {
  checkSize('nodes', o.nodes, 2, MAX_SYNTHETIC_NODES);
  checkSize('degree', o.degree, 0, Math.min(o.nodes - 1, Math.floor(MAX_SYNTHETIC_EDGES / o.nodes)));
  if (o.degree > (o.nodes - 1) / 2) throw new RangeError(`degree ${o.degree} is more than half of the ${o.nodes - 1} other nodes`);
  const { nodes: n, degree: d } = o;
  const next = mulberry32(o.seed ^ 0x66697864);
  const indptr = new Uint32Array(n + 1);
  const indices = new Uint32Array(n * d);
  for (let r = 0; r < n; r++) {
    const lo = r * d;
    let have = 0;
    while (have < d) {
      let s = Math.floor((next() / TWO32) * (n - 1));
      if (s >= r) s++;
      // Keep the row sorted as it fills; redraw a repeat.
      let j = lo + have - 1;
      let repeat = false;
      for (let t = lo; t < lo + have; t++) if (indices[t] === s) repeat = true;
      if (repeat) continue;
      while (j >= lo && indices[j] > s) {
        indices[j + 1] = indices[j];
        j--;
      }
      indices[j + 1] = s;
      have++;
    }
    indptr[r + 1] = lo + d;
  }
  return { name: `fixed-in-degree-${n}x${d}`, numNodes: n, numEdges: n * d, undirected: false, inCsr: { rows: n, cols: n, indptr, indices } };
}

/** A seeded Fisher–Yates permutation of 0..n-1. */
function permutation(n: number, next: () => number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((next() / TWO32) * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * R-MAT: each edge picks a quadrant of the adjacency matrix level by level (a: top left, b: top
 * right, c: bottom left, d: bottom right) down to one cell of a 2^s x 2^s matrix, 2^s >= nodes;
 * ids past `nodes` and self loops are drawn again. Rows are destinations, so `a + c` weighs the
 * in-degree skew and `a + b` the out-degree skew. Node ids are then shuffled.
 */
export function rmatGraph(o: RmatOptions): SyntheticCsr {
  checkCounts(o);
  const a = o.a ?? 0.57, b = o.b ?? 0.19, c = o.c ?? 0.19;
  if (!(a > 0 && b >= 0 && c >= 0 && a + b + c < 1)) throw new RangeError(`R-MAT probabilities need a > 0, b, c >= 0 and a + b + c < 1, got ${a}, ${b}, ${c}`);
  const n = o.nodes;
  let levels = 0;
  while (2 ** levels < n) levels++;
  const next = mulberry32(o.seed ^ 0x726d6174);
  const perm = permutation(n, mulberry32(o.seed ^ 0x7065726d));
  const d = 1 - a - b - c;
  const noise = o.noise ?? 0.1;
  if (!(noise >= 0 && noise <= Math.min(b, c, (a + d) / 2))) throw new RangeError(`R-MAT noise must be in 0..${Math.min(b, c, (a + d) / 2)}, got ${noise}`);
  // Cumulative thresholds per level, in units of 2^-32.
  const ta = new Float64Array(levels), tab = new Float64Array(levels), tabc = new Float64Array(levels);
  const levelNoise = mulberry32(o.seed ^ 0x6e6f6973);
  for (let l = 0; l < levels; l++) {
    const mu = noise * (2 * (levelNoise() / TWO32) - 1);
    const al = a - (2 * mu * a) / (a + d), bl = b + mu, cl = c + mu;
    ta[l] = al * TWO32;
    tab[l] = (al + bl) * TWO32;
    tabc[l] = (al + bl + cl) * TWO32;
  }
  const csr = drawSimple(n, o.edges, o.undirected ?? false, (dst, src, count) => {
    for (let k = 0; k < count; k++) {
      let row = 0, col = 0;
      do {
        row = 0;
        col = 0;
        for (let l = 0; l < levels; l++) {
          const u = next();
          row <<= 1;
          col <<= 1;
          if (u < ta[l]) continue;
          if (u < tab[l]) col |= 1;
          else if (u < tabc[l]) row |= 1;
          else {
            row |= 1;
            col |= 1;
          }
        }
        row >>>= 0;
        col >>>= 0;
      } while (row >= n || col >= n || row === col);
      dst[k] = perm[row];
      src[k] = perm[col];
    }
  });
  return { name: `rmat-${n}-${o.edges}`, numNodes: n, numEdges: csr.indices.length, undirected: o.undirected ?? false, inCsr: csr };
}

/**
 * networkx's `barabasi_albert_graph(n, m)`: nodes 0..m-1 start with no edges; node m links to all
 * of them; every later node links to m distinct earlier nodes drawn with probability
 * proportional to their degree (a uniform pick from the list of every edge end so far).
 * Undirected: m (n - m) edges, 2 m (n - m) directed entries.
 */
export function barabasiAlbertGraph(o: BarabasiAlbertOptions): SyntheticCsr {
  checkSize('nodes', o.nodes, 2, MAX_SYNTHETIC_NODES);
  checkSize('attach', o.attach, 1, o.nodes - 1);
  const { nodes: n, attach: m } = o;
  const pairs = m * (n - m);
  if (2 * pairs > MAX_SYNTHETIC_EDGES) throw new RangeError(`${2 * pairs} directed edges is more than ${MAX_SYNTHETIC_EDGES}`);
  const next = mulberry32(o.seed ^ 0x62617262);
  const dst = new Uint32Array(pairs), src = new Uint32Array(pairs);
  const ends = new Uint32Array(2 * pairs); // every edge end so far: node u appears deg(u) times
  let nEnds = 0, e = 0;
  const targets = new Uint32Array(m);
  for (let t = 0; t < m; t++) targets[t] = t;
  for (let v = m; v < n; v++) {
    for (let t = 0; t < m; t++) {
      dst[e] = v;
      src[e] = targets[t];
      e++;
      ends[nEnds++] = targets[t];
      ends[nEnds++] = v;
    }
    // m distinct targets for the next node, by degree.
    for (let t = 0; t < m; t++) {
      let u: number;
      let repeat: boolean;
      do {
        u = ends[Math.floor((next() / TWO32) * nEnds)];
        repeat = false;
        for (let s = 0; s < t; s++) if (targets[s] === u) repeat = true;
      } while (repeat);
      targets[t] = u;
    }
  }
  const csr = pairsToCsr(n, dst, src, pairs, true);
  return { name: `barabasi-albert-${n}x${m}`, numNodes: n, numEdges: csr.indices.length, undirected: true, inCsr: csr };
}

export interface DegreeStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
  readonly median: number;
  /** The 99th percentile. */
  readonly p99: number;
  /** Nodes with degree 0. */
  readonly isolated: number;
}

/** Row lengths of a CSR (in-degrees of an `inCsr`). */
export function rowDegrees(csr: Csr): Uint32Array {
  const d = new Uint32Array(csr.rows);
  for (let r = 0; r < csr.rows; r++) d[r] = csr.indptr[r + 1] - csr.indptr[r];
  return d;
}

/** Column counts of a CSR (out-degrees of an `inCsr`). */
export function colDegrees(csr: Csr): Uint32Array {
  const d = new Uint32Array(csr.cols);
  for (let k = 0; k < csr.indices.length; k++) d[csr.indices[k]]++;
  return d;
}

export function degreeStats(degrees: Uint32Array): DegreeStats {
  const n = degrees.length;
  let sum = 0, sq = 0, isolated = 0;
  for (let i = 0; i < n; i++) {
    sum += degrees[i];
    sq += degrees[i] * degrees[i];
    if (degrees[i] === 0) isolated++;
  }
  const sorted = degrees.slice().sort();
  const mean = sum / Math.max(n, 1);
  return {
    min: n ? sorted[0] : 0,
    max: n ? sorted[n - 1] : 0,
    mean,
    std: Math.sqrt(Math.max(sq / Math.max(n, 1) - mean * mean, 0)),
    median: n ? sorted[n >> 1] : 0,
    p99: n ? sorted[Math.min(n - 1, Math.floor(0.99 * n))] : 0,
    isolated,
  };
}

export interface DegreeBin {
  /** Degrees lo..hi-1 (powers of two). */
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  /** Fraction of nodes per unit of degree in this bin: count / (n (hi - lo)). */
  readonly density: number;
}

/** Logarithmically binned degree histogram (bins [1, 2), [2, 4), [4, 8), ...; degree 0 left out). */
export function logDegreeHistogram(degrees: Uint32Array): DegreeBin[] {
  const counts: number[] = [];
  for (let i = 0; i < degrees.length; i++) {
    const d = degrees[i];
    if (d === 0) continue;
    const b = 31 - Math.clz32(d);
    while (counts.length <= b) counts.push(0);
    counts[b]++;
  }
  return counts.map((count, b) => ({ lo: 2 ** b, hi: 2 ** (b + 1), count, density: count / (degrees.length * 2 ** b) }));
}

/**
 * Least-squares slope of log(density) against log(degree) over the log bins from `minDegree` up
 * that hold at least `minCount` nodes: about -gamma for a power law P(k) ~ k^-gamma.
 */
export function logLogSlope(degrees: Uint32Array, minDegree = 1, minCount = 5): number {
  const pts = logDegreeHistogram(degrees)
    .filter((b) => b.lo >= minDegree && b.count >= minCount)
    .map((b) => [Math.log(Math.sqrt(b.lo * (b.hi - 1))), Math.log(b.density)] as const);
  if (pts.length < 2) return NaN;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  let num = 0, den = 0;
  for (const [x, y] of pts) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return num / den;
}

export interface NodeTaskOptions {
  /** Dense feature columns, uniform in [0, 1). */
  readonly features: number;
  readonly classes: number;
  readonly seed: number;
  /** Fractions of nodes in train and val; the rest are test (defaults 0.05 and 0.15). */
  readonly train?: number;
  readonly val?: number;
}

/**
 * A node-classification task on a synthetic graph for timing and memory runs: dense random
 * features, random labels and a random split. Nothing to learn (accuracy stays at chance).
 */
export function syntheticNodeTask(g: SyntheticCsr, o: NodeTaskOptions): Graph {
  const n = g.numNodes;
  checkSize('features', o.features, 1, 1 << 16);
  checkSize('classes', o.classes, 1, 1 << 16);
  if (n * o.features > 2 ** 31) throw new RangeError(`${n} x ${o.features} features is more than 2^31 values`);
  const next = mulberry32(o.seed ^ 0x66656174);
  const data = new Float32Array(n * o.features);
  for (let i = 0; i < data.length; i++) data[i] = next() / TWO32;
  const labels = new Int32Array(n);
  const pick = mulberry32(o.seed ^ 0x6c61626c);
  const codes = new Uint8Array(n);
  const ptrain = o.train ?? 0.05, pval = o.val ?? 0.15;
  let train = 0, val = 0;
  for (let i = 0; i < n; i++) {
    labels[i] = Math.floor((pick() / TWO32) * o.classes);
    const u = pick() / TWO32;
    codes[i] = u < ptrain ? 1 : u < ptrain + pval ? 2 : 3;
    if (codes[i] === 1) train++;
    else if (codes[i] === 2) val++;
  }
  const lists = [new Uint32Array(train), new Uint32Array(val), new Uint32Array(n - train - val)];
  const fill = [0, 0, 0];
  for (let i = 0; i < n; i++) lists[codes[i] - 1][fill[codes[i] - 1]++] = i;
  return {
    name: g.name,
    numNodes: n,
    numEdges: g.numEdges,
    inCsr: g.inCsr,
    outCsr: transposeCsr(g.inCsr),
    features: { kind: 'dense', rows: n, cols: o.features, data },
    labels,
    numClasses: o.classes,
    classNames: Array.from({ length: o.classes }, (_, c) => `class ${c}`),
    split: { train: lists[0], val: lists[1], test: lists[2] },
  };
}

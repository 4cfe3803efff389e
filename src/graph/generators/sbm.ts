import type { DraftEdge, GraphDraft } from '../draft';
import { mulberry32 } from '../folds';
import { checkCount, finishDraft, MAX_GENERATED_EDGES, names } from './common';

export interface SbmOptions {
  readonly classes: number;
  readonly nodes: number;
  /** Probability of an edge between two nodes of the same block... */
  readonly pIn: number;
  /** ...and of two different blocks: pIn against pOut is the homophily knob. */
  readonly pOut: number;
  readonly seed?: number;
  /** Std of the Gaussian noise on the 'signal' features (default 1). */
  readonly noise?: number;
}

/**
 * Every pair is tried, O(n^2), so the size is capped: 5000 nodes are 12.5 million pairs, well
 * under a second. The expected edge count is capped too (MAX_GENERATED_EDGES), before sampling.
 */
export const MAX_SBM_NODES = 5000;

/**
 * The stochastic block model (Holland, Laskey and Leinhardt 1983): `nodes` nodes in `classes`
 * blocks of sizes as even as possible (the first nodes % classes blocks one larger), node ids
 * block by block; each pair i < j is joined with probability pIn within a block and pOut across,
 * drawn in the order (0,1), (0,2), ..., (1,2), ... from one mulberry32 stream. Blocks are drawn
 * as clusters around a circle with seeded jitter. Features: 'signal' (class one-hot plus noise),
 * so the features and the edges both tell the class, each as reliably as its knob says.
 */
export function sbm(o: SbmOptions): GraphDraft {
  checkCount('number of SBM nodes', o.nodes, 1, MAX_SBM_NODES);
  checkCount('number of classes', o.classes, 1, o.nodes);
  for (const [what, p] of [['pIn', o.pIn], ['pOut', o.pOut]] as const) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${what} must be a probability in [0, 1], got ${p}`);
  }
  const seed = o.seed ?? 0;
  const labels = sbmBlocks(o.nodes, o.classes);
  const { within, across } = pairCounts(o.nodes, o.classes);
  const expected = o.pIn * within + o.pOut * across;
  if (expected > MAX_GENERATED_EDGES) {
    throw new RangeError(`an SBM of ${o.nodes} nodes with pIn ${o.pIn} and pOut ${o.pOut} has about ${Math.round(expected)} edges, more than the ${MAX_GENERATED_EDGES} a generator makes`);
  }

  // Thresholds in 32-bit integers: u < p * 2^32, with u uniform in 0..2^32-1.
  const tIn = o.pIn * 2 ** 32;
  const tOut = o.pOut * 2 ** 32;
  const next = mulberry32(seed);
  const edges: DraftEdge[] = [];
  for (let i = 0; i < o.nodes; i++) {
    for (let j = i + 1; j < o.nodes; j++) {
      if (next() < (labels[i] === labels[j] ? tIn : tOut)) edges.push({ src: i, dst: j });
    }
  }

  const { x, y } = clusteredLayout(labels, o.classes, seed);
  return finishDraft({
    name: `SBM ${o.classes}x${o.nodes}`,
    classNames: names('block', o.classes),
    labels,
    edges,
    x,
    y,
    seed,
    features: { kind: 'signal', dim: o.classes, noise: o.noise ?? 1, seed },
  });
}

/** Block of each node: contiguous, sizes as even as possible, larger blocks first. */
export function sbmBlocks(n: number, classes: number): Int32Array {
  const labels = new Int32Array(n);
  const small = Math.floor(n / classes);
  const big = n % classes;
  let i = 0;
  for (let c = 0; c < classes; c++) for (let k = 0; k < small + (c < big ? 1 : 0); k++) labels[i++] = c;
  return labels;
}

/**
 * What edge homophily an SBM has on average: the expected within-block edges over all expected
 * edges. With two equal blocks this is close to pIn / (pIn + pOut); with k blocks the k - 1
 * cross pairs per within pair pull it down.
 */
export function expectedSbmHomophily(nodes: number, classes: number, pIn: number, pOut: number): number {
  const { within, across } = pairCounts(nodes, classes);
  const total = pIn * within + pOut * across;
  return total === 0 ? NaN : (pIn * within) / total;
}

function pairCounts(n: number, classes: number): { within: number; across: number } {
  const small = Math.floor(n / classes);
  const big = n % classes;
  const within = big * ((small + 1) * small) / 2 + (classes - big) * (small * (small - 1)) / 2;
  return { within, across: (n * (n - 1)) / 2 - within };
}

/** Block centres on a circle; each node uniform in a disc around its centre (its own stream). */
function clusteredLayout(labels: Int32Array, classes: number, seed: number) {
  const n = labels.length;
  const next = mulberry32((seed ^ 0x1a7047) >>> 0);
  const ring = classes === 1 ? 0 : 0.3;
  const spread = classes === 1 ? 0.4 : Math.min(0.18, 0.85 * ring * Math.sin(Math.PI / classes));
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * labels[i]) / classes - Math.PI / 2;
    const r = spread * Math.sqrt(next() / 2 ** 32);
    const t = (2 * Math.PI * next()) / 2 ** 32;
    x[i] = 0.5 + ring * Math.cos(a) + r * Math.cos(t);
    y[i] = 0.5 + ring * Math.sin(a) + r * Math.sin(t);
  }
  return { x, y };
}

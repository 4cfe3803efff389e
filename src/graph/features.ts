import { dropoutKey, uniformAt } from '../engine/rng';
import type { FeatureSpec, GraphDraft } from './draft';
import { featureRows } from './featureRows';
import type { Features } from './types';

/**
 * Node features for a draft, from its FeatureSpec:
 *
 * - identity: one-hot node id, n columns (sparse; `dim` is ignored). Kipf and Welling's Karate.
 * - degree: one-hot of min(degree, dim - 1), dim columns (sparse): structure only.
 * - random: standard normal, dim columns (dense): no information, a baseline.
 * - signal: the node's class one-hot in numClasses columns plus Gaussian noise of std `noise`,
 *   then max(0, dim - numClasses) columns of noise alone (dense). So a model can read the class
 *   off the features when noise is low, and must lean on the edges (homophily) when it is high.
 * - given: the matrix carried in the spec (a loaded graph's own features).
 *
 * Random values are counter-based (src/engine/rng.ts): entry (i, j) depends only on the seed and
 * i * columns + j, so adding a node at the end leaves every other node's features as they were.
 * Normals use Box-Muller; Math.log and Math.cos are V8's fdlibm ports, so Node and Chromium give
 * the same bits, and another engine could differ in the last float32 bit.
 */
export function draftFeatures(d: GraphDraft): Features {
  return specFeatures(d.features, d.nodes.length, d.classNames.length, d.nodes, d.edges);
}

// Bounds a dense matrix (float32 cells) a slider or a typo could ask for.
export const MAX_FEATURE_CELLS = 2 ** 27;

const RANDOM_STREAM = 0x5eed01;
const SIGNAL_STREAM = 0x5eed02;

/** The number of feature columns a spec gives n nodes in numClasses classes. */
export function featureColumns(spec: FeatureSpec, n: number, numClasses: number): number {
  switch (spec.kind) {
    case 'identity':
      return n;
    case 'degree':
    case 'random':
      return spec.dim;
    case 'signal':
      return Math.max(spec.dim, numClasses);
    case 'given':
      return spec.given ? (spec.given.kind === 'dense' ? spec.given.cols : spec.given.csr.cols) : 0;
  }
}

function specFeatures(
  spec: FeatureSpec,
  n: number,
  numClasses: number,
  nodes: readonly { readonly label: number }[],
  edges: readonly { readonly src: number; readonly dst: number }[],
): Features {
  const cols = featureColumns(spec, n, numClasses);
  if (spec.kind !== 'identity' && spec.kind !== 'given') checkDim(spec.dim);
  if (spec.kind === 'random' || spec.kind === 'signal') {
    if (n * cols > MAX_FEATURE_CELLS) throw new RangeError(`${n} nodes x ${cols} features is more than ${MAX_FEATURE_CELLS} values`);
  }
  switch (spec.kind) {
    case 'identity':
      return oneHot(n, n, (i) => i);
    case 'degree': {
      const degree = new Uint32Array(n);
      for (const e of edges) {
        degree[e.src]++;
        degree[e.dst]++;
      }
      return oneHot(n, cols, (i) => Math.min(degree[i], cols - 1));
    }
    case 'random':
      return { kind: 'dense', rows: n, cols, data: normals(n * cols, dropoutKey(spec.seed, RANDOM_STREAM), 1) };
    case 'signal': {
      checkNoise(spec.noise);
      const data = normals(n * cols, dropoutKey(spec.seed, SIGNAL_STREAM), spec.noise);
      for (let i = 0; i < n; i++) data[i * cols + nodes[i].label] += 1;
      return { kind: 'dense', rows: n, cols, data };
    }
    case 'given':
      if (!spec.given) throw new RangeError("features of kind 'given' need a matrix in `given`");
      if (featureRows(spec.given) !== n) throw new RangeError(`the given features have ${featureRows(spec.given)} rows for ${n} nodes`);
      return spec.given;
  }
}

function oneHot(n: number, cols: number, column: (i: number) => number): Features {
  const indptr = new Uint32Array(n + 1);
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    indptr[i + 1] = i + 1;
    indices[i] = column(i);
  }
  return { kind: 'sparse', csr: { rows: n, cols, indptr, indices } };
}

/** `count` draws of N(0, std^2); entry t uses uniforms 2t and 2t + 1 of the key's stream. */
export function normals(count: number, key: number, std: number): Float32Array {
  const out = new Float32Array(count);
  if (std === 0) return out;
  for (let t = 0; t < count; t++) {
    const u1 = 1 - uniformAt(key, 2 * t); // in (0, 1], so the log is finite
    const u2 = uniformAt(key, 2 * t + 1);
    out[t] = std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return out;
}

function checkDim(dim: number) {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`feature dimension must be a whole number of at least 1, got ${dim}`);
}

function checkNoise(noise: number) {
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new RangeError(`noise must be a finite number of at least 0, got ${noise}`);
}

import { csrValue } from './csr';
import type { Csr, Features, Split } from './types';

/**
 * The pieces of a `gnn-graph-json` v1 file (shared/datasets/planetoid/README.md). Edge k goes
 * src[k] -> dst[k]; the writer keeps the given edge order, so callers decide it (the format's
 * convention is sorted by (dst, src), which makes the list a CSR of incoming edges).
 */
export interface GraphJsonParts {
  readonly name: string;
  readonly numNodes: number;
  readonly directed: boolean;
  readonly src: ArrayLike<number>;
  readonly dst: ArrayLike<number>;
  readonly weight?: ArrayLike<number>;
  readonly edgeOrder?: string;
  readonly features: Features;
  readonly labels: ArrayLike<number>;
  readonly classNames: readonly string[];
  readonly split: Split;
  readonly splitName?: string;
  readonly citation?: string;
  readonly notes?: Record<string, unknown>;
}

/**
 * One top-level field per line, small fields first, as the shipped files are, so `head` shows
 * what a file holds. Features are always written as CSR (the only form the reader takes):
 * dense rows keep their non-zero entries. Floats are written as the shortest decimal that reads
 * back to the same float32.
 */
export function writeGraphJson(p: GraphJsonParts): string {
  const e = p.src.length;
  const features = featuresJson(p.features);
  const fields: [string, unknown][] = [
    ['schema', 'gnn-graph-json'],
    ['schema_version', 1],
    ['name', p.name],
    ['task', 'node_classification'],
    ['directed', p.directed],
    ['num_nodes', p.numNodes],
    ['num_edges', e],
    ['num_undirected_edges', p.directed ? undefined : e / 2],
    ['num_features', features.shape[1]],
    ['num_classes', p.classNames.length],
    ['class_names', p.classNames],
    ['labels', Array.from(p.labels)],
    ['split', { ...(p.splitName ? { name: p.splitName } : {}), train: Array.from(p.split.train), val: Array.from(p.split.val), test: Array.from(p.split.test) }],
    ['features', features],
    ['edges', {
      ...(p.edgeOrder ? { order: p.edgeOrder } : {}),
      src: Array.from(p.src),
      dst: Array.from(p.dst),
      ...(p.weight ? { weight: Array.from(p.weight, shortestFloat32) } : {}),
    }],
    ['notes', p.notes],
    ['citation', p.citation],
  ];
  const lines = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

interface CsrJson {
  format: 'csr';
  shape: [number, number];
  nnz: number;
  indptr: number[];
  indices: number[];
  binary: boolean;
  values?: number[];
}

/** A sparse matrix keeps its stored entries (and `binary` = no values), so it reads back equal. */
function featuresJson(f: Features): CsrJson {
  if (f.kind === 'sparse') return csrJson(f.csr);
  const indptr = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < f.rows; r++) {
    for (let c = 0; c < f.cols; c++) {
      const v = f.data[r * f.cols + c];
      if (v !== 0) {
        indices.push(c);
        values.push(v);
      }
    }
    indptr.push(indices.length);
  }
  const binary = values.every((v) => v === 1);
  return {
    format: 'csr', shape: [f.rows, f.cols], nnz: indices.length, indptr, indices, binary,
    ...(binary ? {} : { values: values.map(shortestFloat32) }),
  };
}

/** Rows are written with ascending columns (the reader insists), whatever order they are stored in. */
function csrJson(a: Csr): CsrJson {
  const indices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < a.rows; r++) {
    const row: { c: number; v: number }[] = [];
    for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) row.push({ c: a.indices[k], v: csrValue(a, k) });
    row.sort((x, y) => x.c - y.c);
    for (const { c, v } of row) {
      indices.push(c);
      values.push(v);
    }
  }
  const binary = !a.values;
  return {
    format: 'csr', shape: [a.rows, a.cols], nnz: indices.length, indptr: Array.from(a.indptr), indices, binary,
    ...(binary ? {} : { values: values.map(shortestFloat32) }),
  };
}

/** The shortest decimal whose float32 rounding is x (x itself a float32 value). */
export function shortestFloat32(x: number): number {
  if (Number.isInteger(x) || !Number.isFinite(x)) return x;
  const f = Math.fround(x);
  for (let digits = 1; digits < 9; digits++) {
    const y = Number(f.toPrecision(digits));
    if (Math.fround(y) === f) return y;
  }
  return Number(f.toPrecision(9)); // 9 significant digits always identify a float32
}

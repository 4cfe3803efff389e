import { csrFromCoo, transposeCsr } from './csr';
import { GraphFormatError } from './errors';
import type { Features, Graph, Split } from './types';

/**
 * Reads a `gnn-graph-json` v1 file (shared/datasets/planetoid/README.md). Everything is checked
 * before anything is built, so a file a user drops in either yields a whole Graph or a
 * GraphFormatError that names the bad place; later code can trust ids without re-checking.
 */
export function parseGraphJson(text: string): Graph {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new GraphFormatError('', `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return graphFromJson(value);
}

/** The same checks on an already parsed value (tests and callers that hold an object). */
export function graphFromJson(value: unknown): Graph {
  const root = object(value, '');
  if (root.schema !== 'gnn-graph-json') fail('schema', `expected "gnn-graph-json", found ${show(root.schema)}`);
  if (root.schema_version !== 1) fail('schema_version', `expected 1, found ${show(root.schema_version)}`);
  const name = string(root.name, 'name');
  if (root.task !== undefined && root.task !== 'node_classification') {
    fail('task', `expected "node_classification", found ${show(root.task)}`);
  }
  if (root.directed !== undefined && typeof root.directed !== 'boolean') {
    fail('directed', `expected true or false, found ${show(root.directed)}`);
  }
  if (root.citation !== undefined && root.citation !== null) string(root.citation, 'citation');

  const n = count(root.num_nodes, 'num_nodes', 0);
  const e = count(root.num_edges, 'num_edges', 0);
  const f = count(root.num_features, 'num_features', 0);
  const c = count(root.num_classes, 'num_classes', 1);
  if (c > MAX_CLASSES) fail('num_classes', `${c} is more than the ${MAX_CLASSES} classes supported`);
  if (root.num_undirected_edges !== undefined && root.directed === false) {
    const u = count(root.num_undirected_edges, 'num_undirected_edges', 0);
    if (2 * u !== e) fail('num_undirected_edges', `is ${u} but num_edges is ${e} (expected num_edges / 2)`);
  }

  const classNames = readClassNames(root.class_names, c);
  const labels = Int32Array.from(ids(root.labels, 'labels', n, c, 'class'));
  const split = readSplit(root.split, n);
  const features = readFeatures(root.features, n, f);
  const { src, dst, weight } = readEdges(root.edges, n, e, root.directed === false);

  const inCsr = csrFromCoo(n, n, dst, src, weight);
  return {
    name,
    numNodes: n,
    numEdges: e,
    inCsr,
    outCsr: transposeCsr(inCsr),
    features,
    labels,
    numClasses: c,
    classNames,
    split,
    ...(typeof root.citation === 'string' ? { citation: root.citation } : {}),
  };
}

type Obj = Record<string, unknown>;

// Typed arrays hold ids as uint32 and WebGPU indexes with i32/u32; larger counts cannot work.
const MAX_COUNT = 2 ** 31 - 1;
// Bounds what a bad file can make us allocate (one name per class) before labels are checked.
const MAX_CLASSES = 65536;

function fail(path: string, problem: string): never {
  throw new GraphFormatError(path, problem);
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return String(v);
}

function rangeText(n: number): string {
  return n > 0 ? `0..${n - 1}` : '(there are none)';
}

function object(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    fail(path, `expected ${path ? 'an object' : 'a JSON object at the top level'}, found ${show(v)}`);
  }
  return v as Obj;
}

function string(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, `expected a string, found ${show(v)}`);
  return v;
}

function count(v: unknown, path: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_COUNT) {
    fail(path, `expected a whole number in ${min}..${MAX_COUNT}, found ${show(v)}`);
  }
  return v;
}

function array(v: unknown, path: string, length: number): unknown[] {
  if (!Array.isArray(v)) fail(path, `expected an array, found ${show(v)}`);
  if (v.length !== length) fail(path, `expected ${length} entries, found ${v.length}`);
  return v;
}

/** Integers in 0..n-1; `what` names them in messages ("node id 5000 is out of range"). */
function ids(v: unknown, path: string, length: number, n: number, what: string): Uint32Array {
  const a = array(v, path, length);
  const out = new Uint32Array(length);
  for (let k = 0; k < length; k++) {
    const x = a[k];
    if (typeof x !== 'number' || !Number.isInteger(x)) fail(`${path}[${k}]`, `expected an integer, found ${show(x)}`);
    if (x < 0 || x >= n) fail(`${path}[${k}]`, `${what} ${x} is out of range ${rangeText(n)}`);
    out[k] = x;
  }
  return out;
}

/** Finite numbers that stay finite as float32 (the GPU's type), kept in float64 for checks. */
function floats(v: unknown, path: string, length: number): Float64Array {
  const a = array(v, path, length);
  const out = new Float64Array(length);
  for (let k = 0; k < length; k++) {
    const x = a[k];
    if (typeof x !== 'number' || !Number.isFinite(Math.fround(x))) {
      fail(`${path}[${k}]`, `expected a finite float32 number, found ${show(x)}`);
    }
    out[k] = x;
  }
  return out;
}

function readClassNames(v: unknown, c: number): string[] {
  if (v === null || v === undefined) return Array.from({ length: c }, (_, i) => `class ${i}`);
  return array(v, 'class_names', c).map((s, i) => string(s, `class_names[${i}]`));
}

function readSplit(v: unknown, n: number): Split {
  const o = object(v, 'split');
  if (o.name !== undefined) string(o.name, 'split.name');
  const parts = ['train', 'val', 'test'] as const;
  const owner = new Uint8Array(n); // 0 = none, else 1 + index into parts
  const at = new Uint32Array(n);
  const lists = parts.map((part, p) => {
    const path = `split.${part}`;
    if (!Array.isArray(o[part])) fail(path, `expected an array, found ${show(o[part])}`);
    const list = ids(o[part], path, (o[part] as unknown[]).length, n, 'node id');
    list.forEach((x, k) => {
      if (owner[x] !== 0) {
        const first = `split.${parts[owner[x] - 1]}[${at[x]}]`;
        if (owner[x] === p + 1) fail(`${path}[${k}]`, `node ${x} is listed twice (also at ${first})`);
        fail(first, `node ${x} is also in ${path}[${k}]`);
      }
      owner[x] = p + 1;
      at[x] = k;
    });
    return list;
  });
  return { train: lists[0], val: lists[1], test: lists[2] };
}

function readFeatures(v: unknown, n: number, f: number): Features {
  if (v === null || v === undefined) fail('features', 'missing (this file has no node features)');
  const o = object(v, 'features');
  if (o.format !== 'csr') fail('features.format', `expected "csr", found ${show(o.format)}`);
  const shape = array(o.shape, 'features.shape', 2);
  if (shape[0] !== n) fail('features.shape[0]', `expected ${n} (num_nodes), found ${show(shape[0])}`);
  if (shape[1] !== f) fail('features.shape[1]', `expected ${f} (num_features), found ${show(shape[1])}`);
  const nnz = count(o.nnz, 'features.nnz', 0);
  if (typeof o.binary !== 'boolean') fail('features.binary', `expected true or false, found ${show(o.binary)}`);

  const indptr = ids(o.indptr, 'features.indptr', n + 1, nnz + 1, 'offset');
  if (indptr[0] !== 0) fail('features.indptr', `must start at 0, found ${indptr[0]}`);
  if (indptr[n] !== nnz) fail('features.indptr', `must end at features.nnz = ${nnz}, found ${indptr[n]}`);
  for (let r = 0; r < n; r++) {
    if (indptr[r + 1] < indptr[r]) fail('features.indptr', `must be non-decreasing (at ${r + 1})`);
  }
  const indices = ids(o.indices, 'features.indices', nnz, f, 'feature id');
  for (let r = 0; r < n; r++) {
    for (let k = indptr[r] + 1; k < indptr[r + 1]; k++) {
      if (indices[k] <= indices[k - 1]) {
        const problem = `feature ${indices[k]} follows ${indices[k - 1]} in row ${r} (must be strictly ascending)`;
        fail(`features.indices[${k}]`, problem);
      }
    }
  }

  let values: Float32Array | undefined;
  if (o.binary) {
    if (o.values !== undefined && o.values !== null) {
      fail('features.values', 'must be omitted when features.binary is true');
    }
  } else {
    values = Float32Array.from(floats(o.values, 'features.values', nnz));
  }
  return { kind: 'sparse', csr: { rows: n, cols: f, indptr, indices, values } };
}

/** Edge k goes src[k] -> dst[k]; rejects self loops and repeats, and one-way edges when undirected. */
function readEdges(v: unknown, n: number, e: number, undirected: boolean) {
  const o = object(v, 'edges');
  const src = ids(o.src, 'edges.src', e, n, 'node id');
  const dst = ids(o.dst, 'edges.dst', e, n, 'node id');
  const weight = o.weight === undefined || o.weight === null ? undefined : floats(o.weight, 'edges.weight', e);

  const into = groupBy(dst, n);
  const outOf = groupBy(src, n);
  const mark = new Uint32Array(n); // mark[s] = i + 1 while visiting node i: s -> i exists
  const at = new Uint32Array(n); // ... and is edge at[s]
  for (let i = 0; i < n; i++) {
    for (let q = into.start[i]; q < into.start[i + 1]; q++) {
      const k = into.edges[q];
      const s = src[k];
      if (s === i) fail(`edges.src[${k}]`, `self loop on node ${i} (the format has none; models add their own)`);
      if (mark[s] === i + 1) fail(`edges.src[${k}]`, `edge ${s} -> ${i} is listed twice (also at index ${at[s]})`);
      mark[s] = i + 1;
      at[s] = k;
    }
    if (!undirected) continue;
    for (let q = outOf.start[i]; q < outOf.start[i + 1]; q++) {
      const k = outOf.edges[q];
      const t = dst[k];
      if (mark[t] !== i + 1) {
        fail(`edges.src[${k}]`, `edge ${i} -> ${t} has no reverse ${t} -> ${i} but directed is false`);
      }
      const back = at[t];
      if (weight && weight[k] !== weight[back]) {
        fail(`edges.weight[${k}]`, `edge ${i} -> ${t} weighs ${weight[k]} but its reverse (index ${back}) weighs ${weight[back]}`);
      }
    }
  }
  return { src, dst, weight };
}

/** Edge ids bucketed by key (a counting sort): bucket i is edges[start[i] .. start[i+1]-1]. */
function groupBy(key: Uint32Array, n: number) {
  const start = new Uint32Array(n + 1);
  for (let k = 0; k < key.length; k++) start[key[k] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const next = start.slice(0, n);
  const edges = new Uint32Array(key.length);
  for (let k = 0; k < key.length; k++) edges[next[key[k]]++] = k;
  return { start, edges };
}

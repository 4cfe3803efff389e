import { csrFromCoo, transposeCsr } from '../csr';
import { GraphFormatError } from '../errors';
import { DEFAULT_SPLIT_SEED, stratifiedSplit } from '../split';
import type { Csr, Features, Graph } from '../types';
import { parseNpy, type NpyArray } from './npy';
import { baseName } from './text';
import { zipMemberData, zipMembers, type ZipMember } from './zip';

export interface NpzResult {
  readonly graph: Graph;
  readonly notes: string[];
}

const REQUIRED = ['adj_data', 'adj_indices', 'adj_indptr', 'adj_shape', 'labels'] as const;
// Bounds a dense attr_matrix (float32 cells) before it is unpacked into features.
const MAX_DENSE_CELLS = 2 ** 27;

/**
 * A gnn-benchmark `.npz` graph (Shchur et al. 2018; shared/datasets/npz/README.md), built the
 * way their `load_dataset` + `standardize` do: the adjacency CSR (adj_*) symmetrised, self loops
 * and stored zeros dropped, every edge of weight 1; features from the attr_* CSR (or a dense
 * attr_matrix; identity when there are none), binary when every value is 1; labels and
 * class_names as stored. Split: the default stratified rule (src/graph/split.ts), which gives
 * every class of at least 150 nodes gnn-benchmark's 20 train and 30 validation nodes, the rest
 * test. Async only because deflated members are unpacked with DecompressionStream.
 */
export async function parseNpz(bytes: Uint8Array, file: string, opts: { readonly seed?: number } = {}): Promise<NpzResult> {
  const notes: string[] = [];
  const a = new Arrays(bytes, file);
  if (a.has('labels_data')) throw new GraphFormatError(a.where('labels_data'), 'holds sparse (multi-label) labels; only one class per node (labels.npy) is supported');
  for (const key of REQUIRED) {
    if (!a.has(key)) throw new GraphFormatError(file, `has no ${key}.npy (a gnn-benchmark .npz needs ${REQUIRED.join(', ')}; found ${a.keys() || 'no .npy members'})`);
  }

  const shape = await a.ints('adj_shape', 2);
  if (shape[0] !== shape[1]) throw new GraphFormatError(a.where('adj_shape'), `is [${shape[0]}, ${shape[1]}]; an adjacency matrix must be square`);
  const n = shape[0];
  const adj = await readCsr(a, 'adj', n, n);
  const { labels, classNames } = await readClasses(a, n);

  const { inCsr, selfLoops, zeros } = symmetrise(adj);
  if (selfLoops) notes.push(`${file}: dropped ${selfLoops} self loop${selfLoops > 1 ? 's' : ''} (models add their own)`);
  if (zeros) notes.push(`${file}: ignored ${zeros} stored zero${zeros > 1 ? 's' : ''} in adj_data`);
  if (adj.values!.some((v) => v !== 0 && v !== 1)) notes.push(`${file}: adjacency values other than 1 are ignored (unweighted, as gnn-benchmark does)`);
  notes.push(`${file}: ${adj.indices.length} stored adjacency entries became ${inCsr.indices.length / 2} undirected edges`);

  const graph: Graph = {
    name: baseName(file),
    numNodes: n,
    numEdges: inCsr.indices.length,
    inCsr,
    outCsr: transposeCsr(inCsr),
    features: await readFeatures(a, n, notes),
    labels,
    numClasses: classNames.length,
    classNames,
    split: stratifiedSplit(labels, classNames.length, opts.seed ?? DEFAULT_SPLIT_SEED),
  };
  return { graph, notes };
}

/** The archive's arrays by key (member name without `.npy`), each unpacked and parsed once. */
class Arrays {
  private readonly members: Map<string, ZipMember>;
  private readonly parsed = new Map<string, NpyArray>();

  constructor(private readonly bytes: Uint8Array, readonly file: string) {
    const npy = zipMembers(bytes, file).filter((m) => m.name.endsWith('.npy'));
    this.members = new Map(npy.map((m) => [m.name.slice(0, -4), m]));
  }

  has(key: string): boolean {
    return this.members.has(key);
  }

  keys(): string {
    return [...this.members.keys()].join(', ');
  }

  where(key: string): string {
    return `${this.file} ${key}.npy`;
  }

  async load(key: string, neededBy?: string): Promise<NpyArray> {
    const m = this.members.get(key);
    if (!m) throw new GraphFormatError(this.file, `has no ${key}.npy${neededBy ? `, which ${neededBy} needs` : ''}`);
    if (!this.parsed.has(key)) this.parsed.set(key, parseNpy(await zipMemberData(this.bytes, m, this.file), this.where(key)));
    return this.parsed.get(key)!;
  }

  async ints(key: string, length?: number, neededBy?: string): Promise<Float64Array> {
    return integers(await this.load(key, neededBy), this.where(key), length);
  }
}

/** Labels (0 or more) and class names: class_names when stored, else `class i`. */
async function readClasses(a: Arrays, n: number): Promise<{ labels: Int32Array; classNames: string[] }> {
  const raw = await a.ints('labels', n);
  for (let i = 0; i < n; i++) if (raw[i] < 0) throw new GraphFormatError(a.where('labels'), `entry ${i} is ${raw[i]}; class ids must be 0 or more`);
  const maxLabel = raw.reduce((x, y) => Math.max(x, y), -1);
  let classNames = Array.from({ length: maxLabel + 1 }, (_, c) => `class ${c}`);
  if (a.has('class_names')) {
    const names = await a.load('class_names');
    if (names.kind !== 'string' || names.shape.length !== 1) {
      throw new GraphFormatError(a.where('class_names'), `expected a 1-D array of strings, found ${names.descr} of shape (${names.shape.join(', ')})`);
    }
    if (names.data.length <= maxLabel) throw new GraphFormatError(a.where('class_names'), `has ${names.data.length} names but labels.npy uses class ${maxLabel}`);
    classNames = names.data;
  }
  if (classNames.length === 0) classNames = ['class 0']; // no nodes: the format still wants a class
  return { labels: Int32Array.from(raw), classNames };
}

/** attr_* CSR (binary when every value is 1), else a dense attr_matrix, else identity. */
async function readFeatures(a: Arrays, n: number, notes: string[]): Promise<Features> {
  if (a.has('attr_data') || a.has('attr_indptr') || a.has('attr_indices')) {
    const shape = await a.ints('attr_shape', 2, 'a sparse attr_* matrix');
    if (shape[0] !== n) throw new GraphFormatError(a.where('attr_shape'), `has ${shape[0]} rows but the graph has ${n} nodes (adj_shape)`);
    const { csr: sorted, repeats } = sortRows(await readCsr(a, 'attr', n, shape[1]));
    if (repeats) notes.push(`${a.file}: ${repeats} repeated feature entries were summed`);
    const { rows, cols, indptr, indices } = sorted;
    return { kind: 'sparse', csr: sorted.values!.every((v) => v === 1) ? { rows, cols, indptr, indices } : sorted };
  }
  if (a.has('attr_matrix')) return dense(await a.load('attr_matrix'), n, a.where('attr_matrix'));
  notes.push(`${a.file}: no node features (attr_*): using identity features`);
  const indptr = Uint32Array.from({ length: n + 1 }, (_, i) => i);
  return { kind: 'sparse', csr: { rows: n, cols: n, indptr, indices: indptr.slice(0, n) } };
}

/** `<prefix>_indptr`, `_indices`, `_data`: a checked CSR with `rows` rows and `cols` columns. */
async function readCsr(a: Arrays, prefix: string, rows: number, cols: number): Promise<Csr> {
  const need = `a sparse ${prefix}_* matrix`;
  const indptr = await a.ints(`${prefix}_indptr`, rows + 1, need);
  const nnz = indptr[rows];
  if (indptr[0] !== 0) throw new GraphFormatError(a.where(`${prefix}_indptr`), `must start at 0, found ${indptr[0]}`);
  for (let r = 0; r < rows; r++) {
    if (indptr[r + 1] < indptr[r]) throw new GraphFormatError(a.where(`${prefix}_indptr`), `must not decrease (entry ${r + 1} is ${indptr[r + 1]}, below ${indptr[r]})`);
  }
  const indices = await a.ints(`${prefix}_indices`, nnz, need);
  for (let k = 0; k < nnz; k++) {
    if (indices[k] < 0 || indices[k] >= cols) throw new GraphFormatError(a.where(`${prefix}_indices`), `entry ${k} is ${indices[k]}, outside 0..${cols - 1} (${prefix}_shape)`);
  }
  const data = await a.load(`${prefix}_data`, need);
  if (data.kind !== 'number' || data.shape.length !== 1 || data.data.length !== nnz) {
    throw new GraphFormatError(a.where(`${prefix}_data`), `expected ${nnz} numbers (the length of ${prefix}_indices), found ${data.descr} of shape (${data.shape.join(', ')})`);
  }
  const values = Float32Array.from(data.data);
  if (!values.every(Number.isFinite)) throw new GraphFormatError(a.where(`${prefix}_data`), 'holds a value that is not a finite float32');
  return { rows, cols, indptr: Uint32Array.from(indptr), indices: Uint32Array.from(indices), values };
}

/** A 1-D integer array (of `length` entries when given). */
function integers(a: NpyArray, place: string, length?: number): Float64Array {
  if (a.kind !== 'number' || !a.integer) throw new GraphFormatError(place, `has dtype ${a.descr}; expected integers (such as <i4 or <i8)`);
  if (a.shape.length !== 1) throw new GraphFormatError(place, `has shape (${a.shape.join(', ')}); expected a 1-D array`);
  if (length !== undefined && a.data.length !== length) throw new GraphFormatError(place, `has ${a.data.length} entries; expected ${length}`);
  for (const v of a.data) if (v > 2 ** 32 - 1) throw new GraphFormatError(place, `holds ${v}, too large for a node or feature id`);
  return a.data;
}

/**
 * A + A^T without the diagonal and without stored zeros, every entry 1: the in-edge CSR whose
 * rows list their sources ascending (so sorted by (dst, src), as gnn-graph-json files are).
 */
function symmetrise(a: Csr): { inCsr: Csr; selfLoops: number; zeros: number } {
  const n = a.rows;
  const src: number[] = [];
  const dst: number[] = [];
  let selfLoops = 0;
  let zeros = 0;
  for (let r = 0; r < n; r++) {
    for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) {
      const c = a.indices[k];
      if (a.values && a.values[k] === 0) zeros++;
      else if (c === r) selfLoops++;
      else {
        src.push(r, c);
        dst.push(c, r);
      }
    }
  }
  const both = csrFromCoo(n, n, dst, src);
  const indptr = new Uint32Array(n + 1);
  const kept: number[] = [];
  for (let r = 0; r < n; r++) {
    const row = both.indices.subarray(both.indptr[r], both.indptr[r + 1]).sort();
    for (let q = 0; q < row.length; q++) if (q === 0 || row[q] !== row[q - 1]) kept.push(row[q]);
    indptr[r + 1] = kept.length;
  }
  return { inCsr: { rows: n, cols: n, indptr, indices: Uint32Array.from(kept) }, selfLoops, zeros };
}

/** Each row's columns ascending, repeated columns summed (scipy's sum_duplicates). */
function sortRows(a: Csr): { csr: Csr; repeats: number } {
  const indptr = new Uint32Array(a.rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  let repeats = 0;
  for (let r = 0; r < a.rows; r++) {
    const row: { c: number; v: number }[] = [];
    for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) row.push({ c: a.indices[k], v: a.values ? a.values[k] : 1 });
    row.sort((x, y) => x.c - y.c);
    for (let q = 0; q < row.length; q++) {
      if (q > 0 && row[q].c === row[q - 1].c) {
        values[values.length - 1] += row[q].v;
        repeats++;
      } else {
        indices.push(row[q].c);
        values.push(row[q].v);
      }
    }
    indptr[r + 1] = indices.length;
  }
  return { csr: { rows: a.rows, cols: a.cols, indptr, indices: Uint32Array.from(indices), values: Float32Array.from(values) }, repeats };
}

function dense(a: NpyArray, n: number, place: string): Features {
  if (a.kind !== 'number' || a.shape.length !== 2) throw new GraphFormatError(place, `expected a 2-D numeric array, found ${a.descr} of shape (${a.shape.join(', ')})`);
  if (a.shape[0] !== n) throw new GraphFormatError(place, `has ${a.shape[0]} rows but the graph has ${n} nodes (adj_shape)`);
  if (a.data.length > MAX_DENSE_CELLS) throw new GraphFormatError(place, `has ${a.data.length} values, more than the ${MAX_DENSE_CELLS} supported`);
  const data = Float32Array.from(a.data);
  if (!data.every(Number.isFinite)) throw new GraphFormatError(place, 'holds a value that is not a finite float32');
  return { kind: 'dense', rows: n, cols: a.shape[1], data };
}

import { GraphFormatError } from './errors';
import type { GraphSet, GraphSetMeta } from './graphSet';
import { buildGraphSet, checkEdges } from './graphSetBuild';

/** The texts of one TU Dortmund data set's files (`DS_A.txt` is `A`, and so on). */
export interface TuFiles {
  readonly A: string;
  readonly graph_indicator: string;
  readonly graph_labels: string;
  readonly node_labels?: string;
  readonly edge_labels?: string;
}

// Bounds what a bad file can make us allocate: one-hot columns x nodes, and Uint8Array types.
const MAX_FEATURE_CELLS = 2 ** 28;
const MAX_EDGE_TYPES = 256;

/**
 * Reads the TU text format (one record per line, values separated by commas, ids 1-based) into
 * a GraphSet the way PyTorch Geometric's `TUDataset(root, name)` builds its data: ids minus 1,
 * graph labels mapped to their rank among the distinct labels, node features one-hot of
 * node_label - min(node_label), edge types edge_label - min(edge_label). Node attributes are not
 * read (PyG's default use_node_attr=False). Unlike PyG, which silently drops self loops and
 * repeats, this rejects them, and it requires the edges already grouped by graph (every TU file
 * is), so each graph's edges keep their file order. Errors name the file and line.
 */
export function parseTu(name: string, files: TuFiles, meta: GraphSetMeta = {}): GraphSet {
  const file = (part: string) => `${name}_${part}.txt`;
  const indicator = table(files.graph_indicator, file('graph_indicator'), 1);
  const rawGraphLabels = table(files.graph_labels, file('graph_labels'), 1);
  const numGraphs = rawGraphLabels.length;
  const nodeOffsets = offsetsFromIndicator(indicator, numGraphs, file('graph_indicator'), file('graph_labels'));
  const n = indicator.length;

  const pairs = table(files.A, file('A'), 2);
  const m = pairs.length / 2;
  const src = new Uint32Array(m);
  const dst = new Uint32Array(m);
  for (let k = 0; k < 2 * m; k++) {
    const v = pairs[k];
    if (v < 1 || v > n) fail(`${file('A')} line ${(k >> 1) + 1}`, `node id ${v} is out of range 1..${n}`);
    (k % 2 === 0 ? src : dst)[k >> 1] = v - 1;
  }

  let nodeLabels: Uint32Array | undefined;
  let numFeatures = 0;
  if (files.node_labels !== undefined) {
    const raw = column(files.node_labels, file('node_labels'), n, `nodes (${file('graph_indicator')})`);
    ({ shifted: nodeLabels, width: numFeatures } = shift(raw));
    if (numFeatures * n > MAX_FEATURE_CELLS) {
      fail(file('node_labels'), `labels span ${numFeatures} values: a ${n} x ${numFeatures} one-hot matrix is too large`);
    }
  }
  let edgeTypes: Uint8Array | undefined;
  let numEdgeTypes = 0;
  if (files.edge_labels !== undefined) {
    const raw = column(files.edge_labels, file('edge_labels'), m, `edges (${file('A')})`);
    const { shifted, width } = shift(raw);
    if (width > MAX_EDGE_TYPES) fail(file('edge_labels'), `labels span ${width} values, more than the ${MAX_EDGE_TYPES} edge types supported`);
    edgeTypes = Uint8Array.from(shifted);
    numEdgeTypes = width;
  }

  const distinct = [...new Set(rawGraphLabels)].sort((a, b) => a - b);
  const rank = new Map(distinct.map((v, i) => [v, i]));
  const graphLabels = Int32Array.from(rawGraphLabels, (v) => rank.get(v)!);

  const place = (k: number, field: string) => `${file(field === 'type' ? 'edge_labels' : 'A')} line ${k + 1}`;
  const edgeOffsets = checkEdges(nodeOffsets, src, dst, edgeTypes, place, 1);

  checkNames(meta.classNames, distinct.length, 'meta.classNames', 'classes');
  checkNames(meta.featureNames, numFeatures, 'meta.featureNames', 'one-hot columns');
  checkNames(meta.edgeTypeNames, numEdgeTypes, 'meta.edgeTypeNames', 'edge types');
  return buildGraphSet({
    ...meta,
    name,
    numFeatures,
    numClasses: distinct.length,
    classNames: meta.classNames ?? distinct.map(String),
    nodeOffsets,
    edgeOffsets,
    src,
    dst,
    numEdgeTypes,
    edgeTypes,
    nodeLabels,
    graphLabels,
  });
}

function fail(path: string, problem: string): never {
  throw new GraphFormatError(path, problem);
}

/** Integers, `cols` per line; a final newline is optional, blank lines are errors. */
function table(text: string, file: string, cols: number): number[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out = new Array<number>(lines.length * cols);
  for (let i = 0; i < lines.length; i++) {
    const parts = lines[i].split(',');
    const found = lines[i].trim() === '' ? 'an empty line' : parts.length !== cols ? `${parts.length}` : '';
    if (found) fail(`${file} line ${i + 1}`, `expected ${cols} comma-separated value${cols > 1 ? 's' : ''}, found ${found}`);
    for (let c = 0; c < cols; c++) {
      const s = parts[c].trim();
      const v = Number(s);
      if (!/^[+-]?\d+$/.test(s)) fail(`${file} line ${i + 1}`, `expected an integer, found ${JSON.stringify(s)}`);
      if (!Number.isSafeInteger(v)) fail(`${file} line ${i + 1}`, `${s} is too large`);
      out[i * cols + c] = v;
    }
  }
  return out;
}

/** One integer per line, exactly one line per node or edge. */
function column(text: string, file: string, length: number, what: string): number[] {
  const v = table(text, file, 1);
  if (v.length !== length) fail(file, `has ${v.length} lines but there are ${length} ${what}`);
  return v;
}

/** PyG's one-hot rule: value - min, and the width max - min + 1. */
function shift(raw: number[]): { shifted: Uint32Array; width: number } {
  if (raw.length === 0) return { shifted: new Uint32Array(0), width: 0 };
  let lo = raw[0];
  let hi = raw[0];
  for (const v of raw) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { shifted: Uint32Array.from(raw, (v) => v - lo), width: hi - lo + 1 };
}

/** Graph ids 1..N, non-decreasing and skipping none, so graph g's nodes form one block. */
function offsetsFromIndicator(ind: number[], numGraphs: number, file: string, labelsFile: string): Uint32Array {
  const offsets = new Uint32Array(numGraphs + 1);
  let last = 0;
  for (let i = 0; i < ind.length; i++) {
    const g = ind[i];
    if (g < 1 || g > numGraphs) fail(`${file} line ${i + 1}`, `graph id ${g} is out of range 1..${numGraphs} (${labelsFile} has ${numGraphs} lines)`);
    if (g !== last && g !== last + 1) {
      const problem = `graph id ${g} follows ${last === 0 ? 'the start' : `graph id ${last}`} (ids must start at 1, never decrease and skip none: each graph's nodes are one block)`;
      fail(`${file} line ${i + 1}`, problem);
    }
    offsets[g] = i + 1;
    last = g;
  }
  if (last !== numGraphs) fail(file, `ends at graph ${last} but ${labelsFile} has ${numGraphs} lines (graph ${last + 1} has no nodes)`);
  return offsets;
}

function checkNames(names: readonly string[] | undefined, count: number, path: string, what: string) {
  if (names && names.length !== count) fail(path, `has ${names.length} names but the data have ${count} ${what}`);
}

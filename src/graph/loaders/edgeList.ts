import { defaultClassNames, IDENTITY_FEATURES, type DraftEdge, type DraftNode, type GraphDraft, type SplitCode } from '../draft';
import { GraphFormatError } from '../errors';
import { autoLayout } from '../layout';
import { DEFAULT_SPLIT_SEED, stratifiedSplitCodes } from '../split';
import { baseName, dataRows, isNumber, type Row, type TextFile } from './text';

export interface EdgeListResult {
  readonly draft: GraphDraft;
  /** The file's token for each node id. */
  readonly nodeNames: readonly string[];
  /** What was dropped or assumed, for the page to show. */
  readonly notes: string[];
}

// A draft holds one object per edge; past this the page would stall building and drawing it.
export const MAX_EDGE_LIST_EDGES = 2_000_000;
// More distinct labels than this means the label column is most likely something else.
export const MAX_LABEL_CLASSES = 1000;

// Column names a header may use. Single letters (u, v) are left out: they are as likely node ids.
const EDGE_HEADER = /^(source|target|src|dst|from|to|node_?[12]?|id_?[12]?|head|tail|start|end|neighbou?r)$/i;
const LABEL_HEADER = /^(node|node_?id|id|name|vertex|label|class|y|target|community|group|category)$/i;

/**
 * An undirected graph from an edge list: one `source, target` or `source, target, weight` line
 * per edge, comma-, tab- or space-separated (see `dataRows` for comments and quoting). Node ids
 * are any tokens; node i is the i-th distinct token in order of first appearance (source before
 * target), so numeric ids are not sorted. The first line is a header, and skipped, when its
 * fields are column names (source, target, weight, ...) or when its ids are not numbers while
 * the next line's are. Self loops and repeats of an edge (either way round) are dropped and
 * counted in `notes`; a repeat keeps the first weight.
 *
 * `labels`, when given, has `node, label` lines (same rules, optional header); labels are any
 * tokens, class i being the i-th in sorted order (numeric order when every label is a number).
 * Every node of the edge list needs a label; a labelled node absent from the edge list becomes
 * an isolated node. Without it every node is in one class. Features: identity. Split: the
 * default stratified split (src/graph/split.ts) under `seed`.
 */
export function parseEdgeList(edges: TextFile, labels?: TextFile, opts: { readonly seed?: number } = {}): EdgeListResult {
  const notes: string[] = [];
  const { rows } = dataRows(edges);
  const namesColumns = (r: Row) => r.fields.length >= 2 && EDGE_HEADER.test(r.fields[0]) && EDGE_HEADER.test(r.fields[1]);
  const numericIds = (r: Row) => isNumber(r.fields[0]) && isNumber(r.fields[1] ?? '');
  const body = skipHeader(rows, edges.name, notes, namesColumns, numericIds);
  if (body.length === 0) throw new GraphFormatError(edges.name, 'has no edges (expected lines of "source, target" or "source, target, weight")');
  const width = body[0].fields.length;
  if (width !== 2 && width !== 3) {
    throw new GraphFormatError(`${edges.name} line ${body[0].line}`, `expected 2 values (source, target) or 3 (source, target, weight), found ${width}`);
  }
  if (body.length > MAX_EDGE_LIST_EDGES) throw new GraphFormatError(edges.name, `has ${body.length} edge lines, more than the ${MAX_EDGE_LIST_EDGES} supported`);

  const { ids, out, selfLoops, repeats, conflicting } = readEdges(body, width, edges.name);
  if (selfLoops) notes.push(`${edges.name}: dropped ${selfLoops} self loop${selfLoops > 1 ? 's' : ''} (models add their own)`);
  if (repeats) {
    const which = conflicting ? `; ${conflicting} of them had another weight, the first one was kept` : '';
    notes.push(`${edges.name}: dropped ${repeats} repeated edge${repeats > 1 ? 's' : ''} (an edge listed again, either way round${which})`);
  }
  notes.push(`${edges.name}: node ids are the ${ids.size} distinct tokens, numbered 0..${ids.size - 1} in order of first appearance`);

  const numEdgeNodes = ids.size;
  const { labelOf, classNames } = labels ? readLabels(labels, ids, edges.name, notes) : { labelOf: new Int32Array(ids.size), classNames: defaultClassNames(1) };
  if (!labels) notes.push('no node-label file: every node is in one class');
  const added = ids.size - numEdgeNodes;
  if (added === 1) notes.push(`${labels!.name}: 1 labelled node has no edge and was added as an isolated node`);
  if (added > 1) notes.push(`${labels!.name}: ${added} labelled nodes have no edge and were added as isolated nodes`);

  const n = ids.size;
  const seed = opts.seed ?? DEFAULT_SPLIT_SEED;
  const codes = stratifiedSplitCodes(labelOf, classNames.length, seed);
  const at = autoLayout(n, out, seed);
  const nodes: DraftNode[] = Array.from({ length: n }, (_, i) => ({ x: at.x[i], y: at.y[i], label: labelOf[i], split: codes[i] as SplitCode }));
  const draft: GraphDraft = { name: baseName(edges.name), classNames, nodes, edges: out, features: IDENTITY_FEATURES };
  return { draft, nodeNames: [...ids.keys()], notes };
}

/** Edges once each, ids by first appearance; self loops and repeats counted, not kept. */
function readEdges(body: Row[], width: number, file: string) {
  const ids = new Map<string, number>();
  const idOf = (token: string) => {
    let id = ids.get(token);
    if (id === undefined) ids.set(token, (id = ids.size));
    return id;
  };
  const seen = new Map<number, number>(); // pair key -> index in out
  const out: DraftEdge[] = [];
  let selfLoops = 0;
  let repeats = 0;
  let conflicting = 0;
  for (const r of body) {
    const place = `${file} line ${r.line}`;
    if (r.fields.length !== width) throw new GraphFormatError(place, `expected ${width} values like line ${body[0].line}, found ${r.fields.length}`);
    const a = idOf(r.fields[0]);
    const b = idOf(r.fields[1]);
    const weight = width === 3 ? readWeight(r.fields[2], place) : undefined;
    if (a === b) {
      selfLoops++;
      continue;
    }
    const key = Math.min(a, b) * MAX_EDGE_LIST_EDGES * 2 + Math.max(a, b); // ids < 2 * edges, so keys are distinct and exact
    const first = seen.get(key);
    if (first !== undefined) {
      repeats++;
      if ((out[first].weight ?? 1) !== (weight ?? 1)) conflicting++;
      continue;
    }
    seen.set(key, out.length);
    out.push(weight === undefined || weight === 1 ? { src: a, dst: b } : { src: a, dst: b, weight });
  }
  return { ids, out, selfLoops, repeats, conflicting };
}

/**
 * Drops the first row when it is a header: it names columns, or it fails `looksLikeData` while
 * the second row passes.
 */
function skipHeader(rows: Row[], file: string, notes: string[], namesColumns: (r: Row) => boolean, looksLikeData: (r: Row) => boolean): Row[] {
  if (rows.length === 0) return rows;
  const header = namesColumns(rows[0]) || (rows.length > 1 && !looksLikeData(rows[0]) && looksLikeData(rows[1]));
  if (!header) return rows;
  notes.push(`${file}: line ${rows[0].line} read as a header (${rows[0].fields.join(', ')})`);
  return rows.slice(1);
}

function readWeight(s: string, place: string): number {
  const w = Number(s);
  const f = Math.fround(w);
  if (!isNumber(s) || !(f > 0) || !Number.isFinite(f)) throw new GraphFormatError(place, `weight ${JSON.stringify(s)} is not a positive number`);
  return w;
}

/** Class per node from `node, label` lines; adds labelled nodes the edge list lacks. */
function readLabels(file: TextFile, ids: Map<string, number>, edgesName: string, notes: string[]) {
  const { rows } = dataRows(file);
  const body = skipHeader(rows, file.name, notes, (r) => r.fields.length === 2 && LABEL_HEADER.test(r.fields[0]) && LABEL_HEADER.test(r.fields[1]), (r) => ids.has(r.fields[0]));
  const raw = new Map<number, { label: string; line: number }>();
  let repeats = 0;
  for (const r of body) {
    const place = `${file.name} line ${r.line}`;
    if (r.fields.length !== 2) throw new GraphFormatError(place, `expected 2 values (node, label), found ${r.fields.length}`);
    const [token, label] = r.fields;
    let id = ids.get(token);
    if (id === undefined) ids.set(token, (id = ids.size));
    const before = raw.get(id);
    if (before) {
      if (before.label !== label) throw new GraphFormatError(place, `node ${JSON.stringify(token)} is labelled ${JSON.stringify(label)} here but ${JSON.stringify(before.label)} on line ${before.line}`);
      repeats++;
      continue;
    }
    raw.set(id, { label, line: r.line });
  }
  if (repeats) notes.push(`${file.name}: ${repeats} repeated line${repeats > 1 ? 's' : ''} ignored`);

  const missing = [...ids.keys()].filter((t) => !raw.has(ids.get(t)!));
  if (missing.length > 0) {
    const first = JSON.stringify(missing[0]);
    const problem = missing.length === 1 ? `node ${first} of ${edgesName} has no label` : `${missing.length} nodes of ${edgesName} have no label, e.g. node ${first}`;
    throw new GraphFormatError(file.name, problem);
  }
  const distinct = [...new Set([...raw.values()].map((v) => v.label))];
  const numeric = distinct.every(isNumber);
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (distinct.length > MAX_LABEL_CLASSES) {
    throw new GraphFormatError(file.name, `has ${distinct.length} distinct labels, more than the ${MAX_LABEL_CLASSES} classes supported (is the second column a class label?)`);
  }
  const classOf = new Map(distinct.map((l, c) => [l, c]));
  const labelOf = new Int32Array(ids.size);
  for (const [id, { label }] of raw) labelOf[id] = classOf.get(label)!;
  return { labelOf, classNames: distinct };
}

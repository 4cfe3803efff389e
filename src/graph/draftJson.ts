import { csrValue } from './csr';
import type { DraftEdge, DraftNode, GraphDraft, SplitCode } from './draft';
import { draftFeatures } from './features';
import { writeGraphJson } from './graphJson';
import { autoLayout } from './layout';
import { codesFromSplit, splitFromCodes } from './split';
import type { Graph } from './types';

/**
 * A draft as `gnn-graph-json` v1, the text the training worker parses: undirected, every edge in
 * both directions sorted by (dst, src) like PyG's edge_index, `edges.weight` only when some edge
 * weighs other than 1, the features the draft's FeatureSpec gives (as CSR), and the split from
 * the nodes' split codes. Throws a RangeError for a draft no edit function could have made
 * (a self loop, a repeated edge, an id or label out of range).
 */
export function draftToGraphJson(d: GraphDraft): string {
  checkDraft(d);
  const n = d.nodes.length;
  const weighted = d.edges.some((e) => e.weight !== undefined && e.weight !== 1);
  const rows: { s: number; w: number }[][] = Array.from({ length: n }, () => []);
  for (const e of d.edges) {
    const w = e.weight ?? 1;
    rows[e.dst].push({ s: e.src, w });
    rows[e.src].push({ s: e.dst, w });
  }
  const m = 2 * d.edges.length;
  const src = new Uint32Array(m);
  const dst = new Uint32Array(m);
  const weight = weighted ? new Float32Array(m) : undefined;
  let k = 0;
  rows.forEach((row, t) => {
    row.sort((a, b) => a.s - b.s);
    for (const { s, w } of row) {
      src[k] = s;
      dst[k] = t;
      if (weight) weight[k] = w;
      k++;
    }
  });
  const { kind, dim, noise, seed } = d.features;
  return writeGraphJson({
    name: d.name,
    numNodes: n,
    directed: false,
    src,
    dst,
    weight,
    edgeOrder: 'sorted by (dst, src)',
    features: draftFeatures(d),
    labels: d.nodes.map((v) => v.label),
    classNames: d.classNames,
    split: splitFromCodes(d.nodes.map((v) => v.split)),
    splitName: 'draft',
    notes: { features: kind === 'identity' || kind === 'given' ? { kind } : { kind, dim, noise, seed } },
  });
}

/**
 * A Graph as an editable draft. Features become kind 'given' carrying the graph's own matrix,
 * so a loaded graph trains on its real features until the user picks another kind. Each
 * undirected edge appears once (a one-way edge of a directed graph becomes undirected) with the
 * weight of its first direction in `inCsr` order; weight 1 is left out. Without `positions`,
 * nodes get `autoLayout` (a spring layout, or a circle for large graphs).
 */
export function graphToDraft(g: Graph, positions?: { readonly x: ArrayLike<number>; readonly y: ArrayLike<number> }): GraphDraft {
  const n = g.numNodes;
  const { inCsr, outCsr } = g;
  const edges: DraftEdge[] = [];
  for (let d = 0; d < n; d++) {
    for (let k = inCsr.indptr[d]; k < inCsr.indptr[d + 1]; k++) {
      const s = inCsr.indices[k];
      // s -> d with s > d is kept only where d -> s is missing: else it is kept from row s.
      if (s === d || (s > d && hasSuccessor(outCsr.indices, outCsr.indptr[d], outCsr.indptr[d + 1], s))) continue;
      const w = csrValue(inCsr, k);
      edges.push(w === 1 ? { src: Math.min(s, d), dst: Math.max(s, d) } : { src: Math.min(s, d), dst: Math.max(s, d), weight: w });
    }
  }
  if (positions && (positions.x.length !== n || positions.y.length !== n)) {
    throw new RangeError(`positions for ${positions.x.length} x ${positions.y.length} nodes, but the graph has ${n}`);
  }
  const at = positions ?? autoLayout(n, edges);
  const codes = codesFromSplit(g.split, n);
  const nodes: DraftNode[] = Array.from({ length: n }, (_, i) => ({
    x: at.x[i],
    y: at.y[i],
    label: g.labels[i],
    split: codes[i] as SplitCode,
  }));
  const dim = g.features.kind === 'dense' ? g.features.cols : g.features.csr.cols;
  return { name: g.name, classNames: [...g.classNames], nodes, edges, features: { kind: 'given', dim, noise: 0, seed: 0, given: g.features } };
}

/** Binary search in a row of ascending column ids. */
function hasSuccessor(indices: Uint32Array, from: number, to: number, j: number): boolean {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (indices[mid] < j) lo = mid + 1;
    else hi = mid;
  }
  return lo < to && indices[lo] === j;
}

function checkDraft(d: GraphDraft) {
  const n = d.nodes.length;
  const c = d.classNames.length;
  if (c < 1) throw new RangeError('a draft needs at least one class');
  d.nodes.forEach((v, i) => {
    if (!Number.isInteger(v.label) || v.label < 0 || v.label >= c) throw new RangeError(`node ${i} has class ${v.label}, not in 0..${c - 1}`);
    if (![0, 1, 2, 3].includes(v.split)) throw new RangeError(`node ${i} has split code ${v.split}, not 0..3`);
  });
  const seen = new Set<number>();
  d.edges.forEach((e, k) => {
    for (const v of [e.src, e.dst]) {
      if (!Number.isInteger(v) || v < 0 || v >= n) throw new RangeError(`edge ${k} names node ${v}, not in 0..${n - 1}`);
    }
    if (e.src === e.dst) throw new RangeError(`edge ${k} is a self loop on node ${e.src}`);
    const key = Math.min(e.src, e.dst) * n + Math.max(e.src, e.dst);
    if (seen.has(key)) throw new RangeError(`edge ${k} (${e.src}-${e.dst}) repeats an earlier edge`);
    seen.add(key);
    if (e.weight !== undefined && !(Math.fround(e.weight) > 0 && Number.isFinite(Math.fround(e.weight)))) {
      throw new RangeError(`edge ${k} has weight ${e.weight}, not a positive finite number`);
    }
  });
}

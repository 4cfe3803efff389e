import type { GraphSet } from '../graph/graphSet';
import { featureCount, type Graph, type Split } from '../graph/types';
import { splitIds } from './deviceGraph';
import type { GraphSummary } from './protocol';

/** What the page draws: each undirected edge once, labels and split membership. */
export function summarize(g: Graph): GraphSummary {
  const src: number[] = [];
  const dst: number[] = [];
  const { indptr, indices } = g.inCsr;
  for (let d = 0; d < g.numNodes; d++) {
    for (let k = indptr[d]; k < indptr[d + 1]; k++) {
      const s = indices[k];
      // An edge listed in both directions is kept once; a one-way edge is kept too.
      if (s < d || !hasEdge(g, d, s)) {
        src.push(Math.min(s, d));
        dst.push(Math.max(s, d));
      }
    }
  }
  return {
    name: g.name,
    numNodes: g.numNodes,
    numEdges: g.numEdges,
    numFeatures: featureCount(g.features),
    numClasses: g.numClasses,
    classNames: g.classNames,
    src: Uint32Array.from(src),
    dst: Uint32Array.from(dst),
    labels: g.labels,
    splitOf: Uint8Array.from(splitIds(g)),
    citation: g.citation,
  };
}

/** Whether edge from -> to exists: `to`'s row in the in-edge CSR lists `from`. */
function hasEdge(g: Graph, from: number, to: number): boolean {
  const { indptr, indices } = g.inCsr;
  for (let k = indptr[to]; k < indptr[to + 1]; k++) if (indices[k] === from) return true;
  return false;
}

/**
 * The graphs one class at a time in turn (first of each class, then the second, ...), so a
 * sample from the front shows every class even when a set lists its graphs class by class.
 */
function byClassInTurn(ids: ArrayLike<number>, labels: Int32Array): number[] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < ids.length; i++) {
    const list = groups.get(labels[ids[i]]);
    if (list) list.push(ids[i]);
    else groups.set(labels[ids[i]], [ids[i]]);
  }
  const classes = [...groups.keys()].sort((a, b) => a - b).map((c) => groups.get(c)!);
  const out: number[] = [];
  for (let k = 0; out.length < ids.length; k++) for (const list of classes) if (k < list.length) out.push(list[k]);
  return out;
}

/**
 * A graph set as the page draws it: whole graphs, test graphs first, then validation ones (the
 * graphs the trainer evaluates every epoch), classes in turn, until about `maxNodes` nodes are
 * in; each node carries its graph's label and split.
 */
export function summarizeSet(set: GraphSet, split: Split, maxNodes = 600): GraphSummary {
  const order: [number, number][] = [];
  for (const [ids, id] of [[split.test, 3], [split.val, 2]] as const) {
    for (const g of byClassInTurn(ids, set.graphLabels)) order.push([g, id]);
  }
  const graphOf: number[] = [], labels: number[] = [], splitOf: number[] = [], src: number[] = [], dst: number[] = [];
  for (const [g, splitId] of order) {
    const first = set.nodeOffsets[g], size = set.nodeOffsets[g + 1] - first;
    if (graphOf.length > 0 && graphOf.length + size > maxNodes) break;
    const base = graphOf.length;
    for (let i = 0; i < size; i++) {
      graphOf.push(g);
      labels.push(set.graphLabels[g]);
      splitOf.push(splitId);
    }
    for (let k = set.edgeOffsets[g]; k < set.edgeOffsets[g + 1]; k++) {
      if (set.src[k] < set.dst[k]) {
        src.push(base + set.src[k] - first);
        dst.push(base + set.dst[k] - first);
      }
    }
  }
  return {
    name: set.name,
    numNodes: graphOf.length,
    numEdges: src.length * 2,
    numFeatures: set.numFeatures,
    numClasses: set.numClasses,
    classNames: set.classNames,
    src: Uint32Array.from(src),
    dst: Uint32Array.from(dst),
    labels: Int32Array.from(labels),
    splitOf: Uint8Array.from(splitOf),
    citation: set.citation,
    graphOf: Uint32Array.from(graphOf),
    numGraphs: set.numGraphs,
  };
}

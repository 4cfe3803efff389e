import { featureCount, type Graph } from '../graph/types';
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

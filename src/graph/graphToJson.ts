import { csrValue } from './csr';
import { writeGraphJson } from './graphJson';
import type { Graph } from './types';

/**
 * "Save the current graph": `gnn-graph-json` v1 that `parseGraphJson` reads back to an equal
 * Graph (counts, both CSRs entry for entry, features, labels, split, class names, weights).
 * Edges are written row by row of `inCsr`, in its stored order, so the reader's stable counting
 * sort rebuilds the same CSR. `directed` is false exactly when every edge has its reverse with
 * the same weight; a weighted graph (inCsr.values present) keeps its weights even where all are 1.
 */
export function graphToGraphJson(g: Graph): string {
  const { indptr, indices } = g.inCsr;
  const e = indices.length;
  const src = new Uint32Array(e);
  const dst = new Uint32Array(e);
  let sorted = true;
  for (let d = 0; d < g.numNodes; d++) {
    for (let k = indptr[d]; k < indptr[d + 1]; k++) {
      src[k] = indices[k];
      dst[k] = d;
      if (k > indptr[d] && indices[k] <= indices[k - 1]) sorted = false;
    }
  }
  const weight = g.inCsr.values ? Float32Array.from({ length: e }, (_, k) => csrValue(g.inCsr, k)) : undefined;
  return writeGraphJson({
    name: g.name,
    numNodes: g.numNodes,
    directed: !isSymmetric(g),
    src,
    dst,
    weight,
    edgeOrder: sorted ? 'sorted by (dst, src)' : undefined,
    features: g.features,
    labels: g.labels,
    classNames: g.classNames,
    split: g.split,
    citation: g.citation,
  });
}

/**
 * Whether every edge s -> d has a reverse d -> s of the same weight. `outCsr` row i lists i's
 * successors in ascending order (transposeCsr's promise), so each in-row, sorted, must equal it.
 */
export function isSymmetric(g: Graph): boolean {
  const { inCsr, outCsr } = g;
  for (let i = 0; i < g.numNodes; i++) {
    const from = inCsr.indptr[i];
    const to = inCsr.indptr[i + 1];
    if (to - from !== outCsr.indptr[i + 1] - outCsr.indptr[i]) return false;
    const row = [];
    for (let k = from; k < to; k++) row.push({ j: inCsr.indices[k], w: csrValue(inCsr, k) });
    row.sort((a, b) => a.j - b.j);
    for (let q = 0; q < row.length; q++) {
      const k = outCsr.indptr[i] + q;
      if (outCsr.indices[k] !== row[q].j || csrValue(outCsr, k) !== row[q].w) return false;
    }
  }
  return true;
}

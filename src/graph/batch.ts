import { csrFromCoo, transposeCsr } from './csr';
import type { GraphSet } from './graphSet';
import type { Csr } from './types';

/**
 * Some graphs of a GraphSet as one block-diagonal graph, PyG's `Batch` for a mini-batch: node ids
 * are local to the batch, graphs in the order asked for and each graph's nodes in their original
 * order, so graph b's nodes are nodeOffsets[b] .. nodeOffsets[b+1]-1.
 *
 * `inCsr` has a row per destination listing its sources (message passing reduces over rows),
 * `outCsr` is its transpose for backward passes. `pool` (rows = graphs, cols = nodes, no values,
 * so every entry is 1) sums each graph's node rows: global add pooling is pool x H, mean pooling
 * divides by the row length; `poolT` scatters a per-graph gradient back to the nodes.
 */
export interface GraphBatch {
  readonly numGraphs: number;
  readonly numNodes: number;
  readonly numEdges: number;
  /** Indices into the set, in batch order (a graph may appear more than once). */
  readonly graphIds: Uint32Array;
  readonly nodeOffsets: Uint32Array;
  /** The batch graph (0..numGraphs-1) each batch node belongs to. */
  readonly nodeGraph: Uint32Array;
  readonly inCsr: Csr;
  readonly outCsr: Csr;
  /** One in/out pair per edge type (R-GCN), only when the set has edge types. */
  readonly relations?: readonly { readonly inCsr: Csr; readonly outCsr: Csr }[];
  /** Dense [numNodes, numFeatures], rows copied from the set. */
  readonly features: Float32Array;
  readonly numFeatures: number;
  readonly pool: Csr;
  readonly poolT: Csr;
  /** Class per batch graph. */
  readonly labels: Int32Array;
}

export function batchGraphs(set: GraphSet, graphIds: ArrayLike<number>): GraphBatch {
  const ids = Uint32Array.from({ length: graphIds.length }, (_, b) => {
    const g = graphIds[b];
    if (!Number.isInteger(g) || g < 0 || g >= set.numGraphs) {
      throw new RangeError(`batchGraphs: graphIds[${b}] = ${g} is not a graph of ${set.name} (0..${set.numGraphs - 1})`);
    }
    return g;
  });
  const B = ids.length;
  const { nodeOffsets: setNodes, edgeOffsets: setEdges, numFeatures: f } = set;

  const nodeOffsets = new Uint32Array(B + 1);
  let numEdges = 0;
  ids.forEach((g, b) => {
    nodeOffsets[b + 1] = nodeOffsets[b] + setNodes[g + 1] - setNodes[g];
    numEdges += setEdges[g + 1] - setEdges[g];
  });
  const n = nodeOffsets[B];

  const nodeGraph = new Uint32Array(n);
  const features = new Float32Array(n * f);
  const src = new Uint32Array(numEdges);
  const dst = new Uint32Array(numEdges);
  const types = set.edgeTypes ? new Uint8Array(numEdges) : undefined;
  let e = 0;
  ids.forEach((g, b) => {
    const base = nodeOffsets[b];
    nodeGraph.fill(b, base, nodeOffsets[b + 1]);
    features.set(set.features.subarray(setNodes[g] * f, setNodes[g + 1] * f), base * f);
    // Global set ids -> batch ids: subtract the graph's first set id, add its first batch id.
    const shift = base - setNodes[g];
    for (let k = setEdges[g]; k < setEdges[g + 1]; k++, e++) {
      src[e] = set.src[k] + shift;
      dst[e] = set.dst[k] + shift;
      if (types) types[e] = set.edgeTypes![k];
    }
  });

  const inCsr = csrFromCoo(n, n, dst, src);
  const pool: Csr = { rows: B, cols: n, indptr: nodeOffsets.slice(), indices: Uint32Array.from({ length: n }, (_, i) => i) };
  return {
    numGraphs: B,
    numNodes: n,
    numEdges,
    graphIds: ids,
    nodeOffsets,
    nodeGraph,
    inCsr,
    outCsr: transposeCsr(inCsr),
    ...(types ? { relations: relationCsrs(n, src, dst, types, set.numEdgeTypes) } : {}),
    features,
    numFeatures: f,
    pool,
    poolT: transposeCsr(pool),
    labels: Int32Array.from(ids, (g) => set.graphLabels[g]),
  };
}

/** The edges of each type as their own in/out CSR pair; together they partition inCsr. */
function relationCsrs(n: number, src: Uint32Array, dst: Uint32Array, types: Uint8Array, numTypes: number) {
  return Array.from({ length: numTypes }, (_, t) => {
    const rowOf: number[] = [];
    const colOf: number[] = [];
    for (let k = 0; k < types.length; k++) {
      if (types[k] === t) {
        rowOf.push(dst[k]);
        colOf.push(src[k]);
      }
    }
    const inCsr = csrFromCoo(n, n, rowOf, colOf);
    return { inCsr, outCsr: transposeCsr(inCsr) };
  });
}

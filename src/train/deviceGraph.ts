import type { Backend, SplitSizes, Tensor } from '../engine/backend';
import { csrToDense, transposeCsr } from '../graph/csr';
import { rowNormalize } from '../graph/normalize';
import { featureCount, type Graph } from '../graph/types';
import { GraphContext } from '../models/graphContext';
import type { SparsePair } from '../models/layer';

/** Split id per node as the loss and accuracy kernels read it: 0 none, 1 train, 2 val, 3 test. */
export function splitIds(g: Graph): Int32Array {
  const s = new Int32Array(g.numNodes);
  g.split.train.forEach((i) => (s[i] = 1));
  g.split.val.forEach((i) => (s[i] = 2));
  g.split.test.forEach((i) => (s[i] = 3));
  return s;
}

/** Sparse features on the device: structure and transpose sharing one values tensor. */
export interface SparseFeatures {
  readonly pair: SparsePair;
  readonly values: Tensor;
}

export function withValues(a: SparsePair['a']['structure'], aT: SparsePair['a']['structure'], values: Tensor): SparsePair {
  return { a: { structure: a, values }, aT: { structure: aT, values } };
}

/**
 * Everything node classification reads from the graph, on the backend: the graph's structures
 * (built on demand by the context), row-normalized features (sparse when the graph's are and the
 * model can take them), labels and split ids.
 */
export class DeviceGraph {
  readonly ctx: GraphContext;
  readonly features: { readonly sparse: SparseFeatures } | { readonly dense: Tensor };
  readonly labels: Tensor;
  readonly splitOf: Tensor;
  readonly splitSizes: SplitSizes;

  constructor(readonly backend: Backend, readonly graph: Graph, denseInput: boolean) {
    this.ctx = new GraphContext(backend, graph.inCsr);
    const f = rowNormalize(graph.features);
    if (f.kind === 'sparse' && !denseInput) {
      const values = backend.tensor(f.csr.indices.length, 1, f.csr.values);
      this.features = { sparse: { values, pair: withValues(backend.sparse(f.csr), backend.sparse(transposeCsr(f.csr)), values) } };
    } else {
      const data = f.kind === 'dense' ? f.data : csrToDense(f.csr);
      this.features = { dense: backend.tensor(graph.numNodes, featureCount(graph.features), data) };
    }
    this.labels = backend.intTensor(graph.numNodes, 1, graph.labels);
    this.splitOf = backend.intTensor(graph.numNodes, 1, splitIds(graph));
    this.splitSizes = [graph.split.train.length, graph.split.val.length, graph.split.test.length];
  }
}

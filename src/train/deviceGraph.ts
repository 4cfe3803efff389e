import type { Backend, SparseMatrix, SplitSizes, Tensor } from '../engine/backend';
import { transposeCsr } from '../graph/csr';
import { gcnNorm, rowNormalize } from '../graph/normalize';
import type { Csr, Graph } from '../graph/types';
import type { SparsePair } from '../models/gcnConv';

/** Split id per node as the loss and accuracy kernels read it: 0 none, 1 train, 2 val, 3 test. */
export function splitIds(g: Graph): Int32Array {
  const s = new Int32Array(g.numNodes);
  g.split.train.forEach((i) => (s[i] = 1));
  g.split.val.forEach((i) => (s[i] = 2));
  g.split.test.forEach((i) => (s[i] = 3));
  return s;
}

/** A sparse matrix and its transpose sharing one values tensor, uploaded once. */
export interface SparseOnDevice {
  readonly pair: SparsePair;
  readonly values: Tensor;
}

export function uploadSparse(backend: Backend, csr: Csr): SparseOnDevice {
  const values = backend.tensor(csr.indices.length, 1, csr.values ?? new Float32Array(csr.indices.length).fill(1));
  const structure = backend.sparse(csr);
  const structureT = backend.sparse(transposeCsr(csr));
  return { values, pair: withValues(structure, structureT, values) };
}

export function withValues(
  a: SparseMatrix['structure'], aT: SparseMatrix['structure'], values: Tensor,
): SparsePair {
  return { a: { structure: a, values }, aT: { structure: aT, values } };
}

/**
 * Everything training reads from the graph, on the backend: the gcn-normalized adjacency, the
 * row-normalized features (sparse when the graph's are), labels and split ids.
 */
export class DeviceGraph {
  readonly adj: SparseOnDevice;
  readonly features: { readonly sparse: SparseOnDevice } | { readonly dense: Tensor };
  readonly labels: Tensor;
  readonly splitOf: Tensor;
  readonly splitSizes: SplitSizes;

  constructor(readonly backend: Backend, readonly graph: Graph) {
    this.adj = uploadSparse(backend, gcnNorm(graph.inCsr));
    const f = rowNormalize(graph.features);
    this.features = f.kind === 'sparse'
      ? { sparse: uploadSparse(backend, f.csr) }
      : { dense: backend.tensor(f.rows, f.cols, f.data) };
    this.labels = backend.intTensor(graph.numNodes, 1, graph.labels);
    this.splitOf = backend.intTensor(graph.numNodes, 1, splitIds(graph));
    this.splitSizes = [graph.split.train.length, graph.split.val.length, graph.split.test.length];
  }
}

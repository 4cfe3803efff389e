import type { Backend, SparseMatrix } from '../engine/backend';
import { biasAct, matmul, spmm } from '../engine/ops';
import { Parameter } from '../engine/optim';
import { glorot } from '../engine/rng';
import type { Tape, Var } from '../engine/tape';

/** A sparse matrix with its transpose, as the backward pass of a product needs both. */
export interface SparsePair {
  readonly a: SparseMatrix;
  readonly aT: SparseMatrix;
}

/** A layer input: a dense tensor, or sparse node features (Cora's bag of words stays sparse). */
export type LayerInput = { readonly dense: Var } | { readonly sparse: SparsePair };

/**
 * PyG's GCNConv: X' = Â (X W) + b with Â the gcn-normalized adjacency, Glorot-initialized W and
 * a zero bias. The linear map comes first so propagation runs at the (smaller) output width.
 */
export class GCNConv {
  readonly weight: Parameter;
  readonly bias: Parameter;

  constructor(backend: Backend, inDim: number, outDim: number, seed: number, stream: number, weightDecay: number) {
    this.weight = new Parameter(backend, inDim, outDim, glorot(inDim, outDim, seed, stream), weightDecay);
    this.bias = new Parameter(backend, 1, outDim, new Float32Array(outDim), weightDecay);
  }

  forward(tape: Tape, adj: SparsePair, x: LayerInput, relu: boolean): Var {
    const xw = 'dense' in x ? matmul(tape, x.dense, this.weight) : spmm(tape, x.sparse.a, x.sparse.aT, this.weight);
    const propagated = spmm(tape, adj.a, adj.aT, xw);
    return biasAct(tape, propagated, this.bias, relu ? 'relu' : 'none');
  }

  get parameters(): Parameter[] {
    return [this.weight, this.bias];
  }
}

import type { Activation, Backend, SparseMatrix } from '../engine/backend';
import { type DropoutSpec, matmul, spmm } from '../engine/ops';
import type { Parameter } from '../engine/optim';
import type { Tape, Var } from '../engine/tape';
import type { GraphContext } from './graphContext';

/** A sparse matrix with its transpose, as the backward pass of a product needs both. */
export interface SparsePair {
  readonly a: SparseMatrix;
  readonly aT: SparseMatrix;
}

/** A layer input: a dense tensor, or sparse node features (Cora's bag of words stays sparse). */
export type LayerInput = { readonly dense: Var } | { readonly sparse: SparsePair };

/** What a forward pass needs beyond its input: train or eval, and its dropout keys. */
export interface RunInfo {
  readonly training: boolean;
  /** The dropout key of dropout site `site` in this epoch (sites are numbered by the net). */
  key(site: number): number;
}

/** A message-passing layer: `act` is applied last (fused with the bias add where possible). */
export interface Conv {
  readonly outDim: number;
  readonly parameters: Parameter[];
  forward(tape: Tape, ctx: GraphContext, x: LayerInput, act: Activation, run: RunInfo): Var;
  /**
   * Optional: `forward` and then dropout of its output, for a layer that can fuse the two:
   * `y` is what `forward` returns, `dropped` its dropout.
   */
  forwardDropped?(tape: Tape, ctx: GraphContext, x: LayerInput, act: Activation, run: RunInfo, drop: DropoutSpec): { y: Var; dropped: Var };
}

/**
 * Hands out random streams in construction order, so a model's initial weights are a function of
 * (seed, architecture) alone.
 */
export class Init {
  private stream = 0;
  constructor(readonly backend: Backend, readonly seed: number) {}
  next(): number {
    return ++this.stream;
  }
}

/** x W for a dense or sparse x. */
export function project(tape: Tape, x: LayerInput, w: Var): Var {
  return 'dense' in x ? matmul(tape, x.dense, w) : spmm(tape, x.sparse.a, x.sparse.aT, w);
}

export function inputRows(x: LayerInput): number {
  return 'dense' in x ? x.dense.value.rows : x.sparse.a.structure.rows;
}

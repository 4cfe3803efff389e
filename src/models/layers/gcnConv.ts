import type { Activation } from '../../engine/backend';
import { biasAct, spmm } from '../../engine/ops';
import { Parameter } from '../../engine/optim';
import { glorot } from '../../engine/rng';
import type { Tape, Var } from '../../engine/tape';
import type { GraphContext } from '../graphContext';
import { type Conv, type Init, type LayerInput, project } from '../layer';

export interface GcnConvOptions {
  readonly selfLoops: boolean;
  readonly norm: 'sym' | 'row';
  readonly weightDecay: number;
}

/**
 * PyG's GCNConv: X' = Â (X W) + b with Â the normalized adjacency (gcn_norm, or D^-1 A for
 * row normalization), Glorot W and a zero bias. The linear map comes first so propagation runs
 * at the (smaller) output width.
 */
export class GcnConv implements Conv {
  readonly weight: Parameter;
  readonly bias: Parameter;

  constructor(init: Init, inDim: number, readonly outDim: number, private readonly opts: GcnConvOptions) {
    this.weight = new Parameter(init.backend, inDim, outDim, glorot(inDim, outDim, init.seed, init.next()), opts.weightDecay);
    this.bias = new Parameter(init.backend, 1, outDim, new Float32Array(outDim), opts.weightDecay);
  }

  forward(tape: Tape, ctx: GraphContext, x: LayerInput, act: Activation): Var {
    const adj = ctx.gcn(this.opts.selfLoops, this.opts.norm);
    const propagated = spmm(tape, adj.a, adj.aT, project(tape, x, this.weight));
    return biasAct(tape, propagated, this.bias, act);
  }

  get parameters(): Parameter[] {
    return [this.weight, this.bias];
  }
}

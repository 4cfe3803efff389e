import type { Activation } from '../../engine/backend';
import { gspmm } from '../../engine/graphOps';
import { Parameter } from '../../engine/optim';
import { binary, scale } from '../../engine/pointwiseOps';
import type { Tape, Var } from '../../engine/tape';
import type { GraphContext } from '../graphContext';
import type { Conv, Init, LayerInput, RunInfo } from '../layer';
import { Mlp } from './mlp';

/**
 * PyG's GINConv: x'_i = MLP((1 + eps) x_i + sum_{j in N(i)} x_j), eps fixed at 0 or learned
 * (train_eps, starting at 0). The MLP is [in, hidden, out] with batch norm (PyG's MLP default)
 * and the model's activation inside.
 */
export class GinConv implements Conv {
  readonly mlp: Mlp;
  readonly eps: Parameter | null;

  constructor(init: Init, inDim: number, hidden: number, readonly outDim: number,
    opts: { trainEps: boolean; batchNorm: boolean; act: Activation; weightDecay: number }) {
    this.mlp = new Mlp(init, [inDim, hidden, outDim], { act: opts.act, batchNorm: opts.batchNorm, weightDecay: opts.weightDecay });
    this.eps = opts.trainEps ? new Parameter(init.backend, 1, 1, new Float32Array(1), 0) : null;
  }

  forward(tape: Tape, ctx: GraphContext, x: LayerInput, act: Activation, run: RunInfo): Var {
    if (!('dense' in x)) throw new Error('GINConv needs dense input features');
    const neighbours = gspmm(tape, ctx.adjacency(), 'copy_u', 'sum', x.dense, null);
    const self = this.eps ? binary(tape, 'mul', x.dense, scale(tape, this.eps, 1, 1)) : x.dense;
    return this.mlp.forward(tape, { dense: binary(tape, 'add', neighbours, self) }, run, act);
  }

  get parameters(): Parameter[] {
    return [...this.mlp.parameters, ...(this.eps ? [this.eps] : [])];
  }
}

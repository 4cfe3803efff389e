import type { Activation, Reducer } from '../../engine/backend';
import { gspmm } from '../../engine/graphOps';
import { biasAct } from '../../engine/ops';
import type { Parameter } from '../../engine/optim';
import { binary } from '../../engine/pointwiseOps';
import type { Tape, Var } from '../../engine/tape';
import type { GraphContext } from '../graphContext';
import { type Conv, type Init, type LayerInput, project } from '../layer';
import { Linear } from './linear';

/**
 * PyG's SAGEConv: x'_i = W_l agg_{j in N(i)} x_j + W_r x_i + b (root weight on). For sum and
 * mean the projection runs before the aggregation (the same value by linearity, at the smaller
 * width); max must see raw features, so it needs a dense input.
 */
export class SageConv implements Conv {
  readonly lin: Linear;
  readonly root: Linear;

  constructor(init: Init, readonly inDim: number, readonly outDim: number, readonly aggr: Exclude<Reducer, 'min'>, weightDecay: number) {
    this.lin = new Linear(init, inDim, outDim, { weightDecay });
    this.root = new Linear(init, inDim, outDim, { bias: false, weightDecay });
  }

  forward(tape: Tape, ctx: GraphContext, x: LayerInput, act: Activation): Var {
    const adj = ctx.adjacency();
    let neigh: Var;
    if (this.aggr === 'max') {
      if (!('dense' in x)) throw new Error('SAGEConv with max aggregation needs dense input features');
      neigh = project(tape, { dense: gspmm(tape, adj, 'copy_u', 'max', x.dense, null) }, this.lin.weight);
    } else {
      neigh = gspmm(tape, adj, 'copy_u', this.aggr, project(tape, x, this.lin.weight), null);
    }
    const sum = binary(tape, 'add', neigh, project(tape, x, this.root.weight));
    return biasAct(tape, sum, this.lin.bias!, act);
  }

  get parameters(): Parameter[] {
    return [...this.lin.parameters, ...this.root.parameters];
  }
}

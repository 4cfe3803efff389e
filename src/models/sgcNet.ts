import type { Backend } from '../engine/backend';
import type { Parameter } from '../engine/optim';
import { type Tape, Var } from '../engine/tape';
import type { GraphContext } from './graphContext';
import { Init, type LayerInput } from './layer';
import { Linear } from './layers/linear';
import type { NetShape } from './nodeNet';
import type { ModelSpec } from './spec';

/**
 * SGC (Wu et al. 2019), PyG's SGConv with cached=True: logits = Â^K X W + b. Â^K X has no
 * parameters, so it is computed once per graph and kept on the device; training is then a
 * logistic regression.
 */
export class SgcNet {
  readonly lin: Linear;
  readonly stride = 4;

  constructor(backend: Backend, readonly spec: ModelSpec, shape: NetShape, seed: number) {
    this.lin = new Linear(new Init(backend, seed), shape.inDim, shape.classes, { init: 'torch', weightDecay: spec.weightDecay });
  }

  forward(tape: Tape, ctx: GraphContext, x: LayerInput): Var {
    if (!('dense' in x)) throw new Error('SGC needs dense input features');
    const be = tape.backend;
    const propagated = ctx.cached(`sgc:${this.spec.k}`, () => {
      const adj = ctx.gcn(true, 'sym');
      let cur = x.dense.value;
      for (let i = 0; i < this.spec.k; i++) {
        const next = be.tensor(cur.rows, cur.cols);
        be.spmm(adj.a, cur, next);
        if (cur !== x.dense.value) be.release(cur);
        cur = next;
      }
      return cur;
    });
    return this.lin.forward(tape, { dense: new Var(propagated, false) });
  }

  get parameters(): Parameter[] {
    return this.lin.parameters;
  }
}

import type { Activation } from '../../engine/backend';
import { biasAct, spmm } from '../../engine/ops';
import { Parameter } from '../../engine/optim';
import { binary, scale } from '../../engine/pointwiseOps';
import { glorot } from '../../engine/rng';
import type { Tape, Var } from '../../engine/tape';
import type { GraphContext } from '../graphContext';
import { type Conv, type Init, type LayerInput, project } from '../layer';

/**
 * PyG's ChebConv with K terms: x' = sum_{k<K} T_k(L~) x W_k + b, L~ = -D^-1/2 A D^-1/2. Each
 * x W_k is taken first and the Chebyshev sum is evaluated by Clenshaw's recurrence
 * (b_k = Y_k + 2 L~ b_{k+1} - b_{k+2}, result Y_0 + L~ b_1 - b_2), so every propagation runs at
 * the output width and there are only K - 1 of them.
 */
export class ChebConv implements Conv {
  readonly weights: Parameter[] = [];
  readonly bias: Parameter;

  constructor(init: Init, inDim: number, readonly outDim: number, readonly k: number, weightDecay: number) {
    if (k < 1) throw new Error('ChebConv needs K >= 1');
    for (let i = 0; i < k; i++) {
      this.weights.push(new Parameter(init.backend, inDim, outDim, glorot(inDim, outDim, init.seed, init.next()), weightDecay));
    }
    this.bias = new Parameter(init.backend, 1, outDim, new Float32Array(outDim), weightDecay);
  }

  forward(tape: Tape, ctx: GraphContext, x: LayerInput, act: Activation): Var {
    const L = ctx.cheb();
    const ys = this.weights.map((w) => project(tape, x, w));
    const prop = (v: Var): Var => spmm(tape, L.a, L.aT, v);
    let b1: Var | null = null, b2: Var | null = null;
    for (let i = this.k - 1; i >= 1; i--) {
      let b = ys[i];
      if (b1) b = binary(tape, 'add', b, scale(tape, prop(b1), 2));
      if (b2) b = binary(tape, 'sub', b, b2);
      b2 = b1;
      b1 = b;
    }
    let out = ys[0];
    if (b1) out = binary(tape, 'add', out, prop(b1));
    if (b2) out = binary(tape, 'sub', out, b2);
    return biasAct(tape, out, this.bias, act);
  }

  get parameters(): Parameter[] {
    return [...this.weights, this.bias];
  }
}

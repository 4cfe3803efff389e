import type { Activation } from '../../engine/backend';
import { biasAct } from '../../engine/ops';
import { Parameter } from '../../engine/optim';
import { glorot, uniformInit } from '../../engine/rng';
import type { Tape, Var } from '../../engine/tape';
import { type Init, type LayerInput, project } from '../layer';

/**
 * x W + b. `glorot` weights with a zero bias are what PyG's convolutions use; `torch` is
 * torch.nn.Linear's default, U(+-1/sqrt(in)) for both, as in PyG's MLP.
 */
export class Linear {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(init: Init, readonly inDim: number, readonly outDim: number,
    opts: { bias?: boolean; init?: 'glorot' | 'torch'; weightDecay?: number } = {}) {
    const { backend, seed } = init;
    const wd = opts.weightDecay ?? 0;
    const torch = opts.init === 'torch';
    const bound = 1 / Math.sqrt(Math.max(inDim, 1));
    const w = torch ? uniformInit(inDim, outDim, bound, seed, init.next()) : glorot(inDim, outDim, seed, init.next());
    this.weight = new Parameter(backend, inDim, outDim, w, wd);
    if (opts.bias === false) {
      this.bias = null;
    } else {
      const b = torch ? uniformInit(1, outDim, bound, seed, init.next()) : new Float32Array(outDim);
      this.bias = new Parameter(backend, 1, outDim, b, wd);
    }
  }

  forward(tape: Tape, x: LayerInput, act: Activation = 'none'): Var {
    const y = project(tape, x, this.weight);
    return this.bias ? biasAct(tape, y, this.bias, act) : y;
  }

  get parameters(): Parameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }
}

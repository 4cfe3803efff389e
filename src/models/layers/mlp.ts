import type { Activation } from '../../engine/backend';
import { dropout } from '../../engine/ops';
import type { Parameter } from '../../engine/optim';
import type { Tape, Var } from '../../engine/tape';
import type { Init, LayerInput, RunInfo } from '../layer';
import { BatchNorm } from './batchNorm';
import { Linear } from './linear';

/**
 * PyG's MLP: Linear layers with torch's default init; between them an optional batch norm, the
 * activation and an optional dropout; nothing after the last ("plain last").
 */
export class Mlp {
  readonly lins: Linear[] = [];
  readonly norms: BatchNorm[] = [];

  constructor(init: Init, readonly dims: readonly number[], private readonly opts: {
    act: Activation; batchNorm: boolean; dropout?: number; dropoutSite?: number; weightDecay: number;
  }) {
    for (let i = 0; i + 1 < dims.length; i++) {
      this.lins.push(new Linear(init, dims[i], dims[i + 1], { init: 'torch', weightDecay: opts.weightDecay }));
      if (opts.batchNorm && i + 2 < dims.length) this.norms.push(new BatchNorm(init.backend, dims[i + 1]));
    }
  }

  get outDim(): number {
    return this.dims[this.dims.length - 1];
  }

  forward(tape: Tape, x: LayerInput, run: RunInfo, lastAct: Activation = 'none'): Var {
    let h: LayerInput = x;
    for (let i = 0; i < this.lins.length; i++) {
      const last = i === this.lins.length - 1;
      if (last) return this.lins[i].forward(tape, h, lastAct);
      let y = this.lins[i].forward(tape, h, this.opts.batchNorm ? 'none' : this.opts.act);
      if (this.opts.batchNorm) y = this.norms[i].forward(tape, y, run.training, this.opts.act);
      if (run.training && this.opts.dropout) y = dropout(tape, y, this.opts.dropout, run.key(this.opts.dropoutSite ?? 0));
      h = { dense: y };
    }
    throw new Error('an MLP needs at least one layer');
  }

  get parameters(): Parameter[] {
    return [...this.lins.flatMap((l) => l.parameters), ...this.norms.flatMap((n) => n.parameters)];
  }
}

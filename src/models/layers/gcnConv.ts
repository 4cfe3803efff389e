import type { Activation } from '../../engine/backend';
import { biasAct, dropout, type DropoutSpec, spmm, spmmBiasAct } from '../../engine/ops';
import { Parameter } from '../../engine/optim';
import { glorot } from '../../engine/rng';
import type { Tape, Var } from '../../engine/tape';
import type { GraphContext } from '../graphContext';
import { type Conv, type Init, type LayerInput, project, type RunInfo } from '../layer';

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

  /** false: propagate as spmm, biasAct and dropout, three passes (tests and the benchmark compare). */
  static fused = true;

  forward(tape: Tape, ctx: GraphContext, x: LayerInput, act: Activation): Var {
    return this.propagate(tape, ctx, x, act).y;
  }

  /** The dropout after this layer goes into the propagation's kernel too. */
  forwardDropped(tape: Tape, ctx: GraphContext, x: LayerInput, act: Activation, _run: RunInfo, drop: DropoutSpec): { y: Var; dropped: Var } {
    const { y, out } = this.propagate(tape, ctx, x, act, drop);
    return { y, dropped: out };
  }

  private propagate(tape: Tape, ctx: GraphContext, x: LayerInput, act: Activation, drop?: DropoutSpec): { y: Var; out: Var } {
    const adj = ctx.gcn(this.opts.selfLoops, this.opts.norm);
    const xw = project(tape, x, this.weight);
    if (GcnConv.fused) return spmmBiasAct(tape, adj.a, adj.aT, xw, this.bias, act, drop);
    const y = biasAct(tape, spmm(tape, adj.a, adj.aT, xw), this.bias, act);
    return { y, out: drop ? dropout(tape, y, drop.prob, drop.key) : y };
  }

  get parameters(): Parameter[] {
    return [this.weight, this.bias];
  }
}

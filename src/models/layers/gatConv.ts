import type { Activation } from '../../engine/backend';
import { edgeSoftmax, gspmm, sddmm } from '../../engine/graphOps';
import { biasAct, dropout, matmul } from '../../engine/ops';
import { Parameter } from '../../engine/optim';
import { activation, binary } from '../../engine/pointwiseOps';
import { glorot } from '../../engine/rng';
import { type Tape, Var } from '../../engine/tape';
import type { GraphContext } from '../graphContext';
import { type Conv, type Init, type LayerInput, project, type RunInfo } from '../layer';

export interface GatOptions {
  readonly heads: number;
  /** Concatenate the heads (hidden layers) or average them (PyG's concat=False, output layers). */
  readonly concat: boolean;
  readonly attnDropout: number;
  /** The dropout site of this layer's attention coefficients. */
  readonly attnSite: number;
  readonly weightDecay: number;
}

/**
 * PyG's GATConv: per head h, e_ij = LeakyReLU_0.2(a_src . W x_j + a_dst . W x_i) over i's
 * in-edges and a self loop, alpha = softmax_j e_ij (with dropout), x'_i = sum_j alpha_ij W x_j.
 * The per-head dot products are a product with a constant block matrix, so the only edge-sized
 * tensors are the scores and coefficients ([edges, heads]), the one place attention needs them.
 */
export class GatConv implements Conv {
  readonly weight: Parameter;
  readonly attSrc: Parameter;
  readonly attDst: Parameter;
  readonly bias: Parameter;
  readonly outDim: number;
  private readonly headSum: Var;
  private readonly headMean: Var | null;

  constructor(init: Init, inDim: number, readonly perHead: number, private readonly opts: GatOptions) {
    const { backend, seed } = init;
    const H = opts.heads, F = perHead, wd = opts.weightDecay;
    this.outDim = opts.concat ? H * F : F;
    this.weight = new Parameter(backend, inDim, H * F, glorot(inDim, H * F, seed, init.next()), wd);
    this.attSrc = new Parameter(backend, 1, H * F, glorot(H, F, seed, init.next()), wd);
    this.attDst = new Parameter(backend, 1, H * F, glorot(H, F, seed, init.next()), wd);
    this.bias = new Parameter(backend, 1, this.outDim, new Float32Array(this.outDim), wd);
    const sum = new Float32Array(H * F * H);
    for (let c = 0; c < H * F; c++) sum[c * H + Math.floor(c / F)] = 1;
    this.headSum = new Var(backend.tensor(H * F, H, sum), false);
    if (opts.concat || H === 1) {
      this.headMean = null;
    } else {
      const mean = new Float32Array(H * F * F);
      for (let c = 0; c < H * F; c++) mean[c * F + (c % F)] = 1 / H;
      this.headMean = new Var(backend.tensor(H * F, F, mean), false);
    }
  }

  forward(tape: Tape, ctx: GraphContext, x: LayerInput, act: Activation, run: RunInfo): Var {
    const adj = ctx.selfLoops();
    const h = project(tape, x, this.weight);
    const scoreSrc = matmul(tape, binary(tape, 'mul', h, this.attSrc), this.headSum);
    const scoreDst = matmul(tape, binary(tape, 'mul', h, this.attDst), this.headSum);
    const e = activation(tape, sddmm(tape, adj, 'u_add_v', scoreSrc, scoreDst), 'leaky_relu');
    let alpha = edgeSoftmax(tape, adj, e);
    if (run.training) alpha = dropout(tape, alpha, this.opts.attnDropout, run.key(this.opts.attnSite));
    let out = gspmm(tape, adj, 'u_mul_e', 'sum', h, alpha);
    if (this.headMean) out = matmul(tape, out, this.headMean);
    return biasAct(tape, out, this.bias, act);
  }

  get parameters(): Parameter[] {
    return [this.weight, this.attSrc, this.attDst, this.bias];
  }
}

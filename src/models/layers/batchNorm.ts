import type { Activation, Backend, Tensor } from '../../engine/backend';
import { biasAct } from '../../engine/ops';
import { Parameter } from '../../engine/optim';
import { binary, scale, sum, unary } from '../../engine/pointwiseOps';
import { type Tape, Var } from '../../engine/tape';

const EPS = 1e-5;
const MOMENTUM = 0.1;

/**
 * torch.nn.BatchNorm1d over rows: training normalizes with the batch's mean and biased variance
 * and moves the running estimates (unbiased variance) by 0.1; evaluation uses the running ones.
 * Built from differentiable primitives, so its backward needs no kernel of its own.
 */
export class BatchNorm {
  readonly gamma: Parameter;
  readonly beta: Parameter;
  private readonly runningMean: Tensor;
  private readonly runningVar: Tensor;

  constructor(private readonly backend: Backend, readonly dim: number) {
    this.gamma = new Parameter(backend, 1, dim, new Float32Array(dim).fill(1), 0);
    this.beta = new Parameter(backend, 1, dim, new Float32Array(dim), 0);
    this.runningMean = backend.tensor(1, dim, new Float32Array(dim));
    this.runningVar = backend.tensor(1, dim, new Float32Array(dim).fill(1));
  }

  forward(tape: Tape, x: Var, training: boolean, act: Activation): Var {
    const n = x.value.rows;
    let y: Var;
    if (training && n > 1) {
      const mean = scale(tape, sum(tape, x, 'rows'), 1 / n);
      const centered = binary(tape, 'sub', x, mean);
      const variance = scale(tape, sum(tape, unary(tape, 'square', centered), 'rows'), 1 / n);
      y = binary(tape, 'mul', centered, unary(tape, 'rsqrt', scale(tape, variance, 1, EPS)));
      this.track(tape, this.runningMean, mean.value, 1);
      this.track(tape, this.runningVar, variance.value, n / (n - 1));
    } else {
      const inv = tape.temp(1, this.dim);
      this.backend.scale(this.runningVar, 1, EPS, inv);
      const r = tape.temp(1, this.dim);
      this.backend.unary('rsqrt', inv, r);
      y = binary(tape, 'mul', binary(tape, 'sub', x, new Var(this.runningMean, false)), new Var(r, false));
    }
    return biasAct(tape, binary(tape, 'mul', y, this.gamma), this.beta, act);
  }

  /** running = (1 - m) running + m * factor * batch, outside the autograd graph. */
  private track(tape: Tape, running: Tensor, batch: Tensor, factor: number): void {
    const a = tape.temp(1, this.dim), b = tape.temp(1, this.dim);
    this.backend.scale(running, 1 - MOMENTUM, 0, a);
    this.backend.scale(batch, MOMENTUM * factor, 0, b);
    this.backend.add(a, b, running);
  }

  get parameters(): Parameter[] {
    return [this.gamma, this.beta];
  }
}

import type { Backend, Tensor } from './backend';
import { Var } from './tape';

/** A trainable tensor with its Adam moments and its own weight decay (PyG's per-layer groups). */
export class Parameter extends Var {
  readonly m: Tensor;
  readonly v: Tensor;
  constructor(backend: Backend, rows: number, cols: number, init: Float32Array, readonly weightDecay: number) {
    super(backend.tensor(rows, cols, init), true);
    const zeros = new Float32Array(rows * cols);
    this.m = backend.tensor(rows, cols, zeros);
    this.v = backend.tensor(rows, cols, zeros);
  }
}

/** torch.optim.Adam with default betas and eps, one step over every parameter that got a gradient. */
export class Adam {
  private step = 0;
  /** Changed between steps by a learning-rate schedule. */
  lr: number;
  constructor(private readonly backend: Backend, private readonly params: readonly Parameter[], lr: number) {
    this.lr = lr;
  }

  update(): void {
    this.step++;
    for (const p of this.params) {
      if (!p.grad) continue;
      this.backend.adam(p.value, p.grad, p.m, p.v, {
        lr: this.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: p.weightDecay, step: this.step,
      });
      p.grad = null;
    }
  }
}

/** torch.optim.lr_scheduler.StepLR: the learning rate of `epoch` (counted from 0). */
export function stepLr(base: number, epoch: number, step: number, gamma: number): number {
  return step > 0 ? base * gamma ** Math.floor(epoch / step) : base;
}

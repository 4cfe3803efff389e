import type { Backend, Tensor } from './backend';

/** A tensor in the autograd graph: its value and, after `backward`, its gradient. */
export class Var {
  grad: Tensor | null = null;
  /** `held` is null only for a Parameter, which places its tensor when first asked (optim.ts). */
  constructor(private readonly held: Tensor | null, readonly requiresGrad: boolean) {}

  get value(): Tensor {
    return this.held!;
  }

  /**
   * A tensor that this Var's gradient of the given shape should be written into instead of a
   * temp (a parameter's window of the packed gradient buffer), or null.
   */
  gradTarget(_rows: number, _cols: number): Tensor | null {
    return null;
  }
}

/**
 * Records the backward closure of each op in forward order and replays them in reverse.
 * Temporaries (activations and gradients) are owned by the tape and returned to the backend's
 * pool by `release`, once the step's kernels have been recorded.
 */
export class Tape {
  private readonly backward: (() => void)[] = [];
  private readonly temps: Tensor[] = [];

  constructor(readonly backend: Backend) {}

  /** A fresh tensor owned by this tape. */
  temp(rows: number, cols: number): Tensor {
    const t = this.backend.tensor(rows, cols);
    this.temps.push(t);
    return t;
  }

  /** A fresh integer tensor owned by this tape (the arg of a max or min reduction). */
  tempInt(rows: number, cols: number): Tensor {
    const t = this.backend.intTensor(rows, cols);
    this.temps.push(t);
    return t;
  }

  record(fn: () => void): void {
    this.backward.push(fn);
  }

  /**
   * Where an op writes its gradient for `v` before `accumulate(v, ...)`: the Var's own target
   * while it has no gradient yet (so a parameter's gradient lands in the optimizer's packed
   * buffer with no copy), else a temp.
   */
  gradFor(v: Var, rows: number, cols: number): Tensor {
    return (v.grad === null ? v.gradTarget(rows, cols) : null) ?? this.temp(rows, cols);
  }

  /** Adds `g` into `v.grad` (g must be owned by this tape, or come from `gradFor`). */
  accumulate(v: Var, g: Tensor): void {
    if (!v.requiresGrad) return;
    if (!v.grad) {
      v.grad = g;
      return;
    }
    const sum = this.temp(g.rows, g.cols);
    this.backend.add(v.grad, g, sum);
    v.grad = sum;
  }

  runBackward(): void {
    for (let i = this.backward.length - 1; i >= 0; i--) this.backward[i]();
    this.backward.length = 0;
  }

  release(): void {
    for (const t of this.temps) this.backend.release(t);
    this.temps.length = 0;
    this.backward.length = 0;
  }
}

import type { AdamParams, AdamRun, Backend, PackedTensors, Tensor } from './backend';
import { Var } from './tape';

interface Placement {
  readonly value: Tensor;
  readonly m: Tensor;
  readonly v: Tensor;
  /** The window of the optimizer's packed gradient buffer, when packed. */
  readonly grad: Tensor | null;
}

/**
 * A trainable tensor with its Adam moments and its own weight decay (PyG's per-layer groups).
 * Nothing is allocated until the tensors are needed: `Adam` packs the parameters it is given
 * into shared buffers; one read first (no optimizer) gets tensors of its own.
 */
export class Parameter extends Var {
  private placed: Placement | null = null;
  private init: Float32Array | null;
  /** Whether this step's gradient window was handed out by `gradTarget`. */
  private windowTaken = false;

  constructor(private readonly backend: Backend, readonly rows: number, readonly cols: number, init: Float32Array, readonly weightDecay: number) {
    super(null, true);
    this.init = init;
  }

  override get value(): Tensor {
    return this.placement().value;
  }

  get m(): Tensor {
    return this.placement().m;
  }

  get v(): Tensor {
    return this.placement().v;
  }

  get isPlaced(): boolean {
    return this.placed !== null;
  }

  private placement(): Placement {
    if (this.placed) return this.placed;
    const n = this.rows * this.cols, be = this.backend;
    const zeros = new Float32Array(n);
    return this.place({ value: be.tensor(this.rows, this.cols, this.init!), m: be.tensor(this.rows, this.cols, zeros), v: be.tensor(this.rows, this.cols, zeros), grad: null });
  }

  /** The initial values, for an optimizer that packs them (null once placed). */
  get initial(): Float32Array | null {
    return this.init;
  }

  place(p: Placement): Placement {
    if (this.placed) throw new Error('Parameter: already placed');
    this.placed = p;
    this.init = null;
    return p;
  }

  override gradTarget(rows: number, cols: number): Tensor | null {
    const w = this.placed?.grad;
    if (!w || this.windowTaken || rows !== this.rows || cols !== this.cols) return null;
    this.windowTaken = true;
    return w;
  }

  /** Drops the gradient after a step; the next backward may write into the window again. */
  clearGrad(): void {
    this.grad = null;
    this.windowTaken = false;
  }
}

interface Pack {
  readonly params: readonly Parameter[];
  readonly value: PackedTensors;
  readonly grad: PackedTensors;
  readonly m: PackedTensors;
  readonly v: PackedTensors;
}

/**
 * torch.optim.Adam with default betas and eps, one step over every parameter that got a
 * gradient. The parameters not yet placed are packed (values, gradients, m, v: one buffer each)
 * so that a step is one dispatch; any already placed on its own keeps the per-parameter kernel.
 */
export class Adam {
  private step = 0;
  /** Changed between steps by a learning-rate schedule. */
  lr: number;
  private readonly pack: Pack | null = null;
  private readonly alone: readonly Parameter[];

  constructor(private readonly backend: Backend, params: readonly Parameter[], lr: number) {
    this.lr = lr;
    const unique = [...new Set(params)];
    const fresh = unique.filter((p) => !p.isPlaced);
    this.alone = unique.filter((p) => p.isPlaced);
    if (fresh.length === 0) return;
    const shapes = fresh.map((p) => [p.rows, p.cols] as const);
    const value = backend.packTensors(shapes, fresh.map((p) => p.initial ?? undefined));
    const grad = backend.packTensors(shapes), m = backend.packTensors(shapes), v = backend.packTensors(shapes);
    fresh.forEach((p, k) => p.place({ value: value.tensors[k], m: m.tensors[k], v: v.tensors[k], grad: grad.tensors[k] }));
    this.pack = { params: fresh, value, grad, m, v };
  }

  update(): void {
    this.step++;
    const hyper: AdamParams = { lr: this.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: this.step };
    if (this.pack) this.updatePacked(this.pack, hyper);
    for (const p of this.alone) {
      if (p.grad) this.backend.adam(p.value, p.grad, p.m, p.v, { ...hyper, weightDecay: p.weightDecay });
      p.clearGrad();
    }
  }

  private updatePacked(pack: Pack, hyper: AdamParams): void {
    const runs: { offset: number; length: number; weightDecay: number }[] = [];
    let prev = -2;
    pack.params.forEach((p, k) => {
      const g = p.grad;
      p.clearGrad();
      if (!g) return;
      const window = pack.grad.tensors[k];
      // A gradient summed from several ops (Tape.accumulate) ends in a temp: one copy.
      if (g !== window) this.backend.copy(g, window);
      const offset = pack.grad.offsets[k], end = offset + p.rows * p.cols;
      const last = runs[runs.length - 1];
      // Neighbours with the same decay share a run: the padding between them is zero in all four
      // buffers, and Adam keeps a zero with a zero gradient at zero.
      if (last && prev === k - 1 && last.weightDecay === p.weightDecay) last.length = end - last.offset;
      else runs.push({ offset, length: end - offset, weightDecay: p.weightDecay });
      prev = k;
    });
    if (runs.length > 0) this.backend.adamPacked(pack.value, pack.grad, pack.m, pack.v, runs as AdamRun[], hyper);
  }
}

/** torch.optim.lr_scheduler.StepLR: the learning rate of `epoch` (counted from 0). */
export function stepLr(base: number, epoch: number, step: number, gamma: number): number {
  return step > 0 ? base * gamma ** Math.floor(epoch / step) : base;
}

import type { Backend, Tensor } from '../engine/backend';
import type { Parameter } from '../engine/optim';
import type { Tape, Var } from '../engine/tape';

/** One layer's output over every node, read back from the backend. */
export interface LayerData {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** Row-major rows x cols. */
  readonly data: Float32Array;
}

/**
 * What a trainer kept of one epoch: every layer's output in the evaluation pass, and the L2
 * norm of each layer's parameter gradients in that epoch's training step (all the layer's
 * parameters taken as one vector; 0 for a layer that got no gradient).
 */
export interface LayerSnapshot {
  /** 1-based, like `EpochReport.epoch`. */
  readonly epoch: number;
  readonly layers: readonly LayerData[];
  /** One per entry of `layers`, in the same order. */
  readonly gradNorms: readonly number[];
}

/**
 * Keeps one epoch's layer outputs and gradient magnitudes on the device until they are read, so
 * a capturing epoch costs a few more kernels and no wait. Layer outputs all have a row per node,
 * so they are packed side by side (copyCols) into one tensor; each parameter's squared gradient
 * norm goes into one slot of a [1, P] tensor, summed on the device before Adam drops the
 * gradient. Two reads per snapshot, whatever the depth. Nothing is allocated until the first
 * capture, so a trainer that never captures costs what it did.
 *
 * Precision: the squares are summed in f32 by the backend's fixed-order reductions (relative
 * error around 1e-6 at these sizes), the per-layer totals in float64 on the host.
 */
export class LayerProbe {
  private packed: Tensor | null = null;
  private squares: Tensor | null = null;
  private zero: Tensor | null = null;
  private widths: number[] = [];
  private capturedEpoch = 0;
  private readonly params: readonly Parameter[];

  constructor(private readonly backend: Backend, readonly names: readonly string[], private readonly groups: readonly (readonly Parameter[])[]) {
    this.params = groups.flat();
  }

  get hasCapture(): boolean {
    return this.capturedEpoch > 0;
  }

  /** Records the squared norm of every parameter's gradient; call after backward, before Adam. */
  captureGradients(tape: Tape): void {
    const be = this.backend;
    this.squares ??= be.tensor(1, Math.max(this.params.length, 1), new Float32Array(Math.max(this.params.length, 1)));
    this.zero ??= be.tensor(1, 1, new Float32Array(1));
    this.params.forEach((p, k) => {
      const g = p.grad;
      if (!g) {
        be.copyCols(this.zero!, 0, this.squares!, k, 1);
        return;
      }
      const sq = tape.temp(g.rows, g.cols);
      be.unary('square', g, sq);
      const cols = tape.temp(1, g.cols);
      be.colSum(sq, cols);
      const total = tape.temp(1, 1);
      be.rowSum(cols, total);
      be.copyCols(total, 0, this.squares!, k, 1);
    });
  }

  /** Records copies of the layers' outputs (before the tape that owns them is released). */
  captureLayers(layers: readonly Var[], epoch: number): void {
    if (layers.length !== this.names.length) throw new Error(`LayerProbe: ${layers.length} layers, ${this.names.length} names`);
    const widths = layers.map((v) => v.value.cols);
    const rows = layers[0].value.rows;
    const total = widths.reduce((a, b) => a + b, 0);
    if (!this.packed || this.packed.cols !== total || this.packed.rows !== rows) {
      if (this.packed) this.backend.release(this.packed);
      this.packed = this.backend.tensor(rows, total);
    }
    this.widths = widths;
    let offset = 0;
    layers.forEach((v, l) => {
      this.backend.copyCols(v.value, 0, this.packed!, offset, widths[l]);
      offset += widths[l];
    });
    this.capturedEpoch = epoch;
  }

  /** Reads the newest capture; the copies are queued at the call (waits for the device). */
  async read(): Promise<LayerSnapshot> {
    if (!this.packed) throw new Error('no epoch has been captured: call step(true) first');
    const epoch = this.capturedEpoch;
    const { rows, cols: total } = this.packed;
    // Both copies queue now: a later epoch recorded meanwhile must not be what the second one sees.
    const [packed, squares] = await Promise.all([
      this.backend.read(this.packed),
      this.squares ? this.backend.read(this.squares) : Promise.resolve(new Float32Array(0)),
    ]);
    const layers: LayerData[] = [];
    let offset = 0;
    this.widths.forEach((cols, l) => {
      const data = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) data.set(packed.subarray(r * total + offset, r * total + offset + cols), r * cols);
      layers.push({ name: this.names[l], rows, cols, data });
      offset += cols;
    });
    let k = 0;
    const gradNorms = this.groups.map((g) => {
      let sum = 0;
      for (let i = 0; i < g.length; i++) sum += squares[k++] ?? 0;
      return Math.sqrt(sum);
    });
    return { epoch, layers, gradNorms };
  }

  release(): void {
    for (const t of [this.packed, this.squares, this.zero]) if (t) this.backend.release(t);
    this.packed = this.squares = this.zero = null;
    this.capturedEpoch = 0;
  }
}

import type { Backend } from '../engine/backend';
import { trackBackend } from '../engine/tracking';
import type { Graph } from '../graph/types';
import { dirichletEnergy, madGlobal } from '../metrics/smoothing';
import { defaultSweepDepths, type FromWorker, sweepVariants, type SweepVariant, type ToWorker, type TrainConfig } from './protocol';
import { Trainer } from './trainer';

/** The deepest model a sweep trains (the page offers up to 32). */
export const SWEEP_MAX_DEPTH = 64;

/** A sweep run yields to the worker's message queue at least this often (between epochs). */
const SLICE_MS = 30;

export interface SweepPlan {
  readonly depths: readonly number[];
  readonly variants: readonly SweepVariant[];
  readonly epochs: number;
}

/** The sweep a message asks for, with defaults filled in, or why it cannot run. */
export function sweepPlan(msg: Extract<ToWorker, { type: 'sweep' }>, config: TrainConfig): SweepPlan | string {
  if (config.model === 'sgc') return 'SGC has no message-passing layers to sweep: its depth is K.';
  const depths = msg.depths ?? defaultSweepDepths;
  const variants = msg.variants ?? sweepVariants;
  const epochs = msg.epochs ?? config.epochs;
  if (depths.length === 0 || !depths.every((d) => Number.isInteger(d) && d >= 1 && d <= SWEEP_MAX_DEPTH)) {
    return `Sweep depths must be whole numbers from 1 to ${SWEEP_MAX_DEPTH}.`;
  }
  if (variants.length === 0 || !variants.every((v) => sweepVariants.includes(v))) return `Sweep variants must be among ${sweepVariants.join(', ')}.`;
  if (!Number.isInteger(epochs) || epochs < 1) return 'Sweep epochs must be a whole number of at least 1.';
  return { depths: [...new Set(depths)], variants: [...new Set(variants)], epochs };
}

/** The main run's config at another depth, with residual connections or PairNorm, or neither. */
export function sweepConfig(config: TrainConfig, depth: number, variant: SweepVariant, epochs: number): TrainConfig {
  return { ...config, layers: depth, residual: variant === 'residual', pairNorm: variant === 'pairnorm', epochs };
}

const yieldToMessages = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * A depth sweep beside the main run: one fresh trainer per (depth, variant) on the session's
 * backend, made through a tracking view so that all it allocated is freed when the run ends.
 * The main run's trainer is never touched. Training yields to the worker's message queue every
 * SLICE_MS, so play, pause, step, inspect and cancel are answered while it runs.
 */
export class DepthSweep {
  private cancelled = false;

  constructor(
    private readonly backend: Backend, private readonly graph: Graph, private readonly config: TrainConfig,
    private readonly plan: SweepPlan, private readonly post: (m: FromWorker) => void,
  ) {}

  /** Stops at the next yield; posts nothing more (the session says it was cancelled). */
  cancel(): void {
    this.cancelled = true;
  }

  async run(): Promise<void> {
    const { depths, variants, epochs } = this.plan;
    const total = depths.length * variants.length;
    let completed = 0;
    try {
      for (const depth of depths) {
        for (const variant of variants) {
          const result = await this.train(depth, variant, epochs);
          if (!result || this.cancelled) return;
          this.post({ type: 'sweepProgress', depth, variant, epochs, ...result, completed: ++completed, total });
        }
      }
      if (!this.cancelled) this.post({ type: 'sweepDone', cancelled: false });
    } catch (e) {
      if (!this.cancelled) this.post({ type: 'sweepDone', cancelled: false, error: (e as Error).message });
    }
  }

  /** One run to the end; null when cancelled on the way. */
  private async train(depth: number, variant: SweepVariant, epochs: number) {
    const tracked = trackBackend(this.backend);
    try {
      const t = new Trainer(tracked.backend, this.graph, sweepConfig(this.config, depth, variant, epochs));
      let trainAcc = 0;
      while (!t.finished) {
        const start = performance.now();
        do t.step(t.epochsDone === epochs - 1);
        while (!t.finished && performance.now() - start < SLICE_MS);
        const reports = await t.flush();
        if (reports.length > 0) trainAcc = reports[reports.length - 1].trainAcc;
        await yieldToMessages();
        if (this.cancelled) return null;
      }
      const top = (await t.snapshot()).layers.at(-1)!;
      const best = t.bestResult;
      return {
        testAcc: best.testAcc, bestEpoch: best.epoch, trainAcc,
        energy: dirichletEnergy(this.graph.inCsr, top.data, top.cols), mad: madGlobal(top.data, top.rows, top.cols),
      };
    } finally {
      // After an init the backend may be destroyed already; there is nothing left to free then.
      try {
        tracked.releaseAll();
      } catch {
        /* the device is gone */
      }
    }
  }
}

import type { Backend } from '../engine/backend';
import type { ShaderSources } from '../gpu/kernels';
import { parseGraphJson } from '../graph/loadGraphJson';
import { featureCount, type Graph } from '../graph/types';
import { openBackend } from './openBackend';
import type { FromWorker, TrainConfig } from './protocol';
import { summarize } from './summary';
import { Trainer } from './trainer';

/** Aim for a progress message about this often, so charts move smoothly without flooding. */
const REPORT_EVERY_MS = 50;

/** The largest buffer training needs, to check against the adapter before starting. */
function largestBuffer(g: Graph, hidden: number): number {
  const f = g.features;
  const featureBytes = f.kind === 'dense' ? f.data.byteLength : f.csr.indices.byteLength;
  return Math.max(featureBytes, g.numNodes * Math.max(hidden, g.numClasses) * 4, featureCount(f) * hidden * 4);
}

/**
 * One training session: a graph, a backend, a trainer, and play / pause / step. Free of any DOM
 * or worker API so it runs the same in the page's worker and in tests.
 */
export class Session {
  private trainer: Trainer | null = null;
  private backend: Backend | null = null;
  private running = false;
  private generation = 0;
  private batch = 1;

  constructor(private readonly post: (m: FromWorker) => void, private readonly gpu: GPU | undefined, private readonly shaders: ShaderSources) {}

  async init(config: TrainConfig, datasetText: string): Promise<void> {
    const gen = ++this.generation;
    this.running = false;
    this.trainer = null;
    this.backend?.destroy();
    this.backend = null;
    let graph: Graph;
    try {
      graph = parseGraphJson(datasetText);
    } catch (e) {
      this.post({ type: 'error', message: `Could not load ${config.dataset}: ${(e as Error).message}` });
      return;
    }
    const opened = await openBackend(config.backend, this.gpu, this.shaders, largestBuffer(graph, config.hidden));
    if (gen !== this.generation) return opened.backend.destroy();
    this.backend = opened.backend;
    opened.lost?.then((why) => {
      if (gen !== this.generation) return;
      this.running = false;
      this.post({ type: 'error', message: `The GPU device was lost (${why}). Press Reset to start again; your settings are kept.` });
    });
    this.post({ type: 'backend', info: { kind: opened.backend.kind, adapter: opened.backend.description, notice: opened.notice } });
    this.post({ type: 'graph', graph: summarize(graph) });
    try {
      this.trainer = new Trainer(opened.backend, graph, config);
    } catch (e) {
      this.post({ type: 'error', message: (e as Error).message });
    }
  }

  play(): void {
    if (this.running || !this.trainer || this.trainer.finished) return;
    this.running = true;
    void this.loop(this.generation);
  }

  pause(): void {
    this.running = false;
  }

  async step(): Promise<void> {
    if (this.running || !this.trainer || this.trainer.finished) return;
    await this.advance(1, this.generation);
  }

  private async loop(gen: number): Promise<void> {
    while (this.running && gen === this.generation) {
      const t0 = performance.now();
      const ok = await this.advance(this.batch, gen);
      if (!ok) break;
      // Grow or shrink the batch so each progress message covers about REPORT_EVERY_MS.
      const perEpoch = (performance.now() - t0) / this.batch;
      this.batch = Math.max(1, Math.min(50, Math.round(REPORT_EVERY_MS / Math.max(perEpoch, 0.1))));
      await new Promise((r) => setTimeout(r, 0)); // let pause and step messages in
    }
  }

  /** Runs up to `n` epochs and posts their reports; false once training is over or failed. */
  private async advance(n: number, gen: number): Promise<boolean> {
    const t = this.trainer!;
    try {
      for (let i = 0; i < n && !t.finished; i++) t.step();
      const reports = await t.flush();
      const predictions = await t.predictions();
      if (gen !== this.generation) return false;
      if (t.finished) this.running = false;
      const best = t.bestResult;
      this.post({ type: 'progress', reports, predictions, running: this.running, bestTestAcc: best.testAcc, bestEpoch: best.epoch });
      if (t.finished) this.post({ type: 'done' });
      return !t.finished;
    } catch (e) {
      this.running = false;
      if (gen === this.generation) this.post({ type: 'error', message: (e as Error).message });
      return false;
    }
  }
}

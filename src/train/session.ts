import type { Backend } from '../engine/backend';
import { stackHas } from '../models/spec';
import { estimateTrainingMemory, graphCounts } from './memoryEstimate';
import type { ShaderSources } from '../gpu/kernels';
import type { GraphSet } from '../graph/graphSet';
import { parseGraphJson } from '../graph/loadGraphJson';
import { parseGraphSetJson } from '../graph/loadGraphSetJson';
import type { Graph } from '../graph/types';
import { exportRun } from './exportRun';
import { GraphTrainer } from './graphTrainer';
import { inspectNode } from './inspect';
import { LayerFrames } from './layerFrames';
import { openBackend } from './openBackend';
import { type FromWorker, type GraphSummary, taskOf, type ToWorker, type TrainConfig } from './protocol';
import { summarize, summarizeSet } from './summary';
import { DepthSweep, sweepPlan } from './sweep';
import { Trainer } from './trainer';

/** Aim for a progress message about this often, so charts move smoothly without flooding. */
const REPORT_EVERY_MS = 50;

/**
 * At most one `layers` frame this often while playing (a step and the last epoch always get one),
 * and never more than a fifth of the worker's time: a frame that took c ms waits 4c before the next.
 */
const LAYERS_EVERY_MS = 150;

/** Posts a message; `transfer` lists buffers made for it alone, which move instead of being copied. */
export type Post = (m: FromWorker, transfer?: Transferable[]) => void;

/**
 * The CPU backend's arrays are bounded too: a model that densifies PubMed's identity features
 * (19,717 x 19,717 floats, 1.5 GB) would take the tab down instead of saying why.
 */
const CPU_LIMITS = { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 };

/**
 * The largest buffer training needs, to check against the adapter before starting. Node
 * classification asks the memory estimate (sparse features stay sparse unless the model
 * densifies them); a graph set: features, hidden activations (GAT: every head), edge tensors.
 */
function largestBuffer(data: Graph | GraphSet, c: TrainConfig): number {
  if ('inCsr' in data) return estimateTrainingMemory(c, graphCounts(data)).largestBuffer;
  const gat = stackHas(c, 'gat');
  const width = Math.max(c.hidden * (gat ? c.heads : 1), 16);
  const nodes = data.numNodes, edges = data.numEdges + nodes;
  const features = data.numFeatures;
  return 4 * Math.max(nodes * features, nodes * width, edges * (gat ? c.heads : 1), features * width);
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

type AnyTrainer = Trainer | GraphTrainer;

/**
 * One training session: a graph, a backend, a trainer, and play / pause / step. Free of any DOM
 * or worker API so it runs the same in the page's worker and in tests.
 */
export class Session {
  private trainer: AnyTrainer | null = null;
  private summary: GraphSummary | null = null;
  private backend: Backend | null = null;
  private config: TrainConfig | null = null;
  private frames: LayerFrames | null = null;
  private lastFrameAt = -Infinity;
  private frameGap = LAYERS_EVERY_MS;
  private sweep: DepthSweep | null = null;
  private running = false;
  private generation = 0;
  private batch = 1;

  constructor(private readonly post: Post, private readonly gpu: GPU | undefined, private readonly shaders: ShaderSources) {}

  async init(config: TrainConfig, datasetText: string): Promise<void> {
    const gen = ++this.generation;
    this.running = false;
    this.trainer = null;
    this.frames = null;
    this.lastFrameAt = -Infinity;
    this.frameGap = LAYERS_EVERY_MS;
    this.config = config;
    // The page starts over on init: a sweep of the old run just stops, without a message.
    this.sweep?.cancel();
    this.sweep = null;
    this.backend?.destroy();
    this.backend = null;
    const task = taskOf(config.dataset);
    let data: Graph | GraphSet;
    try {
      data = task === 'graph' ? parseGraphSetJson(datasetText) : parseGraphJson(datasetText);
    } catch (e) {
      this.post({ type: 'error', message: `Could not load ${config.dataset}: ${(e as Error).message}` });
      return;
    }
    const opened = await openBackend(config.backend, this.gpu, this.shaders, largestBuffer(data, config));
    if (gen !== this.generation) return opened.backend.destroy();
    this.backend = opened.backend;
    opened.lost?.then((why) => {
      if (gen !== this.generation) return;
      this.running = false;
      this.post({ type: 'error', message: `The GPU device was lost (${why}). Press Reset to start again; your settings are kept.` });
    });
    this.post({ type: 'backend', info: { kind: opened.backend.kind, adapter: opened.backend.description, notice: opened.notice } });
    try {
      if (task === 'graph') {
        const trainer = new GraphTrainer(opened.backend, data as GraphSet, config);
        this.summary = summarizeSet(data as GraphSet, trainer.split);
        this.trainer = trainer;
      } else {
        // Say so before building anything when the run cannot fit this adapter's buffers.
        const limits = opened.backend.limits ?? CPU_LIMITS;
        const memory = estimateTrainingMemory(config, graphCounts(data as Graph), limits);
        if (!memory.fits) {
          this.post({ type: 'error', message: `This graph and model need about ${mib(memory.totalBytes)} of GPU memory and do not fit this adapter: ${memory.reason.replace(/^does not fit: /, '')}. Try fewer layers or hidden units, or the CPU backend; your settings are kept.` });
          return;
        }
        this.post({ type: 'memory', estimatedBytes: memory.totalBytes, largestBuffer: memory.largestBuffer });
        this.summary = summarize(data as Graph);
        this.trainer = new Trainer(opened.backend, data as Graph, config);
        this.frames = new LayerFrames(data as Graph);
      }
      this.post({ type: 'graph', graph: this.summary });
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
    await this.advance(1, this.generation, true);
  }

  /** Answers with an `inspection` of `node` at the main run's current weights. */
  async inspect(node: number): Promise<void> {
    const gen = this.generation;
    const t = this.trainer;
    if (!(t instanceof Trainer)) {
      const reason = t ? 'The node inspector is for node classification.' : 'There is no trained model yet.';
      this.post({ type: 'inspection', node, inspection: null, reason });
      return;
    }
    try {
      const inspection = await inspectNode(t, node);
      if (gen === this.generation) this.post({ type: 'inspection', node, inspection }, buffersOf(inspection));
    } catch (e) {
      if (gen === this.generation) this.post({ type: 'inspection', node, inspection: null, reason: (e as Error).message });
    }
  }

  /** Answers with an `exported`: the main run's parameters (and layer outputs) at its newest epoch. */
  async export(): Promise<void> {
    const gen = this.generation;
    const t = this.trainer;
    if (!t) {
      this.post({ type: 'exported', run: null, reason: 'There is no trained model yet.' });
      return;
    }
    try {
      const run = await exportRun(t);
      if (gen === this.generation) this.post({ type: 'exported', run }, buffersOf(run));
      else this.post({ type: 'exported', run: null, reason: 'The run was reset while it was being exported.' });
    } catch (e) {
      this.post({ type: 'exported', run: null, reason: (e as Error).message });
    }
  }

  /** Starts a depth sweep (stopping one that runs); see `DepthSweep`. */
  startSweep(msg: Extract<ToWorker, { type: 'sweep' }>): void {
    this.cancelSweep();
    const t = this.trainer;
    if (!(t instanceof Trainer) || !this.backend || !this.config) {
      this.post({ type: 'sweepDone', cancelled: false, error: t ? 'The depth sweep is for node classification.' : 'Load a graph first.' });
      return;
    }
    const plan = sweepPlan(msg, this.config);
    if (typeof plan === 'string') {
      this.post({ type: 'sweepDone', cancelled: false, error: plan });
      return;
    }
    const sweep = new DepthSweep(this.backend, t.data.graph, this.config, plan, (m) => this.post(m));
    this.sweep = sweep;
    void sweep.run().finally(() => {
      if (this.sweep === sweep) this.sweep = null;
    });
  }

  /** Stops a running sweep and says so at once, so its end never arrives after a new sweep's first result. */
  cancelSweep(): void {
    if (!this.sweep) return;
    this.sweep.cancel();
    this.sweep = null;
    this.post({ type: 'sweepDone', cancelled: true });
  }

  private async loop(gen: number): Promise<void> {
    // On the GPU one batch stays in flight: the next is recorded and queued before the previous
    // one's numbers arrive, so the device is not left idle while the worker reads and posts. The
    // CPU backend runs ops as they are recorded, so there is nothing to overlap.
    const overlap = this.backend?.kind === 'webgpu';
    let previous: Promise<boolean> = Promise.resolve(true);
    while (this.running && gen === this.generation && this.trainer && !this.trainer.finished) {
      const t0 = performance.now();
      const current = this.advance(this.batch, gen, false);
      const ok = await (overlap ? previous : current);
      previous = overlap ? current : Promise.resolve(true);
      if (!ok) break;
      // Grow or shrink the batch so each progress message covers about REPORT_EVERY_MS.
      const perEpoch = (performance.now() - t0) / this.batch;
      this.batch = Math.max(1, Math.min(50, Math.round(REPORT_EVERY_MS / Math.max(perEpoch, 0.1))));
      await new Promise((r) => setTimeout(r, 0)); // let pause and step messages in
    }
    await previous;
  }

  /**
   * Records and queues up to `n` epochs at the call (before its first await), then, once their
   * numbers arrive, posts their reports and, when a frame is due (node classification), the
   * last one's layers; false once training is over or failed.
   */
  private async advance(n: number, gen: number, manual: boolean): Promise<boolean> {
    const t = this.trainer!;
    try {
      const steps = Math.min(n, t.opts.epochs - t.epochsDone);
      const frame = t instanceof Trainer && this.frames !== null
        && (manual || steps === t.opts.epochs - t.epochsDone || performance.now() - this.lastFrameAt >= this.frameGap);
      for (let i = 0; i < steps; i++) {
        if (t instanceof Trainer) t.step(frame && i === steps - 1);
        else t.step();
      }
      // What this batch ends with, fixed now: a later batch may be recorded before this one posts.
      const finished = t.finished;
      const collected = t.collect();
      const snapshot = frame && t instanceof Trainer ? t.snapshot() : null;
      // Awaited below only if this batch's numbers arrive for the current run; a new run destroys
      // the old backend under its reads, and that rejection is expected, not unhandled.
      snapshot?.catch(() => undefined);
      const got = await collected;
      const reports = got.reports;
      let predictions = got.predictions;
      // Graph classification predicts per graph; the page colours each drawn node by its graph's.
      const graphOf = this.summary?.graphOf;
      if (graphOf) predictions = Int32Array.from(graphOf, (g) => predictions[g]);
      if (gen !== this.generation) return false;
      if (finished) this.running = false;
      const best = t.bestResult;
      const memoryBytes = this.backend?.memoryInUse?.();
      this.post({ type: 'progress', reports, predictions, running: this.running, bestTestAcc: best.testAcc, bestEpoch: best.epoch, ...(memoryBytes !== undefined ? { memoryBytes } : {}) }, [predictions.buffer]);
      if (snapshot) {
        const snap = await snapshot;
        if (gen !== this.generation) return false;
        const start = performance.now(), first = this.lastFrameAt === -Infinity;
        const message = this.frames!.frame(snap);
        this.post(message, buffersOf(message));
        this.lastFrameAt = performance.now();
        // The first frame also projects the input, once: it says nothing about the next ones.
        if (!first) this.frameGap = Math.max(LAYERS_EVERY_MS, 4 * (this.lastFrameAt - start));
      }
      if (finished) this.post({ type: 'done' });
      return !finished;
    } catch (e) {
      // With a batch in flight behind a failed one, say it once.
      const first = this.running || manual;
      this.running = false;
      if (gen === this.generation && first) this.post({ type: 'error', message: (e as Error).message });
      return false;
    }
  }
}

/** Every typed array's buffer in a message made for one post (each listed once, as transfer requires). */
function buffersOf(value: unknown, out = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) buffersOf(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) buffersOf(v, out);
  }
  return [...out];
}

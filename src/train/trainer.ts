import type { Backend, Tensor } from '../engine/backend';
import { nllLoss } from '../engine/ops';
import { Adam, stepLr } from '../engine/optim';
import { Tape, Var } from '../engine/tape';
import { featureCount, type Graph } from '../graph/types';
import type { LayerInput } from '../models/layer';
import { type NodeModel, nodeModel } from '../models/nodeModel';
import { needsDenseInput } from '../models/spec';
import { DeviceGraph, withValues } from './deviceGraph';
import { LayerProbe, type LayerSnapshot } from './layerProbe';
import type { EpochReport, TrainConfig } from './protocol';

/** The training settings of a run: the page's config less what picks the data and backend. */
export type TrainOptions = Omit<TrainConfig, 'dataset' | 'backend'>;

/** What one collection reads back: the epochs' reports and the predictions after the newest. */
export interface Collected {
  readonly reports: EpochReport[];
  readonly predictions: Int32Array;
}

/**
 * Trains a node classifier epoch by epoch on one backend. An epoch records a training step (forward with
 * dropout, backward, Adam) and an evaluation pass (no dropout) that writes loss and accuracies
 * into a metrics tensor on the device; nothing is read back until `collect`, which queues the
 * copies and lets the next epochs be recorded while they are in flight.
 */
export class Trainer {
  readonly data: DeviceGraph;
  readonly model: NodeModel;
  private readonly optimizer: Adam;
  private readonly metrics: Tensor;
  private readonly preds: Tensor;
  private readonly probe: LayerProbe;
  private epoch = 0;
  private flushed = 0;
  private batchStart = 0;
  private arrivedAt = -Infinity;
  private previous: Promise<unknown> = Promise.resolve();
  private best = { valAcc: -1, testAcc: 0, epoch: 0 };

  constructor(readonly backend: Backend, graph: Graph, readonly opts: TrainOptions) {
    this.data = new DeviceGraph(backend, graph, needsDenseInput(opts));
    this.model = nodeModel(backend, opts, { inDim: featureCount(graph.features), classes: graph.numClasses, relations: 1 }, opts.seed);
    this.optimizer = new Adam(backend, this.model.parameters, opts.lr);
    this.metrics = backend.tensor(Math.max(opts.epochs, 1), 4, new Float32Array(Math.max(opts.epochs, 1) * 4));
    this.preds = backend.tensor(graph.numNodes, 1);
    this.probe = new LayerProbe(backend, this.model.layerNames, this.model.layerParameters);
  }

  get epochsDone(): number {
    return this.epoch;
  }

  get finished(): boolean {
    return this.epoch >= this.opts.epochs;
  }

  /**
   * Test accuracy at the first epoch with the best validation accuracy (PyG's examples/gcn.py),
   * or at the newest epoch when the graph has no validation nodes.
   */
  get bestResult(): { readonly valAcc: number; readonly testAcc: number; readonly epoch: number } {
    return this.best;
  }

  private input(training: boolean, tape: Tape): LayerInput {
    const f = this.data.features;
    if ('dense' in f) return { dense: new Var(f.dense, false) };
    if (!training || this.opts.dropout <= 0) return { sparse: f.sparse.pair };
    const dropped = tape.temp(f.sparse.values.rows, 1);
    this.backend.dropout(f.sparse.values, this.opts.dropout, this.model.inputKey(this.epoch), dropped);
    return { sparse: withValues(f.sparse.pair.a.structure, f.sparse.pair.aT.structure, dropped) };
  }

  /**
   * Records one epoch and submits it. With `capture`, the epoch's layer outputs (evaluation pass)
   * and per-layer gradient norms (training step) are also kept on the device for `snapshot`;
   * without it the epoch runs exactly the kernels it always did.
   */
  step(capture = false): void {
    if (this.finished) return;
    if (this.epoch === this.flushed) this.batchStart = performance.now();
    const { backend, data } = this;
    this.optimizer.lr = stepLr(this.opts.lr, this.epoch, this.opts.lrStep, this.opts.lrGamma);
    const tape = new Tape(backend);
    const targets = { labels: data.labels, splitOf: data.splitOf, maskBit: 1, count: data.splitSizes[0] };
    const logits = this.model.forward(tape, data.ctx, this.input(true, tape), true, this.epoch);
    nllLoss(tape, logits, targets, this.metrics, this.epoch);
    tape.runBackward();
    if (capture) this.probe.captureGradients(tape);
    this.optimizer.update();
    const evaluated = this.model.forwardLayers(tape, data.ctx, this.input(false, tape), false, this.epoch);
    backend.accuracy(evaluated.logits.value, data.labels, data.splitOf, data.splitSizes, this.preds, this.metrics, this.epoch);
    if (capture) this.probe.captureLayers(evaluated.layers, this.epoch + 1);
    tape.release();
    backend.submit();
    this.epoch++;
  }

  /**
   * Starts reading the reports of the epochs run since the last collection and the predictions
   * after the newest one. The copies are queued at once, so the next epochs can be recorded and
   * run while they are in flight; collections resolve in the order they were made.
   */
  collect(): Promise<Collected> {
    const from = this.flushed, to = this.epoch, startedAt = this.batchStart;
    this.flushed = to;
    const metrics = this.backend.readRows(this.metrics, from, to - from);
    const preds = this.backend.read(this.preds);
    const done = Promise.all([metrics, preds, this.previous]).then(([m, p]) => {
      // Time from the later of this batch's start and the previous batch's arrival: with batches
      // in flight back to back that is the device's time per epoch, not the recording's.
      const now = performance.now();
      const ms = (now - Math.max(startedAt, this.arrivedAt)) / Math.max(to - from, 1);
      this.arrivedAt = now;
      const reports: EpochReport[] = [];
      for (let e = from; e < to; e++) {
        const i = (e - from) * 4;
        const r = { epoch: e + 1, loss: m[i], trainAcc: m[i + 1], valAcc: m[i + 2], testAcc: m[i + 3], ms };
        // Without a validation split (Karate) the newest epoch stands.
        const better = this.opts.selection === 'best-val' && this.data.splitSizes[1] > 0 ? r.valAcc > this.best.valAcc : true;
        if (better) this.best = { valAcc: r.valAcc, testAcc: r.testAcc, epoch: r.epoch };
        reports.push(r);
      }
      return { reports, predictions: Int32Array.from(p) };
    });
    this.previous = done.then(() => undefined, () => undefined);
    return done;
  }

  /** The reports of the epochs run since the last collection (waits for the device). */
  async flush(): Promise<EpochReport[]> {
    return (await this.collect()).reports;
  }

  /**
   * The newest captured epoch (see `step`): each layer's output over every node and its
   * gradient norm. Waits for the device; rejects if no epoch was captured yet.
   */
  snapshot(): Promise<LayerSnapshot> {
    return this.probe.read();
  }

  /** Predicted class per node after the newest epoch. */
  async predictions(): Promise<Int32Array> {
    return Int32Array.from(await this.backend.read(this.preds));
  }
}

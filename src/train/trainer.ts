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

/**
 * Trains a node classifier epoch by epoch on one backend. An epoch records a training step (forward with
 * dropout, backward, Adam) and an evaluation pass (no dropout) that writes loss and accuracies
 * into a metrics tensor on the device; nothing is read back until `flush`, so the GPU is never
 * waited on inside an epoch.
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

  /** Reads the reports of the epochs run since the last flush (waits for the device). */
  async flush(): Promise<EpochReport[]> {
    if (this.epoch === this.flushed) return [];
    const m = await this.backend.read(this.metrics);
    const ms = (performance.now() - this.batchStart) / (this.epoch - this.flushed);
    const reports: EpochReport[] = [];
    for (let e = this.flushed; e < this.epoch; e++) {
      const r = { epoch: e + 1, loss: m[e * 4], trainAcc: m[e * 4 + 1], valAcc: m[e * 4 + 2], testAcc: m[e * 4 + 3], ms };
      // Without a validation split (Karate) the newest epoch stands.
      const better = this.opts.selection === 'best-val' && this.data.splitSizes[1] > 0 ? r.valAcc > this.best.valAcc : true;
      if (better) this.best = { valAcc: r.valAcc, testAcc: r.testAcc, epoch: r.epoch };
      reports.push(r);
    }
    this.flushed = this.epoch;
    return reports;
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

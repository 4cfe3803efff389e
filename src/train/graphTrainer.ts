import type { Backend, SplitSizes, Tensor } from '../engine/backend';
import { nllLoss } from '../engine/ops';
import { Adam, stepLr } from '../engine/optim';
import { Tape, Var } from '../engine/tape';
import { type GraphBatch, batchGraphs } from '../graph/batch';
import { cvSplit, mulberry32 } from '../graph/folds';
import type { GraphSet } from '../graph/graphSet';
import type { Split } from '../graph/types';
import { GraphContext } from '../models/graphContext';
import { GraphNet } from '../models/graphNet';
import type { EpochReport } from './protocol';
import type { Collected, TrainOptions } from './trainer';

/** A batch of graphs on the backend: its structures (via the context), features and targets. */
class DeviceBatch {
  readonly ctx: GraphContext;
  readonly x: Tensor;
  readonly labels: Tensor;
  readonly splitOf: Tensor;

  constructor(readonly backend: Backend, readonly batch: GraphBatch, splitOf: Int32Array) {
    this.ctx = new GraphContext(backend, batch.inCsr, batch.relations?.map((r) => r.inCsr), batch.pool);
    this.x = backend.tensor(batch.numNodes, batch.numFeatures, batch.features);
    this.labels = backend.intTensor(batch.numGraphs, 1, batch.labels);
    this.splitOf = backend.intTensor(batch.numGraphs, 1, splitOf);
  }

  release(): void {
    this.ctx.release();
    for (const t of [this.x, this.labels, this.splitOf]) this.backend.release(t);
  }
}

/**
 * Graph classification on one fold of a stratified k-fold cross-validation. An epoch is a pass
 * over the training graphs in seeded random mini-batches (one upload, forward, backward and Adam
 * step each), then one evaluation of the validation and test graphs as a single batch. Training
 * accuracy is that of the mini-batches as they were trained (dropout on, weights moving), the
 * running accuracy Keras reports, so evaluation never re-reads the training set. A run reports
 * the test accuracy of the epoch with the best validation accuracy, the lowest validation loss
 * breaking ties. Like the node trainer, nothing is read back until `collect`.
 *
 * It keeps no layer snapshots: the page's per-layer views (embeddings, energy, the inspector,
 * the depth sweep) are for node classification, where a layer's rows are the nodes drawn; here
 * they would be a batch's nodes, not the sample of graphs the page shows.
 */
export class GraphTrainer {
  readonly split: Split;
  readonly model: GraphNet;
  private readonly optimizer: Adam;
  private readonly evalSet: DeviceBatch;
  /** Position of each set graph in the evaluation batch, or -1. */
  private readonly evalIndex: Int32Array;
  private readonly batchPreds: Tensor;
  private readonly metrics: Tensor;
  private readonly losses: Tensor;
  private readonly preds: Tensor;
  private readonly perEpoch: number;
  private readonly sizes: SplitSizes;
  private epoch = 0;
  private flushed = 0;
  private batchStart = 0;
  private arrivedAt = -Infinity;
  private previous: Promise<unknown> = Promise.resolve();
  private best = { valAcc: -1, testAcc: 0, epoch: 0, valLoss: Infinity };

  constructor(readonly backend: Backend, readonly set: GraphSet, readonly opts: TrainOptions) {
    this.split = cvSplit(set.graphLabels, opts.folds, opts.fold, opts.seed);
    this.model = new GraphNet(backend, opts, { inDim: set.numFeatures, classes: set.numClasses, relations: Math.max(set.numEdgeTypes, 1) }, opts.seed);
    this.optimizer = new Adam(backend, this.model.parameters, opts.lr);
    const evalIds = Uint32Array.from([...this.split.test, ...this.split.val]);
    const splitOf = Int32Array.from(evalIds, (_, i) => (i < this.split.test.length ? 3 : 2));
    this.evalSet = new DeviceBatch(backend, batchGraphs(set, evalIds), splitOf);
    this.evalIndex = new Int32Array(set.numGraphs).fill(-1);
    evalIds.forEach((g, i) => (this.evalIndex[g] = i));
    this.batchPreds = backend.tensor(opts.batchSize, 1);
    this.sizes = [this.split.train.length, this.split.val.length, this.split.test.length];
    this.perEpoch = Math.ceil(this.split.train.length / opts.batchSize);
    const epochs = Math.max(opts.epochs, 1);
    this.metrics = backend.tensor(epochs, 4, new Float32Array(epochs * 4));
    this.losses = backend.tensor(epochs * this.perEpoch, 4, new Float32Array(epochs * this.perEpoch * 4));
    this.preds = backend.tensor(evalIds.length, 1);
  }

  get epochsDone(): number {
    return this.epoch;
  }

  get finished(): boolean {
    return this.epoch >= this.opts.epochs;
  }

  get bestResult(): { readonly valAcc: number; readonly testAcc: number; readonly epoch: number } {
    return this.best;
  }

  /** This epoch's training graphs in a seeded order (Fisher-Yates). */
  private order(): Uint32Array {
    const order = this.split.train.slice();
    const next = mulberry32(Math.imul(this.opts.seed + 1, 0x85ebca6b) ^ this.epoch);
    for (let i = order.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }

  step(): void {
    if (this.finished) return;
    if (this.epoch === this.flushed) this.batchStart = performance.now();
    const { backend, opts } = this;
    const order = this.order();
    this.optimizer.lr = stepLr(opts.lr, this.epoch, opts.lrStep, opts.lrGamma);
    for (let b = 0; b < this.perEpoch; b++) {
      const ids = order.subarray(b * opts.batchSize, (b + 1) * opts.batchSize);
      const batch = new DeviceBatch(backend, batchGraphs(this.set, ids), new Int32Array(ids.length).fill(1));
      const tape = new Tape(backend);
      const stepIndex = this.epoch * this.perEpoch + b;
      const logits = this.model.forward(tape, batch.ctx, { dense: new Var(batch.x, false) }, true, stepIndex);
      const targets = { labels: batch.labels, splitOf: batch.splitOf, maskBit: 1, count: ids.length };
      nllLoss(tape, logits, targets, this.losses, stepIndex);
      backend.accuracy(logits.value, batch.labels, batch.splitOf, [ids.length, 0, 0], this.batchPreds, this.losses, stepIndex);
      tape.runBackward();
      this.optimizer.update();
      tape.release();
      backend.submit();
      batch.release();
    }
    const tape = new Tape(backend);
    const logits = this.model.forward(tape, this.evalSet.ctx, { dense: new Var(this.evalSet.x, false) }, false, 0);
    // The validation loss goes where the node trainer keeps its training loss: slot 0.
    if (this.sizes[1] > 0) {
      const targets = { labels: this.evalSet.labels, splitOf: this.evalSet.splitOf, maskBit: 2, count: this.sizes[1] };
      nllLoss(tape, logits, targets, this.metrics, this.epoch);
    }
    backend.accuracy(logits.value, this.evalSet.labels, this.evalSet.splitOf, this.sizes, this.preds, this.metrics, this.epoch);
    tape.release();
    backend.submit();
    this.epoch++;
  }

  /**
   * Starts reading the reports since the last collection (training loss and accuracy over each
   * epoch's batches, weighted by size; val/test accuracy) and the newest predictions per graph;
   * as the node trainer's, the copies are queued at once and collections resolve in order.
   */
  collect(): Promise<Collected> {
    const from = this.flushed, to = this.epoch, startedAt = this.batchStart, per = this.perEpoch;
    this.flushed = to;
    const metrics = this.backend.readRows(this.metrics, from, to - from);
    const losses = this.backend.readRows(this.losses, from * per, (to - from) * per);
    const preds = this.backend.read(this.preds);
    const done = Promise.all([metrics, losses, preds, this.previous]).then(([m, l, p]) => {
      const now = performance.now();
      const ms = (now - Math.max(startedAt, this.arrivedAt)) / Math.max(to - from, 1);
      this.arrivedAt = now;
      const reports: EpochReport[] = [];
      for (let e = from; e < to; e++) {
        let loss = 0, hits = 0;
        for (let b = 0; b < per; b++) {
          const size = Math.min(this.opts.batchSize, this.sizes[0] - b * this.opts.batchSize);
          loss += l[((e - from) * per + b) * 4] * size;
          hits += l[((e - from) * per + b) * 4 + 1] * size;
        }
        const n = Math.max(this.sizes[0], 1), i = (e - from) * 4;
        const r = { epoch: e + 1, loss: loss / n, trainAcc: hits / n, valAcc: m[i + 2], testAcc: m[i + 3], valLoss: m[i], ms };
        // A few dozen validation graphs tie on accuracy often; the lower loss breaks the tie.
        const better = this.opts.selection === 'best-val' && this.sizes[1] > 0
          ? r.valAcc > this.best.valAcc || (r.valAcc === this.best.valAcc && r.valLoss < this.best.valLoss)
          : true;
        if (better) this.best = { valAcc: r.valAcc, testAcc: r.testAcc, epoch: r.epoch, valLoss: r.valLoss };
        reports.push(r);
      }
      return { reports, predictions: Int32Array.from(this.evalIndex, (i) => (i < 0 ? -1 : p[i])) };
    });
    this.previous = done.then(() => undefined, () => undefined);
    return done;
  }

  /** The reports since the last collection (waits for the device). */
  async flush(): Promise<EpochReport[]> {
    return (await this.collect()).reports;
  }

  /** Predicted class per graph of the set after the newest epoch; -1 for training graphs. */
  async predictions(): Promise<Int32Array> {
    const p = await this.backend.read(this.preds);
    return Int32Array.from(this.evalIndex, (i) => (i < 0 ? -1 : p[i]));
  }
}

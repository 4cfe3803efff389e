/**
 * The benchmark's peer: PyG's examples/gcn.py model (2 GCN layers, 16 hidden, ReLU, dropout 0.5
 * on the input and after the first layer, Adam lr 0.01, weight decay 5e-4 on the first layer
 * only) written with TensorFlow.js 4.22 ops, as a TF.js user would write message passing:
 * gather the source rows, multiply by the normalized edge weights, unsortedSegmentSum into the
 * destinations, dense matmul for the weights; tf.train.adam and TF.js's autodiff.
 *
 * This file is the entry of a bundle (see peers.ts): TF.js's ESM files import without file
 * extensions, which Node cannot load, so esbuild bundles this module with every TF.js package
 * into one file, sharing one tfjs-core. The WebGPU backend registers itself only if
 * `navigator.gpu` exists when its module runs, so the bundle must be imported after the caller
 * has set navigator.gpu (Dawn).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type PeerBackend = 'webgpu' | 'wasm' | 'cpu';

/** What the peer is given: the same data our trainer sees, already normalized on the host. */
export interface PeerData {
  readonly nodes: number;
  readonly features: number;
  readonly classes: number;
  /** Row-normalized features, dense, nodes x features. */
  readonly x: Float32Array;
  /** gcn_norm with self loops, as edge lists: message from src[k] to dst[k] with weight w[k]. */
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly w: Float32Array;
  readonly labels: Int32Array;
  /** 1 train, 2 val, 3 test, 0 none. */
  readonly splitOf: Int32Array;
}

export interface PeerRun {
  readonly backend: PeerBackend;
  readonly epochs: number;
  /** Wall time per timed epoch (train step + eval pass), ms: the batch's time over its epochs. */
  readonly epochMs: number;
  /** Training loss of every epoch, warm-up epochs first. */
  readonly losses: number[];
  /** Test accuracy at the first epoch with the best validation accuracy (PyG's gcn.py), and that epoch. */
  readonly bestValAcc: number;
  readonly testAcc: number;
  readonly bestEpoch: number;
  /** Whether UnsortedSegmentSum is our plain scatter-add rather than TF.js's own kernel. */
  readonly scatterAddKernel: boolean;
}

let scatterAddFor: Set<string> | null = null;

/**
 * A plain scatter-add for UnsortedSegmentSum on the WASM backend (which has none in 4.22.0, so
 * the gradient of gather fails there too) and on the CPU backend (whose kernel loops over every
 * segment, about 45 s a call on Cora). It runs on the host in JavaScript: one pass over the rows.
 */
function registerScatterAdd(): void {
  if (scatterAddFor) return;
  scatterAddFor = new Set();
  for (const backendName of ['wasm', 'cpu'] as const) {
    if (tf.getKernel('UnsortedSegmentSum', backendName)) tf.unregisterKernel('UnsortedSegmentSum', backendName);
    tf.registerKernel({
      kernelName: 'UnsortedSegmentSum',
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
        const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
        const width = x.shape.slice(1).reduce((a, b) => a * b, 1);
        const outShape = [numSegments, ...x.shape.slice(1)];
        if (backendName === 'wasm') {
          const be = backend as unknown as {
            typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array;
            makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
          };
          const xs = be.typedArrayFromHeap(x) as Float32Array, ids = be.typedArrayFromHeap(segmentIds) as Int32Array;
          const out = be.makeOutput(outShape, x.dtype);
          const o = be.typedArrayFromHeap(out) as Float32Array;
          o.fill(0);
          scatter(xs, ids, o, width, numSegments);
          return out;
        }
        const be = backend as unknown as {
          data: { get(id: tf.DataId): { values: Float32Array | Int32Array } };
          makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
        };
        const xs = be.data.get(x.dataId).values as Float32Array, ids = be.data.get(segmentIds.dataId).values as Int32Array;
        const o = new Float32Array(numSegments * width);
        scatter(xs, ids, o, width, numSegments);
        return be.makeTensorInfo(outShape, x.dtype, o);
      },
    });
    scatterAddFor.add(backendName);
  }
}

function scatter(xs: Float32Array, ids: Int32Array, o: Float32Array, width: number, segments: number): void {
  for (let r = 0; r < ids.length; r++) {
    const s = ids[r];
    if (s < 0 || s >= segments) continue;
    const xo = r * width, oo = s * width;
    for (let c = 0; c < width; c++) o[oo + c] += xs[xo + c];
  }
}

/** Makes `name` the active TF.js backend; `wasmDir` holds the .wasm files (a directory, '/'-ended). */
export async function useBackend(name: PeerBackend, wasmDir: string): Promise<string> {
  registerScatterAdd();
  if (name === 'wasm') setWasmPaths(wasmDir);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TF.js backend '${name}' did not start`);
  await tf.ready();
  return tf.getBackend();
}

/** Glorot uniform, as PyG's GCNConv initializes its weight (TF.js's seeded generator). */
function glorot(rows: number, cols: number, seed: number): tf.Variable {
  const a = Math.sqrt(6 / (rows + cols));
  return tf.variable(tf.randomUniform([rows, cols], -a, a, 'float32', seed));
}

/**
 * Trains the GCN for `warm + epochs` epochs on the active backend; each epoch is one Adam step on
 * the training loss and one evaluation pass without dropout. The `warm` epochs are run and waited
 * for first; then the timed epochs are recorded and waited for once, as our trainer runs them.
 */
export async function trainGcn(
  d: PeerData, opts: { epochs: number; warm: number; seed: number; hidden?: number; inputDropout?: boolean },
): Promise<PeerRun> {
  const inputDropout = opts.inputDropout ?? true;
  const hidden = opts.hidden ?? 16;
  const backend = tf.getBackend() as PeerBackend;
  const x = tf.tensor2d(d.x, [d.nodes, d.features]);
  const src = tf.tensor1d(d.src, 'int32'), dst = tf.tensor1d(d.dst, 'int32');
  const w = tf.tensor2d(d.w, [d.w.length, 1]);
  const labels = tf.oneHot(tf.tensor1d(d.labels, 'int32'), d.classes);
  const split = tf.tensor1d(d.splitOf, 'int32');
  const masks = [1, 2, 3].map((s) => tf.cast(tf.equal(split, s), 'float32'));
  const counts = [1, 2, 3].map((s) => d.splitOf.reduce((n, v) => n + (v === s ? 1 : 0), 0));

  const w1 = glorot(d.features, hidden, opts.seed), b1 = tf.variable(tf.zeros([1, hidden]));
  const w2 = glorot(hidden, d.classes, opts.seed + 1), b2 = tf.variable(tf.zeros([1, d.classes]));
  const optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-8);

  /** Â h: each edge's source row times its weight, summed into its destination. */
  const propagate = (h: tf.Tensor2D): tf.Tensor2D => tf.unsortedSegmentSum(tf.mul(tf.gather(h, src), w), dst, d.nodes) as tf.Tensor2D;
  const forward = (training: boolean, epoch: number): tf.Tensor2D => {
    const drop = (t: tf.Tensor2D, site: number) => (training ? (tf.dropout(t, 0.5, undefined, opts.seed * 7919 + epoch * 2 + site) as tf.Tensor2D) : t);
    const h1 = tf.relu(tf.add(propagate(tf.matMul(inputDropout ? drop(x, 0) : x, w1)), b1)) as tf.Tensor2D;
    return tf.add(propagate(tf.matMul(drop(h1, 1), w2)), b2) as tf.Tensor2D;
  };
  /** Masked mean NLL of log-softmax, plus 5e-4 / 2 |conv1|^2 (torch's Adam weight_decay on conv1 only). */
  const loss = (logits: tf.Tensor2D): tf.Scalar => {
    const nll = tf.neg(tf.sum(tf.mul(tf.sum(tf.mul(tf.logSoftmax(logits), labels), 1), masks[0])));
    const decay = tf.mul(0.5 * 5e-4, tf.add(tf.sum(tf.square(w1)), tf.sum(tf.square(b1))));
    return tf.add(tf.div(nll, counts[0]), decay) as tf.Scalar;
  };
  // The loss printed is the data term only, as ours reports it.
  const dataLoss = (logits: tf.Tensor2D): tf.Scalar =>
    tf.div(tf.neg(tf.sum(tf.mul(tf.sum(tf.mul(tf.logSoftmax(logits), labels), 1), masks[0]))), counts[0]) as tf.Scalar;

  const step = (e: number): { loss: tf.Scalar; accs: tf.Tensor1D } => {
    let lossValue: tf.Scalar | null = null;
    optimizer.minimize(() => {
      const logits = forward(true, e);
      lossValue = tf.keep(dataLoss(logits));
      return loss(logits);
    }, false, [w1, b1, w2, b2]);
    const accs = tf.tidy(() => {
      const correct = tf.cast(tf.equal(tf.argMax(forward(false, e), 1), tf.argMax(labels, 1)), 'float32');
      return tf.stack(masks.map((m, i) => tf.div(tf.sum(tf.mul(correct, m)), counts[i]))) as tf.Tensor1D;
    });
    return { loss: lossValue!, accs };
  };
  // Like ours, nothing is read back between epochs: the kept scalars are read after the batch.
  const kept: { loss: tf.Scalar; accs: tf.Tensor1D }[] = [];
  for (let e = 0; e < opts.warm; e++) kept.push(step(e));
  await kept[kept.length - 1]?.accs.data();
  const t0 = performance.now();
  for (let e = opts.warm; e < opts.warm + opts.epochs; e++) kept.push(step(e));
  await kept[kept.length - 1].accs.data();
  const ms = (performance.now() - t0) / opts.epochs;

  const losses: number[] = [];
  let best = { valAcc: -1, testAcc: 0, epoch: 0 };
  for (const [i, k] of kept.entries()) {
    const [l, a] = [await k.loss.data(), await k.accs.data()];
    losses.push(l[0]);
    if (a[1] > best.valAcc) best = { valAcc: a[1], testAcc: a[2], epoch: i + 1 };
  }
  tf.dispose(kept.flatMap((k) => [k.loss, k.accs]));
  tf.dispose([x, src, dst, w, labels, split, ...masks, w1, b1, w2, b2]);
  optimizer.dispose();
  return {
    backend,
    epochs: opts.epochs,
    epochMs: ms,
    losses,
    bestValAcc: best.valAcc,
    testAcc: best.testAcc,
    bestEpoch: best.epoch,
    scatterAddKernel: scatterAddFor?.has(backend) ?? false,
  };
}

/** The active backend, and for WebGPU the adapter TF.js opened (vendor and architecture). */
export function describeBackend(): string {
  const name = tf.getBackend();
  const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
  return info?.vendor ? `${name} on ${[info.vendor, info.architecture].filter(Boolean).join(' ')}` : name;
}

/** TF.js's version, for the tables. */
export const tfjsVersion: string = tf.version_core;

/** TF.js itself, for diagnostics. */
export { tf };

import type { Csr } from '../../graph/types';
import type {
  Activation, AdamParams, Backend, BinaryOp, FusedDropout, Message, Reducer, SddmmOp, SparseMatrix, SparseStructure,
  SplitSizes, Tensor, UnaryOp,
} from '../backend';
import type { AdamRun, PackedTensors } from '../backend';
import { packLayout } from '../packing';
import { uniformAt } from '../rng';
import * as mp from './messagePassing';
import { activate, activateBackward, binaryOp, broadcastIndex, checkBroadcast, unaryOp } from './pointwise';

/** A CPU tensor: f32 data, or i32 bits for integer tensors. */
export class CpuTensor implements Tensor {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly dtype: 'f32' | 'i32',
    readonly data: Float32Array,
    readonly ints: Int32Array,
  ) {}
}

/** A packed group: its tensors are subarray views of `data`. */
class CpuPacked implements PackedTensors {
  constructor(readonly tensors: readonly Tensor[], readonly offsets: readonly number[], readonly data: Float32Array) {}
  get length(): number { return this.data.length; }
}

export class CpuSparse implements SparseStructure {
  readonly nnz: number;
  readonly hasPerm: boolean;
  constructor(readonly csr: Csr) {
    this.nnz = csr.indices.length;
    this.hasPerm = csr.perm !== undefined;
  }
  get rows(): number { return this.csr.rows; }
  get cols(): number { return this.csr.cols; }
}

const f = (t: Tensor): Float32Array => (t as CpuTensor).data;
const ints = (t: Tensor): Int32Array => (t as CpuTensor).ints;
const csrOf = (s: SparseStructure) => (s as CpuSparse).csr;

/**
 * The reference backend: plain loops in the same order and f32 storage as the WGSL kernels, so
 * any op can be checked against it and training runs where WebGPU is missing.
 */
export class CpuBackend implements Backend {
  readonly kind = 'cpu' as const;
  readonly description = 'CPU (TypeScript reference backend)';

  tensor(rows: number, cols: number, data?: Float32Array): Tensor {
    const d = new Float32Array(rows * cols);
    if (data) d.set(data.subarray(0, rows * cols));
    return new CpuTensor(rows, cols, 'f32', d, new Int32Array(d.buffer));
  }

  intTensor(rows: number, cols: number, data?: Int32Array | Uint32Array): Tensor {
    const d = new Int32Array(rows * cols);
    if (data) d.set(new Int32Array(data.buffer, data.byteOffset, rows * cols));
    return new CpuTensor(rows, cols, 'i32', new Float32Array(d.buffer), d);
  }

  sparse(csr: Csr): SparseStructure { return new CpuSparse(csr); }
  release(): void {}
  releaseSparse(): void {}
  async read(t: Tensor): Promise<Float32Array> { return f(t).slice(); }
  async readInts(t: Tensor): Promise<Int32Array> { return ints(t).slice(); }
  async readRows(t: Tensor, start: number, count: number): Promise<Float32Array> {
    if (start < 0 || count < 0 || start + count > t.rows) throw new Error(`readRows: rows ${start}..${start + count} of a ${t.rows}-row tensor`);
    return f(t).slice(start * t.cols, (start + count) * t.cols);
  }
  submit(): void {}
  destroy(): void {}

  spmm(a: SparseMatrix, x: Tensor, out: Tensor): void {
    const { csr } = a.structure as CpuSparse;
    const vals = a.values ? f(a.values) : null;
    const w = x.cols, xs = f(x), o = f(out);
    for (let r = 0; r < csr.rows; r++) {
      for (let c = 0; c < w; c++) {
        let acc = 0;
        for (let k = csr.indptr[r]; k < csr.indptr[r + 1]; k++) {
          const v = vals ? vals[csr.perm ? csr.perm[k] : k] : 1;
          acc = Math.fround(acc + Math.fround(v * xs[csr.indices[k] * w + c]));
        }
        o[r * w + c] = acc;
      }
    }
  }

  gemm(a: Tensor, b: Tensor, out: Tensor, transA: boolean, transB: boolean): void {
    const m = out.rows, n = out.cols, k = transA ? a.rows : a.cols;
    const A = f(a), B = f(b), o = f(out);
    // Row by row, k outer and j inner: every output still sums t = 0..k-1 in order (the GPU's
    // order), but the inner loop walks memory contiguously.
    const acc = new Float32Array(n);
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      for (let t = 0; t < k; t++) {
        const av = transA ? A[t * m + i] : A[i * k + t];
        if (transB) for (let j = 0; j < n; j++) acc[j] += Math.fround(av * B[j * k + t]);
        else for (let j = 0, bo = t * n; j < n; j++) acc[j] += Math.fround(av * B[bo + j]);
      }
      o.set(acc, i * n);
    }
  }

  gspmm(a: SparseStructure, msg: Message, reduce: Reducer, x: Tensor | null, e: Tensor | null, out: Tensor, arg: Tensor | null): void {
    if ((reduce === 'max' || reduce === 'min') !== (arg !== null)) throw new Error(`gspmm ${reduce}: arg must be given exactly for max and min`);
    mp.gspmm(csrOf(a), msg, reduce, x && f(x), out.cols, e && f(e), e ? e.cols : 0, f(out), arg && ints(arg));
  }

  gspmmArgBackward(aT: SparseStructure, arg: Tensor, g: Tensor, e: Tensor | null, out: Tensor): void {
    mp.gspmmArgBackward(csrOf(aT), ints(arg), f(g), out.cols, e && f(e), e ? e.cols : 0, f(out));
  }

  sddmm(a: SparseStructure, op: SddmmOp, u: Tensor | null, v: Tensor | null, heads: number, out: Tensor): void {
    const w = (u ?? v)!.cols;
    mp.sddmm(csrOf(a), op, u && f(u), v && f(v), w, heads, f(out));
  }

  edgeSoftmax(a: SparseStructure, e: Tensor, out: Tensor): void {
    mp.edgeSoftmax(csrOf(a), f(e), e.cols, f(out));
  }

  edgeSoftmaxBackward(a: SparseStructure, y: Tensor, g: Tensor, out: Tensor): void {
    mp.edgeSoftmaxBackward(csrOf(a), f(y), f(g), y.cols, f(out));
  }

  biasAct(x: Tensor, bias: Tensor, act: Activation, out: Tensor): void {
    const X = f(x), b = f(bias), o = f(out), w = x.cols;
    for (let i = 0; i < X.length; i++) o[i] = activate(act, Math.fround(X[i] + b[i % w]));
  }

  spmmBiasAct(a: SparseMatrix, x: Tensor, bias: Tensor, act: Activation, out: Tensor, drop: FusedDropout | null): void {
    // The unfused ops in place: the GPU's fused kernels must match them bit for bit.
    this.spmm(a, x, out);
    this.biasAct(out, bias, act, out);
    if (drop) this.dropout(out, drop.prob, drop.key, drop.out);
  }

  activation(act: Activation, x: Tensor, out: Tensor): void {
    const X = f(x), o = f(out);
    for (let i = 0; i < X.length; i++) o[i] = activate(act, X[i]);
  }

  activationBackward(act: Activation, y: Tensor, g: Tensor, out: Tensor): void {
    const Y = f(y), G = f(g), o = f(out);
    for (let i = 0; i < Y.length; i++) o[i] = activateBackward(act, Y[i], G[i]);
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
    checkBroadcast(a.rows, a.cols, b.rows, b.cols);
    const A = f(a), B = f(b), o = f(out);
    for (let r = 0; r < a.rows; r++) {
      for (let c = 0; c < a.cols; c++) {
        const i = r * a.cols + c;
        o[i] = binaryOp(op, A[i], B[broadcastIndex(b.rows, b.cols, r, c)]);
      }
    }
  }

  unary(op: UnaryOp, x: Tensor, out: Tensor): void {
    const X = f(x), o = f(out);
    for (let i = 0; i < X.length; i++) o[i] = unaryOp(op, X[i]);
  }

  scale(x: Tensor, alpha: number, beta: number, out: Tensor): void {
    const X = f(x), o = f(out), al = Math.fround(alpha), be = Math.fround(beta);
    for (let i = 0; i < X.length; i++) o[i] = Math.fround(Math.fround(al * X[i]) + be);
  }

  copyCols(x: Tensor, xOffset: number, out: Tensor, outOffset: number, width: number): void {
    const X = f(x), o = f(out);
    for (let r = 0; r < x.rows; r++) {
      for (let c = 0; c < width; c++) o[r * out.cols + outOffset + c] = X[r * x.cols + xOffset + c];
    }
  }

  rowSum(x: Tensor, out: Tensor): void {
    const X = f(x), o = f(out), w = x.cols;
    for (let r = 0; r < x.rows; r++) {
      let acc = 0;
      for (let c = 0; c < w; c++) acc = Math.fround(acc + X[r * w + c]);
      o[r] = acc;
    }
  }

  reluBackward(y: Tensor, g: Tensor, out: Tensor): void {
    const Y = f(y), G = f(g), o = f(out);
    for (let i = 0; i < Y.length; i++) o[i] = Y[i] > 0 ? G[i] : 0;
  }

  add(a: Tensor, b: Tensor, out: Tensor): void {
    this.binary('add', a, b, out);
  }

  dropout(x: Tensor, prob: number, key: number, out: Tensor): void {
    const X = f(x), o = f(out);
    const p = Math.fround(prob), scale = Math.fround(1 / (1 - prob));
    for (let i = 0; i < X.length; i++) o[i] = uniformAt(key, i) >= p ? Math.fround(X[i] * scale) : 0;
  }

  copy(x: Tensor, out: Tensor): void { f(out).set(f(x)); }

  colSum(x: Tensor, out: Tensor): void {
    const X = f(x), o = f(out), w = x.cols;
    for (let c = 0; c < w; c++) {
      let acc = 0;
      for (let r = 0; r < x.rows; r++) acc += X[r * w + c];
      o[c] = acc;
    }
  }

  nllLoss(
    logits: Tensor, labels: Tensor, splitOf: Tensor, maskBit: number, count: number,
    grad: Tensor, scratch: Tensor, metrics: Tensor, slot: number,
  ): void {
    const Z = f(logits), y = ints(labels), s = ints(splitOf), g = f(grad), C = logits.cols;
    const inv = Math.fround(1 / count);
    const rowLoss = f(scratch);
    let total = 0;
    for (let r = 0; r < logits.rows; r++) {
      const base = r * C;
      if (s[r] !== maskBit) {
        g.fill(0, base, base + C);
        rowLoss[r] = 0;
        continue;
      }
      const lse = rowLogSumExp(Z, base, C);
      for (let c = 0; c < C; c++) {
        g[base + c] = (Math.exp(Z[base + c] - lse) - (c === y[r] ? 1 : 0)) * inv;
      }
      rowLoss[r] = lse - Z[base + y[r]];
      total += rowLoss[r];
    }
    f(metrics)[slot * 4] = total * inv;
  }

  accuracy(
    logits: Tensor, labels: Tensor, splitOf: Tensor, sizes: SplitSizes,
    preds: Tensor, metrics: Tensor, slot: number,
  ): void {
    const Z = f(logits), y = ints(labels), s = ints(splitOf), P = f(preds), C = logits.cols;
    const hits = [0, 0, 0, 0];
    for (let r = 0; r < logits.rows; r++) {
      const best = rowArgmax(Z, r * C, C);
      P[r] = best;
      if (s[r] !== 0 && best === y[r]) hits[s[r]]++;
    }
    const m = f(metrics);
    for (let k = 1; k < 4; k++) m[slot * 4 + k] = hits[k] / Math.max(sizes[k - 1], 1);
  }

  adam(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void {
    const P = f(param);
    adamSpan(P, f(grad), f(m), f(v), 0, P.length, p.weightDecay, p);
  }

  packTensors(shapes: readonly (readonly [number, number])[], data?: readonly (Float32Array | undefined)[]): PackedTensors {
    const { offsets, length } = packLayout(shapes);
    const all = new Float32Array(length);
    const tensors = shapes.map(([r, c], k) => {
      const view = all.subarray(offsets[k], offsets[k] + r * c);
      const init = data?.[k];
      if (init) view.set(init.subarray(0, r * c));
      return new CpuTensor(r, c, 'f32', view, new Int32Array(all.buffer, view.byteOffset, r * c));
    });
    return new CpuPacked(tensors, offsets, all);
  }

  releasePacked(): void {}

  adamPacked(param: PackedTensors, grad: PackedTensors, m: PackedTensors, v: PackedTensors, runs: readonly AdamRun[], p: AdamParams): void {
    const [P, G, M, V] = [param, grad, m, v].map((g) => (g as CpuPacked).data);
    for (const r of runs) adamSpan(P, G, M, V, r.offset, r.offset + r.length, r.weightDecay, p);
  }
}

/** torch.optim.Adam's update of elements [from, to): the one loop both Adam ops share, so their bits agree. */
function adamSpan(P: Float32Array, G: Float32Array, M: Float32Array, V: Float32Array, from: number, to: number, weightDecay: number, p: AdamParams): void {
  const bc1 = 1 - p.beta1 ** p.step, sbc2 = Math.sqrt(1 - p.beta2 ** p.step);
  for (let i = from; i < to; i++) {
    const g = G[i] + weightDecay * P[i];
    M[i] = p.beta1 * M[i] + (1 - p.beta1) * g;
    V[i] = p.beta2 * V[i] + (1 - p.beta2) * g * g;
    const denom = Math.sqrt(V[i]) / sbc2 + p.eps;
    P[i] = P[i] - (p.lr / bc1) * (M[i] / denom);
  }
}

export function rowLogSumExp(z: Float32Array, base: number, n: number): number {
  let m = z[base];
  for (let c = 1; c < n; c++) m = Math.max(m, z[base + c]);
  let s = 0;
  for (let c = 0; c < n; c++) s += Math.exp(z[base + c] - m);
  return m + Math.log(s);
}

/** First maximum wins, as torch.argmax and the accuracy kernel. */
export function rowArgmax(z: Float32Array, base: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (z[base + c] > z[base + best]) best = c;
  return best;
}

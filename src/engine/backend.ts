import type { Csr } from '../graph/types';

/** A dense row-major matrix living on a backend. Integer tensors hold i32/u32 bit patterns. */
export interface Tensor {
  readonly rows: number;
  readonly cols: number;
  readonly dtype: 'f32' | 'i32';
}

/**
 * A sparse matrix's structure on a backend. The values are a separate `[nnz, 1]` tensor (or
 * absent: all ones) so that a dropout can rewrite them every epoch while the structure stays put.
 */
export interface SparseStructure {
  readonly rows: number;
  readonly cols: number;
  readonly nnz: number;
  readonly hasPerm: boolean;
}

export interface SparseMatrix {
  readonly structure: SparseStructure;
  readonly values: Tensor | null;
}

/** Leaky ReLU's negative slope is 0.2 (GAT's, PyG's default there); ELU's alpha is 1. */
export type Activation = 'none' | 'relu' | 'leaky_relu' | 'elu' | 'tanh' | 'sigmoid';

/**
 * g-SpMM messages over the entries of a CSR (entry k: row r = destination, `indices[k]` = source):
 * - `copy_u`:  x[src, c]
 * - `u_mul_e`: x[src, c] * e[id, head(c)], e [nnz, H] with H dividing the width (H = width: an
 *   edge vector; H = 1: a scalar edge weight)
 * - `copy_e`:  e[id, c], e [nnz, width]
 * - `u_add_e`: x[src, c] + e[id, c], e [nnz, width] (an edge feature vector added to the source)
 * where `id` = perm[k] when the structure has a perm (a transpose) and k otherwise, so edge
 * tensors are always indexed in the order of the structure they were made for.
 */
export type Message = 'copy_u' | 'u_mul_e' | 'copy_e' | 'u_add_e';

/** Reducers over a row's entries. A row with no entries gets 0 from every reducer. */
export type Reducer = 'sum' | 'mean' | 'max' | 'min';

/**
 * g-SDDMM ops, one output row per edge id:
 * - `u_add_v`: out[id, c] = u[src, c] + v[dst, c]
 * - `u_dot_v`: out[id, h] = sum over c in head h of u[src, c] * v[dst, c]  (out [nnz, H])
 * - `copy_u` / `copy_v`: out[id, c] = u[src, c] / v[dst, c]
 */
export type SddmmOp = 'u_add_v' | 'u_dot_v' | 'copy_u' | 'copy_v';

/** `b` broadcasts when it is [1, C], [R, 1] or [1, 1]; `ge` gives 1 where a >= b, else 0. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'ge';

export type UnaryOp = 'sqrt' | 'rsqrt' | 'square' | 'recip' | 'exp' | 'log';

export interface AdamParams {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** 1-based step count, for the bias corrections. */
  readonly step: number;
}

/** The dropout a fused op applies to its output, into a second tensor shaped like it. */
export interface FusedDropout {
  readonly prob: number;
  readonly key: number;
  readonly out: Tensor;
}

/**
 * Tensors sharing one allocation (parameters, their gradients, Adam's moments), so that one
 * dispatch can update them all: tensor k starts at element `offsets[k]`, a multiple of 64 (256
 * bytes, WebGPU's storage offset alignment). Starts at zero unless data was given.
 */
export interface PackedTensors {
  readonly tensors: readonly Tensor[];
  readonly offsets: readonly number[];
  /** Elements of the allocation, padding included. */
  readonly length: number;
}

/** Elements [offset, offset + length) of a packed group that share one weight decay. */
export interface AdamRun {
  readonly offset: number;
  readonly length: number;
  readonly weightDecay: number;
}

/** Numbers of a split: node counts of train, val and test (split ids 1, 2, 3). */
export type SplitSizes = readonly [number, number, number];

/**
 * The primitive ops every backend implements the same way. Each op fully overwrites `out`; none
 * accumulates into it. The GPU backend records ops and runs them at `submit()`; the CPU backend
 * runs them at once. `read` always sees every op recorded before it.
 */
export interface Backend {
  readonly kind: 'cpu' | 'webgpu';
  readonly description: string;
  /** GPU backends: bytes of device memory the backend's buffers hold now. */
  memoryInUse?(): number;
  /** GPU backends: the device's buffer limits, for the memory estimate (src/train/memoryEstimate.ts). */
  readonly limits?: { readonly maxBufferSize: number; readonly maxStorageBufferBindingSize: number };

  tensor(rows: number, cols: number, data?: Float32Array): Tensor;
  /** Without data the contents are unspecified (an output every op overwrites). */
  intTensor(rows: number, cols: number, data?: Int32Array | Uint32Array): Tensor;
  /** Uploads a CSR's structure; `csr.values`, if any, are not part of it (see `SparseMatrix`). */
  sparse(csr: Csr): SparseStructure;
  release(t: Tensor): void;
  /** Frees a structure made by `sparse` (mini-batches upload one per step). */
  releaseSparse(s: SparseStructure): void;
  read(t: Tensor): Promise<Float32Array>;
  readInts(t: Tensor): Promise<Int32Array>;
  /**
   * Rows [start, start + count) of `t`. Like `read` it sees every op recorded before it, and the
   * GPU backend queues its copy at the call, so recording may go on while the read is in flight.
   */
  readRows(t: Tensor, start: number, count: number): Promise<Float32Array>;
  submit(): void;
  destroy(): void;

  /** out = a * x, a sparse [R, C], x [C, W], out [R, W]. */
  spmm(a: SparseMatrix, x: Tensor, out: Tensor): void;
  /**
   * Generalized SpMM: out[r, c] = reduce over row r's entries of the message. `x` is [cols, W]
   * (null for copy_e), `e` the edge tensor (null for copy_u), out [rows, W]. Mean divides by the
   * number of entries. For max and min, `arg` ([rows, W], i32) receives the winning edge id (the
   * first in row order on ties) or -1 for an empty row; it must be null for sum and mean.
   */
  gspmm(a: SparseStructure, msg: Message, reduce: Reducer, x: Tensor | null, e: Tensor | null, out: Tensor, arg: Tensor | null): void;
  /**
   * The gradient through a max or min gspmm for `x`: with `aT` the transpose of the forward's
   * structure (its perm naming the forward's edge ids), out[u, c] = sum over u's entries in aT of
   * g[dst, c] * w where arg[dst, c] is that edge's id, w = e[id, head(c)] (or 1 when e is null).
   */
  gspmmArgBackward(aT: SparseStructure, arg: Tensor, g: Tensor, e: Tensor | null, out: Tensor): void;
  /** g-SDDMM: u [cols, W] (source side), v [rows, W] (destination side), out [nnz, W or H]. */
  sddmm(a: SparseStructure, op: SddmmOp, u: Tensor | null, v: Tensor | null, heads: number, out: Tensor): void;
  /** Softmax over each row's entries, per column of e [nnz, H] (numerically stable). */
  edgeSoftmax(a: SparseStructure, e: Tensor, out: Tensor): void;
  /** out[id, h] = y[id, h] * (g[id, h] - sum over the row's entries of y * g), y the softmax. */
  edgeSoftmaxBackward(a: SparseStructure, y: Tensor, g: Tensor, out: Tensor): void;
  /** out = op(a) * op(b) with op = transpose where the flag is set. */
  gemm(a: Tensor, b: Tensor, out: Tensor, transA: boolean, transB: boolean): void;
  /** out = act(x + bias), bias a [1, cols] row broadcast over rows. */
  biasAct(x: Tensor, bias: Tensor, act: Activation, out: Tensor): void;
  /**
   * spmm, biasAct and (with `drop`) dropout in one pass: out = act(a x + bias) and drop.out =
   * dropout(out, drop.prob, drop.key), the same f32 operations in the same order as those ops.
   */
  spmmBiasAct(a: SparseMatrix, x: Tensor, bias: Tensor, act: Activation, out: Tensor, drop: FusedDropout | null): void;
  /** out = g where y > 0 else 0. */
  reluBackward(y: Tensor, g: Tensor, out: Tensor): void;
  activation(act: Activation, x: Tensor, out: Tensor): void;
  /** The activation's gradient from its output y and the incoming gradient g. */
  activationBackward(act: Activation, y: Tensor, g: Tensor, out: Tensor): void;
  add(a: Tensor, b: Tensor, out: Tensor): void;
  /** out = a op b, out shaped like a; b is a's shape or a broadcast [1, C], [R, 1] or [1, 1]. */
  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void;
  unary(op: UnaryOp, x: Tensor, out: Tensor): void;
  /** out = alpha * x + beta. */
  scale(x: Tensor, alpha: number, beta: number, out: Tensor): void;
  /**
   * Copies `width` columns of x starting at column `xOffset` into out's columns from `outOffset`,
   * every row. The one op that leaves the rest of `out` as it was (concatenation builds on it).
   */
  copyCols(x: Tensor, xOffset: number, out: Tensor, outOffset: number, width: number): void;
  /** Inverted dropout with the counter-based mask of `dropoutKey(seed, stream)`. */
  dropout(x: Tensor, prob: number, key: number, out: Tensor): void;
  copy(x: Tensor, out: Tensor): void;
  /** out[0, c] = sum over rows of x[r, c]. */
  colSum(x: Tensor, out: Tensor): void;
  /** out[r, 0] = sum over columns of x[r, c]. */
  rowSum(x: Tensor, out: Tensor): void;
  /**
   * Masked log-softmax NLL over rows whose split id equals `maskBit`: writes d loss / d logits
   * into `grad`, and the mean loss into `metrics[slot * 4]`. `scratch` is [rows, 1].
   */
  nllLoss(
    logits: Tensor, labels: Tensor, splitOf: Tensor, maskBit: number, count: number,
    grad: Tensor, scratch: Tensor, metrics: Tensor, slot: number,
  ): void;
  /** Predicted class per row into `preds` ([rows, 1], as f32) and each split's accuracy into metrics[slot*4+1..3]. */
  accuracy(
    logits: Tensor, labels: Tensor, splitOf: Tensor, sizes: SplitSizes,
    preds: Tensor, metrics: Tensor, slot: number,
  ): void;
  adam(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void;
  /** Tensors of these shapes packed into one allocation (see PackedTensors); `data[k]` fills tensor k. */
  packTensors(shapes: readonly (readonly [number, number])[], data?: readonly (Float32Array | undefined)[]): PackedTensors;
  /** Frees a packed allocation (its tensors must not be released one by one). */
  releasePacked(p: PackedTensors): void;
  /**
   * `adam` over the runs of four packed groups of the same layout, in one dispatch: each element
   * gets exactly the arithmetic of `adam` with its run's weight decay. `p.weightDecay` is unused.
   */
  adamPacked(param: PackedTensors, grad: PackedTensors, m: PackedTensors, v: PackedTensors, runs: readonly AdamRun[], p: AdamParams): void;
}

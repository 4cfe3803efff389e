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

export type Activation = 'none' | 'relu';

export interface AdamParams {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** 1-based step count, for the bias corrections. */
  readonly step: number;
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

  tensor(rows: number, cols: number, data?: Float32Array): Tensor;
  intTensor(rows: number, cols: number, data: Int32Array | Uint32Array): Tensor;
  /** Uploads a CSR's structure; `csr.values`, if any, are not part of it (see `SparseMatrix`). */
  sparse(csr: Csr): SparseStructure;
  release(t: Tensor): void;
  read(t: Tensor): Promise<Float32Array>;
  readInts(t: Tensor): Promise<Int32Array>;
  submit(): void;
  destroy(): void;

  /** out = a * x, a sparse [R, C], x [C, W], out [R, W]. */
  spmm(a: SparseMatrix, x: Tensor, out: Tensor): void;
  /** out = op(a) * op(b) with op = transpose where the flag is set. */
  gemm(a: Tensor, b: Tensor, out: Tensor, transA: boolean, transB: boolean): void;
  /** out = act(x + bias), bias a [1, cols] row broadcast over rows. */
  biasAct(x: Tensor, bias: Tensor, act: Activation, out: Tensor): void;
  /** out = g where y > 0 else 0. */
  reluBackward(y: Tensor, g: Tensor, out: Tensor): void;
  add(a: Tensor, b: Tensor, out: Tensor): void;
  /** Inverted dropout with the counter-based mask of `dropoutKey(seed, stream)`. */
  dropout(x: Tensor, prob: number, key: number, out: Tensor): void;
  copy(x: Tensor, out: Tensor): void;
  /** out[0, c] = sum over rows of x[r, c]. */
  colSum(x: Tensor, out: Tensor): void;
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
}

import type { Tensor } from '../engine/backend';
import { GpuKernelError, splitRefused } from './errors';
import type { Recorder } from './recorder';
import { buf, fbits, GpuTensor, linear } from './tensor';

/**
 * A tensor larger than one storage binding allows, kept as blocks of whole rows, each its own
 * pooled buffer. Only the ops a first layer applies to big dense input features take one: the
 * upload, dropout and copy (block by block, with the dropout mask of the unsplit tensor), and
 * x W and x^T g with x split (one product per block). Every other op refuses it by name, and the
 * memory estimate (src/train/memoryEstimate.ts) says before training when a model would need that.
 */
export class ChunkedTensor implements Tensor {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly dtype: 'f32' | 'i32',
    readonly parts: readonly GpuTensor[],
    readonly rowsPer: number,
  ) {}

  /** The first row of block `i`. */
  start(i: number): number {
    return i * this.rowsPer;
  }
}

export const isChunked = (t: Tensor): t is ChunkedTensor => t instanceof ChunkedTensor;

/** Rows per block so that a block fits `maxBytes`; 0 when one row does not. */
export function rowsPerChunk(cols: number, maxBytes: number): number {
  return Math.floor(maxBytes / Math.max(cols * 4, 4));
}

function sameBlocks(op: string, a: ChunkedTensor, b: Tensor): ChunkedTensor {
  if (!isChunked(b) || b.rows !== a.rows || b.cols !== a.cols || b.rowsPer !== a.rowsPer) {
    throw new GpuKernelError(op, `out must be split like x ([${a.rows}, ${a.cols}] in blocks of ${a.rowsPer} rows)`);
  }
  return b;
}

/** Dropout (or, with prob 0 and scale 1, a copy) block by block, each block's mask at its offset. */
export function chunkedDropout(rec: Recorder, x: ChunkedTensor, out: Tensor, prob: number, key: number, kernel: 'dropout' | 'copy'): void {
  const o = sameBlocks(kernel, x, out);
  x.parts.forEach((part, i) => {
    const len = part.rows * part.cols;
    const scale = kernel === 'dropout' ? 1 / (1 - prob) : 0;
    rec.dispatch(kernel, { 1: buf(part), 3: buf(o.parts[i]) }, [len, key, fbits(prob), fbits(scale), x.start(i) * x.cols], linear(len, 256));
  });
}

/**
 * out = op(a) op(b) with `a` split by rows, on the untiled gemm kernel: a W writes each block's
 * rows of out; a^T g sums the blocks' products into out in block order (reproducible).
 */
export function chunkedGemm(rec: Recorder, a: ChunkedTensor, b: Tensor, out: Tensor, transA: boolean, transB: boolean): void {
  if (isChunked(b) || isChunked(out)) throw splitRefused('gemm', isChunked(b) ? b : (out as ChunkedTensor));
  a.parts.forEach((part, i) => {
    if (!transA) {
      // out[rows of block i] = a_i op(b)
      const m = part.rows, n = out.cols;
      rec.dispatch('gemm', { 1: buf(part), 2: buf(b), 3: buf(out) }, [m, n, part.cols, 0, transB ? 1 : 0, a.start(i) * n, 0, 0], linear(m * n, 64));
    } else {
      if (transB) throw splitRefused('gemm (a^T b^T)', a);
      // out += a_i^T b[rows of block i]
      const m = out.rows, n = out.cols;
      rec.dispatch('gemm', { 1: buf(part), 2: buf(b), 3: buf(out) }, [m, n, part.rows, 1, 0, 0, a.start(i) * b.cols, i > 0 ? 1 : 0], linear(m * n, 64));
    }
  });
}

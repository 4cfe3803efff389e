import type { Csr } from '../graph/types';
import type {
  Activation, AdamParams, Backend, SparseMatrix, SparseStructure, SplitSizes, Tensor,
} from '../engine/backend';
import { BufferPool } from './bufferPool';
import type { GpuContext } from './context';
import { GpuKernelError } from './errors';
import type { ShaderSources } from './kernels';
import { PipelineCache } from './pipelines';
import { Recorder } from './recorder';

class GpuTensor implements Tensor {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly dtype: 'f32' | 'i32',
    readonly buffer: GPUBuffer,
  ) {}
}

class GpuSparse implements SparseStructure {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly nnz: number,
    readonly hasPerm: boolean,
    readonly indptr: GPUBuffer,
    readonly indices: GPUBuffer,
    readonly perm: GPUBuffer,
  ) {}
}

const buf = (t: Tensor): GPUBuffer => (t as GpuTensor).buffer;
const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);
/** An f32 as the u32 word the uniform arena stores. */
function fbits(x: number): number {
  scratchF32[0] = x;
  return scratchU32[0];
}

/** Our typed arrays never sit on a SharedArrayBuffer; @webgpu/types wants that said. */
const plain = (v: ArrayBufferView): ArrayBufferView<ArrayBuffer> => v as ArrayBufferView<ArrayBuffer>;

/** Workgroups for `n` invocations, folded into 2-D once past the 65535-per-dimension limit. */
function linear(n: number, wg: number): [number, number] {
  const total = Math.ceil(n / wg);
  const x = Math.min(total, 65535);
  return [x, x === 0 ? 0 : Math.ceil(total / x)];
}

/** The WebGPU backend: each op records one or two kernel launches; `submit` runs them. */
export class GpuBackend implements Backend {
  readonly kind = 'webgpu' as const;
  readonly description: string;
  private readonly device: GPUDevice;
  private readonly pool: BufferPool;
  private readonly rec: Recorder;
  private readonly dummy: GPUBuffer;
  private readonly owned = new Set<GPUBuffer>();

  private constructor(readonly ctx: GpuContext, pipelines: PipelineCache) {
    this.device = ctx.device;
    this.description = `WebGPU on ${ctx.adapterInfo}`;
    this.pool = new BufferPool(ctx.device, ctx.maxBufferBytes);
    this.rec = new Recorder(ctx.device, pipelines);
    this.dummy = this.device.createBuffer({ size: 256, usage: GPUBufferUsage.STORAGE });
  }

  static async create(ctx: GpuContext, sources: ShaderSources): Promise<GpuBackend> {
    return new GpuBackend(ctx, await PipelineCache.create(ctx.device, sources));
  }

  private alloc(rows: number, cols: number, dtype: 'f32' | 'i32'): GpuTensor {
    const bytes = Math.max(rows * cols * 4, 4);
    if (bytes > this.ctx.maxBindingBytes) {
      throw new GpuKernelError('alloc', `a ${rows} x ${cols} tensor (${bytes} bytes) exceeds this adapter's ${this.ctx.maxBindingBytes}-byte buffer limit`);
    }
    return new GpuTensor(rows, cols, dtype, this.pool.acquire(bytes));
  }

  /**
   * An upload goes on the queue at once, while recorded ops wait for `submit`: a pooled buffer
   * that a recorded op still reads must not be overwritten first, so flush them before writing.
   */
  private write(buffer: GPUBuffer, data: Float32Array | Int32Array | Uint32Array, elements: number): void {
    if (this.rec.pending > 0) this.rec.submit();
    this.device.queue.writeBuffer(buffer, 0, plain(data), 0, elements);
  }

  tensor(rows: number, cols: number, data?: Float32Array): Tensor {
    const t = this.alloc(rows, cols, 'f32');
    if (data) this.write(t.buffer, data, rows * cols);
    return t;
  }

  intTensor(rows: number, cols: number, data: Int32Array | Uint32Array): Tensor {
    const t = this.alloc(rows, cols, 'i32');
    this.write(t.buffer, data, rows * cols);
    return t;
  }

  private upload(data: Uint32Array): GPUBuffer {
    const b = this.device.createBuffer({
      size: Math.max(Math.ceil(data.byteLength / 4) * 4, 4),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    if (data.length > 0) this.device.queue.writeBuffer(b, 0, plain(data));
    this.owned.add(b);
    return b;
  }

  sparse(csr: Csr): SparseStructure {
    return new GpuSparse(
      csr.rows, csr.cols, csr.indices.length, csr.perm !== undefined,
      this.upload(csr.indptr), this.upload(csr.indices),
      csr.perm ? this.upload(csr.perm) : this.dummy,
    );
  }

  release(t: Tensor): void {
    this.pool.release(buf(t));
  }

  submit(): void {
    this.rec.submit();
  }

  private async readBytes(t: Tensor): Promise<ArrayBuffer> {
    const bytes = t.rows * t.cols * 4;
    const staging = this.device.createBuffer({ size: Math.max(bytes, 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.rec.submit((enc) => enc.copyBufferToBuffer(buf(t), 0, staging, 0, bytes));
    try {
      await this.rec.check();
      await staging.mapAsync(GPUMapMode.READ);
      return staging.getMappedRange().slice(0);
    } finally {
      staging.destroy();
    }
  }

  async read(t: Tensor): Promise<Float32Array> {
    return new Float32Array(await this.readBytes(t));
  }

  async readInts(t: Tensor): Promise<Int32Array> {
    return new Int32Array(await this.readBytes(t));
  }

  destroy(): void {
    this.pool.destroy();
    this.rec.destroy();
    for (const b of this.owned) b.destroy();
    this.dummy.destroy();
    this.device.destroy();
  }

  spmm(a: SparseMatrix, x: Tensor, out: Tensor): void {
    const s = a.structure as GpuSparse;
    this.rec.dispatch(
      'spmm',
      { 1: s.indptr, 2: s.indices, 3: a.values ? buf(a.values) : this.dummy, 4: s.perm, 5: buf(x), 6: buf(out) },
      [s.rows, x.cols, a.values ? 1 : 0, s.hasPerm ? 1 : 0],
      linear(s.rows * x.cols, 64),
    );
  }

  gemm(a: Tensor, b: Tensor, out: Tensor, transA: boolean, transB: boolean): void {
    const k = transA ? a.rows : a.cols;
    const uniforms = [out.rows, out.cols, k, transA ? 1 : 0, transB ? 1 : 0];
    const buffers = { 1: buf(a), 2: buf(b), 3: buf(out) };
    // Skinny products (GNN widths of 7 to 32) run faster without tiles and barriers.
    if (GpuBackend.gemmKernel(out.rows, out.cols, k) === 'gemmTiled') this.rec.dispatch('gemmTiled', buffers, uniforms, [Math.ceil(out.cols / 16), Math.ceil(out.rows / 16)]);
    else this.rec.dispatch('gemm', buffers, uniforms, linear(out.rows * out.cols, 64));
  }

  /** Which gemm kernel a product of this shape uses (for tests that must cover both). */
  static gemmKernel(m: number, n: number, k: number): 'gemm' | 'gemmTiled' {
    return m >= 64 && n >= 64 && k >= 64 && Math.max(m, n) <= 65535 * 16 ? 'gemmTiled' : 'gemm';
  }

  private elementwise(
    kernel: 'biasAct' | 'reluBackward' | 'add' | 'dropout' | 'copy',
    a: Tensor, b: Tensor | null, out: Tensor, op = 0, key = 0, prob = 0, scale = 0,
  ): void {
    const len = out.rows * out.cols;
    const buffers: Record<number, GPUBuffer> = { 1: buf(a), 3: buf(out) };
    if (b) buffers[2] = buf(b);
    this.rec.dispatch(kernel, buffers, [len, out.cols, op, key, fbits(prob), fbits(scale)], linear(len, 256));
  }

  biasAct(x: Tensor, bias: Tensor, act: Activation, out: Tensor): void {
    this.elementwise('biasAct', x, bias, out, act === 'relu' ? 1 : 0);
  }

  reluBackward(y: Tensor, g: Tensor, out: Tensor): void {
    this.elementwise('reluBackward', y, g, out);
  }

  add(a: Tensor, b: Tensor, out: Tensor): void {
    this.elementwise('add', a, b, out);
  }

  dropout(x: Tensor, prob: number, key: number, out: Tensor): void {
    this.elementwise('dropout', x, null, out, 0, key, prob, 1 / (1 - prob));
  }

  copy(x: Tensor, out: Tensor): void {
    this.elementwise('copy', x, null, out);
  }

  colSum(x: Tensor, out: Tensor): void {
    // One workgroup per column: past the per-dimension limit the kernel would need folding.
    if (x.cols > 65535) throw new GpuKernelError('colSum', `${x.cols} columns exceed the 65535 this kernel supports`);
    this.rec.dispatch('colSum', { 1: buf(x), 2: buf(out) }, [x.rows, x.cols], [x.cols, 1]);
  }

  private lossUniforms(rows: number, classes: number, slot: number, maskBit: number, invCount: number, sizes: readonly number[]): number[] {
    return [rows, classes, slot, maskBit, fbits(invCount), 0, 0, 0, 0, sizes[0], sizes[1], sizes[2]];
  }

  nllLoss(
    logits: Tensor, labels: Tensor, splitOf: Tensor, maskBit: number, count: number,
    grad: Tensor, scratch: Tensor, metrics: Tensor, slot: number,
  ): void {
    const u = this.lossUniforms(logits.rows, logits.cols, slot, maskBit, 1 / count, [0, 0, 0]);
    this.rec.dispatch('nllRows', { 1: buf(logits), 2: buf(labels), 3: buf(splitOf), 4: buf(grad), 5: buf(scratch) },
      u, linear(logits.rows, 256));
    this.rec.dispatch('lossSum', { 5: buf(scratch), 6: buf(metrics) }, u, [1, 1]);
  }

  accuracy(
    logits: Tensor, labels: Tensor, splitOf: Tensor, sizes: SplitSizes,
    preds: Tensor, metrics: Tensor, slot: number,
  ): void {
    const u = this.lossUniforms(logits.rows, logits.cols, slot, 0, 0, sizes);
    this.rec.dispatch('accuracy', { 1: buf(logits), 2: buf(labels), 3: buf(splitOf), 5: buf(preds), 6: buf(metrics) },
      u, [1, 1]);
  }

  adam(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void {
    const len = param.rows * param.cols;
    const bc1 = 1 - p.beta1 ** p.step, sbc2 = Math.sqrt(1 - p.beta2 ** p.step);
    this.rec.dispatch('adam', { 1: buf(grad), 2: buf(param), 3: buf(m), 4: buf(v) },
      [len, fbits(p.lr), fbits(p.beta1), fbits(p.beta2), fbits(p.eps), fbits(p.weightDecay), fbits(bc1), fbits(sbc2),
        fbits(1 - p.beta1), fbits(1 - p.beta2)],
      linear(len, 256));
  }
}

import type { Csr } from '../graph/types';
import type {
  Activation, AdamParams, Backend, BinaryOp, FusedDropout, Message, Reducer, SddmmOp, SparseMatrix, SparseStructure, SplitSizes,
  Tensor, UnaryOp,
} from '../engine/backend';
import { BufferPool } from './bufferPool';
import type { GpuContext } from './context';
import { GpuKernelError } from './errors';
import { type KernelName, type ShaderSources, spmmKernel } from './kernels';
import * as mp from './messagePassingOps';
import { PipelineCache } from './pipelines';
import * as pw from './pointwiseOps';
import { Recorder } from './recorder';
import { degreeStats, type GspmmSchedule } from './spmmSchedule';
import { StagingRing } from './stagingRing';
import { ChunkedTensor, chunkedDropout, chunkedGemm, isChunked, rowsPerChunk } from './chunked';
import { type Binding, buf, fbits, GpuSparse, GpuTensor, linear } from './tensor';
import type { AdamRun, PackedTensors } from '../engine/backend';
import { packLayout } from '../engine/packing';

/** A packed group on the device: one buffer, its tensors windows of it. */
class GpuPacked implements PackedTensors {
  constructor(readonly tensors: readonly Tensor[], readonly offsets: readonly number[], readonly length: number, readonly buffer: GPUBuffer) {}
}

/** Runs per packed Adam dispatch (MAX_RUNS in shaders/adam_packed.wgsl). */
const ADAM_RUNS = 32;

export interface GpuBackendOptions {
  /** Split tensors past this many bytes into row blocks (default and ceiling: the binding limit). */
  readonly chunkBytes?: number;
}

/** Our typed arrays never sit on a SharedArrayBuffer; @webgpu/types wants that said. */
const plain = (v: ArrayBufferView): ArrayBufferView<ArrayBuffer> => v as ArrayBufferView<ArrayBuffer>;

/** The WebGPU backend: each op records one or two kernel launches; `submit` runs them. */
export class GpuBackend implements Backend {
  readonly kind = 'webgpu' as const;
  readonly description: string;
  private readonly device: GPUDevice;
  private readonly pool: BufferPool;
  private readonly rec: Recorder;
  private readonly dummy: GPUBuffer;
  private readonly dummyRw: GPUBuffer;
  private readonly owned = new Set<GPUBuffer>();
  private readonly live = new Set<GpuSparse>();
  private readonly packs = new Set<GpuPacked>();
  private readonly launch: mp.RowsLaunch;
  private readonly staging: StagingRing;

  /** Bytes past which a tensor is kept in row blocks (the binding limit; tests lower it). */
  private readonly chunkBytes: number;

  private constructor(readonly ctx: GpuContext, pipelines: PipelineCache, opts: GpuBackendOptions) {
    this.device = ctx.device;
    this.chunkBytes = Math.min(opts.chunkBytes ?? Infinity, ctx.maxBindingBytes);
    this.description = `WebGPU on ${ctx.adapterInfo}`;
    this.pool = new BufferPool(ctx.device, ctx.maxBufferBytes);
    this.rec = new Recorder(ctx.device, pipelines);
    this.staging = new StagingRing(ctx.device);
    this.dummy = this.device.createBuffer({ size: 256, usage: GPUBufferUsage.STORAGE });
    this.dummyRw = this.device.createBuffer({ size: 256, usage: GPUBufferUsage.STORAGE });
    this.launch = {
      rec: this.rec, dummy: this.dummy, dummyRw: this.dummyRw, device: this.device,
      maxBindingBytes: ctx.maxBindingBytes, hints: { software: ctx.fallback ?? false },
    };
  }

  get limits(): { maxBufferSize: number; maxStorageBufferBindingSize: number } {
    return { maxBufferSize: this.ctx.maxBufferBytes, maxStorageBufferBindingSize: this.ctx.maxBindingBytes };
  }

  /** The pool's buffers, the read-back ring and the graph structures uploaded outside both. */
  memoryInUse(): number {
    let structures = 0;
    for (const s of this.live) structures += s.indptr.size + s.indices.size + (s.hasPerm ? s.perm.size : 0);
    for (const p of this.packs) structures += p.buffer.size;
    return this.pool.bytes + this.staging.bytes + structures;
  }

  static async create(ctx: GpuContext, sources: ShaderSources, opts: GpuBackendOptions = {}): Promise<GpuBackend> {
    return new GpuBackend(ctx, await PipelineCache.create(ctx.device, sources), opts);
  }

  private block(rows: number, cols: number, dtype: 'f32' | 'i32'): GpuTensor {
    return new GpuTensor(rows, cols, dtype, this.pool.acquire(Math.max(rows * cols * 4, 4)));
  }

  /** A tensor past one binding is split into row blocks (src/gpu/chunked.ts). */
  private alloc(rows: number, cols: number, dtype: 'f32' | 'i32'): GpuTensor | ChunkedTensor {
    const bytes = Math.max(rows * cols * 4, 4);
    if (bytes <= this.chunkBytes) return this.block(rows, cols, dtype);
    const per = rowsPerChunk(cols, this.chunkBytes);
    if (per === 0) {
      throw new GpuKernelError('alloc', `one row of a ${rows} x ${cols} tensor (${cols * 4} bytes) exceeds this adapter's ${this.ctx.maxBindingBytes}-byte binding limit`);
    }
    const parts: GpuTensor[] = [];
    for (let r = 0; r < rows; r += per) parts.push(this.block(Math.min(per, rows - r), cols, dtype));
    return new ChunkedTensor(rows, cols, dtype, parts, per);
  }

  /**
   * An upload goes on the queue at once, while recorded ops wait for `submit`: a pooled buffer
   * that a recorded op still reads must not be overwritten first, so flush them before writing.
   */
  private write(buffer: GPUBuffer, data: Float32Array | Int32Array | Uint32Array, elements: number): void {
    if (this.rec.pending > 0) this.rec.submit();
    this.device.queue.writeBuffer(buffer, 0, plain(data), 0, elements);
  }

  private fill(t: GpuTensor | ChunkedTensor, data: Float32Array | Int32Array | Uint32Array): void {
    if (!isChunked(t)) return this.write(t.buffer, data, t.rows * t.cols);
    t.parts.forEach((part, i) => this.write(part.buffer, data.subarray(t.start(i) * t.cols, (t.start(i) + part.rows) * t.cols), part.rows * t.cols));
  }

  tensor(rows: number, cols: number, data?: Float32Array): Tensor {
    const t = this.alloc(rows, cols, 'f32');
    if (data) this.fill(t, data);
    return t;
  }

  intTensor(rows: number, cols: number, data?: Int32Array | Uint32Array): Tensor {
    const t = this.alloc(rows, cols, 'i32');
    if (data) this.fill(t, data);
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
    const s = new GpuSparse(
      csr.rows, csr.cols, csr.indices.length, csr.perm !== undefined,
      this.upload(csr.indptr), this.upload(csr.indices),
      csr.perm ? this.upload(csr.perm) : this.dummy,
      degreeStats(csr.indptr), csr.indptr,
    );
    this.live.add(s);
    return s;
  }

  release(t: Tensor): void {
    if (isChunked(t)) return t.parts.forEach((part) => this.release(part));
    // A window goes with its packed buffer (releasePacked).
    const g = t as GpuTensor;
    if (!g.isWindow) this.pool.release(g.buffer);
  }

  packTensors(shapes: readonly (readonly [number, number])[], data?: readonly (Float32Array | undefined)[]): PackedTensors {
    const { offsets, length } = packLayout(shapes);
    const bytes = length * 4;
    if (bytes > this.ctx.maxBindingBytes) {
      throw new GpuKernelError('packTensors', `${shapes.length} packed tensors (${bytes} bytes) exceed this adapter's ${this.ctx.maxBindingBytes}-byte buffer limit`);
    }
    const buffer = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    const tensors = shapes.map(([r, c], k) => new GpuTensor(r, c, 'f32', buffer, offsets[k] * 4, ((offsets[k + 1] ?? length) - offsets[k]) * 4));
    if (data?.some((d) => d)) {
      const all = new Float32Array(length);
      shapes.forEach(([r, c], k) => {
        const d = data[k];
        if (d) all.set(d.subarray(0, r * c), offsets[k]);
      });
      this.write(buffer, all, length);
    }
    const p = new GpuPacked(tensors, offsets, length, buffer);
    this.packs.add(p);
    return p;
  }

  releasePacked(p: PackedTensors): void {
    const g = p as GpuPacked;
    if (!this.packs.delete(g)) return;
    // Recorded ops may still use the buffer.
    this.rec.submit();
    g.buffer.destroy();
  }

  /** Launches of `kernel` recorded so far (tests check that fused steps stay fused). */
  launches(kernel: KernelName): number {
    return this.rec.launches.get(kernel) ?? 0;
  }

  releaseSparse(a: SparseStructure): void {
    // Recorded ops may still read the structure: run them before its buffers go.
    this.rec.submit();
    const s = a as GpuSparse;
    for (const b of [s.indptr, s.indices, s.perm]) if (this.owned.delete(b)) b.destroy();
    if (this.live.delete(s)) mp.releaseSchedules(s);
  }

  submit(): void {
    this.rec.submit();
  }

  /**
   * Frees the pool's idle buffers. Recorded ops are submitted first; a submitted command keeps
   * what it uses alive until it completes (WebGPU's destroy semantics).
   */
  trim(): void {
    this.rec.submit();
    this.pool.trim();
  }

  /**
   * Queues a copy of rows [start, start + count) behind every recorded op, at once, and resolves
   * when it has arrived; recording and submitting may go on meanwhile.
   */
  private async readBytes(t: Tensor, start = 0, count = t.rows): Promise<ArrayBuffer> {
    const rowBytes = t.cols * 4;
    const bytes = count * rowBytes;
    if (bytes === 0) {
      this.rec.submit();
      await this.rec.check();
      return new ArrayBuffer(0);
    }
    const staging = this.staging.acquire(bytes);
    try {
      this.rec.submit((enc) => {
        if (!isChunked(t)) return enc.copyBufferToBuffer((t as GpuTensor).buffer, (t as GpuTensor).offset + start * rowBytes, staging, 0, bytes);
        // The blocks that overlap the rows asked for, each into its place.
        t.parts.forEach((part, i) => {
          const from = Math.max(start, t.start(i)), to = Math.min(start + count, t.start(i) + part.rows);
          if (to > from) enc.copyBufferToBuffer(part.buffer, (from - t.start(i)) * rowBytes, staging, (from - start) * rowBytes, (to - from) * rowBytes);
        });
      });
    } catch (e) {
      this.staging.drop(staging);
      throw e;
    }
    const arrived = this.staging.read(staging, bytes);
    try {
      await this.rec.check();
    } finally {
      // A failed check still lets the copy land, so the buffer returns to the ring either way.
      await arrived.catch(() => undefined);
    }
    return arrived;
  }

  async read(t: Tensor): Promise<Float32Array> {
    return new Float32Array(await this.readBytes(t));
  }

  async readRows(t: Tensor, start: number, count: number): Promise<Float32Array> {
    if (start < 0 || count < 0 || start + count > t.rows) {
      throw new GpuKernelError('readRows', `rows ${start}..${start + count} of a ${t.rows}-row tensor`);
    }
    return new Float32Array(await this.readBytes(t, start, count));
  }

  async readInts(t: Tensor): Promise<Int32Array> {
    return new Int32Array(await this.readBytes(t));
  }

  destroy(): void {
    this.pool.destroy();
    this.staging.destroy();
    for (const p of this.packs) p.buffer.destroy();
    this.packs.clear();
    this.rec.destroy();
    for (const b of this.owned) b.destroy();
    for (const s of this.live) mp.releaseSchedules(s);
    this.live.clear();
    this.dummy.destroy();
    this.dummyRw.destroy();
    this.device.destroy();
  }

  spmm(a: SparseMatrix, x: Tensor, out: Tensor): void {
    this.spmmWith(undefined, a, x, out);
  }

  /**
   * spmm with a chosen schedule (tests and the benchmark; `undefined`: the structure's own). The
   * row and balanced schedules run on the g-SpMM row kernels (u_mul_e with the values, sum).
   */
  spmmWith(schedule: GspmmSchedule | undefined, a: SparseMatrix, x: Tensor, out: Tensor): void {
    if (mp.spmmScheduled(this.launch, a.structure, a.values, x, out, schedule)) return;
    const s = a.structure as GpuSparse;
    this.rec.dispatch(
      spmmKernel(false, a.values !== null, s.hasPerm),
      { 1: s.indptr, 2: s.indices, 3: a.values ? buf(a.values) : this.dummy, 4: s.perm, 5: buf(x), 6: buf(out) },
      [s.rows, x.cols, a.values ? 1 : 0, s.hasPerm ? 1 : 0],
      linear(s.rows * x.cols, 64),
    );
  }

  /**
   * One fused kernel under every schedule (balanced adds its merge for split rows): it moves
   * two [rows, width] reads and writes fewer than spmm, biasAct and dropout in turn, with the
   * same bits (tests/gpu/spmmFused.browser.test.ts). On SwiftShader it is 1.16 to 1.22 times as
   * fast as those three launches under the element schedule and 0.85 to 1.24 under row and
   * balanced (`npm run bench -- --only fused`, docs/bench.md run 4).
   */
  spmmBiasAct(a: SparseMatrix, x: Tensor, bias: Tensor, act: Activation, out: Tensor, drop: FusedDropout | null): void {
    this.spmmBiasActWith(undefined, a, x, bias, act, out, drop);
  }

  /** spmmBiasAct with a chosen schedule (tests and the benchmark; `undefined`: the structure's own). */
  spmmBiasActWith(schedule: GspmmSchedule | undefined, a: SparseMatrix, x: Tensor, bias: Tensor, act: Activation, out: Tensor, drop: FusedDropout | null): void {
    mp.spmmBiasAct(this.launch, a.structure, a.values, x, bias, pw.activationCode[act], out, drop, schedule);
  }

  gemm(a: Tensor, b: Tensor, out: Tensor, transA: boolean, transB: boolean): void {
    if (isChunked(a)) return chunkedGemm(this.rec, a, b, out, transA, transB);
    const k = transA ? a.rows : a.cols;
    const uniforms = [out.rows, out.cols, k, transA ? 1 : 0, transB ? 1 : 0, 0, 0, 0];
    const buffers = { 1: buf(a), 2: buf(b), 3: buf(out) };
    // Skinny products (GNN widths of 7 to 32) run faster without tiles and barriers.
    if (GpuBackend.gemmKernel(out.rows, out.cols, k) === 'gemmTiled') this.rec.dispatch('gemmTiled', buffers, uniforms, [Math.ceil(out.cols / 16), Math.ceil(out.rows / 16)]);
    else this.rec.dispatch('gemm', buffers, uniforms, linear(out.rows * out.cols, 64));
  }

  /** Which gemm kernel a product of this shape uses (for tests that must cover both). */
  static gemmKernel(m: number, n: number, k: number): 'gemm' | 'gemmTiled' {
    return m >= 64 && n >= 64 && k >= 64 && Math.max(m, n) <= 65535 * 16 ? 'gemmTiled' : 'gemm';
  }

  private elementwise(kernel: 'reluBackward' | 'add' | 'dropout' | 'copy', a: Tensor, b: Tensor | null, out: Tensor, key = 0, prob = 0, scale = 0): void {
    const len = out.rows * out.cols;
    const buffers: Record<number, Binding> = { 1: buf(a), 3: buf(out) };
    if (b) buffers[2] = buf(b);
    this.rec.dispatch(kernel, buffers, [len, key, fbits(prob), fbits(scale), 0], linear(len, 256));
  }

  reluBackward(y: Tensor, g: Tensor, out: Tensor): void {
    this.elementwise('reluBackward', y, g, out);
  }

  add(a: Tensor, b: Tensor, out: Tensor): void {
    this.elementwise('add', a, b, out);
  }

  dropout(x: Tensor, prob: number, key: number, out: Tensor): void {
    if (isChunked(x)) return chunkedDropout(this.rec, x, out, prob, key, 'dropout');
    this.elementwise('dropout', x, null, out, key, prob, 1 / (1 - prob));
  }

  copy(x: Tensor, out: Tensor): void {
    if (isChunked(x)) return chunkedDropout(this.rec, x, out, 0, 0, 'copy');
    this.elementwise('copy', x, null, out);
  }

  gspmm(a: SparseStructure, msg: Message, reduce: Reducer, x: Tensor | null, e: Tensor | null, out: Tensor, arg: Tensor | null): void {
    mp.gspmm(this.launch, a, msg, reduce, x, e, out, arg);
  }

  /** gspmm with a chosen schedule instead of the structure's own (tests and the benchmark). */
  gspmmWith(
    schedule: GspmmSchedule, a: SparseStructure, msg: Message, reduce: Reducer, x: Tensor | null, e: Tensor | null, out: Tensor, arg: Tensor | null,
  ): void {
    mp.gspmm(this.launch, a, msg, reduce, x, e, out, arg, schedule);
  }

  /** The schedule gspmm and spmm use on this structure at this width (see spmmSchedule.ts). */
  gspmmSchedule(a: SparseStructure, width: number): GspmmSchedule {
    return mp.scheduleFor(this.launch, a, width);
  }

  gspmmArgBackward(aT: SparseStructure, arg: Tensor, g: Tensor, e: Tensor | null, out: Tensor): void {
    mp.gspmmArgBackward(this.launch, aT, arg, g, e, out);
  }

  sddmm(a: SparseStructure, op: SddmmOp, u: Tensor | null, v: Tensor | null, heads: number, out: Tensor): void {
    mp.sddmm(this.launch, a, op, u, v, heads, out);
  }

  edgeSoftmax(a: SparseStructure, e: Tensor, out: Tensor): void {
    mp.edgeSoftmax(this.launch, a, e, out);
  }

  edgeSoftmaxBackward(a: SparseStructure, y: Tensor, g: Tensor, out: Tensor): void {
    mp.edgeSoftmaxBackward(this.launch, a, y, g, out);
  }

  biasAct(x: Tensor, bias: Tensor, act: Activation, out: Tensor): void {
    pw.biasAct(this.launch, x, bias, act, out);
  }

  activation(act: Activation, x: Tensor, out: Tensor): void {
    pw.activation(this.launch, act, x, out);
  }

  activationBackward(act: Activation, y: Tensor, g: Tensor, out: Tensor): void {
    pw.activationBackward(this.launch, act, y, g, out);
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
    pw.binary(this.launch, op, a, b, out);
  }

  unary(op: UnaryOp, x: Tensor, out: Tensor): void {
    pw.unary(this.launch, op, x, out);
  }

  scale(x: Tensor, alpha: number, beta: number, out: Tensor): void {
    pw.scale(this.launch, x, alpha, beta, out);
  }

  copyCols(x: Tensor, xOffset: number, out: Tensor, outOffset: number, width: number): void {
    pw.copyCols(this.launch, x, xOffset, out, outOffset, width);
  }

  rowSum(x: Tensor, out: Tensor): void {
    pw.rowSum(this.launch, x, out);
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
  adamPacked(param: PackedTensors, grad: PackedTensors, m: PackedTensors, v: PackedTensors, runs: readonly AdamRun[], p: AdamParams): void {
    const groups = [grad, param, m, v] as GpuPacked[];
    for (const r of runs) {
      if (r.offset < 0 || r.length < 0 || groups.some((g) => r.offset + r.length > g.length)) {
        throw new GpuKernelError('adamPacked', `run ${r.offset}..${r.offset + r.length} passes a packed group`);
      }
    }
    const bc1 = 1 - p.beta1 ** p.step, sbc2 = Math.sqrt(1 - p.beta2 ** p.step);
    const head = [fbits(p.lr), fbits(p.beta1), fbits(p.beta2), fbits(p.eps), fbits(bc1), fbits(sbc2), fbits(1 - p.beta1), fbits(1 - p.beta2)];
    const buffers = { 1: groups[0].buffer, 2: groups[1].buffer, 3: groups[2].buffer, 4: groups[3].buffer };
    // More runs than the uniforms hold (every other parameter without a gradient) take more dispatches.
    for (let from = 0; from < runs.length; from += ADAM_RUNS) {
      const chunk = runs.slice(from, from + ADAM_RUNS);
      const words = new Array<number>(12 + 4 * ADAM_RUNS).fill(0);
      let total = 0;
      chunk.forEach((r, k) => {
        words.splice(12 + 4 * k, 4, r.offset, r.length, fbits(r.weightDecay), total);
        total += r.length;
      });
      words.splice(0, 12, total, chunk.length, 0, 0, ...head);
      this.rec.dispatch('adamPacked', buffers, words, linear(total, 256));
    }
  }

}

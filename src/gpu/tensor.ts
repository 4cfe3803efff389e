import type { SparseStructure, Tensor } from '../engine/backend';
import { GpuKernelError, splitRefused } from './errors';
import type { DegreeStats, GspmmSchedule } from './spmmSchedule';

/**
 * A balanced schedule's work list on the device (see chunkPlan): `rows` holds the indptr and
 * then the plan's items (from word `planAt`), the kernels' binding 1; `longRows` the merge's
 * list; `scratch` the chunks' partial results, one buffer per width.
 */
export interface DeviceChunkPlan {
  readonly rows: GPUBuffer;
  readonly planAt: number;
  readonly itemCount: number;
  readonly longRows: GPUBuffer;
  readonly longCount: number;
  readonly slots: number;
  readonly scratch: Map<number, GPUBuffer>;
}

/** What a kernel binds: a whole buffer, or a window of one. */
export type Binding = GPUBuffer | GPUBufferBinding;

/**
 * A tensor on the device: a pooled buffer of its own, or (`span` set) the `span` bytes at
 * `offset` of a packed buffer (src/engine/packing.ts), which the pool never takes back.
 */
export class GpuTensor implements Tensor {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly dtype: 'f32' | 'i32',
    readonly buffer: GPUBuffer,
    readonly offset = 0,
    readonly span?: number,
  ) {}

  get isWindow(): boolean {
    return this.span !== undefined;
  }
}

/**
 * A CSR's structure on the device; `perm` is the backend's dummy buffer when there is none.
 * `stats` (the row lengths' statistics) and the host's `hostIndptr` let the g-SpMM launchers
 * choose a schedule and build a chunk plan lazily; both are cached here, per width and per chunk
 * length, and freed with the structure.
 */
export class GpuSparse implements SparseStructure {
  readonly schedules = new Map<number, GspmmSchedule>();
  /** Device plans by `${chunk}/${block}`. */
  readonly plans = new Map<string, DeviceChunkPlan>();

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly nnz: number,
    readonly hasPerm: boolean,
    readonly indptr: GPUBuffer,
    readonly indices: GPUBuffer,
    readonly perm: GPUBuffer,
    readonly stats?: DegreeStats,
    readonly hostIndptr?: Uint32Array,
  ) {}
}

/** The binding of a tensor: a window binds its whole padded span, so vec4 kernels may read it. */
export function buf(t: Tensor): Binding {
  const g = t as GpuTensor;
  // A tensor split into row blocks (src/gpu/chunked.ts) has no one buffer: only its own ops take it.
  if (g.buffer === undefined) throw splitRefused('this op', t);
  return g.span === undefined ? g.buffer : { buffer: g.buffer, offset: g.offset, size: g.span };
}

const isWindowBinding = (b: Binding): b is GPUBufferBinding => 'buffer' in b;

/** Bytes a binding covers. */
export function bindingSize(b: Binding): number {
  return isWindowBinding(b) ? (b.size ?? b.buffer.size - (b.offset ?? 0)) : b.size;
}

/** The buffer under a binding (pass-level aliasing is per buffer, not per window). */
export function bindingBuffer(b: Binding): GPUBuffer {
  return isWindowBinding(b) ? b.buffer : b;
}

/** A binding as a bind group entry's resource. */
export function bindingResource(b: Binding): GPUBufferBinding {
  return isWindowBinding(b) ? b : { buffer: b };
}

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);
/** An f32 as the u32 word the uniform arena stores. */
export function fbits(x: number): number {
  scratchF32[0] = x;
  return scratchU32[0];
}

/** Workgroups for `n` invocations, folded into 2-D once past the 65535-per-dimension limit. */
export function linear(n: number, wg: number): [number, number] {
  const total = Math.ceil(n / wg);
  const x = Math.min(total, 65535);
  return [x, x === 0 ? 0 : Math.ceil(total / x)];
}

/** Throws a GpuKernelError naming `kernel` unless `ok`: launchers check shapes before recording. */
export function expectShape(ok: boolean, kernel: string, detail: () => string): void {
  if (!ok) throw new GpuKernelError(kernel, detail());
}

import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Backend, SparseStructure, Tensor } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { openGpu } from '../../src/gpu/context';
import { GpuBackend } from '../../src/gpu/gpuBackend';
import { viteShaderSources } from '../../src/gpu/shaders.vite';
import type { Csr } from '../../src/graph/types';
import { TestRng } from './random';

/**
 * The WebGPU backend next to the CPU reference, for browser tests that run one op on both and
 * compare. Outputs start as NaN (or a sentinel for integers), so a kernel that skips an element
 * fails the comparison. Each test draws its inputs from a generator seeded by its own name, so a
 * filtered run (-t) sees the same data.
 */
export interface BackendPair {
  readonly gpu: GpuBackend;
  readonly cpu: CpuBackend;
  readonly rng: TestRng;
  T(be: Backend, rows: number, cols: number, data: Float32Array): Tensor;
  I(be: Backend, rows: number, cols: number, data: Int32Array): Tensor;
  /** An f32 output full of NaN. */
  nanOut(be: Backend, rows: number, cols: number): Tensor;
  /** An i32 output full of a value no kernel writes. */
  intOut(be: Backend, rows: number, cols: number): Tensor;
  S(be: Backend, csr: Csr): SparseStructure;
  /**
   * Runs `run` on the CPU, then on the GPU, and reads back what it returns (i32 tensors as
   * integers): [gpu results, cpu results]. GPU tensors and structures made through the pair are
   * released afterwards (to the pool, so later cases get stale buffers).
   */
  both(run: (be: Backend) => Tensor[]): Promise<[(Float32Array | Int32Array)[], (Float32Array | Int32Array)[]]>;
}

export const INT_SENTINEL = 0x5eed;

export function backendPair(): BackendPair {
  const cpu = new CpuBackend();
  let gpu: GpuBackend | undefined;
  let rng = new TestRng(99);
  const made: Tensor[] = [];
  const structures: SparseStructure[] = [];

  beforeAll(async () => {
    gpu = await GpuBackend.create(await openGpu(navigator.gpu), viteShaderSources);
  });
  afterAll(() => gpu?.destroy());
  beforeEach((context) => {
    let h = 2166136261;
    for (const ch of context.task.name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    rng = new TestRng(h);
  });

  const track = <X>(be: Backend, x: X, list: X[]): X => {
    if (be !== cpu) list.push(x);
    return x;
  };
  const read = (be: Backend, t: Tensor) => (t.dtype === 'i32' ? be.readInts(t) : be.read(t));

  const pair: BackendPair = {
    get gpu() {
      if (!gpu) throw new Error('the GPU backend is not open yet');
      return gpu;
    },
    cpu,
    get rng() { return rng; },
    T: (be, rows, cols, data) => track(be, be.tensor(rows, cols, data), made),
    I: (be, rows, cols, data) => track(be, be.intTensor(rows, cols, data), made),
    nanOut: (be, rows, cols) => pair.T(be, rows, cols, new Float32Array(rows * cols).fill(NaN)),
    intOut: (be, rows, cols) => pair.I(be, rows, cols, new Int32Array(rows * cols).fill(INT_SENTINEL)),
    S: (be, csr) => track(be, be.sparse(csr), structures),
    async both(run) {
      const c = run(cpu);
      const g = run(pair.gpu);
      const cr = [], gr = [];
      for (const t of c) cr.push(await read(cpu, t));
      for (const t of g) gr.push(await read(pair.gpu, t));
      for (const t of made.splice(0)) pair.gpu.release(t);
      for (const s of structures.splice(0)) pair.gpu.releaseSparse(s);
      return [gr, cr];
    },
  };
  return pair;
}

import { afterAll, describe, expect, it } from 'vitest';
import { configureVulkan, nodeGpu, nodeShaderSources } from '../../src/cli/nodeGpu';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { syntheticNodeTask, uniformGraph } from '../../src/graph/synthetic';
import { openGpu } from '../../src/gpu/context';
import { ChunkedTensor } from '../../src/gpu/chunked';
import { GpuBackend } from '../../src/gpu/gpuBackend';
import { recipeConfig } from '../../src/train/recipes';
import { Trainer } from '../../src/train/trainer';

/**
 * Tensors past one storage binding are kept in row blocks. The binding limit is lowered here so
 * small tensors split, on Dawn (SwiftShader) in Node, and compared with the CPU backend.
 */
const CHUNK = 100_000; // bytes: a 200 x 512 feature matrix (409,600 B) splits into 5 blocks of 48 rows

async function chunkedGpu(): Promise<GpuBackend> {
  configureVulkan(true);
  return GpuBackend.create(await openGpu(await nodeGpu()), nodeShaderSources(), { chunkBytes: CHUNK });
}

const random = (n: number, seed: number) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
};

describe('tensors split into row blocks', async () => {
  const gpu = await chunkedGpu();
  const cpu = new CpuBackend();
  afterAll(() => gpu.destroy());
  const rows = 203, cols = 512, hidden = 16;
  const x = random(rows * cols, 1);

  it('uploads and reads back whole and by row ranges that cross blocks', async () => {
    const t = gpu.tensor(rows, cols, x);
    expect(t).toBeInstanceOf(ChunkedTensor);
    expect((t as ChunkedTensor).parts.map((p) => p.rows)).toEqual([48, 48, 48, 48, 11]);
    expect(Array.from(await gpu.read(t))).toEqual(Array.from(x));
    for (const [s, c] of [[0, 48], [47, 2], [40, 100], [192, 11], [100, 0]]) {
      expect(Array.from(await gpu.readRows(t, s, c))).toEqual(Array.from(x.subarray(s * cols, (s + c) * cols)));
    }
    gpu.release(t);
  });

  it('dropout and copy give the unsplit tensor\'s mask, bit for bit', async () => {
    const t = gpu.tensor(rows, cols, x), out = gpu.tensor(rows, cols), copied = gpu.tensor(rows, cols);
    gpu.dropout(t, 0.5, 12345, out);
    gpu.copy(t, copied);
    const c = cpu.tensor(rows, cols, x), cOut = cpu.tensor(rows, cols);
    cpu.dropout(c, 0.5, 12345, cOut);
    expect(Array.from(await gpu.read(out))).toEqual(Array.from(await cpu.read(cOut)));
    expect(Array.from(await gpu.read(copied))).toEqual(Array.from(x));
  });

  it('x W and x^T g with x split match the CPU backend', async () => {
    const w = random(cols * hidden, 2), g = random(rows * hidden, 3);
    const [gx, gw, gg] = [gpu.tensor(rows, cols, x), gpu.tensor(cols, hidden, w), gpu.tensor(rows, hidden, g)];
    const [cx, cw, cg] = [cpu.tensor(rows, cols, x), cpu.tensor(cols, hidden, w), cpu.tensor(rows, hidden, g)];
    const gxw = gpu.tensor(rows, hidden), gdw = gpu.tensor(cols, hidden);
    const cxw = cpu.tensor(rows, hidden), cdw = cpu.tensor(cols, hidden);
    gpu.gemm(gx, gw, gxw, false, false);
    gpu.gemm(gx, gg, gdw, true, false);
    cpu.gemm(cx, cw, cxw, false, false);
    cpu.gemm(cx, cg, cdw, true, false);
    const close = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    // x W sums each output in the same order; x^T g adds the blocks' partial sums in block order.
    expect(Array.from(await gpu.read(gxw))).toEqual(Array.from(await cpu.read(cxw)));
    expect(close(await gpu.read(gdw), await cpu.read(cdw))).toBeLessThan(1e-4);
  });

  it('an op that cannot take a split tensor says so by name instead of binding garbage', () => {
    const t = gpu.tensor(rows, cols, x);
    const out = gpu.tensor(rows, cols);
    expect(() => gpu.unary('exp', t, out)).toThrow(/split into row blocks/);
  });

  it('trains a GCN on split dense features with the CPU backend\'s loss curve', async () => {
    const graph = syntheticNodeTask(uniformGraph({ nodes: rows, edges: 2000, seed: 3, undirected: true }), { features: cols, classes: 4, seed: 3, train: 0.3, val: 0.2 });
    const opts = { ...recipeConfig('cora', 'gcn'), epochs: 8 };
    const onGpu = new Trainer(gpu, graph, opts), onCpu = new Trainer(cpu, graph, opts);
    expect(onGpu.data.features).toHaveProperty('dense');
    expect((onGpu.data.features as { dense: unknown }).dense).toBeInstanceOf(ChunkedTensor);
    for (let e = 0; e < opts.epochs; e++) {
      onGpu.step();
      onCpu.step();
    }
    const [a, b] = [await onGpu.flush(), await onCpu.flush()];
    expect(a.map((r) => r.epoch)).toEqual(b.map((r) => r.epoch));
    const worst = Math.max(...a.map((r, i) => Math.abs(r.loss - b[i].loss)));
    expect(worst).toBeLessThan(1e-4);
    expect(a[a.length - 1].loss).toBeLessThan(a[0].loss);
  });
});

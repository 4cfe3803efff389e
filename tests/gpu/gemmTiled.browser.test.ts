import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { openGpu } from '../../src/gpu/context';
import { GpuBackend } from '../../src/gpu/gpuBackend';
import { viteShaderSources } from '../../src/gpu/shaders.vite';

// The tiled matmul only runs for wide products, which the GCN never makes: check it directly.
describe('tiled gemm (wide products)', () => {
  let gpu: GpuBackend;
  const cpu = new CpuBackend();
  beforeAll(async () => {
    gpu = await GpuBackend.create(await openGpu(navigator.gpu), viteShaderSources);
  });
  afterAll(() => gpu?.destroy());

  const random = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 2);

  for (const [m, n, k] of [[64, 64, 64], [70, 65, 97], [130, 80, 64]] as const) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`${m}x${n}, k=${k}, transA=${ta}, transB=${tb} matches the CPU`, async () => {
        expect(GpuBackend.gemmKernel(m, n, k)).toBe('gemmTiled');
        const aData = random(m * k, 1), bData = random(k * n, 2);
        const [ar, ac] = ta ? [k, m] : [m, k];
        const [br, bc] = tb ? [n, k] : [k, n];
        const run = async (be: CpuBackend | GpuBackend) => {
          const out = be.tensor(m, n);
          be.gemm(be.tensor(ar, ac, aData), be.tensor(br, bc, bData), out, ta, tb);
          return be.read(out);
        };
        const [g, c] = [await run(gpu), await run(cpu)];
        for (let i = 0; i < m * n; i++) expect(g[i]).toBeCloseTo(c[i], 3);
      });
    }
  }
});

import { afterAll, describe, expect, it } from 'vitest';
import { nodeBackend } from '../../src/cli/nodeBackend';
import { dropoutKey } from '../../src/engine/rng';
import { csrFromCoo } from '../../src/graph/csr';
import { gcnNorm } from '../../src/graph/normalize';
import type { GpuBackend } from '../../src/gpu/gpuBackend';
import { balancedSchedule, degreeStats, type GspmmSchedule, rowSchedule } from '../../src/gpu/spmmSchedule';
import type { GpuSparse } from '../../src/gpu/tensor';

/**
 * spmmBiasAct fuses under the element schedule and runs three launches under the others (their
 * fused kernels measured slower on SwiftShader); either way the bits are the fused kernel's.
 */
describe('spmmBiasAct picks fused or three launches by schedule, with the same bits', async () => {
  const gpu = (await nodeBackend('gpu', true)) as GpuBackend;
  afterAll(() => gpu.destroy());
  const n = 300, w = 20;
  const rows: number[] = [], cols: number[] = [];
  for (let r = 0; r < n; r++) for (let k = 0; k < 1 + (r % 7) + (r === 5 ? 200 : 0); k++) { rows.push(r); cols.push((r * 31 + k * 17) % n); }
  const csr = gcnNorm(csrFromCoo(n, n, Uint32Array.from(rows), Uint32Array.from(cols)));
  const st = degreeStats(csr.indptr);
  const hints = { software: true };
  const x = gpu.tensor(n, w, Float32Array.from({ length: n * w }, (_, i) => Math.sin(i) * 2));
  const bias = gpu.tensor(1, w, Float32Array.from({ length: w }, (_, i) => (i - 10) / 20));
  const schedules: GspmmSchedule[] = [{ kind: 'element' }, rowSchedule(st, w, false, hints), balancedSchedule(st, w, false)];

  for (const sched of schedules) {
    for (const dropped of [false, true]) {
      it(`${sched.kind}${dropped ? ' with dropout' : ''}`, async () => {
        const structure = gpu.sparse(csr);
        const a = { structure, values: gpu.tensor(csr.indices.length, 1, csr.values!) };
        // The structure's own choice is what spmmBiasAct follows.
        (structure as GpuSparse).schedules.set(w, sched);
        const drop = (out: ReturnType<GpuBackend['tensor']>) => (dropped ? { prob: 0.4, key: dropoutKey(3, 4), out } : null);
        const [y1, d1, y2, d2] = [0, 1, 2, 3].map(() => gpu.tensor(n, w));
        const before = countLaunches(gpu);
        gpu.spmmBiasAct(a, x, bias, 'relu', y1, drop(d1));
        const launched = countLaunches(gpu) - before;
        gpu.spmmBiasActWith(sched, a, x, bias, 'relu', y2, drop(d2));
        expect(Array.from(await gpu.read(y1))).toEqual(Array.from(await gpu.read(y2)));
        if (dropped) expect(Array.from(await gpu.read(d1))).toEqual(Array.from(await gpu.read(d2)));
        // One launch fused; spmm (+ a merge for balanced), bias+act and dropout otherwise.
        if (sched.kind === 'element') expect(launched).toBe(1);
        else expect(launched).toBeGreaterThanOrEqual(dropped ? 3 : 2);
        gpu.releaseSparse(structure);
      });
    }
  }
});

function countLaunches(gpu: GpuBackend): number {
  const rec = (gpu as unknown as { rec: { launches: Map<string, number> } }).rec;
  let total = 0;
  for (const v of rec.launches.values()) total += v;
  return total;
}

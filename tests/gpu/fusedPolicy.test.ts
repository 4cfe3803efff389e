import { afterAll, describe, expect, it } from 'vitest';
import { nodeBackend } from '../../src/cli/nodeBackend';
import { dropoutKey } from '../../src/engine/rng';
import { csrFromCoo } from '../../src/graph/csr';
import { gcnNorm } from '../../src/graph/normalize';
import type { GpuBackend } from '../../src/gpu/gpuBackend';
import { balancedSchedule, degreeStats, type GspmmSchedule, rowSchedule } from '../../src/gpu/spmmSchedule';
import type { GpuSparse } from '../../src/gpu/tensor';

/**
 * spmmBiasAct runs the fused kernel under every schedule (the structure's own choice), plus the
 * balanced schedule's merge where a row is split; the bits are those of the fused kernel forced
 * with that schedule (tests/gpu/spmmFused.browser.test.ts checks it against three launches).
 */
describe('spmmBiasAct fuses under every schedule, with the same bits', async () => {
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
  const schedules: GspmmSchedule[] = [
    { kind: 'element' }, rowSchedule(st, w, false, hints), balancedSchedule(st, w, false),
    // Chunks of 64: the hub row is split, so the merge runs the epilogue for it.
    { kind: 'balanced', vec4: false, chunk: 64, block: 64 },
  ];

  for (const sched of schedules) {
    for (const dropped of [false, true]) {
      it(`${sched.kind}${sched.kind === 'balanced' ? ` chunk ${sched.chunk}` : ''}${dropped ? ' with dropout' : ''}`, async () => {
        const structure = gpu.sparse(csr);
        const a = { structure, values: gpu.tensor(csr.indices.length, 1, csr.values!) };
        // The structure's own choice is what spmmBiasAct follows.
        (structure as GpuSparse).schedules.set(w, sched);
        const drop = (out: ReturnType<GpuBackend['tensor']>) => (dropped ? { prob: 0.4, key: dropoutKey(3, 4), out } : null);
        const [y1, d1, y2, d2] = [0, 1, 2, 3].map(() => gpu.tensor(n, w));
        const before = launches(gpu);
        gpu.spmmBiasAct(a, x, bias, 'relu', y1, drop(d1));
        const launched = diff(launches(gpu), before);
        gpu.spmmBiasActWith(sched, a, x, bias, 'relu', y2, drop(d2));
        expect(Array.from(await gpu.read(y1))).toEqual(Array.from(await gpu.read(y2)));
        if (dropped) expect(Array.from(await gpu.read(d1))).toEqual(Array.from(await gpu.read(d2)));
        // The row kernels first copy the bias into their scratch (copyCols); a balanced schedule
        // whose chunk is shorter than the hub row (5) adds its merge.
        if (sched.kind === 'element') expect(launched).toEqual({ spmmFusedValues: 1 });
        else {
          const split = sched.kind === 'balanced' && st.maxDeg > sched.chunk;
          expect(launched).toEqual({ copyCols: 1, gspmmRowsFused_u_mul_e: 1, ...(split ? { gspmmMergeFused: 1 } : {}) });
        }
        gpu.releaseSparse(structure);
      });
    }
  }
});

function launches(gpu: GpuBackend): Map<string, number> {
  return new Map((gpu as unknown as { rec: { launches: Map<string, number> } }).rec.launches);
}

/** Launches per kernel between two counts. */
function diff(after: Map<string, number>, before: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after) if (v !== (before.get(k) ?? 0)) out[k] = v - (before.get(k) ?? 0);
  return out;
}

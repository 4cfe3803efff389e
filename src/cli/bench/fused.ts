import { fileURLToPath } from 'node:url';
import type { Backend, SparseMatrix, Tensor } from '../../engine/backend';
import { dropoutKey, uniformAt } from '../../engine/rng';
import { GpuBackend } from '../../gpu/gpuBackend';
import { balancedSchedule, degreeStats, type GspmmSchedule, rowSchedule, scheduleName } from '../../gpu/spmmSchedule';
import { csrFromCoo } from '../../graph/csr';
import { gcnNorm } from '../../graph/normalize';
import type { Csr } from '../../graph/types';
import { loadDataset } from '../datasets';
import { fixed, standalone, timeKernel } from './common';

/**
 * The `fused` section of `npm run bench`: a GCN layer's propagation, act(Â (XW) + b) followed by
 * dropout, as three launches (spmm, biasAct, dropout) and as one (spmmBiasAct), under each
 * g-SpMM schedule, on Cora's normalized adjacency and a 100k-node uniform graph (not with
 * --quick) at widths 16 and 64, the best of three alternating rounds each. The two give the
 * same bits; the table shows their times.
 * Also runnable alone: `npx tsx src/cli/bench/fused.ts [--quick] [--software]`.
 */

export interface FusedRow {
  readonly graph: string;
  readonly nnz: number;
  readonly width: number;
  readonly schedule: string;
  readonly unfusedMs: number;
  readonly fusedMs: number;
  readonly speedup: number;
}

/** About `deg` sources per row, uniform, with GCN's normalization (self loops, symmetric). */
function uniformGcn(n: number, deg: number): Csr {
  const key = dropoutKey(9, 13);
  const rows = new Uint32Array(n * deg), cols = new Uint32Array(n * deg);
  for (let k = 0; k < n * deg; k++) {
    rows[k] = Math.floor(k / deg);
    cols[k] = Math.floor(uniformAt(key, k) * n);
  }
  return gcnNorm(csrFromCoo(n, n, rows, cols));
}

export async function benchFused(ctx: { readonly gpu: Backend; readonly quick: boolean }): Promise<FusedRow[]> {
  if (!(ctx.gpu instanceof GpuBackend)) {
    console.log('\nfused propagation: skipped (no WebGPU backend)');
    return [];
  }
  const gpu = ctx.gpu, quick = ctx.quick;
  const hints = { software: gpu.ctx.fallback ?? false };
  const graphs: [string, Csr][] = [['cora', gcnNorm(loadDataset('cora').inCsr)]];
  if (!quick) graphs.push(['uniform 100k x 10', uniformGcn(100_000, 10)]);
  const rows: FusedRow[] = [];
  const key = dropoutKey(1, 1001), prob = 0.5;
  for (const [name, csr] of graphs) {
    const st = degreeStats(csr.indptr);
    const a: SparseMatrix = { structure: gpu.sparse(csr), values: gpu.tensor(csr.indices.length, 1, csr.values!) };
    for (const w of [16, 64]) {
      const reps = csr.indices.length * w > 2e7 ? (quick ? 2 : 5) : (quick ? 5 : 20);
      const x = gpu.tensor(csr.cols, w, new Float32Array(csr.cols * w).fill(0.5));
      const bias = gpu.tensor(1, w, new Float32Array(w).fill(0.1));
      const [sum, y, dropped] = [0, 1, 2].map(() => gpu.tensor(csr.rows, w));
      const scheds: GspmmSchedule[] = [{ kind: 'element' }, rowSchedule(st, w, false, hints), rowSchedule(st, w, true, hints), balancedSchedule(st, w, true)];
      for (const sched of scheds) {
        // Alternating rounds, the best of each: a shared machine's noise only ever adds time.
        let unfusedMs = Infinity, fusedMs = Infinity;
        for (let round = 0; round < 3; round++) {
          unfusedMs = Math.min(unfusedMs, await timeKernel(gpu, reps, () => {
            gpu.spmmWith(sched, a, x, sum);
            gpu.biasAct(sum, bias, 'relu', y);
            gpu.dropout(y, prob, key, dropped);
          }));
          fusedMs = Math.min(fusedMs, await timeKernel(gpu, reps, () => gpu.spmmBiasActWith(sched, a, x, bias, 'relu', y, { prob, key, out: dropped })));
        }
        rows.push({ graph: name, nnz: csr.indices.length, width: w, schedule: scheduleName(sched), unfusedMs, fusedMs, speedup: unfusedMs / fusedMs });
      }
      for (const t of [x, bias, sum, y, dropped] as Tensor[]) gpu.release(t);
    }
    gpu.release(a.values!);
    gpu.releaseSparse(a.structure);
  }
  console.log('\nGCN propagation act(A (XW) + b) then dropout: spmm + biasAct + dropout (3 launches) vs spmmBiasAct (1), ms per layer');
  console.table(rows.map((r) => ({
    graph: r.graph, nnz: r.nnz, width: r.width, schedule: r.schedule,
    'unfused ms': fixed(r.unfusedMs, 3), 'fused ms': fixed(r.fusedMs, 3), speedup: fixed(r.speedup),
  })));
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { args, gpu } = await standalone();
  await benchFused({ gpu, quick: args.has('quick') });
  process.exit(0);
}

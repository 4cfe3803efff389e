import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend, Tensor } from '../../engine/backend';
import { dropoutKey, uniformAt } from '../../engine/rng';
import { GpuBackend } from '../../gpu/gpuBackend';
import {
  type AdapterHints, balancedSchedule, type DegreeStats, degreeStats, type GspmmSchedule, rowSchedule, scheduleName,
} from '../../gpu/spmmSchedule';
import { csrFromCoo } from '../../graph/csr';
import type { Csr } from '../../graph/types';
import { fixed, standalone, timeKernel } from './common';

/**
 * The g-SpMM schedules section of `npm run bench`: copy_u with sum (the plain gather, out[r] =
 * sum of x over row r's sources) under each schedule (per-element, row-parallel scalar and vec4
 * lanes, nonzero-balanced) on three seeded graph families from 10 thousand to 1 million entries
 * (4 million without --quick) at widths 16, 64 and 128: milliseconds, effective GB/s (the bytes
 * the op must move: indptr, indices, one gathered x row per entry, the output) and the ratio to
 * a plain copy kernel's GB/s over as many bytes, measured in the same run on the same adapter.
 * The goal is at least 60% of copy bandwidth at width 64 and above, on a real GPU.
 * In `npm run bench` it is the section `gspmmSchedules` (bench.json's key of the same name).
 *
 * Also runnable alone, printing each row as it is measured: `npx tsx src/cli/bench/spmm.ts [--quick]
 * [--software] [--out file] [--sizes 10000,100000] [--widths 16,64] [--graphs uniform,rmat,zipf]`.
 */

export interface SpmmScheduleRow {
  readonly graph: string;
  readonly nodes: number;
  readonly nnz: number;
  readonly maxDeg: number;
  readonly cv: number;
  readonly width: number;
  readonly schedule: string;
  /** Whether this is the schedule the backend picks on its own for this graph and width. */
  readonly auto: boolean;
  readonly ms: number;
  readonly gbPerS: number;
  readonly copyGbPerS: number;
  readonly ratioToCopy: number;
}

export type Family = 'uniform' | 'rmat' | 'zipf';

/** About 8 entries per row, sources uniform: every row about as long. */
function uniformGraph(nnz: number, seed: number): Csr {
  const n = Math.max(1, Math.round(nnz / 8));
  const key = dropoutKey(seed, 11);
  const rows = new Uint32Array(nnz), cols = new Uint32Array(nnz);
  for (let k = 0; k < nnz; k++) {
    rows[k] = Math.floor((k * n) / nnz);
    cols[k] = Math.floor(uniformAt(key, k) * n);
  }
  return csrFromCoo(n, n, rows, cols);
}

/**
 * R-MAT (Chakrabarti et al. 2004) with Graph500's (a, b, c, d) = (0.57, 0.19, 0.19, 0.05) over
 * 2^scale nodes, 8 entries per node on average: power-law in- and out-degrees, row 0 the hub.
 * Rows are destinations (the CSR message passing reduces over).
 */
function rmatGraph(nnz: number, seed: number): Csr {
  const scale = Math.max(1, Math.round(Math.log2(nnz / 8)));
  const n = 2 ** scale;
  const key = dropoutKey(seed, 12);
  const rows = new Uint32Array(nnz), cols = new Uint32Array(nnz);
  let i = 0;
  for (let k = 0; k < nnz; k++) {
    let r = 0, c = 0;
    for (let b = 0; b < scale; b++) {
      const u = uniformAt(key, i++);
      r = 2 * r + (u >= 0.76 ? 1 : 0); // c + d = 0.24: the lower half
      c = 2 * c + ((u >= 0.57 && u < 0.76) || u >= 0.95 ? 1 : 0); // b or d: the right half
    }
    rows[k] = r;
    cols[k] = c;
  }
  return csrFromCoo(n, n, rows, cols);
}

/**
 * Destinations drawn from Zipf(1) over the nodes (node j with weight 1 / (j + 1)), sources
 * uniform, 8 entries per node on average: node 0 alone receives about 1 / ln(n) of all entries
 * (8% at 125 000 nodes), the case the balanced schedule is for.
 */
function zipfGraph(nnz: number, seed: number): Csr {
  const n = Math.max(1, Math.round(nnz / 8));
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let j = 0; j < n; j++) cdf[j] = acc += 1 / (j + 1);
  const key = dropoutKey(seed, 13);
  const rows = new Uint32Array(nnz), cols = new Uint32Array(nnz);
  for (let k = 0; k < nnz; k++) {
    const u = uniformAt(key, 2 * k) * acc;
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    rows[k] = lo;
    cols[k] = Math.floor(uniformAt(key, 2 * k + 1) * n);
  }
  return csrFromCoo(n, n, rows, cols);
}

const COPY_MAX_BYTES = 128 * 2 ** 20;

const generators: Record<Family, (nnz: number, seed: number) => Csr> = { uniform: uniformGraph, rmat: rmatGraph, zipf: zipfGraph };

/** Every schedule with the parameters the chooser would give it here (the scalar row lanes only in full runs). */
function schedulesFor(st: DegreeStats, width: number, hints: AdapterHints, quick: boolean): GspmmSchedule[] {
  const vec4 = width % 4 === 0;
  const out: GspmmSchedule[] = [{ kind: 'element' }];
  if (!vec4 || !quick) out.push(rowSchedule(st, width, false, hints));
  if (vec4) out.push(rowSchedule(st, width, true, hints));
  out.push(balancedSchedule(st, width, vec4));
  return out;
}

/**
 * The section: prints its table and returns the rows (bench.json's `gspmmSchedules`). --quick:
 * 10k, 100k and 1M entries, width 128 up to 100k, the scalar row lanes only where vec4 cannot run.
 */
export async function benchSpmmSchedules(
  ctx: { readonly gpu: Backend; readonly quick: boolean },
  opts: { progress?: boolean; sizes?: number[]; widths?: number[]; families?: Family[] } = {},
): Promise<SpmmScheduleRow[]> {
  if (!(ctx.gpu instanceof GpuBackend)) {
    console.log('\ng-SpMM schedules: skipped (no WebGPU backend)');
    return [];
  }
  const gpu = ctx.gpu, quick = ctx.quick;
  const hints = { software: gpu.ctx.fallback ?? false };
  const sizes = opts.sizes ?? (quick ? [10_000, 100_000, 1_000_000] : [10_000, 100_000, 1_000_000, 4_000_000]);
  const widths = opts.widths ?? [16, 64, 128];
  const rows: SpmmScheduleRow[] = [];
  for (const family of opts.families ?? (['uniform', 'rmat', 'zipf'] as Family[])) {
    for (const nnzWanted of sizes) {
      const csr = generators[family](nnzWanted, 5);
      const st = degreeStats(csr.indptr);
      const nnz = csr.indices.length, n = csr.rows;
      const a = gpu.sparse(csr);
      for (const w of widths) {
        // Width 128: up to 1M entries (a 64 MiB x, 0.6 GB moved per launch), 100k with --quick.
        if (w === 128 && nnz > (quick ? 100_000 : 1_000_000)) continue;
        const reps = nnz * w > 2e7 ? (quick ? 1 : 2) : (quick ? 3 : 10);
        const x = gpu.tensor(csr.cols, w, new Float32Array(csr.cols * w).fill(1));
        const out = gpu.tensor(n, w);
        const bytes = 4 * (n + 1 + nnz + nnz * w + n * w);
        // The copy reference moves at most 128 MiB: past the caches its rate is flat, and a copy
        // as large as a 4M-entry width-64 launch (two 1 GiB buffers) exhausts SwiftShader's memory.
        const half = Math.ceil(Math.min(bytes, COPY_MAX_BYTES) / 8);
        const src = gpu.tensor(half, 1, new Float32Array(half)), dst = gpu.tensor(half, 1);
        const copyMs = await timeKernel(gpu, reps, () => gpu.copy(src, dst));
        const copyGbPerS = (8 * half) / copyMs / 1e6;
        const auto = scheduleName(gpu.gspmmSchedule(a, w));
        for (const sched of schedulesFor(st, w, hints, quick)) {
          const ms = await timeKernel(gpu, reps, () => gpu.gspmmWith(sched, a, 'copy_u', 'sum', x, null, out, null));
          const gbPerS = bytes / ms / 1e6;
          const name = scheduleName(sched);
          rows.push({ graph: family, nodes: n, nnz, maxDeg: st.maxDeg, cv: st.cv, width: w, schedule: name, auto: name === auto, ms, gbPerS, copyGbPerS, ratioToCopy: gbPerS / copyGbPerS });
          if (opts.progress) console.log(`  ${family} nnz ${nnz} width ${w} ${name}${name === auto ? ' *' : ''}: ${ms.toFixed(2)} ms, ${gbPerS.toFixed(3)} GB/s (copy ${copyGbPerS.toFixed(3)})`);
        }
        for (const t of [x, out, src, dst] as Tensor[]) gpu.release(t);
      }
      gpu.releaseSparse(a);
    }
  }
  console.log('\ng-SpMM copy_u sum per schedule (* = the automatic choice), effective bandwidth vs a copy kernel on the same adapter (goal on a GPU: ratio >= 0.6 at width >= 64)');
  console.table(rows.map((r) => ({
    graph: r.graph, nnz: r.nnz, 'max deg': r.maxDeg, cv: fixed(r.cv, 1), width: r.width,
    schedule: `${r.schedule}${r.auto ? ' *' : ''}`, ms: fixed(r.ms, 2), 'GB/s': fixed(r.gbPerS, 3),
    'copy GB/s': fixed(r.copyGbPerS, 3), 'ratio to copy': fixed(r.ratioToCopy),
  })));
  return rows;
}

/** Adds the rows to the bench JSON as `gspmmSchedules` (a new file if there is none yet). */
function addToBenchJson(path: string, gpuDescription: string, rows: SpmmScheduleRow[]): void {
  const doc = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> : { date: new Date().toISOString(), gpu: gpuDescription };
  doc.gspmmSchedules = rows;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(doc, null, 2));
  console.log(`added gspmmSchedules to ${path}`);
}

// Alone (see the top of the file): writes its rows into the bench JSON as `gspmmSchedules`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { args, gpu } = await standalone();
  const list = (name: string) => args.get(name)?.split(',');
  const rows = await benchSpmmSchedules({ gpu, quick: args.has('quick') }, {
    progress: true, sizes: list('sizes')?.map(Number), widths: list('widths')?.map(Number), families: list('graphs') as Family[] | undefined,
  });
  addToBenchJson(args.get('out') ?? 'bench-results/bench.json', gpu.description, rows);
  process.exit(0);
}

import { mkdirSync, writeFileSync } from 'node:fs';
import type { Backend } from '../engine/backend';
import { csrFromCoo } from '../graph/csr';
import { GpuBackend } from '../gpu/gpuBackend';
import { dropoutKey, uniformAt } from '../engine/rng';
import type { Reducer } from '../engine/backend';
import { modelKinds, type ModelKind } from '../models/spec';
import { GraphTrainer } from '../train/graphTrainer';
import { recipeConfig } from '../train/recipes';
import { Trainer } from '../train/trainer';
import { parseArgs } from './args';
import { loadDataset, loadGraphSet } from './datasets';
import { nodeBackend } from './nodeBackend';
import { hasGpuDevice } from './nodeGpu';
import { type BenchContext, timeKernel } from './bench/common';
import { benchPeers } from './bench/peers';
import { benchScale } from './bench/scale';

/**
 * Speed figures that tests must not assert (machines are shared and noisy), section by section
 * (docs/bench.md says what each measures):
 * - training: GCN epoch time per dataset and backend;
 * - models: every model's epoch time on Cora and GIN's on PROTEINS;
 * - peers: the same GCN in TensorFlow.js (WebGPU on the same adapter, WASM, CPU) against ours,
 *   with the ratios the issue sets goals for (src/cli/bench/peers.ts);
 * - scale: GCN epoch time from Cora to synthetic graphs of a million edges (and, with --large,
 *   20 million) beside the GPU memory estimate and the adapter's limits (src/cli/bench/scale.ts);
 * - gspmm, spmm: the kernels' effective bandwidth next to a plain copy kernel's;
 * - gspmmSchedules: each g-SpMM schedule on uniform, R-MAT and Zipf graphs (src/cli/bench/spmm.ts);
 * - fused: a GCN layer's propagation as spmm + biasAct + dropout vs spmmBiasAct (src/cli/bench/fused.ts);
 * all measured on the same adapter in the same run, so the ratios mean something anywhere.
 */

export const sections = ['training', 'models', 'peers', 'gspmm', 'spmm', 'gspmmSchedules', 'fused', 'scale'] as const;
type Section = (typeof sections)[number];

const usage = `npm run bench -- [--quick] [--large] [--software] [--only ${sections.join(',')}] [--out bench-results/bench.json]

  --quick     fewer epochs and sizes (a few minutes on 2 cores without a GPU)
  --large     also train the 2M-node / 20M-edge synthetic graphs with 128 features (for a real GPU)
  --software  Dawn on SwiftShader even where a GPU exists
  --only      run only these sections (comma-separated)`;

/** Wall time per epoch after `warm` epochs (pipelines compiled, pools filled, SGC's cache made). */
async function epochMs(backend: Backend, dataset: string, epochs: number, model: ModelKind = 'gcn', warm = 3): Promise<number> {
  const graphTask = ['mutag', 'proteins', 'enzymes'].includes(dataset);
  const config = { ...recipeConfig(graphTask ? 'mutag' : 'cora', model), epochs: epochs + warm };
  const trainer = graphTask ? new GraphTrainer(backend, loadGraphSet(dataset), config) : new Trainer(backend, loadDataset(dataset), config);
  for (let i = 0; i < warm; i++) trainer.step();
  await trainer.flush();
  const t0 = performance.now();
  while (!trainer.finished) trainer.step();
  await trainer.flush();
  return (performance.now() - t0) / epochs;
}

/** A random graph with `n` nodes and about `deg` in-edges each (uniform sources). */
function randomCsr(n: number, deg: number, seed: number) {
  const key = dropoutKey(seed, 7);
  const rows = new Uint32Array(n * deg), cols = new Uint32Array(n * deg);
  for (let k = 0; k < n * deg; k++) {
    rows[k] = Math.floor(k / deg);
    cols[k] = Math.floor(uniformAt(key, k) * n);
  }
  return csrFromCoo(n, n, rows, cols, new Float32Array(n * deg).fill(0.1));
}

/** g-SpMM copy_u with each reducer on the same graph, against the copy kernel's bandwidth. */
async function gspmmRows(backend: Backend, n: number, deg: number, width: number, reps: number) {
  const csr = randomCsr(n, deg, 2);
  const nnz = csr.indices.length;
  const a = backend.sparse(csr);
  const x = backend.tensor(n, width, new Float32Array(n * width).fill(1));
  const out = backend.tensor(n, width);
  const arg = backend.intTensor(n, width);
  const bytes = 4 * (n + 1 + nnz + nnz * width + n * width);
  const src = backend.tensor(bytes / 8, 1, new Float32Array(bytes / 8));
  const dst = backend.tensor(bytes / 8, 1);
  const copyMs = await timeKernel(backend, reps, () => backend.copy(src, dst));
  const rows = [];
  for (const reduce of ['sum', 'mean', 'max'] as Reducer[]) {
    const byArg = reduce === 'max';
    const ms = await timeKernel(backend, reps, () => backend.gspmm(a, 'copy_u', reduce, x, null, out, byArg ? arg : null));
    // max also writes its arg (one i32 per output).
    const moved = bytes + (byArg ? 4 * n * width : 0);
    const gbs = moved / ms / 1e6, copyGbs = bytes / copyMs / 1e6;
    rows.push({ reduce, nodes: n, nnz, width, ms, gbPerS: gbs, copyGbPerS: copyGbs, ratioToCopy: gbs / copyGbs });
  }
  for (const t of [x, out, arg, src, dst]) backend.release(t);
  backend.releaseSparse(a);
  return rows;
}

async function spmmRow(backend: Backend, name: string, n: number, deg: number, width: number, reps: number) {
  const csr = randomCsr(n, deg, 1);
  const nnz = csr.indices.length;
  const a = { structure: backend.sparse(csr), values: backend.tensor(nnz, 1, csr.values) };
  const x = backend.tensor(n, width, new Float32Array(n * width).fill(1));
  const out = backend.tensor(n, width);
  const ms = await timeKernel(backend, reps, () => backend.spmm(a, x, out));
  // Bytes a kernel must at least touch: the CSR arrays, one gathered x row per entry, the output.
  const bytes = 4 * (n + 1 + 2 * nnz + nnz * width + n * width);
  const src = backend.tensor(bytes / 8, 1, new Float32Array(bytes / 8));
  const dst = backend.tensor(bytes / 8, 1);
  const copyMs = await timeKernel(backend, reps, () => backend.copy(src, dst));
  const gbs = bytes / ms / 1e6, copyGbs = bytes / copyMs / 1e6; // the copy reads half and writes half
  for (const t of [a.values!, x, out, src, dst]) backend.release(t);
  return { graph: name, nodes: n, nnz, width, ms, gbPerS: gbs, copyGbPerS: copyGbs, ratioToCopy: gbs / copyGbs };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['quick', 'large', 'software', 'help']);
  if (args.has('help')) return console.log(usage);
  const quick = args.has('quick');
  const only = args.get('only')?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of only ?? []) if (!(sections as readonly string[]).includes(s)) throw new Error(`--only: no section '${s}' (${sections.join(', ')})`);
  const wanted = (s: Section) => !only || only.includes(s);
  const software = args.has('software') || !hasGpuDevice();
  const gpu = await nodeBackend('gpu', software);
  const cpu = await nodeBackend('cpu', true);
  const ctx: BenchContext = { gpu, cpu, quick, large: args.has('large'), software };
  const started = performance.now();
  console.log(`GPU backend: ${gpu.description}\n`);
  const results: Record<string, unknown> = {};

  const out = args.get('out') ?? 'bench-results/bench.json';
  mkdirSync(out.replace(/\/[^/]*$/, '') || '.', { recursive: true });
  const sectionSeconds: Record<string, number> = {};
  const failed: string[] = [];
  const write = () => {
    const seconds = (performance.now() - started) / 1000;
    writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), gpu: gpu.description, quick, seconds, sectionSeconds, ...results }, null, 2));
    return seconds;
  };
  // A section that fails is reported and recorded, and the others still run; the JSON is
  // rewritten after every section, so a failure late in a long run loses nothing before it.
  const run = async (name: Section, section: () => Promise<unknown>) => {
    if (!wanted(name)) return;
    const t0 = performance.now();
    try {
      results[name] = await section();
    } catch (e) {
      const error = (e as Error).message.split('\n')[0];
      results[name] = { error };
      failed.push(name);
      console.log(`\n${name}: FAILED: ${error}`);
    }
    // The pool keeps every size class a section used; the next section starts without them.
    if (gpu instanceof GpuBackend) gpu.trim();
    sectionSeconds[name] = (performance.now() - t0) / 1000;
    console.log(`(${name}: ${sectionSeconds[name].toFixed(0)} s)`);
    write();
  };
  await run('training', () => trainingSection(gpu, cpu, quick));
  await run('models', () => modelsSection(gpu, cpu, quick));
  await run('peers', () => benchPeers(ctx));
  await run('gspmm', () => gspmmSection(gpu, quick));
  await run('spmm', () => spmmSection(gpu, quick));
  await run('gspmmSchedules' as Section, async () => (await import('./bench/spmm')).benchSpmmSchedules(ctx));
  await run('fused', async () => (await import('./bench/fused')).benchFused(ctx));
  // Last: its million-edge graphs leave hundreds of MB in the device's buffer pool (which never
  // frees), and SwiftShader's device memory is smaller than its per-buffer limit suggests.
  await run('scale', () => benchScale(ctx));

  const seconds = write();
  console.log(`\nwrote ${out} (${seconds.toFixed(0)} s)${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}`);
  if (failed.length) process.exitCode = 1;
}

async function trainingSection(gpu: Backend, cpu: Backend, quick: boolean) {
  const epochs = quick ? 10 : 50;
  const training = [];
  for (const ds of ['karate', 'cora', 'citeseer']) {
    const g = await epochMs(gpu, ds, epochs);
    const c = await epochMs(cpu, ds, quick ? 5 : 20);
    training.push({ dataset: ds, gpuEpochMs: g, cpuEpochMs: c, gpu200EpochsS: (g * 200) / 1000 });
  }
  console.log('GCN (2 layers, hidden 16), one epoch = train step + eval pass');
  console.table(training.map((r) => ({ dataset: r.dataset, 'GPU ms/epoch': r.gpuEpochMs.toFixed(2), 'CPU ms/epoch': r.cpuEpochMs.toFixed(2), 'GPU/CPU speedup': (r.cpuEpochMs / r.gpuEpochMs).toFixed(2), 'GPU 200 epochs (s)': r.gpu200EpochsS.toFixed(2) })));
  return training;
}

async function modelsSection(gpu: Backend, cpu: Backend, quick: boolean) {
  const models = [];
  for (const m of modelKinds) {
    // GIN and SGC read Cora's features dense (2708 x 1433): seconds an epoch on a software adapter.
    const g = await epochMs(gpu, 'cora', quick ? 3 : 5, m, 1);
    const c = await epochMs(cpu, 'cora', quick ? 2 : 5, m, 1);
    models.push({ dataset: 'cora', model: m, gpuEpochMs: g, cpuEpochMs: c });
  }
  const ginGpu = await epochMs(gpu, 'proteins', quick ? 1 : 2, 'gin', 1);
  const ginCpu = await epochMs(cpu, 'proteins', quick ? 1 : 2, 'gin', 1);
  models.push({ dataset: 'proteins', model: 'gin', gpuEpochMs: ginGpu, cpuEpochMs: ginCpu });
  console.log('\nEvery model with its published settings (Cora: one epoch = train step + eval; PROTEINS: GIN, 5 layers of 32, batches of 32 over the training folds + eval of val/test)');
  console.table(models.map((r) => ({ dataset: r.dataset, model: r.model, 'GPU ms/epoch': r.gpuEpochMs.toFixed(2), 'CPU ms/epoch': r.cpuEpochMs.toFixed(2), 'GPU/CPU speedup': (r.cpuEpochMs / r.gpuEpochMs).toFixed(2) })));
  return models;
}

async function gspmmSection(gpu: Backend, quick: boolean) {
  const gspmm = [];
  for (const [n, deg, w] of (quick ? [[20000, 10, 16]] : [[20000, 10, 16], [100000, 10, 64]]) as [number, number, number][]) {
    gspmm.push(...await gspmmRows(gpu, n, deg, w, quick ? 5 : 20));
  }
  console.log('\ng-SpMM copy_u with each reducer, effective bandwidth vs a copy kernel on the same adapter');
  console.table(gspmm.map((r) => ({ reduce: r.reduce, nodes: r.nodes, nnz: r.nnz, width: r.width, ms: r.ms.toFixed(3), 'GB/s': r.gbPerS.toFixed(2), 'copy GB/s': r.copyGbPerS.toFixed(2), 'ratio to copy': r.ratioToCopy.toFixed(2) })));
  return gspmm;
}

async function spmmSection(gpu: Backend, quick: boolean) {
  const sizes: [string, number, number, number][] = quick
    ? [['cora-sized', 2708, 4, 16], ['20k x deg 10', 20000, 10, 16]]
    : [['cora-sized', 2708, 4, 16], ['cora-sized', 2708, 4, 64], ['20k x deg 10', 20000, 10, 16], ['100k x deg 10', 100000, 10, 16], ['100k x deg 10', 100000, 10, 64]];
  const spmm = [];
  for (const [name, n, deg, w] of sizes) spmm.push(await spmmRow(gpu, name, n, deg, w, quick ? 5 : 20));
  console.log('\nSpMM (sum of weighted neighbours), effective bandwidth vs a copy kernel on the same adapter');
  console.table(spmm.map((r) => ({ graph: r.graph, nnz: r.nnz, width: r.width, 'ms': r.ms.toFixed(3), 'GB/s': r.gbPerS.toFixed(2), 'copy GB/s': r.copyGbPerS.toFixed(2), 'ratio to copy': r.ratioToCopy.toFixed(2) })));
  return spmm;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(`error: ${(e as Error).message}`);
    process.exit(1);
  },
);

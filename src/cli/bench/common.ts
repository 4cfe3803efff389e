import type { Backend } from '../../engine/backend';
import { GpuBackend } from '../../gpu/gpuBackend';
import type { Graph } from '../../graph/types';
import type { AdapterLimits } from '../../train/memoryEstimate';
import type { TrainOptions } from '../../train/trainer';
import { Trainer } from '../../train/trainer';

/** What every section of `npm run bench` gets. */
export interface BenchContext {
  readonly gpu: Backend;
  readonly cpu: Backend;
  readonly quick: boolean;
  /** `--large`: the 2M-node / 20M-edge synthetic graphs (meant for a real GPU). */
  readonly large: boolean;
  /** `--software`: Dawn on SwiftShader even where a GPU exists. */
  readonly software: boolean;
}

/** Wall time of `reps` launches recorded into one submit, including one tiny readback. */
export async function timeKernel(backend: Backend, reps: number, launch: () => void): Promise<number> {
  const probe = backend.tensor(1, 1, new Float32Array(1));
  launch();
  await backend.read(probe);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) launch();
  await backend.read(probe);
  const ms = (performance.now() - t0) / reps;
  backend.release(probe);
  return ms;
}

export interface EpochRun {
  /** Wall time per timed epoch (train step + eval pass), ms. */
  readonly ms: number;
  /** Training loss of every epoch, warm-up epochs first. */
  readonly losses: number[];
  readonly testAcc: number;
  readonly bestEpoch: number;
}

/**
 * Node-classification epochs on `graph`: `warm` epochs first (pipelines compiled, pools filled),
 * waited for, then `epochs` recorded back to back and waited for once; ms per timed epoch.
 */
export async function trainEpochs(backend: Backend, graph: Graph, config: TrainOptions, epochs: number, warm = 3): Promise<EpochRun> {
  const trainer = new Trainer(backend, graph, { ...config, epochs: epochs + warm });
  for (let i = 0; i < warm; i++) trainer.step();
  const reports = await trainer.flush();
  const t0 = performance.now();
  while (!trainer.finished) trainer.step();
  reports.push(...(await trainer.flush()));
  const ms = (performance.now() - t0) / Math.max(epochs, 1);
  return { ms, losses: reports.map((r) => r.loss), testAcc: trainer.bestResult.testAcc, bestEpoch: trainer.bestResult.epoch };
}

/** The granted buffer limits of a WebGPU backend; null for the CPU backend. */
export function adapterLimits(backend: Backend): AdapterLimits | null {
  if (!(backend instanceof GpuBackend)) return null;
  return { maxBufferSize: backend.ctx.maxBufferBytes, maxStorageBufferBindingSize: backend.ctx.maxBindingBytes };
}

export const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
export const fixed = (v: number | null | undefined, digits = 2): string => (v == null || !Number.isFinite(v) ? '-' : v.toFixed(digits));

/** For a section run alone (`npx tsx src/cli/bench/NAME.ts [--quick] [--software] ...`): its flags and the GPU backend. */
export async function standalone() {
  const { parseArgs } = await import('../args');
  const { nodeBackend } = await import('../nodeBackend');
  const { hasGpuDevice } = await import('../nodeGpu');
  const args = parseArgs(process.argv.slice(2), ['quick', 'software']);
  const gpu = await nodeBackend('gpu', args.has('software') || !hasGpuDevice());
  console.log(`GPU backend: ${gpu.description}`);
  return { args, gpu };
}

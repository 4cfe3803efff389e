import type { Backend } from '../engine/backend';
import { CpuBackend } from '../engine/cpu/cpuBackend';
import { openGpu } from '../gpu/context';
import { GpuBackend } from '../gpu/gpuBackend';
import type { ShaderSources } from '../gpu/kernels';
import type { BackendChoice } from './protocol';

export interface OpenedBackend {
  readonly backend: Backend;
  /** Set when WebGPU was wanted but the CPU backend had to be used, saying why. */
  readonly notice?: string;
  /** Resolves if the GPU device is lost later (driver reset, tab in background too long). */
  readonly lost?: Promise<string>;
}

/**
 * The WebGPU backend when it is wanted and works, else the CPU reference backend with a notice
 * that says why. `neededBytes` is the largest buffer the graph will need.
 */
export async function openBackend(
  choice: BackendChoice, gpu: GPU | undefined, shaders: ShaderSources, neededBytes: number,
): Promise<OpenedBackend> {
  if (choice === 'cpu') return { backend: new CpuBackend() };
  try {
    const ctx = await openGpu(gpu, neededBytes);
    const backend = await GpuBackend.create(ctx, shaders);
    // A device we destroy ourselves also resolves `lost`, with reason 'destroyed': never settle then.
    const lost = ctx.device.lost.then((info) =>
      info.reason === 'destroyed' ? new Promise<string>(() => {}) : info.message || 'unknown reason');
    return { backend, lost };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { backend: new CpuBackend(), notice: `${why} Training runs on the CPU instead (slower, same results).` };
  }
}

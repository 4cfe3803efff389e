import type { Backend } from '../engine/backend';
import { CpuBackend } from '../engine/cpu/cpuBackend';
import { openGpu } from '../gpu/context';
import { GpuBackend } from '../gpu/gpuBackend';
import { configureVulkan, nodeGpu, nodeShaderSources } from './nodeGpu';

/**
 * 'gpu': Dawn on the machine's GPU, or on SwiftShader when `software` (the default where no GPU
 * driver is configured); 'cpu': the TypeScript reference backend.
 */
export async function nodeBackend(kind: string, software: boolean): Promise<Backend> {
  if (kind === 'cpu') return new CpuBackend();
  if (kind !== 'gpu') throw new Error(`--backend must be gpu or cpu, got '${kind}'`);
  configureVulkan(software);
  return GpuBackend.create(await openGpu(await nodeGpu()), nodeShaderSources());
}

import { GpuUnavailableError } from './errors';

export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapterInfo: string;
  /** The limits granted to the device, which may exceed the spec defaults. */
  readonly maxBufferBytes: number;
  readonly maxBindingBytes: number;
  /** A software adapter (SwiftShader): the g-SpMM schedule choice favours fewer barriers there. */
  readonly fallback?: boolean;
}

/**
 * Opens a device asking for as much buffer space as the adapter offers (real GPUs grant far more
 * than the 128 MiB default), after checking that the largest buffer the caller will need fits.
 */
export async function openGpu(gpu: GPU | undefined, neededBindingBytes = 0): Promise<GpuContext> {
  if (!gpu) throw new GpuUnavailableError('WebGPU is not available in this browser (navigator.gpu is missing).');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new GpuUnavailableError('WebGPU is present but no GPU adapter was found.');
  const lim = adapter.limits;
  if (neededBindingBytes > lim.maxStorageBufferBindingSize) {
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    throw new GpuUnavailableError(
      `This graph needs a ${mib(neededBindingBytes)} MiB GPU buffer but the adapter allows at most ` +
        `${mib(lim.maxStorageBufferBindingSize)} MiB per buffer.`,
    );
  }
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(lim.maxStorageBuffersPerShaderStage, 8),
      maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,
    },
  });
  const info = adapter.info;
  const fallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false;
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  return {
    device,
    adapterInfo: `${name || 'unknown adapter'}${fallback ? ' (software fallback adapter)' : ''}`,
    maxBufferBytes: device.limits.maxBufferSize,
    maxBindingBytes: device.limits.maxStorageBufferBindingSize,
    fallback: fallback || info.architecture === 'swiftshader',
  };
}

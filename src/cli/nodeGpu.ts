import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ShaderSources } from '../gpu/kernels';

/**
 * WebGPU in Node through Dawn (the `webgpu` package). Without a GPU driver the Vulkan loader is
 * pointed at the SwiftShader that Debian's chromium package ships; on a machine with a GPU
 * nothing is set and Dawn picks the real device.
 */
const swiftshaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Whether this machine shows a GPU device node Vulkan could drive. */
export function hasGpuDevice(): boolean {
  return ['/dev/nvidia0', '/dev/dri/renderD128'].some((p) => existsSync(p));
}

/** Must run before the first `nodeGpu()`: Vulkan reads these once, when Dawn starts. */
export function configureVulkan(software: boolean): void {
  process.env.XDG_RUNTIME_DIR ??= '/tmp'; // SwiftShader complains on every start without it
  if (software && !process.env.VK_ICD_FILENAMES && existsSync(swiftshaderIcd)) {
    process.env.VK_ICD_FILENAMES = swiftshaderIcd;
  }
}

// Dawn's instance must outlive every adapter and device made from it: if the GPU object is
// garbage-collected while a device is in use, the process crashes. One instance per process.
let instance: GPU | null = null;

export async function nodeGpu(): Promise<GPU> {
  if (!instance) {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    instance = create([]) as unknown as GPU;
  }
  return instance;
}

/** The WGSL files from shaders/, read from disk (the page gets the same files through Vite). */
export function nodeShaderSources(): ShaderSources {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../shaders');
  return Object.fromEntries(
    readdirSync(dir).filter((f) => f.endsWith('.wgsl')).map((f) => [f.slice(0, -5), readFileSync(join(dir, f), 'utf8')]),
  );
}

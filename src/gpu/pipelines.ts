import { GpuKernelError } from './errors';
import { kernels, type KernelName, type KernelSpec, shaderCode, type ShaderSources } from './kernels';

/**
 * Compiles every kernel once per device and reports WGSL errors with the kernel's name. Lazy
 * kernels (KernelSpec.lazy) get their pipeline on first `get`; a validation error there lands in
 * the error scope the recorder opens around each launch, named after the kernel.
 */
export class PipelineCache {
  private readonly pipelines = new Map<KernelName, GPUComputePipeline>();
  private readonly modules = new Map<string, GPUShaderModule>();
  private device: GPUDevice | null = null;

  static async create(device: GPUDevice, sources: ShaderSources): Promise<PipelineCache> {
    const cache = new PipelineCache();
    cache.device = device;
    const modules = cache.modules;
    for (const [name, k] of Object.entries(kernels) as [KernelName, KernelSpec][]) {
      let module = modules.get(k.file);
      if (!module) {
        const shader = shaderCode(sources, k.file);
        if (!shader) throw new GpuKernelError(name, `shader file shaders/${k.file}.wgsl or one of its libraries not found`);
        module = device.createShaderModule({ label: k.file, code: shader.code });
        const info = await module.getCompilationInfo();
        const errors = info.messages.filter((m) => m.type === 'error');
        if (errors.length > 0) {
          // Lines of the joined code, told as lines of the file they came from.
          const at = (line: number) => {
            const part = [...shader.parts].reverse().find((q) => q.firstLine <= line) ?? shader.parts[0];
            return `${part.file}.wgsl:${line - part.firstLine + 1}`;
          };
          const text = errors.map((m) => `${at(m.lineNum)}:${m.linePos} ${m.message}`).join('\n');
          throw new GpuKernelError(name, `WGSL compilation failed\n${text}`);
        }
        modules.set(k.file, module);
      }
      if (k.lazy) continue;
      // Synchronous creation inside an error scope: Dawn's Node binding (webgpu 0.6) never
      // settles createComputePipelineAsync, and small pipelines compile quickly anyway.
      device.pushErrorScope('validation');
      const pipeline = device.createComputePipeline({ label: name, layout: 'auto', compute: { module, entryPoint: k.entry, constants: k.constants } });
      const error = await device.popErrorScope();
      if (error) throw new GpuKernelError(name, `pipeline creation failed: ${error.message}`);
      cache.pipelines.set(name, pipeline);
    }
    return cache;
  }

  get(name: KernelName): GPUComputePipeline {
    let p = this.pipelines.get(name);
    if (p) return p;
    const k: KernelSpec = kernels[name];
    const module = this.modules.get(k.file);
    if (!k.lazy || !module || !this.device) throw new GpuKernelError(name, 'no pipeline');
    p = this.device.createComputePipeline({ label: name, layout: 'auto', compute: { module, entryPoint: k.entry, constants: k.constants } });
    this.pipelines.set(name, p);
    return p;
  }
}

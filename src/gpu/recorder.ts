import { GpuKernelError } from './errors';
import type { KernelName } from './kernels';
import type { PipelineCache } from './pipelines';
import { type Binding, bindingResource } from './tensor';

interface Dispatch {
  kernel: KernelName;
  buffers: Record<number, Binding>;
  uniformOffset: number;
  uniformBytes: number;
  groups: readonly [number, number];
}

const UNIFORM_ALIGN = 256;

/**
 * Collects the kernel launches of one step (an epoch) and submits them as one command buffer with
 * one compute pass. Every launch's parameters go into one uniform arena written with a single
 * writeBuffer, so a step costs one upload and one submit. Validation errors are caught per
 * launch and rethrown naming the kernel at the next `check()`.
 */
export class Recorder {
  private dispatches: Dispatch[] = [];
  private arena = new Uint32Array(1024);
  private arenaUsed = 0;
  private arenaBuffer: GPUBuffer | null = null;
  private errors: Promise<GpuKernelError | null>[] = [];
  /** Launches recorded per kernel since the recorder was made (tests count dispatches with it). */
  readonly launches = new Map<KernelName, number>();

  constructor(private readonly device: GPUDevice, private readonly pipelines: PipelineCache) {}

  /** Records one launch; `uniforms` are u32 words (f32 values as their bit patterns). */
  dispatch(
    kernel: KernelName,
    buffers: Record<number, Binding>,
    uniforms: ArrayLike<number>,
    groups: readonly [number, number],
  ): void {
    if (groups[0] === 0 || groups[1] === 0) return;
    const words = UNIFORM_ALIGN / 4;
    const slots = Math.max(1, Math.ceil(uniforms.length / words));
    const need = this.arenaUsed + slots * words;
    if (need > this.arena.length) {
      const grown = new Uint32Array(Math.max(need, this.arena.length * 2));
      grown.set(this.arena);
      this.arena = grown;
    }
    this.arena.set(uniforms, this.arenaUsed);
    this.launches.set(kernel, (this.launches.get(kernel) ?? 0) + 1);
    this.dispatches.push({
      kernel, buffers, groups,
      uniformOffset: this.arenaUsed * 4,
      uniformBytes: Math.ceil(uniforms.length / 4) * 16,
    });
    this.arenaUsed += slots * words;
  }

  get pending(): number {
    return this.dispatches.length;
  }

  submit(extra?: (encoder: GPUCommandEncoder) => void): void {
    if (this.dispatches.length === 0 && !extra) return;
    const device = this.device;
    const bytes = this.arenaUsed * 4;
    if (bytes > 0 && (!this.arenaBuffer || this.arenaBuffer.size < bytes)) {
      this.arenaBuffer?.destroy();
      this.arenaBuffer = device.createBuffer({
        size: Math.max(bytes, 64 * 1024),
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      });
    }
    if (bytes > 0) device.queue.writeBuffer(this.arenaBuffer!, 0, this.arena, 0, this.arenaUsed);
    const encoder = device.createCommandEncoder();
    if (this.dispatches.length > 0) {
      const pass = encoder.beginComputePass();
      for (const d of this.dispatches) {
        // The scope opens first: a lazy pipeline made here reports its errors as this launch's.
        device.pushErrorScope('validation');
        const pipeline = this.pipelines.get(d.kernel);
        const entries: GPUBindGroupEntry[] = [
          { binding: 0, resource: { buffer: this.arenaBuffer!, offset: d.uniformOffset, size: d.uniformBytes } },
        ];
        for (const [binding, buffer] of Object.entries(d.buffers)) {
          entries.push({ binding: Number(binding), resource: bindingResource(buffer) });
        }
        const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
        this.watch(d.kernel);
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(d.groups[0], d.groups[1]);
      }
      pass.end();
    }
    extra?.(encoder);
    // Pass-level errors (a buffer bound both writable and readable) surface only here, so name
    // every kernel of the step.
    const names = [...new Set(this.dispatches.map((d) => d.kernel))].join(', ');
    device.pushErrorScope('validation');
    device.queue.submit([encoder.finish()]);
    this.watch(names ? `submit of ${names}` : 'submit');
    this.dispatches = [];
    this.arenaUsed = 0;
  }

  private watch(kernel: string): void {
    this.errors.push(
      this.device.popErrorScope().then((e) => (e ? new GpuKernelError(kernel, e.message) : null)),
    );
  }

  /** Throws the first validation error recorded since the last check. */
  async check(): Promise<void> {
    const pending = this.errors;
    this.errors = [];
    for (const e of await Promise.all(pending)) if (e) throw e;
  }

  destroy(): void {
    this.arenaBuffer?.destroy();
  }
}

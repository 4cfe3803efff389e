/** A GPU failure that names the kernel (or the step) it happened in. */
export class GpuKernelError extends Error {
  constructor(readonly kernel: string, detail: string) {
    super(`WebGPU error in kernel '${kernel}': ${detail}`);
    this.name = 'GpuKernelError';
  }
}

/** WebGPU is missing, no adapter was given, or the graph does not fit the adapter's limits. */
export class GpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuUnavailableError';
  }
}

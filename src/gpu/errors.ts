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

/** An op handed a tensor split into row blocks (src/gpu/chunked.ts) that it cannot take split. */
export function splitRefused(op: string, t: { readonly rows: number; readonly cols: number }): GpuKernelError {
  return new GpuKernelError(op, `a ${t.rows} x ${t.cols} tensor is split into row blocks (it is larger than one storage binding on this adapter), and ${op} cannot take it split; only dropout, copy and products x W, x^T g with x split can`);
}

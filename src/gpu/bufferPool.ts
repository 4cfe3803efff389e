/**
 * Reuses storage buffers between epochs: a training step allocates the same shapes every epoch,
 * so after the first one no buffer is created. Sizes are rounded up to a power of two (at least
 * 256 bytes) so nearby shapes share buffers.
 */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Bytes of every buffer this pool has created and not destroyed: its share of GPU memory. */
  bytes = 0;

  constructor(private readonly device: GPUDevice, private readonly maxBufferSize: number) {}

  static sizeClass(bytes: number): number {
    let s = 256;
    while (s < bytes) s *= 2;
    return s;
  }

  acquire(bytes: number): GPUBuffer {
    let size = BufferPool.sizeClass(bytes);
    // A power-of-two class can overshoot the adapter's limit although the exact size fits.
    if (size > this.maxBufferSize) size = Math.ceil(bytes / 4) * 4;
    const stack = this.free.get(size);
    const reused = stack?.pop();
    if (reused) return reused;
    this.bytes += size;
    return this.device.createBuffer({
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
  }

  release(buffer: GPUBuffer): void {
    const stack = this.free.get(buffer.size) ?? [];
    stack.push(buffer);
    this.free.set(buffer.size, stack);
  }

  /** Frees every buffer waiting for reuse (between unrelated workloads, such as bench sections). */
  trim(): void {
    for (const stack of this.free.values()) for (const b of stack) {
      this.bytes -= b.size;
      b.destroy();
    }
    this.free.clear();
  }

  destroy(): void {
    for (const stack of this.free.values()) for (const b of stack) b.destroy();
    this.free.clear();
    this.bytes = 0;
  }
}

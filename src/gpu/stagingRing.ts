/**
 * Mappable read-back buffers, reused. A read takes a free buffer of its size class, the copy into
 * it joins the queue behind the recorded work, and the buffer comes back once its contents are
 * copied out. Several reads can be in flight at once (the trainer keeps one batch's metrics in
 * flight while it records the next), so the ring grows to what is outstanding and keeps at most
 * `KEEP` idle buffers per class; nothing is created per read once it is warm.
 */
const KEEP = 3;

export class StagingRing {
  private readonly idle = new Map<number, GPUBuffer[]>();
  private inFlight = 0;
  /** Bytes of the ring's buffers, idle and in flight. */
  bytes = 0;

  constructor(private readonly device: GPUDevice) {}

  static sizeClass(bytes: number): number {
    let s = 256;
    while (s < bytes) s *= 2;
    return s;
  }

  /** A buffer of at least `bytes`, to copy into and `read`. */
  acquire(bytes: number): GPUBuffer {
    const size = StagingRing.sizeClass(bytes);
    this.inFlight++;
    const reused = this.idle.get(size)?.pop();
    if (reused) return reused;
    this.bytes += size;
    return this.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  }

  /**
   * Maps `buffer` once the queue has reached its copy, copies `bytes` out and returns it to the
   * ring; on failure the buffer is dropped rather than reused in an unknown state.
   */
  async read(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    try {
      await buffer.mapAsync(GPUMapMode.READ, 0, buffer.size);
      const out = buffer.getMappedRange(0, buffer.size).slice(0, bytes);
      buffer.unmap();
      this.giveBack(buffer);
      return out;
    } catch (e) {
      this.drop(buffer);
      throw e;
    }
  }

  /** For a read abandoned before `read` (its copy failed to record). */
  drop(buffer: GPUBuffer): void {
    this.inFlight--;
    this.bytes -= buffer.size;
    buffer.destroy();
  }

  get pending(): number {
    return this.inFlight;
  }

  private giveBack(buffer: GPUBuffer): void {
    this.inFlight--;
    const stack = this.idle.get(buffer.size) ?? [];
    if (stack.length >= KEEP) {
      this.bytes -= buffer.size;
      buffer.destroy();
      return;
    }
    stack.push(buffer);
    this.idle.set(buffer.size, stack);
  }

  destroy(): void {
    for (const stack of this.idle.values()) for (const b of stack) b.destroy();
    this.idle.clear();
    this.bytes = 0;
  }
}

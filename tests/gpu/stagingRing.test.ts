import { afterAll, describe, expect, it } from 'vitest';
import { nodeBackend } from '../../src/cli/nodeBackend';
import type { Backend } from '../../src/engine/backend';
import type { GpuBackend } from '../../src/gpu/gpuBackend';

/** Read-back through the ring of mappable buffers, on Dawn (SwiftShader) in Node. */
describe('GPU read-back ring', async () => {
  const gpu: Backend = await nodeBackend('gpu', true);
  afterAll(() => gpu.destroy());
  const rows = 300, cols = 4;
  const data = Float32Array.from({ length: rows * cols }, (_, i) => i * 0.5 - 7);
  const t = gpu.tensor(rows, cols, data);

  it('reads row ranges queued back to back, each with its own rows, while later ops are recorded', async () => {
    const out = gpu.tensor(rows, cols);
    const ranges = [[0, 1], [5, 10], [299, 1], [0, 300], [17, 0], [100, 150]] as const;
    const reads = ranges.map(([s, c]) => gpu.readRows(t, s, c));
    // Recorded after the reads were queued: they must not see it.
    gpu.scale(t, 2, 1, out);
    gpu.copy(out, t);
    const after = gpu.read(t);
    const got = await Promise.all(reads);
    ranges.forEach(([s, c], i) => expect(Array.from(got[i])).toEqual(Array.from(data.subarray(s * cols, (s + c) * cols))));
    expect(Array.from(await after)).toEqual(Array.from(data, (x) => Math.fround(x * 2 + 1)));
    gpu.copy(gpu.tensor(rows, cols, data), t);
  });

  it('reuses its buffers: once warm, a hundred rounds of reads create no buffer and hold no more memory', async () => {
    for (let i = 0; i < 5; i++) await Promise.all([gpu.readRows(t, 0, 2), gpu.read(t), gpu.readRows(t, 3, 40)]);
    const warm = gpu.memoryInUse!();
    const device = (gpu as GpuBackend).ctx.device;
    const create = device.createBuffer.bind(device);
    let created = 0;
    device.createBuffer = (d: GPUBufferDescriptor) => {
      created++;
      return create(d);
    };
    try {
      for (let i = 0; i < 100; i++) await Promise.all([gpu.readRows(t, 0, 2), gpu.read(t), gpu.readRows(t, 3, 40)]);
    } finally {
      device.createBuffer = create;
    }
    expect(created).toBe(0);
    expect(gpu.memoryInUse!()).toBe(warm);
  });

  it('refuses a range outside the tensor', async () => {
    await expect(gpu.readRows(t, 299, 2)).rejects.toThrow(/rows 299\.\.301 of a 300-row tensor/);
  });
});

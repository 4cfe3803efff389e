/** Where each tensor of a packed group starts (see PackedTensors in backend.ts). */

/** 256 bytes of f32: WebGPU's minStorageBufferOffsetAlignment is at most this on every adapter. */
export const PACK_ALIGN = 64;

export interface PackLayout {
  readonly offsets: number[];
  /** Elements in all, each window rounded up to PACK_ALIGN (an empty tensor still takes one). */
  readonly length: number;
}

export function packLayout(shapes: readonly (readonly [number, number])[]): PackLayout {
  const offsets: number[] = [];
  let at = 0;
  for (const [r, c] of shapes) {
    offsets.push(at);
    at += Math.ceil(Math.max(r * c, 1) / PACK_ALIGN) * PACK_ALIGN;
  }
  return { offsets, length: at };
}

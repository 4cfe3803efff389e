/**
 * Counter-based random numbers: a number depends only on (seed, stream, index), never on how many
 * were drawn before, so the CPU and the GPU (shaders/elementwise.wgsl) draw the same dropout
 * masks and a run can be replayed from its seed alone.
 */

/** PCG hash (Jarzynski and Olano, "Hash Functions for GPU Rendering", 2020). */
export function pcg(v: number): number {
  const s = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const w = Math.imul(((s >>> ((s >>> 28) + 4)) ^ s) >>> 0, 277803737) >>> 0;
  return ((w >>> 22) ^ w) >>> 0;
}

/** The per-call key both backends mix with each element index. */
export function dropoutKey(seed: number, stream: number): number {
  return pcg((pcg(seed >>> 0) + (stream >>> 0)) >>> 0);
}

/** Uniform in [0, 1) with 24 random bits: exactly representable in f32 on both backends. */
export function uniformAt(key: number, index: number): number {
  return (pcg((pcg(index >>> 0) ^ key) >>> 0) >>> 8) / 16777216;
}

/** Glorot (Xavier) uniform init, as PyG's `glorot`: U(-a, a), a = sqrt(6 / (fanIn + fanOut)). */
export function glorot(rows: number, cols: number, seed: number, stream: number): Float32Array {
  const a = Math.sqrt(6 / (rows + cols));
  const key = dropoutKey(seed, stream);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (2 * uniformAt(key, i) - 1) * a;
  return out;
}

/** U(-bound, bound), e.g. torch.nn.Linear's default init with bound = 1 / sqrt(fanIn). */
export function uniformInit(rows: number, cols: number, bound: number, seed: number, stream: number): Float32Array {
  const key = dropoutKey(seed, stream);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (2 * uniformAt(key, i) - 1) * bound;
  return out;
}

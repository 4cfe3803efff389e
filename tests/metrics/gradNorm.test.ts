import { describe, expect, it } from 'vitest';
import { l2Norm, l2NormOf } from '../../src/metrics/gradNorm';

describe('l2Norm', () => {
  it('by hand, and empty', () => {
    expect(l2Norm(Float32Array.from([3, -4]))).toBe(5);
    expect(l2Norm(new Float32Array(0))).toBe(0);
    expect(l2NormOf([Float32Array.from([1, 2]), new Float32Array(0), Float32Array.from([2])])).toBe(3);
    expect(l2NormOf([])).toBe(0);
  });

  it('accumulates in float64: a float32 sum would drop the million small squares next to 1e8', () => {
    const x = new Float32Array(1_000_001).fill(1);
    x[0] = 1e4;
    expect(l2Norm(x)).toBeCloseTo(Math.sqrt(1e8 + 1e6), 9);
    let f32 = Math.fround(0);
    for (const v of x) f32 = Math.fround(f32 + Math.fround(v * v));
    expect(Math.sqrt(f32)).toBe(1e4); // what the float64 accumulation avoids
  });

  it('squares of the largest float32 values do not overflow; NaN and Inf pass through', () => {
    const big = 3e38;
    expect(l2Norm(Float32Array.from([big, big]))).toBeCloseTo(Math.fround(big) * Math.SQRT2, -25);
    expect(l2Norm(Float32Array.from([1, NaN]))).toBeNaN();
    expect(l2Norm(Float32Array.from([1, -Infinity]))).toBe(Infinity);
  });
});

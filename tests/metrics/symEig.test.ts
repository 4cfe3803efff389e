import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/metrics/symEig';
import { TestRng } from '../helpers/random';

function randomSymmetric(rng: TestRng, n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.uniform(-1, 1);
  return a;
}

function expectDecomposition(a: Float64Array, n: number, tol = 1e-12) {
  const { values, vectors } = symmetricEigen(a, n);
  for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j] * vectors![k * n + j];
      expect(Math.abs(av - values[k] * vectors![k * n + i])).toBeLessThan(tol);
    }
    for (let l = 0; l < n; l++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += vectors![k * n + i] * vectors![l * n + i];
      expect(Math.abs(d - (k === l ? 1 : 0))).toBeLessThan(tol);
    }
  }
  return values;
}

describe('symmetricEigen', () => {
  it('random symmetric matrices: A v = lambda v, orthonormal, ascending', () => {
    const rng = new TestRng(1);
    for (const n of [1, 2, 3, 10, 60]) expectDecomposition(randomSymmetric(rng, n), n);
  });

  it('2 x 2 by hand, a diagonal, the identity (all equal), and zero', () => {
    const pair = expectDecomposition(Float64Array.from([2, 1, 1, 2]), 2);
    expect(pair[0]).toBeCloseTo(1, 15);
    expect(pair[1]).toBeCloseTo(3, 15);
    expect(Array.from(expectDecomposition(Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]), 3))).toEqual([-1, 2, 3]);
    expect(Array.from(expectDecomposition(Float64Array.from([1, 0, 0, 1]), 2))).toEqual([1, 1]);
    expect(Array.from(expectDecomposition(new Float64Array(9), 3))).toEqual([0, 0, 0]);
  });

  it('reads only the lower triangle, leaves the input alone, values alone on request', () => {
    const rng = new TestRng(2);
    const a = randomSymmetric(rng, 8);
    const lower = a.map((v, k) => (k % 8 <= Math.floor(k / 8) ? v : 99));
    const copy = lower.slice();
    const full = symmetricEigen(a, 8);
    const fromLower = symmetricEigen(lower, 8, { vectors: false });
    expect(lower).toEqual(copy);
    expect(fromLower.vectors).toBeUndefined();
    for (let k = 0; k < 8; k++) expect(fromLower.values[k]).toBeCloseTo(full.values[k], 12);
  });

  it('empty, wrong size, and NaN (comes back as NaN, without hanging)', () => {
    expect(symmetricEigen(new Float64Array(0), 0).values.length).toBe(0);
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(/expected 4 entries/);
    expect(Array.from(symmetricEigen(Float64Array.from([1, NaN, NaN, 1]), 2).values).some(Number.isNaN)).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csrToDense } from '../../src/graph/csr';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { chebNorm, gcnNorm } from '../../src/graph/normalize';
import {
  chebGain,
  filterGain,
  filterLaplacian,
  firstOrderGain,
  gcnGain,
  type GraphFilter,
  regularRenormalizedEigenvalue,
  responseAt,
  sampleResponse,
  sgcGain,
} from '../../src/metrics/filterResponse';
import { eigenvector, laplacianSpectrum } from '../../src/metrics/spectral';
import { TestRng } from '../helpers/random';
import { ring } from './graphs';

const karate = parseGraphJson(readFileSync(new URL('../../public/datasets/karate.json', import.meta.url), 'utf8'));

describe('gains against hand-computed values', () => {
  it('GCN: low-pass, 1 at 0, 0 at 1, -1 at 2, powers for stacked layers', () => {
    expect([0, 0.5, 1, 1.5, 2].map((l) => gcnGain(l))).toEqual([1, 0.5, 0, -0.5, -1]);
    expect(gcnGain(1.5, 2)).toBe(0.25);
    expect(gcnGain(0.25, 3)).toBeCloseTo(0.421875, 15);
    expect(gcnGain(1.7, 0)).toBe(1);
    const { gain } = sampleResponse({ kind: 'gcn' });
    for (let i = 1; i < gain.length; i++) expect(gain[i]).toBeLessThan(gain[i - 1]);
  });

  it('SGC with K steps is K GCN layers', () => {
    expect(sgcGain(0.5, 2)).toBe(0.25);
    for (const l of [0, 0.3, 1.2, 1.9]) expect(sgcGain(l, 3)).toBe(gcnGain(l, 3));
  });

  it('first order without renormalization: 2 - lambda, amplifying smooth signals when stacked', () => {
    expect(firstOrderGain(0)).toBe(2);
    expect(firstOrderGain(2)).toBe(0);
    expect(firstOrderGain(0.5, 3)).toBe(3.375);
  });

  it('ChebNet: theta = [1] is 1, [0, 1] is lambda - 1, and three terms by hand', () => {
    const { lambda, gain } = sampleResponse({ kind: 'cheb', theta: [1] });
    expect(Array.from(gain)).toEqual(new Array(lambda.length).fill(1));
    for (const l of [0, 0.4, 1, 2]) expect(chebGain(l, [0, 1])).toBeCloseTo(l - 1, 15);
    // x = -0.5: T0 = 1, T1 = -0.5, T2 = 2 x^2 - 1 = -0.5.
    expect(chebGain(0.5, [0.5, -1, 0.25])).toBeCloseTo(0.5 + 0.5 - 0.125, 15);
    // lambdaMax scales the argument: 2 * 0.375 / 1.5 - 1 = -0.5.
    expect(chebGain(0.375, [0, 0, 1], 1.5)).toBeCloseTo(-0.5, 15);
    expect(chebGain(1, [])).toBe(0);
  });

  it('ChebNet: Clenshaw agrees with the three-term recurrence, also beyond lambdaMax', () => {
    const rng = new TestRng(6);
    const theta = Array.from({ length: 7 }, () => rng.uniform(-1, 1));
    for (const l of [0, 0.3, 1, 1.77, 2, 2.6]) {
      const x = l - 1;
      let t0 = 1, t1 = x, sum = theta[0] + theta[1] * x;
      for (let k = 2; k < theta.length; k++) {
        const t2 = 2 * x * t1 - t0;
        sum += theta[k] * t2;
        t0 = t1;
        t1 = t2;
      }
      expect(chebGain(l, theta)).toBeCloseTo(sum, 12);
    }
  });

  it('filterGain dispatches, filterLaplacian names the eigenvalues each filter reads', () => {
    const filters: [GraphFilter, (l: number) => number, 'renormalized' | 'plain'][] = [
      [{ kind: 'gcn' }, (l) => 1 - l, 'renormalized'],
      [{ kind: 'gcn', layers: 2 }, (l) => (1 - l) ** 2, 'renormalized'],
      [{ kind: 'sgc', k: 3 }, (l) => (1 - l) ** 3, 'renormalized'],
      [{ kind: 'row', layers: 2 }, (l) => (1 - l) ** 2, 'renormalized'],
      [{ kind: 'first-order' }, (l) => 2 - l, 'plain'],
      [{ kind: 'cheb', theta: [0, 1], lambdaMax: 1 }, (l) => 2 * l - 1, 'plain'],
    ];
    for (const [f, g, lap] of filters) {
      for (const l of [0, 0.7, 1.3, 2]) expect(filterGain(f, l)).toBeCloseTo(g(l), 14);
      expect(filterLaplacian(f)).toBe(lap);
    }
  });

  it('sampleResponse covers [0, 2] with both ends; responseAt evaluates at given eigenvalues', () => {
    const { lambda, gain } = sampleResponse({ kind: 'gcn', layers: 2 }, 5);
    expect(Array.from(lambda)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(Array.from(gain)).toEqual([1, 0.25, 0, 0.25, 1]);
    expect(sampleResponse({ kind: 'gcn' }).lambda.length).toBe(201);
    expect(Array.from(responseAt({ kind: 'sgc', k: 1 }, [0.1, 0.6]))).toEqual([1 - 0.1, 1 - 0.6]);
  });

  it('rejects bad powers, sample counts and lambdaMax', () => {
    expect(() => gcnGain(0.5, -1)).toThrow(/layers must be a nonnegative integer/);
    expect(() => gcnGain(0.5, 1.5)).toThrow(/layers/);
    expect(() => sgcGain(0.5, NaN)).toThrow(/k must be/);
    expect(() => sampleResponse({ kind: 'gcn' }, 1)).toThrow(/samples/);
    expect(() => chebGain(1, [1], 0)).toThrow(/lambdaMax/);
  });

  it('a d-regular graph: lambda~ = lambda d / (d + 1)', () => {
    const plain = laplacianSpectrum(ring(9));
    const renorm = laplacianSpectrum(ring(9), { renormalized: true });
    for (let k = 0; k < 9; k++) expect(renorm.eigenvalues[k]).toBeCloseTo(regularRenormalizedEigenvalue(plain.eigenvalues[k], 2), 12);
  });
});

/** y = M v for a dense row-major n x n float32 matrix. */
function apply(m: Float32Array, v: Float64Array): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] += m[i * n + j] * v[j];
  return out;
}

function expectScaled(actual: Float64Array, v: Float64Array, gain: number, tol = 1e-5) {
  for (let i = 0; i < v.length; i++) expect(Math.abs(actual[i] - gain * v[i])).toBeLessThan(tol);
}

describe('the gains are what the models\u2019 propagation matrices do to eigenvectors (Karate)', () => {
  const a = karate.inCsr;
  const n = a.rows;
  const plain = laplacianSpectrum(a);
  const renorm = laplacianSpectrum(a, { renormalized: true });

  it('GCN (gcnNorm), K layers: S^K u = (1 - lambda~)^K u', () => {
    const s = csrToDense(gcnNorm(a));
    for (let k = 0; k < n; k++) {
      const u = eigenvector(renorm, k);
      const once = apply(s, u);
      expectScaled(once, u, filterGain({ kind: 'gcn' }, renorm.eigenvalues[k]));
      expectScaled(apply(s, apply(s, once)), u, filterGain({ kind: 'sgc', k: 3 }, renorm.eigenvalues[k]));
    }
    // The self loops keep every gain above -1: stacking never amplifies.
    for (let k = 1; k < n; k++) expect(Math.abs(gcnGain(renorm.eigenvalues[k]))).toBeLessThan(1);
  });

  it('row-normalized D~^-1 (A + I): the same gains along D~^-1/2 u', () => {
    const r = csrToDense(gcnNorm(a, { norm: 'row' }));
    const dense = csrToDense(a);
    const scale = Array.from({ length: n }, (_, i) => 1 / Math.sqrt(1 + dense.subarray(i * n, (i + 1) * n).reduce((x, y) => x + y, 0)));
    for (let k = 0; k < n; k++) {
      const w = eigenvector(renorm, k).map((x, i) => x * scale[i]);
      expectScaled(apply(r, w), w, filterGain({ kind: 'row' }, renorm.eigenvalues[k]));
    }
  });

  it('ChebConv (chebNorm, lambdaMax = 2): sum theta_k T_k(L^) u = g(lambda) u', () => {
    const lHat = csrToDense(chebNorm(a));
    const theta = [0.7, -0.4, 0.25, 0.1];
    for (let k = 0; k < n; k++) {
      const u = eigenvector(plain, k);
      let t0: Float64Array = Float64Array.from(u);
      let t1: Float64Array = apply(lHat, u);
      const sum = t0.map((x, i) => theta[0] * x + theta[1] * t1[i]);
      for (let j = 2; j < theta.length; j++) {
        const lt1 = apply(lHat, t1);
        const t2 = lt1.map((x, i) => 2 * x - t0[i]);
        for (let i = 0; i < n; i++) sum[i] += theta[j] * t2[i];
        t0 = t1;
        t1 = t2;
      }
      expectScaled(sum, u, filterGain({ kind: 'cheb', theta }, plain.eigenvalues[k]));
    }
  });

  it('first order without renormalization: (I + D^-1/2 A D^-1/2) u = (2 - lambda) u, above 1 for smooth signals', () => {
    const m = csrToDense(chebNorm(a)).map((x, i) => (i % (n + 1) === 0 ? 1 : 0) - x);
    for (let k = 0; k < n; k++) {
      const u = eigenvector(plain, k);
      expectScaled(apply(m, u), u, filterGain({ kind: 'first-order' }, plain.eigenvalues[k]));
    }
    expect(firstOrderGain(plain.eigenvalues[1])).toBeGreaterThan(1);
  });
});

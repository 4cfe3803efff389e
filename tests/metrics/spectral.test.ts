import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csrFromCoo, csrToDense } from '../../src/graph/csr';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { chebNorm, gcnNorm } from '../../src/graph/normalize';
import type { Csr } from '../../src/graph/types';
import { eigenvector, laplacianSpectrum, normalizedLaplacian, SPECTRAL_MAX_NODES, type Spectrum } from '../../src/metrics/spectral';
import { TestRng } from '../helpers/random';
import { complete, path, ring, undirected } from './graphs';

const karate = parseGraphJson(readFileSync(new URL('../../public/datasets/karate.json', import.meta.url), 'utf8'));

/** Weighted degrees (Karate's edges count interactions). */
function degrees(a: Csr): number[] {
  const dense = csrToDense(a);
  return Array.from({ length: a.rows }, (_, i) => dense.subarray(i * a.cols, (i + 1) * a.cols).reduce((s, w) => s + w, 0));
}

function expectValues(actual: ArrayLike<number>, expected: number[], tol = 1e-9) {
  const sorted = [...expected].sort((a, b) => a - b);
  expect(actual.length).toBe(sorted.length);
  for (let k = 0; k < sorted.length; k++) expect(Math.abs(actual[k] - sorted[k])).toBeLessThan(tol);
}

/** What every spectrum must satisfy: range, order, L v = lambda v, orthonormality, the sign convention. */
function expectValidSpectrum(s: Spectrum) {
  const { n, matrix, eigenvalues } = s;
  for (let k = 0; k < n; k++) {
    expect(eigenvalues[k]).toBeGreaterThanOrEqual(0);
    expect(eigenvalues[k]).toBeLessThanOrEqual(2);
    if (k > 0) expect(eigenvalues[k]).toBeGreaterThanOrEqual(eigenvalues[k - 1]);
    const v = eigenvector(s, k);
    for (let i = 0; i < n; i++) {
      let lv = 0;
      for (let j = 0; j < n; j++) lv += matrix[i * n + j] * v[j];
      expect(Math.abs(lv - eigenvalues[k] * v[i])).toBeLessThan(1e-6);
    }
    for (let l = k; l < n; l++) {
      const u = eigenvector(s, l);
      let d = 0;
      for (let i = 0; i < n; i++) d += v[i] * u[i];
      expect(Math.abs(d - (k === l ? 1 : 0))).toBeLessThan(1e-9);
    }
    const max = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    const first = v.findIndex((x) => Math.abs(x) >= max - 1e-12);
    expect(v[first]).toBeGreaterThan(0);
  }
}

describe('laplacianSpectrum against closed forms', () => {
  it('path P_n: 1 - cos(pi k / (n - 1))', () => {
    for (const n of [2, 3, 10, 31]) {
      const s = laplacianSpectrum(path(n));
      expectValues(s.eigenvalues, Array.from({ length: n }, (_, k) => 1 - Math.cos((Math.PI * k) / (n - 1))));
      expectValidSpectrum(s);
    }
  });

  it('ring C_n: 1 - cos(2 pi k / n), and 2 exactly when n is even (bipartite)', () => {
    for (const n of [3, 4, 7, 12, 40]) {
      const s = laplacianSpectrum(ring(n));
      expectValues(s.eigenvalues, Array.from({ length: n }, (_, k) => 1 - Math.cos((2 * Math.PI * k) / n)));
      expectValidSpectrum(s);
      if (n % 2 === 0) expect(s.eigenvalues[n - 1]).toBeCloseTo(2, 12);
      else expect(s.eigenvalues[n - 1]).toBeLessThan(2 - 1e-3);
    }
  });

  it('complete K_n: 0 once and n / (n - 1) n - 1 times', () => {
    for (const n of [2, 5, 16]) {
      const s = laplacianSpectrum(complete(n));
      expectValues(s.eigenvalues, [0, ...new Array(n - 1).fill(n / (n - 1))]);
      expectValidSpectrum(s);
    }
  });

  it('eigenvalue 0 on a connected graph has eigenvector D^1/2 1 (normalized, positive), with weighted degrees', () => {
    const s = laplacianSpectrum(karate.inCsr);
    const deg = degrees(karate.inCsr);
    const norm = Math.sqrt(deg.reduce((a, d) => a + d, 0));
    const v = eigenvector(s, 0);
    for (let i = 0; i < s.n; i++) expect(v[i]).toBeCloseTo(Math.sqrt(deg[i]) / norm, 9);
  });

  it('a bipartite graph has eigenvalue 2, with eigenvector D^1/2 times +-1 by side', () => {
    const rng = new TestRng(8);
    const left = 9, n = 20;
    const edges: [number, number][] = [];
    for (let a = 0; a < left; a++) for (let b = left; b < n; b++) if (rng.next() < 0.3 || b === left + a) edges.push([a, b]);
    const s = laplacianSpectrum(undirected(n, edges));
    expect(s.eigenvalues[n - 1]).toBeCloseTo(2, 10);
    expectValidSpectrum(s);
    const v = eigenvector(s, n - 1);
    for (const [a, b] of edges) expect(Math.sign(v[a])).toBe(-Math.sign(v[b]));
  });

  it('random weighted graphs, with isolated nodes, multi-edges and self loops: a valid spectrum either way', () => {
    const rng = new TestRng(21);
    for (const n of [1, 6, 45, 120]) {
      const edges: [number, number][] = [];
      const weights: number[] = [];
      for (let k = 0; k < 2 * n; k++) {
        const a = rng.int(Math.max(1, n - 2)); // the last two nodes stay isolated
        edges.push([a, rng.int(Math.max(1, n - 2))]);
        weights.push(rng.uniform(0.1, 3));
      }
      for (const renormalized of [false, true]) expectValidSpectrum(laplacianSpectrum(undirected(n, edges, weights), { renormalized }));
    }
  });
});

describe('normalizedLaplacian conventions', () => {
  it('matches the models\u2019 normalizations: I + chebNorm (plain) and I - gcnNorm (renormalized)', () => {
    const a = karate.inCsr;
    const n = a.rows;
    const cheb = csrToDense(chebNorm(a));
    const gcn = csrToDense(gcnNorm(a));
    const plain = normalizedLaplacian(a).matrix;
    const renorm = normalizedLaplacian(a, { renormalized: true }).matrix;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const id = i === j ? 1 : 0;
        expect(Math.abs(plain[i * n + j] - (id + cheb[i * n + j]))).toBeLessThan(1e-6);
        expect(Math.abs(renorm[i * n + j] - (id - gcn[i * n + j]))).toBeLessThan(1e-6);
      }
    }
  });

  it('self loops: dropped for the plain Laplacian, kept (not doubled) when renormalizing, as gcnNorm does', () => {
    // Path 0 - 1 - 2 with a self loop of weight 3 on node 2 and an edge of weight 2 between 1 and 2.
    const a = csrFromCoo(3, 3, [0, 1, 1, 2, 2], [1, 0, 2, 1, 2], [1, 1, 2, 2, 3]);
    const plain = normalizedLaplacian(a).matrix;
    const withoutLoop = normalizedLaplacian(csrFromCoo(3, 3, [0, 1, 1, 2], [1, 0, 2, 1], [1, 1, 2, 2])).matrix;
    expect(Array.from(plain)).toEqual(Array.from(withoutLoop));
    const renorm = normalizedLaplacian(a, { renormalized: true }).matrix;
    const gcn = csrToDense(gcnNorm(a));
    for (let k = 0; k < 9; k++) expect(Math.abs(renorm[k] - ((k % 4 === 0 ? 1 : 0) - gcn[k]))).toBeLessThan(1e-6);
    // Degrees with loops: 2, 4, 5; the (2, 2) entry is 1 - 3/5.
    expect(renorm[8]).toBeCloseTo(1 - 3 / 5, 12);
    expect(renorm[1]).toBeCloseTo(-1 / Math.sqrt(2 * 4), 12);
  });

  it('an isolated node: eigenvalue 1 on its own (plain), 0 with its loop (renormalized)', () => {
    const a = undirected(4, [[0, 1], [1, 2]]); // node 3 has no edges
    const plain = laplacianSpectrum(a);
    expect(plain.matrix[15]).toBe(1);
    expectValues(plain.eigenvalues, [0, 1, 1, 2], 1e-12);
    const renorm = laplacianSpectrum(a, { renormalized: true });
    expect(renorm.matrix[15]).toBe(0);
    // Two components, both with an eigenvalue 0 once every node has its loop.
    expect(renorm.eigenvalues[0]).toBeCloseTo(0, 12);
    expect(renorm.eigenvalues[1]).toBeCloseTo(0, 12);
    expect(renorm.eigenvalues[2]).toBeGreaterThan(0.1);
    expectValidSpectrum(plain);
    expectValidSpectrum(renorm);
  });

  it('counts components in the multiplicity of 0', () => {
    const a = undirected(9, [[0, 1], [1, 2], [3, 4], [5, 6], [6, 7], [7, 5]]); // node 8 isolated
    const zeros = (s: Spectrum) => s.eigenvalues.filter((x) => x < 1e-9).length;
    expect(zeros(laplacianSpectrum(a))).toBe(3);
    expect(zeros(laplacianSpectrum(a, { renormalized: true }))).toBe(4);
  });

  it('renormalization shrinks the spectrum: d/(d+1) exactly on a ring, within Ostrowski bounds on Karate', () => {
    const r = laplacianSpectrum(ring(10));
    const rt = laplacianSpectrum(ring(10), { renormalized: true });
    for (let k = 0; k < 10; k++) expect(rt.eigenvalues[k]).toBeCloseTo((r.eigenvalues[k] * 2) / 3, 12);

    const k = laplacianSpectrum(karate.inCsr);
    const kt = laplacianSpectrum(karate.inCsr, { renormalized: true });
    const deg = degrees(karate.inCsr);
    const lo = Math.min(...deg.map((d) => d / (d + 1)));
    const hi = Math.max(...deg.map((d) => d / (d + 1)));
    for (let i = 1; i < k.n; i++) {
      expect(kt.eigenvalues[i]).toBeGreaterThanOrEqual(lo * k.eigenvalues[i] - 1e-12);
      expect(kt.eigenvalues[i]).toBeLessThanOrEqual(hi * k.eigenvalues[i] + 1e-12);
    }
    expect(kt.eigenvalues[k.n - 1]).toBeLessThan(k.eigenvalues[k.n - 1]);
  });

  it('an asymmetric adjacency is averaged with its transpose and says so', () => {
    const a = csrFromCoo(3, 3, [1, 2, 1], [0, 1, 2]); // 0 -> 1, 1 -> 2 and 2 -> 1
    const lap = normalizedLaplacian(a);
    expect(lap.symmetrized).toBe(true);
    const sym = normalizedLaplacian(csrFromCoo(3, 3, [1, 0, 2, 1], [0, 1, 1, 2], [0.5, 0.5, 1, 1]));
    expect(sym.symmetrized).toBe(false);
    expect(Array.from(lap.matrix)).toEqual(Array.from(sym.matrix));
    expect(laplacianSpectrum(ring(5)).symmetrized).toBe(false);
  });

  it('refuses graphs above the cap, non-square matrices, bad indices and bad weights', () => {
    expect(() => laplacianSpectrum(ring(SPECTRAL_MAX_NODES + 1))).toThrow(/601 nodes is above the 600/);
    expect(() => normalizedLaplacian(csrFromCoo(2, 3, [0], [2]))).toThrow(/square/);
    expect(() => normalizedLaplacian({ rows: 2, cols: 2, indptr: Uint32Array.from([0, 1, 1]), indices: Uint32Array.from([5]) })).toThrow(/names node 5/);
    expect(() => normalizedLaplacian(undirected(2, [[0, 1]], [-1]))).toThrow(/nonnegative/);
    expect(() => normalizedLaplacian(undirected(2, [[0, 1]], [NaN]))).toThrow(/finite/);
    expect(() => eigenvector(laplacianSpectrum(ring(3)), 3)).toThrow(/outside 0..2/);
  });

  it('the empty graph', () => {
    const s = laplacianSpectrum(csrFromCoo(0, 0, [], []));
    expect(s.eigenvalues.length).toBe(0);
    expect(s.eigenvectors.length).toBe(0);
  });
});

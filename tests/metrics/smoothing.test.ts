import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csrFromCoo } from '../../src/graph/csr';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import type { Csr } from '../../src/graph/types';
import { dirichletEnergy, madGlobal, madNeighbours } from '../../src/metrics/smoothing';
import { normalizedLaplacian } from '../../src/metrics/spectral';
import { TestRng } from '../helpers/random';
import { path, ring, undirected } from './graphs';

const karate = parseGraphJson(readFileSync(new URL('../../public/datasets/karate.json', import.meta.url), 'utf8'));
const unweighted = (a: Csr): Csr => ({ ...a, values: undefined });

/** Pairwise cosine distances by definition, O(N^2): the reference for the closed form. */
function madBrute(x: Float32Array, rows: number, cols: number, mask?: Csr): number {
  const row = (i: number) => Array.from(x.subarray(i * cols, (i + 1) * cols));
  const dist = (i: number, j: number) => {
    const a = row(i), b = row(j);
    const na = Math.hypot(...a), nb = Math.hypot(...b);
    if (na === 0 || nb === 0) return na === 0 && nb === 0 ? 0 : 1;
    return 1 - a.reduce((s, v, c) => s + v * b[c], 0) / (na * nb);
  };
  let total = 0, counted = 0;
  for (let i = 0; i < rows; i++) {
    const others = mask
      ? Array.from(mask.indices.subarray(mask.indptr[i], mask.indptr[i + 1])).filter((j) => j !== i)
      : Array.from({ length: rows }, (_, j) => j).filter((j) => j !== i);
    if (others.length === 0) continue;
    total += others.reduce((s, j) => s + dist(i, j), 0) / others.length;
    counted++;
  }
  return counted ? total / counted : 0;
}

describe('dirichletEnergy', () => {
  it('two nodes: (a - b)^2 / 2 normalized (degree 1 each), (a - b)^2 plain', () => {
    const a = path(2);
    const x = Float32Array.from([3, -1]);
    expect(dirichletEnergy(a, x, 1)).toBeCloseTo(8, 12);
    expect(dirichletEnergy(a, x, 1, { normalized: false })).toBeCloseTo(16, 12);
  });

  it('a path of three by hand: degrees 1, 2, 1', () => {
    const x = Float32Array.from([1, 0, 0, 2, -1, 1]); // 3 nodes x 2 columns
    const s = [1 / Math.SQRT2, 1 / Math.sqrt(3), 1 / Math.SQRT2];
    const d2 = (i: number, j: number) => (x[2 * i] * s[i] - x[2 * j] * s[j]) ** 2 + (x[2 * i + 1] * s[i] - x[2 * j + 1] * s[j]) ** 2;
    expect(dirichletEnergy(path(3), x, 2)).toBeCloseTo((2 * d2(0, 1) + 2 * d2(1, 2)) / 3, 12);
  });

  it('a cosine wave on a ring: 2 (1 - cos theta) plain, a third of it normalized (degree 2)', () => {
    const n = 12, k = 2, theta = (2 * Math.PI * k) / n;
    const x = Float32Array.from({ length: n }, (_, i) => Math.cos(theta * i));
    expect(dirichletEnergy(ring(n), x, 1, { normalized: false })).toBeCloseTo(2 * (1 - Math.cos(theta)), 6);
    expect(dirichletEnergy(ring(n), x, 1)).toBeCloseTo((2 * (1 - Math.cos(theta))) / 3, 6);
  });

  it('equals (2 / N) tr(X^T L~ X) with the renormalized Laplacian, on Karate', () => {
    const a = unweighted(karate.inCsr), n = a.rows, cols = 3;
    const x = new TestRng(5).floats(n * cols);
    const { matrix } = normalizedLaplacian(a, { renormalized: true });
    let tr = 0;
    for (let c = 0; c < cols; c++) {
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) tr += x[i * cols + c] * matrix[i * n + j] * x[j * cols + c];
    }
    expect(dirichletEnergy(a, x, cols)).toBeCloseTo((2 / n) * tr, 9);
  });

  it('is 0 for constant rows on any graph (plain) and on a regular one (normalized); 0 for x ~ sqrt(1 + d) normalized', () => {
    const a = unweighted(karate.inCsr), n = a.rows;
    const constant = new Float32Array(n * 4).fill(0.7);
    expect(dirichletEnergy(a, constant, 4, { normalized: false })).toBe(0);
    expect(dirichletEnergy(ring(9), new Float32Array(9 * 4).fill(-2), 4)).toBeCloseTo(0, 12);
    expect(dirichletEnergy(a, constant, 4)).toBeGreaterThan(0.01); // Karate's degrees differ
    const fixedPoint = Float32Array.from({ length: n }, (_, i) => Math.sqrt(1 + a.indptr[i + 1] - a.indptr[i]));
    expect(dirichletEnergy(a, fixedPoint, 1)).toBeCloseTo(0, 5);
  });

  it('isolated nodes and self loops add nothing, and nothing is NaN', () => {
    // 0 - 1 an edge, 2 isolated, 3 with only a self loop.
    const a = csrFromCoo(4, 4, [0, 1, 3], [1, 0, 3]);
    const x = Float32Array.from([3, -1, 100, -50]);
    expect(dirichletEnergy(a, x, 1)).toBeCloseTo((2 * (3 / Math.SQRT2 + 1 / Math.SQRT2) ** 2) / 4, 12); // = 4
    expect(dirichletEnergy(csrFromCoo(3, 3, [], []), Float32Array.from([1, 2, 3]), 1)).toBe(0);
    expect(dirichletEnergy(csrFromCoo(0, 0, [], []), new Float32Array(0), 5)).toBe(0);
  });

  it('checks its input', () => {
    expect(() => dirichletEnergy(path(3), new Float32Array(5), 2)).toThrow(/expected 6 values/);
  });
});

describe('MAD', () => {
  it('identical directions give 0 (any positive scale), orthogonal rows 1, opposite rows 2', () => {
    const x = new Float32Array(5 * 3);
    for (let r = 0; r < 5; r++) x.set([1 * (r + 1), -2 * (r + 1), 0.5 * (r + 1)], r * 3);
    expect(madGlobal(x, 5, 3)).toBeCloseTo(0, 12);
    const eye = new Float32Array(16);
    for (let i = 0; i < 4; i++) eye[i * 4 + i] = 2 + i;
    expect(madGlobal(eye, 4, 4)).toBeCloseTo(1, 12);
    expect(madGlobal(Float32Array.from([1, 1, -1, -1]), 2, 2)).toBeCloseTo(2, 12);
  });

  it('zero rows: all zero is 0 (collapse); a zero row is at distance 1 from the others', () => {
    expect(madGlobal(new Float32Array(12), 4, 3)).toBe(0);
    // Rows: zero, e1, e1. Distances: d(0,1) = d(0,2) = 1, d(1,2) = 0 -> per node 1, 1/2, 1/2.
    expect(madGlobal(Float32Array.from([0, 0, 1, 0, 3, 0]), 3, 2)).toBeCloseTo(2 / 3, 12);
    expect(madGlobal(Float32Array.from([1, 2]), 1, 2)).toBe(0);
    expect(madGlobal(new Float32Array(0), 0, 2)).toBe(0);
  });

  it('the closed form equals the pairwise definition, with zero rows among random ones', () => {
    const rng = new TestRng(11);
    for (const [rows, cols] of [[7, 3], [40, 16], [25, 1]]) {
      const x = rng.floats(rows * cols);
      for (let r = 0; r < rows; r += 5) x.fill(0, r * cols, (r + 1) * cols);
      expect(madGlobal(x, rows, cols)).toBeCloseTo(madBrute(x, rows, cols), 10);
    }
  });

  it('masked to neighbours equals the pairwise definition on Karate and on a path with an isolated node', () => {
    const x = new TestRng(3).floats(34 * 5);
    x.fill(0, 0, 5);
    expect(madNeighbours(karate.inCsr, x, 5)).toBeCloseTo(madBrute(x, 34, 5, karate.inCsr), 10);
    const a = undirected(4, [[0, 1], [1, 2]]); // node 3 has no neighbours and is left out
    const y = Float32Array.from([1, 0, 0, 1, -1, 0, 5, 5]);
    // d(0,1) = 1, d(1,2) = 1, d(0,2)... not neighbours. Node means: 1, (1 + 1) / 2, 1.
    expect(madNeighbours(a, y, 2)).toBeCloseTo(1, 12);
    expect(madNeighbours(a, y, 2)).toBeCloseTo(madBrute(y, 4, 2, a), 12);
    expect(madNeighbours(csrFromCoo(3, 3, [], []), Float32Array.from([1, 2, 3]), 1)).toBe(0);
  });

  it('is deterministic and scale invariant', () => {
    const x = new TestRng(8).floats(300 * 8);
    const scaled = x.map((v) => v * 1000);
    expect(madGlobal(x, 300, 8)).toBe(madGlobal(x, 300, 8));
    expect(madGlobal(scaled, 300, 8)).toBeCloseTo(madGlobal(x, 300, 8), 6);
  });
});

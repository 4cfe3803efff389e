import { describe, expect, it } from 'vitest';
import { featureCount, type Csr } from '../../src/graph/types';
import {
  barabasiAlbertGraph, colDegrees, degreeStats, fixedInDegreeGraph, logDegreeHistogram, logLogSlope, rmatGraph, rowDegrees,
  syntheticNodeTask, uniformGraph, type SyntheticCsr,
} from '../../src/graph/synthetic';

/** Rows ascending, strictly (no repeats), in range, no self loops; indptr consistent. */
function expectSimple(g: SyntheticCsr) {
  const { inCsr: c, numNodes: n } = g;
  expect([c.rows, c.cols, c.indptr.length, c.indptr[0], c.indptr[n]]).toEqual([n, n, n + 1, 0, g.numEdges]);
  expect(c.indices.length).toBe(g.numEdges);
  for (let r = 0; r < n; r++) {
    for (let k = c.indptr[r]; k < c.indptr[r + 1]; k++) {
      const s = c.indices[k];
      if (s >= n || s === r || (k > c.indptr[r] && s <= c.indices[k - 1])) throw new Error(`row ${r}, entry ${k}: source ${s}`);
    }
  }
}

/** Whether every edge's reverse is there too. */
function isSymmetric(c: Csr): boolean {
  const has = (dst: number, src: number) => {
    let lo = c.indptr[dst], hi = c.indptr[dst + 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c.indices[mid] < src) lo = mid + 1;
      else hi = mid;
    }
    return lo < c.indptr[dst + 1] && c.indices[lo] === src;
  };
  for (let r = 0; r < c.rows; r++) for (let k = c.indptr[r]; k < c.indptr[r + 1]; k++) if (!has(c.indices[k], r)) return false;
  return true;
}

const same = (a: SyntheticCsr, b: SyntheticCsr) => {
  expect(a.numEdges).toBe(b.numEdges);
  expect(Buffer.from(a.inCsr.indptr.buffer, 0, a.inCsr.indptr.byteLength).equals(Buffer.from(b.inCsr.indptr.buffer, 0, b.inCsr.indptr.byteLength))).toBe(true);
  expect(Buffer.from(a.inCsr.indices.buffer, 0, a.inCsr.indices.byteLength).equals(Buffer.from(b.inCsr.indices.buffer, 0, b.inCsr.indices.byteLength))).toBe(true);
};

describe('uniform generators', () => {
  it('G(n, m) has exactly m distinct directed edges, no self loops, and is seeded', () => {
    const g = uniformGraph({ nodes: 2000, edges: 20000, seed: 3 });
    expectSimple(g);
    expect(g.numEdges).toBe(20000);
    same(g, uniformGraph({ nodes: 2000, edges: 20000, seed: 3 }));
    expect(Array.from(uniformGraph({ nodes: 2000, edges: 20000, seed: 4 }).inCsr.indices.slice(0, 50))).not.toEqual(Array.from(g.inCsr.indices.slice(0, 50)));
    // Binomial-like degrees: no hubs.
    const s = degreeStats(rowDegrees(g.inCsr));
    expect(s.mean).toBe(10);
    expect(s.max).toBeLessThan(30);
  });

  it('undirected G(n, m) holds both directions and the exact count, even on a dense small graph (top-up rounds)', () => {
    const g = uniformGraph({ nodes: 60, edges: 1500, seed: 1, undirected: true });
    expectSimple(g);
    expect(g.numEdges).toBe(1500);
    expect(isSymmetric(g.inCsr)).toBe(true);
  });

  it('fixed in-degree: every row has exactly d distinct sources', () => {
    const g = fixedInDegreeGraph({ nodes: 5000, degree: 7, seed: 9 });
    expectSimple(g);
    expect(g.numEdges).toBe(35000);
    const d = rowDegrees(g.inCsr);
    expect(d.every((x) => x === 7)).toBe(true);
    same(g, fixedInDegreeGraph({ nodes: 5000, degree: 7, seed: 9 }));
  });

  it('refuses impossible or absurd sizes with a reason', () => {
    expect(() => uniformGraph({ nodes: 10, edges: 80, seed: 1 })).toThrow(/more than half/);
    expect(() => uniformGraph({ nodes: 10, edges: 7, seed: 1, undirected: true })).toThrow(/even/);
    expect(() => uniformGraph({ nodes: 1.5, edges: 2, seed: 1 })).toThrow(/whole number/);
    expect(() => fixedInDegreeGraph({ nodes: 10, degree: 6, seed: 1 })).toThrow(/more than half/);
    expect(() => rmatGraph({ nodes: 100, edges: 100, seed: 1, a: 0.6, b: 0.3, c: 0.2 })).toThrow(/probabilities/);
  });
});

describe('power-law generators', () => {
  it('R-MAT: exact edge count, simple, seeded, heavy-tailed in- and out-degrees', () => {
    const g = rmatGraph({ nodes: 50000, edges: 500000, seed: 5 });
    expectSimple(g);
    expect(g.numEdges).toBe(500000);
    same(g, rmatGraph({ nodes: 50000, edges: 500000, seed: 5 }));
    for (const deg of [rowDegrees(g.inCsr), colDegrees(g.inCsr)]) {
      const s = degreeStats(deg);
      expect(s.mean).toBe(10);
      expect(s.max / s.mean).toBeGreaterThan(100);
      // Spread over three decades of degree, where G(n, m) fills about one.
      expect(logDegreeHistogram(deg).filter((b) => b.count > 0).length).toBeGreaterThanOrEqual(10);
      const slope = logLogSlope(deg, 4);
      expect(slope).toBeGreaterThan(-2.8);
      expect(slope).toBeLessThan(-1.3);
    }
  });

  it('undirected R-MAT is symmetric', () => {
    const g = rmatGraph({ nodes: 4096, edges: 40000, seed: 2, undirected: true });
    expectSimple(g);
    expect(g.numEdges).toBe(40000);
    expect(isSymmetric(g.inCsr)).toBe(true);
  });

  it('Barabási–Albert: m (n - m) undirected edges, min degree m, P(k) ~ k^-3', () => {
    const n = 100000, m = 5;
    const g = barabasiAlbertGraph({ nodes: n, attach: m, seed: 11 });
    expectSimple(g);
    expect(g.numEdges).toBe(2 * m * (n - m));
    expect(isSymmetric(g.inCsr)).toBe(true);
    same(g, barabasiAlbertGraph({ nodes: n, attach: m, seed: 11 }));
    const deg = rowDegrees(g.inCsr);
    const s = degreeStats(deg);
    expect(s.min).toBe(m);
    expect(s.max / s.mean).toBeGreaterThan(50); // the oldest nodes grow to about m sqrt(n)
    const slope = logLogSlope(deg, 2 * m);
    expect(slope).toBeGreaterThan(-3.5);
    expect(slope).toBeLessThan(-2.4);
  });

  it('a uniform graph fails the heavy-tail checks the power-law ones pass', () => {
    const deg = rowDegrees(uniformGraph({ nodes: 50000, edges: 500000, seed: 5 }).inCsr);
    const s = degreeStats(deg);
    expect(s.max / s.mean).toBeLessThan(4);
    expect(logDegreeHistogram(deg).filter((b) => b.count > 0).length).toBeLessThanOrEqual(6);
  });
});

describe('degree statistics and the node task', () => {
  it('degreeStats and the log histogram on a known list', () => {
    const d = Uint32Array.from([0, 1, 1, 2, 3, 4, 8, 9, 100, 2]);
    const s = degreeStats(d);
    expect([s.min, s.max, s.isolated, s.median]).toEqual([0, 100, 1, 3]);
    expect(s.mean).toBeCloseTo(13, 12);
    expect(logDegreeHistogram(d).map((b) => [b.lo, b.count])).toEqual([[1, 2], [2, 3], [4, 1], [8, 2], [16, 0], [32, 0], [64, 1]]);
    // An exact power law's densities give its exponent back.
    const exact: number[] = [];
    for (let k = 1; k <= 1024; k++) for (let c = 0; c < Math.round(1e7 * k ** -2.5); c++) exact.push(k);
    expect(logLogSlope(Uint32Array.from(exact))).toBeCloseTo(-2.5, 1);
  });

  it('syntheticNodeTask: dense features, labels in range, a split covering every node, seeded', () => {
    const g = uniformGraph({ nodes: 3000, edges: 30000, seed: 1 });
    const t = syntheticNodeTask(g, { features: 32, classes: 5, seed: 2 });
    expect([t.numNodes, t.numEdges, featureCount(t.features), t.numClasses]).toEqual([3000, 30000, 32, 5]);
    expect(t.outCsr.indices.length).toBe(30000);
    expect(t.labels.every((y) => y >= 0 && y < 5)).toBe(true);
    expect(t.split.train.length + t.split.val.length + t.split.test.length).toBe(3000);
    expect(t.split.train.length).toBeGreaterThan(100);
    const again = syntheticNodeTask(g, { features: 32, classes: 5, seed: 2 });
    expect(again.features).toEqual(t.features);
    expect(Array.from(again.split.train)).toEqual(Array.from(t.split.train));
  });
});

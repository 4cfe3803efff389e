import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csrToDense, transposeCsr } from '../../src/graph/csr';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { gcnNorm, rowNormalize } from '../../src/graph/normalize';
import type { Csr, Features } from '../../src/graph/types';

const load = (p: string) => parseGraphJson(readFileSync(new URL(`../../public/datasets/${p}`, import.meta.url), 'utf8'));
const karate = load('karate.json');
const citeseer = load('citeseer.json');

/**
 * Path 0 - 1 - 2 plus an isolated node 3; edge 1-2 weighs 2 (both ways), node 2 already has a
 * self loop of weight 3, and row 1 lists its sources out of order.
 */
const path: Csr = {
  rows: 4,
  cols: 4,
  indptr: Uint32Array.from([0, 1, 3, 5, 5]),
  indices: Uint32Array.from([1, 2, 0, 2, 1]),
  values: Float32Array.from([1, 2, 1, 3, 2]),
};

function rowsOf(a: Csr) {
  return Array.from({ length: a.rows }, (_, r) => Array.from(a.indices.subarray(a.indptr[r], a.indptr[r + 1])));
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    if (!(Math.abs(actual[k] - expected[k]) <= tol)) throw new Error(`at ${k}: ${actual[k]} vs ${expected[k]}`);
  }
}

/** D^-1/2 (A + I) D^-1/2 straight from the definition, with the diagonal kept if present. */
function denseGcn(a: Csr, weighted: boolean): Float64Array {
  const n = a.rows;
  const dense = csrToDense(weighted ? a : { ...a, values: undefined, perm: undefined });
  const m = Float64Array.from(dense);
  for (let i = 0; i < n; i++) if (m[i * n + i] === 0) m[i * n + i] = 1;
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) deg[i] += m[i * n + j];
  return m.map((x, idx) => x / Math.sqrt(deg[Math.floor(idx / n)] * deg[idx % n]));
}

describe('gcnNorm', () => {
  it('matches hand-computed values on a small weighted graph with a self loop', () => {
    // deg = [1+1, 1+2+1, 2+3, 1] (self loops: filled 1, 1, kept 3, filled 1)
    const g = gcnNorm(path);
    expect(Array.from(g.indptr)).toEqual([0, 2, 5, 7, 8]);
    expect(rowsOf(g)).toEqual([[0, 1], [0, 1, 2], [1, 2], [3]]);
    const s2 = Math.SQRT2;
    const s5 = Math.sqrt(5);
    const want = [1 / 2, 1 / (2 * s2), 1 / (2 * s2), 1 / 4, 1 / s5, 1 / s5, 3 / 5, 1];
    expectClose(g.values!, want, 1e-7);
    expect(g.perm).toBeUndefined();
  });

  it('without self loops keeps an existing one and adds none', () => {
    // deg = [1, 3, 5, 0]
    const g = gcnNorm(path, { addSelfLoops: false });
    expect(rowsOf(g)).toEqual([[1], [0, 2], [1, 2], []]);
    const want = [1 / Math.sqrt(3), 1 / Math.sqrt(3), 2 / Math.sqrt(15), 2 / Math.sqrt(15), 3 / 5];
    expectClose(g.values!, want, 1e-7);
  });

  it('reads values through perm (a transposed matrix gives the same result)', () => {
    const tt = transposeCsr(transposeCsr(path));
    expect(tt.perm).toBeDefined();
    expect(gcnNorm(tt)).toEqual(gcnNorm(path));
  });

  for (const weighted of [false, true]) {
    it(`matches a dense D^-1/2 (A+I) D^-1/2 on Karate (${weighted ? 'weighted' : 'unweighted'}), row by row`, () => {
      const a = weighted ? karate.inCsr : { ...karate.inCsr, values: undefined };
      const g = gcnNorm(a);
      const n = karate.numNodes;
      expect(g.indices.length).toBe(karate.numEdges + n);
      const want = denseGcn(a, weighted);
      const got = csrToDense(g);
      for (let r = 0; r < n; r++) {
        const row = rowsOf(g)[r];
        expect(row).toEqual([...row].sort((x, y) => x - y));
        expectClose(got.subarray(r * n, (r + 1) * n), want.subarray(r * n, (r + 1) * n), 1e-7);
      }
    });
  }

  it('is symmetric for a symmetric graph', () => {
    const n = karate.numNodes;
    const d = csrToDense(gcnNorm(karate.inCsr));
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(Math.abs(d[i * n + j] - d[j * n + i])).toBeLessThanOrEqual(1e-7);
  });

  it('gives an isolated node only its self loop, with value 1', () => {
    const g = gcnNorm(citeseer.inCsr);
    let isolated = 0;
    for (let i = 0; i < citeseer.numNodes; i++) {
      if (citeseer.inCsr.indptr[i + 1] !== citeseer.inCsr.indptr[i]) continue;
      isolated++;
      expect(g.indptr[i + 1] - g.indptr[i]).toBe(1);
      expect(g.indices[g.indptr[i]]).toBe(i);
      expect(g.values![g.indptr[i]]).toBe(1);
    }
    expect(isolated).toBe(48);
  });
});

describe('rowNormalize', () => {
  const dense = (rows: number, cols: number, data: number[]): Features => ({ kind: 'dense', rows, cols, data: Float32Array.from(data) });

  it('makes every CiteSeer feature row sum to 1, or stay 0, and keeps the sparsity', () => {
    const f = citeseer.features;
    const out = rowNormalize(f);
    if (f.kind !== 'sparse' || out.kind !== 'sparse') throw new Error('expected sparse');
    expect(out.csr.indices).toBe(f.csr.indices);
    expect(f.csr.values).toBeUndefined();
    let zeroRows = 0;
    for (let r = 0; r < out.csr.rows; r++) {
      let sum = 0;
      for (let k = out.csr.indptr[r]; k < out.csr.indptr[r + 1]; k++) sum += out.csr.values![k];
      if (sum === 0) zeroRows++;
      else expect(Math.abs(sum - 1)).toBeLessThan(1e-6);
    }
    expect(zeroRows).toBe(15); // the padded all-zero rows
  });

  it('divides dense rows by their sum and leaves zero rows zero', () => {
    const out = rowNormalize(dense(3, 2, [1, 3, 0, 0, 2, 2]));
    expect(out.kind === 'dense' && Array.from(out.data)).toEqual([0.25, 0.75, 0, 0, 0.5, 0.5]);
  });

  it('follows PyG: row sums below 1 are not scaled up, negatives shift by the global minimum', () => {
    const small = rowNormalize(dense(2, 2, [0.25, 0.25, 0, 4]));
    expect(small.kind === 'dense' && Array.from(small.data)).toEqual([0.25, 0.25, 0, 1]);
    const negative = rowNormalize(dense(2, 2, [-1, 1, 0, 2]));
    expect(negative.kind === 'dense' && Array.from(negative.data)).toEqual([0, 1, 0.25, 0.75]);
  });

  it('turns sparse features with negative values dense, as the shift fills every zero', () => {
    const csr: Csr = { rows: 2, cols: 3, indptr: Uint32Array.from([0, 1, 2]), indices: Uint32Array.from([0, 2]), values: Float32Array.from([-1, 3]) };
    const out = rowNormalize({ kind: 'sparse', csr });
    expect(out.kind === 'dense' && Array.from(out.data)).toEqual([0, 0.5, 0.5, 1 / 6, 1 / 6, 4 / 6].map(Math.fround));
  });
});

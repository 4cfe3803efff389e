import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csrFromCoo, csrToDense, csrValue, transposeCsr } from '../../src/graph/csr';
import { parseGraphJson } from '../../src/graph/loadGraphJson';

const load = (p: string) => parseGraphJson(readFileSync(new URL(`../../public/datasets/${p}`, import.meta.url), 'utf8'));

describe('csrFromCoo', () => {
  it('buckets unsorted coordinates by row, keeping input order within a row', () => {
    const rows = [2, 0, 2, 1, 0, 2];
    const cols = [1, 3, 0, 2, 0, 3];
    const vals = [10, 20, 30, 40, 50, 60];
    const a = csrFromCoo(3, 4, rows, cols, vals);
    expect(Array.from(a.indptr)).toEqual([0, 2, 3, 6]);
    expect(Array.from(a.indices)).toEqual([3, 0, 2, 1, 0, 3]);
    expect(Array.from(a.values!)).toEqual([20, 50, 40, 10, 30, 60]);
    expect(Array.from(csrToDense(a))).toEqual([50, 0, 0, 20, 0, 0, 40, 0, 30, 10, 0, 60]);
  });

  it('leaves values undefined (all ones) when none are given, and handles empty rows', () => {
    const a = csrFromCoo(4, 2, [3, 0], [1, 1]);
    expect(a.values).toBeUndefined();
    expect(Array.from(a.indptr)).toEqual([0, 1, 1, 1, 2]);
    expect(csrValue(a, 1)).toBe(1);
  });
});

describe('transposeCsr', () => {
  const karate = load('karate.json');
  const cora = load('cora.json');

  it('transposed twice gives the original (rows sorted by column), values included', () => {
    for (const a of [karate.inCsr, cora.inCsr]) {
      const tt = transposeCsr(transposeCsr(a));
      expect([tt.rows, tt.cols]).toEqual([a.rows, a.cols]);
      expect(tt.indptr).toEqual(a.indptr);
      expect(tt.indices).toEqual(a.indices);
      for (let k = 0; k < a.indices.length; k++) if (csrValue(tt, k) !== csrValue(a, k)) throw new Error(`entry ${k}`);
    }
  });

  it('perm points at the same entry of the original, so later value writes show through', () => {
    const a = csrFromCoo(3, 3, [0, 0, 1, 2, 2], [2, 1, 0, 1, 0], [1, 2, 3, 4, 5]);
    const t = transposeCsr(a);
    expect(Array.from(t.indptr)).toEqual([0, 2, 4, 5]);
    expect(Array.from(t.indices)).toEqual([1, 2, 0, 2, 0]);
    expect(Array.from(t.perm!)).toEqual([2, 4, 1, 3, 0]);
    for (let k = 0; k < 5; k++) expect(csrValue(t, k)).toBe(a.values![t.perm![k]]);
    a.values![0] = 7; // entry (0, 2) is entry (2, 0) of the transpose
    expect(csrValue(t, 4)).toBe(7);
  });

  it('maps every transposed entry back to its mirror in Karate', () => {
    const { inCsr, outCsr } = karate;
    for (let r = 0; r < outCsr.rows; r++) {
      for (let k = outCsr.indptr[r]; k < outCsr.indptr[r + 1]; k++) {
        const p = outCsr.perm![k];
        const c = outCsr.indices[k];
        expect(inCsr.indices[p]).toBe(r);
        expect(p >= inCsr.indptr[c] && p < inCsr.indptr[c + 1]).toBe(true);
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { uploadAdjacency } from '../../src/engine/adjacency';
import type { Message, Reducer } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { edgeSoftmax, gspmm, sddmm } from '../../src/engine/graphOps';
import { Var } from '../../src/engine/tape';
import { csrFromCoo } from '../../src/graph/csr';
import type { Csr } from '../../src/graph/types';
import { gradCheck, type Input } from '../helpers/gradcheck';
import { randomCsr, TestRng } from '../helpers/random';

const be = new CpuBackend();
const rng = new TestRng(77);
const input = (rows: number, cols: number): Input => ({ rows, cols, data: rng.floats(rows * cols, -1, 1) });
const weights = (rows: number, cols: number) => rng.floats(rows * cols);

// 6 destinations x 5 sources; row 2 empty, row 4 a hub; a repeated edge (0 <- 1 twice).
const csr: Csr = csrFromCoo(6, 5,
  [0, 0, 0, 1, 1, 3, 4, 4, 4, 4, 4, 5],
  [1, 1, 3, 0, 2, 4, 0, 1, 2, 3, 4, 2]);
const nnz = csr.indices.length;

/** Dense float64 reference of sum / mean / max / min over each row, copy_u message. */
function reference(x: Float32Array, w: number, reduce: Reducer): Float64Array {
  const out = new Float64Array(csr.rows * w);
  for (let r = 0; r < csr.rows; r++) {
    const ks = Array.from({ length: csr.indptr[r + 1] - csr.indptr[r] }, (_, i) => csr.indptr[r] + i);
    for (let c = 0; c < w; c++) {
      const vals = ks.map((k) => x[csr.indices[k] * w + c]);
      if (vals.length === 0) continue;
      const s = vals.reduce((a, b) => a + b, 0);
      out[r * w + c] = reduce === 'sum' ? s : reduce === 'mean' ? s / vals.length
        : reduce === 'max' ? Math.max(...vals) : Math.min(...vals);
    }
  }
  return out;
}

describe('gspmm forward', () => {
  const adj = uploadAdjacency(be, csr);
  for (const reduce of ['sum', 'mean', 'max', 'min'] as Reducer[]) {
    it(`copy_u ${reduce} matches a float64 reference, empty row gives 0`, async () => {
      const x = be.tensor(5, 3, rng.floats(15));
      const out = be.tensor(6, 3);
      const arg = reduce === 'max' || reduce === 'min' ? be.intTensor(6, 3) : null;
      be.gspmm(adj.a, 'copy_u', reduce, x, null, out, arg);
      const got = await be.read(out), ref = reference(await be.read(x), 3, reduce);
      for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i], 5);
      expect(Array.from(got.subarray(6, 9))).toEqual([0, 0, 0]);
      if (arg) {
        const a = await be.readInts(arg);
        expect(Array.from(a.subarray(6, 9))).toEqual([-1, -1, -1]);
        // The arg names an edge of that row whose source holds the winning value.
        const xs = await be.read(x);
        for (let r = 0; r < 6; r++) {
          for (let c = 0; c < 3; c++) {
            const k = a[r * 3 + c];
            if (k < 0) continue;
            expect(k).toBeGreaterThanOrEqual(csr.indptr[r]);
            expect(k).toBeLessThan(csr.indptr[r + 1]);
            expect(xs[csr.indices[k] * 3 + c]).toBe(got[r * 3 + c]);
          }
        }
      }
    });
  }

  it('max picks the first of tied edges', async () => {
    const x = be.tensor(5, 1, new Float32Array([2, 5, 5, 5, 5]));
    const out = be.tensor(6, 1), arg = be.intTensor(6, 1);
    be.gspmm(adj.a, 'copy_u', 'max', x, null, out, arg);
    const a = await be.readInts(arg);
    expect(a[0]).toBe(0); // row 0: sources 1, 1, 3 all 5: the first entry
    expect(a[4]).toBe(7); // hub: sources 0..4 = 2, 5, 5, 5, 5: entry of source 1
  });
});

describe('gspmm gradients (central differences)', () => {
  const adj = uploadAdjacency(be, csr);
  const cases: [Message, Reducer][] = [
    ['copy_u', 'sum'], ['copy_u', 'mean'], ['copy_u', 'max'], ['copy_u', 'min'],
    ['u_mul_e', 'sum'], ['u_mul_e', 'mean'], ['u_mul_e', 'max'], ['copy_e', 'sum'], ['copy_e', 'mean'],
    ['u_add_e', 'sum'], ['u_add_e', 'mean'], ['u_add_e', 'max'],
  ];
  for (const [msg, reduce] of cases) {
    it(`${msg} ${reduce}`, async () => {
      const byArg = reduce === 'max' || reduce === 'min';
      if (msg === 'copy_e') {
        await gradCheck(be, [input(nnz, 3)], (t, [e]) => gspmm(t, adj, msg, reduce, null, e), weights);
      } else if (msg === 'u_add_e') {
        const x = input(5, 3), e = input(nnz, 3);
        if (byArg) {
          const eVal = be.tensor(nnz, 3, e.data);
          await gradCheck(be, [x], (t, [xv]) => gspmm(t, adj, msg, reduce, xv, new Var(eVal, false)), weights, { eps: 1e-3 });
        } else {
          await gradCheck(be, [x, e], (t, [xv, ev]) => gspmm(t, adj, msg, reduce, xv, ev), weights);
        }
      } else if (msg === 'u_mul_e') {
        // Two heads over width 4; for max the edge values are held fixed (no gradient defined).
        const x = input(5, 4), e = input(nnz, 2);
        if (byArg) {
          const eVal = be.tensor(nnz, 2, e.data);
          await gradCheck(be, [x], (t, [xv]) => gspmm(t, adj, msg, reduce, xv, new Var(eVal, false)), weights, { eps: 1e-3 });
        } else {
          await gradCheck(be, [x, e], (t, [xv, ev]) => gspmm(t, adj, msg, reduce, xv, ev), weights);
        }
      } else {
        await gradCheck(be, [input(5, 3)], (t, [x]) => gspmm(t, adj, msg, reduce, x, null), weights, { eps: byArg ? 1e-3 : 1e-2 });
      }
    });
  }
});

describe('sddmm and edge softmax gradients', () => {
  const big = randomCsr(rng, 7, 6, { maxPerRow: 4, values: false, emptyRows: [3] });
  const adj = uploadAdjacency(be, big);
  const m = big.indices.length;
  it('u_add_v', () => gradCheck(be, [input(6, 3), input(7, 3)], (t, [u, v]) => sddmm(t, adj, 'u_add_v', u, v), weights));
  it('u_dot_v with 2 heads', () => gradCheck(be, [input(6, 4), input(7, 4)], (t, [u, v]) => sddmm(t, adj, 'u_dot_v', u, v, 2), weights));
  it('copy_u and copy_v', async () => {
    await gradCheck(be, [input(6, 2)], (t, [u]) => sddmm(t, adj, 'copy_u', u, null), weights);
    await gradCheck(be, [input(7, 2)], (t, [v]) => sddmm(t, adj, 'copy_v', null, v), weights);
  });
  it('edge softmax sums to 1 per row and head, and its gradient', async () => {
    const e = be.tensor(m, 2, rng.floats(m * 2, -3, 3));
    const out = be.tensor(m, 2);
    be.edgeSoftmax(adj.a, e, out);
    const y = await be.read(out);
    for (let r = 0; r < big.rows; r++) {
      for (let h = 0; h < 2; h++) {
        let s = 0;
        for (let k = big.indptr[r]; k < big.indptr[r + 1]; k++) s += y[k * 2 + h];
        if (big.indptr[r + 1] > big.indptr[r]) expect(s).toBeCloseTo(1, 5);
      }
    }
    await gradCheck(be, [input(m, 2)], (t, [v]) => edgeSoftmax(t, adj, v), weights, { eps: 1e-3 });
  });
  it('edge softmax is stable for large scores', async () => {
    const e = be.tensor(m, 1, new Float32Array(m).fill(1000));
    const out = be.tensor(m, 1);
    be.edgeSoftmax(adj.a, e, out);
    const y = await be.read(out);
    expect(y.every((v) => Number.isFinite(v))).toBe(true);
  });
});

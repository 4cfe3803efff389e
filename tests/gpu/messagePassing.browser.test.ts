/**
 * The message-passing kernels (g-SpMM with every message and reducer, its arg backward, g-SDDMM,
 * edge softmax) on WebGPU against the CPU reference. They sum in the same order with the same f32
 * roundings, so everything but the exponentials of the softmax must agree exactly.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, Message, Reducer, SddmmOp, Tensor } from '../../src/engine/backend';
import { GpuKernelError } from '../../src/gpu/errors';
import { csrFromCoo, transposeCsr } from '../../src/graph/csr';
import type { Csr } from '../../src/graph/types';
import { backendPair } from '../helpers/backendPair';
import { expectClose, expectExact } from '../helpers/compare';
import { randomCsr, type TestRng } from '../helpers/random';

const p = backendPair();

const messages: Message[] = ['copy_u', 'u_mul_e', 'copy_e', 'u_add_e'];
const reducers: Reducer[] = ['sum', 'mean', 'max', 'min'];
/** [width, heads]: widths that are not multiples of 4, one head, one head per column, and between. */
const headed: [number, number][] = [[1, 1], [3, 1], [3, 3], [5, 5], [6, 2], [6, 3], [7, 1], [12, 4], [13, 13]];
const plainWidths = [1, 3, 5, 7, 13];

/** Integer values in [lo, hi] as floats: products and sums stay exact and maxima tie often. */
function intFloats(rng: TestRng, n: number, lo: number, hi: number): Float32Array {
  return Float32Array.from({ length: n }, () => lo + rng.int(hi - lo + 1));
}

/** A hub row (3) holding most entries; other rows get a few or none. */
function hubCsr(rng: TestRng): Csr {
  const rows: number[] = [], cols: number[] = [];
  for (let k = 0; k < 1500; k++) {
    rows.push(k < 1300 ? 3 : rng.int(60));
    cols.push(rng.int(80));
  }
  return csrFromCoo(60, 80, rows, cols);
}

/**
 * Named structures: random with empty rows and repeated columns, its transpose (with a perm), the
 * transpose of that (a perm composed twice), a hub row and its transpose (a hub column), and one
 * with no entries at all.
 */
function structures(rng: TestRng): [string, Csr][] {
  const a = randomCsr(rng, 40, 30, { maxPerRow: 6, emptyRows: [0, 5, 39], values: false });
  const hub = hubCsr(rng);
  expect(hub.indptr[4] - hub.indptr[3]).toBeGreaterThanOrEqual(1300);
  return [
    ['random 40x30', a], ['its transpose', transposeCsr(a)], ['transpose of the transpose', transposeCsr(transposeCsr(a))],
    ['hub row', hub], ['hub column', transposeCsr(hub)], ['empty 5x3', csrFromCoo(5, 3, [], [])],
  ];
}

/** Runs one gspmm on both backends: [gpu out, gpu arg], [cpu out, cpu arg] (arg only for max and min). */
async function gspmmBoth(csr: Csr, msg: Message, reduce: Reducer, w: number, eCols: number, x: Float32Array | null, e: Float32Array | null) {
  const nnz = csr.indices.length;
  return p.both((be) => {
    const out = p.nanOut(be, csr.rows, w);
    const arg = reduce === 'max' || reduce === 'min' ? p.intOut(be, csr.rows, w) : null;
    be.gspmm(p.S(be, csr), msg, reduce, x && p.T(be, csr.cols, w, x), e && p.T(be, nnz, eCols, e), out, arg);
    return arg ? [out, arg] : [out];
  });
}

describe('gspmm', () => {
  for (const msg of messages) {
    for (const reduce of reducers) {
      it(`${msg} ${reduce}: every structure and width, integer (tied) and real inputs, exact with the CPU`, async () => {
        const rng = p.rng;
        const configs: [number, number][] = msg === 'u_mul_e' ? headed : plainWidths.map((w) => [w, msg === 'copy_e' || msg === 'u_add_e' ? w : 1]);
        for (const [name, csr] of structures(rng)) {
          for (const [w, eCols] of configs) {
            for (const ints of [true, false]) {
              const gen = (n: number) => (ints ? intFloats(rng, n, -3, 3) : rng.floats(n, -2, 2));
              const x = msg === 'copy_e' ? null : gen(csr.cols * w);
              const e = msg === 'copy_u' ? null : gen(csr.indices.length * eCols);
              const [g, c] = await gspmmBoth(csr, msg, reduce, w, eCols, x, e);
              const what = `${name} width ${w} e cols ${eCols}${ints ? ' (integers)' : ''}`;
              expectExact(g[0], c[0], `${what}: out`);
              if (g.length > 1) expectExact(g[1], c[1], `${what}: arg`);
            }
          }
        }
      });
    }
  }

  it('ties go to the first entry in row order (not the smallest edge id), empty rows give 0 and -1', async () => {
    // Row 0: messages 1 3 3 2 3 (edge ids 0..4); row 1: 3 3 (ids 5, 6); row 2 empty.
    const fwd = csrFromCoo(3, 5, [0, 0, 0, 0, 0, 1, 1], [0, 1, 2, 3, 4, 1, 2]);
    const x = Float32Array.from([1, 3, 3, 2, 3]);
    // A transpose whose perm is not the identity: entries (0,1) (0,0) (1,1) (1,0) (2,0) (3,0) (4,0)
    // give row 0 = sources 0..4 with edge ids 1 3 4 5 6 and row 1 = sources 0, 1 with ids 0 2.
    const t = transposeCsr(csrFromCoo(5, 2, [0, 0, 1, 1, 2, 3, 4], [1, 0, 1, 0, 0, 0, 0]));
    expect(Array.from(t.perm!)).toEqual([1, 3, 4, 5, 6, 0, 2]);
    const cases: [Csr, Reducer, number[], number[]][] = [
      [fwd, 'max', [3, 3, 0], [1, 5, -1]],
      [fwd, 'min', [1, 3, 0], [0, 5, -1]],
      [t, 'max', [3, 3], [3, 2]],
      [t, 'min', [1, 1], [1, 0]],
    ];
    for (const [csr, reduce, out, arg] of cases) {
      const [g, c] = await gspmmBoth(csr, 'copy_u', reduce, 1, 1, x, null); // both have 5 source rows
      expectExact(c[0], out, `cpu ${reduce} out`);
      expectExact(c[1], arg, `cpu ${reduce} arg`);
      expectExact(g[0], out, `gpu ${reduce} out`);
      expectExact(g[1], arg, `gpu ${reduce} arg`);
    }
  });

  it('integer inputs do tie: a row maximum is reached by more than one entry somewhere', async () => {
    const rng = p.rng;
    const a = randomCsr(rng, 40, 30, { maxPerRow: 6, values: false });
    const x = intFloats(rng, 30 * 5, -3, 3);
    const [[, garg], [cout, carg]] = await gspmmBoth(a, 'copy_u', 'max', 5, 1, x, null);
    expectExact(garg, carg, 'arg');
    let ties = 0;
    for (let r = 0; r < a.rows; r++) {
      for (let c = 0; c < 5; c++) {
        let hits = 0;
        for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) if (x[a.indices[k] * 5 + c] === cout[r * 5 + c]) hits++;
        if (hits > 1) ties++;
      }
    }
    expect(ties).toBeGreaterThan(10);
  });

  it('a 2-D dispatch: 70000 rows x width 64 (more than 65535 workgroups of 64), sum and max', async () => {
    const rows = 70_000, w = 64;
    expect(Math.ceil((rows * w) / 64)).toBeGreaterThan(65_535);
    const r = new Uint32Array(2 * rows), c = new Uint32Array(2 * rows);
    for (let i = 0; i < rows; i++) {
      r[2 * i] = r[2 * i + 1] = i;
      c[2 * i] = (i * 7919 + 13) % rows;
      c[2 * i + 1] = (i * 31 + 1) % rows;
    }
    const a = csrFromCoo(rows, rows, r, c);
    const x = p.rng.floats(rows * w), e = p.rng.floats(2 * rows);
    for (const [msg, reduce] of [['copy_u', 'sum'], ['u_mul_e', 'max']] as const) {
      const [g, cc] = await gspmmBoth(a, msg, reduce, w, 1, x, msg === 'u_mul_e' ? e : null);
      expectExact(g[0], cc[0], `${msg} ${reduce} out`);
      if (reduce === 'max') expectExact(g[1], cc[1], `${msg} ${reduce} arg`);
      // The very last row lies past the first dispatch row of 65535 workgroups.
      expect(Number.isNaN(g[0][rows * w - 1])).toBe(false);
    }
  });

  it('refuses a missing or stray arg and a width that is not a multiple of the heads', () => {
    const gpu = p.gpu;
    const s = gpu.sparse(csrFromCoo(2, 2, [0, 1], [1, 0]));
    const x = gpu.tensor(2, 6), out = gpu.tensor(2, 6), arg = gpu.intTensor(2, 6, new Int32Array(12));
    expect(() => gpu.gspmm(s, 'copy_u', 'max', x, null, out, null)).toThrow(GpuKernelError);
    expect(() => gpu.gspmm(s, 'copy_u', 'sum', x, null, out, arg)).toThrow(GpuKernelError);
    expect(() => gpu.gspmm(s, 'u_mul_e', 'sum', x, gpu.tensor(2, 4), out, null)).toThrow(GpuKernelError);
    expect(() => gpu.gspmm(s, 'copy_e', 'sum', null, gpu.tensor(2, 5), out, null)).toThrow(GpuKernelError);
    gpu.releaseSparse(s);
  });
});

describe('releaseSparse', () => {
  it('ops recorded before the release still run on the structure; other structures keep working', async () => {
    const gpu = p.gpu;
    const a = csrFromCoo(3, 3, [0, 1, 1, 2], [2, 0, 1, 1]);
    const withPerm = gpu.sparse(transposeCsr(a)), plain = gpu.sparse(a);
    const x = gpu.tensor(3, 2, Float32Array.from([1, 2, 3, 4, 5, 6]));
    const out1 = gpu.tensor(3, 2), out2 = gpu.tensor(3, 2);
    gpu.gspmm(plain, 'copy_u', 'sum', x, null, out1, null);
    gpu.releaseSparse(plain);
    gpu.releaseSparse(plain); // a second release does nothing
    expect(Array.from(await gpu.read(out1))).toEqual([5, 6, 4, 6, 3, 4]);
    // The released structure had no perm: the shared placeholder buffer must still be usable.
    const other = gpu.sparse(a);
    gpu.gspmm(other, 'copy_u', 'sum', x, null, out2, null);
    expect(Array.from(await gpu.read(out2))).toEqual([5, 6, 4, 6, 3, 4]);
    gpu.gspmm(withPerm, 'copy_u', 'max', x, null, out2, gpu.intTensor(3, 2, new Int32Array(6)));
    gpu.releaseSparse(withPerm);
    expect(Array.from(await gpu.read(out2))).toEqual([3, 4, 5, 6, 1, 2]);
    gpu.releaseSparse(other);
  });
});

describe('gspmmArgBackward', () => {
  for (const reduce of ['max', 'min'] as const) {
    it(`${reduce}: copy_u and u_mul_e (several heads) through the forward's own arg, exact`, async () => {
      const rng = p.rng;
      for (const [name, csr] of structures(rng)) {
        const t = transposeCsr(csr), nnz = csr.indices.length;
        for (const [w, heads] of [[1, 0], [5, 0], [13, 0], ...headed] as [number, number][]) {
          const x = intFloats(rng, csr.cols * w, -3, 3), g = rng.floats(csr.rows * w);
          const e = heads ? intFloats(rng, nnz * heads, -2, 2) : null;
          const [gr, cr] = await p.both((be) => {
            const out = p.nanOut(be, csr.rows, w), arg = p.intOut(be, csr.rows, w), dx = p.nanOut(be, csr.cols, w);
            const E = e && p.T(be, nnz, heads, e);
            be.gspmm(p.S(be, csr), E ? 'u_mul_e' : 'copy_u', reduce, p.T(be, csr.cols, w, x), E, out, arg);
            be.gspmmArgBackward(p.S(be, t), arg, p.T(be, csr.rows, w, g), E, dx);
            return [arg, dx];
          });
          const what = `${name} width ${w} heads ${heads || 'none'}`;
          expectExact(gr[0], cr[0], `${what}: arg`);
          expectExact(gr[1], cr[1], `${what}: dx`);
        }
      }
    });
  }
});

describe('sddmm', () => {
  const ops: SddmmOp[] = ['u_add_v', 'u_dot_v', 'copy_u', 'copy_v'];
  for (const op of ops) {
    it(`${op}: every structure, widths and heads, exact`, async () => {
      const rng = p.rng;
      const configs: [number, number][] = op === 'u_dot_v' ? headed : plainWidths.map((w) => [w, 1]);
      for (const [name, csr] of structures(rng)) {
        const nnz = csr.indices.length;
        for (const [w, heads] of configs) {
          const u = op === 'copy_v' ? null : rng.floats(csr.cols * w, -2, 2);
          const v = op === 'copy_u' ? null : rng.floats(csr.rows * w, -2, 2);
          const outCols = op === 'u_dot_v' ? heads : w;
          const [[g], [c]] = await p.both((be) => {
            const out = p.nanOut(be, nnz, outCols);
            be.sddmm(p.S(be, csr), op, u && p.T(be, csr.cols, w, u), v && p.T(be, csr.rows, w, v), heads, out);
            return [out];
          });
          expectExact(g, c, `${name} width ${w} heads ${heads}`);
        }
      }
    });
  }

  it('a 2-D dispatch: 140000 edges x width 64', async () => {
    const rows = 70_000, w = 64;
    const r = Uint32Array.from({ length: 2 * rows }, (_, k) => k >> 1);
    const c = Uint32Array.from({ length: 2 * rows }, (_, k) => (k * 7919 + 13) % rows);
    const a = csrFromCoo(rows, rows, r, c);
    const u = p.rng.floats(rows * w), v = p.rng.floats(rows * w);
    const [[g], [cc]] = await p.both((be) => {
      const out = p.nanOut(be, 2 * rows, w);
      be.sddmm(p.S(be, a), 'u_add_v', p.T(be, rows, w, u), p.T(be, rows, w, v), 1, out);
      return [out];
    });
    expectExact(g, cc, 'u_add_v 140000 x 64');
  });
});

describe('edge softmax', () => {
  /**
   * Per element: 1e-6 relative, or WGSL's accuracy bound for exp (3 + 2|x| ulp at x = e - row max)
   * on the numerator plus as much again for the sum, whichever is larger; and below f32's normal
   * range a GPU may flush to zero.
   */
  function softmaxTolerance(csr: Csr, e: Float32Array, heads: number, y: ArrayLike<number>): Float64Array {
    const tol = new Float64Array(y.length);
    for (let r = 0; r < csr.rows; r++) {
      for (let h = 0; h < heads; h++) {
        const at = (k: number) => (csr.perm ? csr.perm[k] : k) * heads + h;
        let m = -Infinity, spread = 0;
        for (let k = csr.indptr[r]; k < csr.indptr[r + 1]; k++) m = Math.max(m, e[at(k)]);
        for (let k = csr.indptr[r]; k < csr.indptr[r + 1]; k++) spread = Math.max(spread, m - e[at(k)]);
        for (let k = csr.indptr[r]; k < csr.indptr[r + 1]; k++) {
          const ulps = 3 + 2 * (m - e[at(k)]) + 3 + 2 * spread;
          tol[at(k)] = Math.max(1e-6, ulps * 2 ** -23) * Math.abs(y[at(k)]) + 1e-37;
        }
      }
    }
    return tol;
  }

  /** Softmax of random scores on both backends, and the backward of it with the CPU's y on both. */
  async function check(csr: Csr, heads: number, rng: TestRng, lo: number, hi: number, what: string): Promise<void> {
    const nnz = csr.indices.length;
    const e = rng.floats(nnz * heads, lo, hi), g = rng.floats(nnz * heads);
    const [[y], [cy]] = await p.both((be) => {
      const out = p.nanOut(be, nnz, heads);
      be.edgeSoftmax(p.S(be, csr), p.T(be, nnz, heads, e), out);
      return [out];
    });
    expectClose(y, cy, 0, softmaxTolerance(csr, e, heads, cy), `${what}: forward`);
    const yRef = Float32Array.from(cy);
    const [[dg], [dc]] = await p.both((be) => {
      const out = p.nanOut(be, nnz, heads);
      be.edgeSoftmaxBackward(p.S(be, csr), p.T(be, nnz, heads, yRef), p.T(be, nnz, heads, g), out);
      return [out];
    });
    // Exact, but a GPU may flush subnormal inputs and results to zero: a subnormal y times
    // |g - dot| <= 2 stays under 2^-124.
    expectClose(dg, dc, 0, 2 ** -124, `${what}: backward`);
  }

  for (const heads of [1, 2, 3, 8]) {
    it(`${heads} head(s): every structure, scores in [-4, 4] and in [-80, 80]`, async () => {
      const rng = p.rng;
      for (const [name, csr] of structures(rng)) {
        await check(csr, heads, rng, -4, 4, `${name}, ${heads} heads`);
        await check(csr, heads, rng, -80, 80, `${name}, ${heads} heads, large scores`);
      }
    });
  }

  it('every row sums to 1 and a row of one entry gives exactly 1', async () => {
    const csr = csrFromCoo(3, 4, [0, 0, 0, 1, 2, 2], [0, 1, 2, 3, 0, 3]);
    const e = Float32Array.from([0.5, -1, 2, 7, 100, 100]);
    const [[y]] = await p.both((be: Backend): Tensor[] => {
      const out = p.nanOut(be, 6, 1);
      be.edgeSoftmax(p.S(be, csr), p.T(be, 6, 1, e), out);
      return [out];
    });
    expect(y[3]).toBe(1);
    expect(y[4]).toBe(0.5);
    expect(y[5]).toBe(0.5);
    expect(Math.abs(y[0] + y[1] + y[2] - 1)).toBeLessThan(1e-6);
  });
});

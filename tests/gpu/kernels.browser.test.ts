/**
 * Every op of the Backend interface on WebGPU (the WGSL kernels, on Chromium's SwiftShader
 * adapter here) against the CPU reference backend, on the same random inputs. Outputs are
 * filled with NaN beforehand, so a kernel that skips an element (every op must fully overwrite
 * `out`) fails the comparison.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, SparseMatrix, SplitSizes, Tensor } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { dropoutKey } from '../../src/engine/rng';
import { openGpu, type GpuContext } from '../../src/gpu/context';
import { GpuKernelError } from '../../src/gpu/errors';
import { GpuBackend } from '../../src/gpu/gpuBackend';
import { PipelineCache } from '../../src/gpu/pipelines';
import { viteShaderSources } from '../../src/gpu/shaders.vite';
import { csrFromCoo, transposeCsr } from '../../src/graph/csr';
import type { Csr } from '../../src/graph/types';
import { expectClose, expectExact, maxAbs } from '../helpers/compare';
import { csrOf, randomCsr, TestRng } from '../helpers/random';

let ctx: GpuContext;
let gpu: GpuBackend;
const cpu = new CpuBackend();
let rng = new TestRng(99);

/** Each test draws its inputs from its own name, so a filtered run (-t) sees the same data. */
beforeEach((context) => {
  let h = 2166136261;
  for (const ch of context.task.name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  rng = new TestRng(h);
});

beforeAll(async () => {
  ctx = await openGpu(navigator.gpu);
  gpu = await GpuBackend.create(ctx, viteShaderSources);
  console.log(`GPU backend: ${gpu.description}`);
});

afterAll(() => gpu?.destroy());

/** Tensors made through `T`/`I`/`nanOut` on the GPU, released after each comparison (to the pool, so later cases get stale buffers). */
const made: Tensor[] = [];
function T(be: Backend, rows: number, cols: number, data: Float32Array): Tensor {
  const t = be.tensor(rows, cols, data);
  if (be === gpu) made.push(t);
  return t;
}
function I(be: Backend, rows: number, cols: number, data: Int32Array): Tensor {
  const t = be.intTensor(rows, cols, data);
  if (be === gpu) made.push(t);
  return t;
}
/** An output tensor full of NaN: whatever a kernel leaves unwritten shows up. */
function nanOut(be: Backend, rows: number, cols: number): Tensor {
  return T(be, rows, cols, new Float32Array(rows * cols).fill(NaN));
}

/** Runs `run` on both backends and reads back the tensors it returns: [gpu results, cpu results]. */
async function both(run: (be: Backend) => Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const c = run(cpu);
  const g = run(gpu);
  const cr: Float32Array[] = [], gr: Float32Array[] = [];
  for (const t of c) cr.push(await cpu.read(t));
  for (const t of g) gr.push(await gpu.read(t));
  for (const t of made.splice(0)) gpu.release(t);
  return [gr, cr];
}

/** A sparse matrix on `be` whose values (if any) come from `valuesOf` (the un-transposed matrix for a transpose). */
function sparseOn(be: Backend, csr: Csr, withValues: boolean, valuesOf: Csr = csr): SparseMatrix {
  const values = withValues ? T(be, valuesOf.indices.length, 1, valuesOf.values!) : null;
  return { structure: be.sparse(csr), values };
}

/** Sum over k of |v_k * x[col_k, c]| per output element: the scale of rounding differences. */
function spmmMagnitude(csr: Csr, x: Float32Array, width: number, withValues: boolean): Float64Array {
  const out = new Float64Array(csr.rows * width);
  for (let r = 0; r < csr.rows; r++) {
    for (let k = csr.indptr[r]; k < csr.indptr[r + 1]; k++) {
      const v = withValues ? csr.values![csr.perm ? csr.perm[k] : k] : 1;
      for (let c = 0; c < width; c++) out[r * width + c] += Math.abs(v * x[csr.indices[k] * width + c]);
    }
  }
  return out;
}

/** Relative tolerance of f32 sums, applied to the magnitude of the terms (so cancellation is fair). */
const SUM_RTOL = 1e-5;
const scaled = (m: ArrayLike<number>, f = SUM_RTOL) => Float64Array.from(m, (v) => v * f + 1e-30);

async function checkSpmm(csr: Csr, width: number, withValues: boolean, valuesOf: Csr = csr, xlo = -1, xhi = 1): Promise<void> {
  const x = rng.floats(csr.cols * width, xlo, xhi);
  const [[g], [c]] = await both((be) => {
    const out = nanOut(be, csr.rows, width);
    be.spmm(sparseOn(be, csr, withValues, valuesOf), T(be, csr.cols, width, x), out);
    return [out];
  });
  const values = withValues ? valuesOf.values : undefined;
  const m = spmmMagnitude({ ...csr, values }, x, width, withValues);
  expectClose(g, c, SUM_RTOL, scaled(m), `spmm ${csr.rows}x${csr.cols} nnz ${csr.indices.length} width ${width}`);
}

describe('spmm', () => {
  const widths = [1, 3, 5, 7, 16, 17, 33];
  // 50 x 40 with empty rows (0, 7, 49 forced, more at random) and columns nobody points at.
  const a = randomCsr(rng, 50, 40, { maxPerRow: 5, emptyRows: [0, 7, 49] });

  for (const w of widths) {
    it(`width ${w}: with values, without values (all ones), and the transpose through perm`, async () => {
      await checkSpmm(a, w, true);
      await checkSpmm(a, w, false);
      const t = transposeCsr(a);
      expect(t.perm).toBeDefined();
      await checkSpmm(t, w, true, a);
      await checkSpmm(t, w, false, a);
    });
  }

  it('isolated nodes, a single-node graph (with and without a self loop) and an empty matrix', async () => {
    // Nodes 2 and 4 of 6 have no edges at all.
    const iso = csrFromCoo(6, 6, [0, 1, 3, 5, 0], [1, 0, 5, 3, 3], [0.5, 0.5, 2, 2, -1]);
    for (const w of [1, 5, 16]) {
      await checkSpmm(iso, w, true);
      await checkSpmm(transposeCsr(iso), w, true, iso);
    }
    const single = csrOf(1, 1, [[0, 0, 0.75]]);
    const lonely = csrFromCoo(1, 1, [], [], []);
    const empty = csrFromCoo(5, 3, [], [], []);
    for (const w of [1, 3, 17]) {
      await checkSpmm(single, w, true);
      await checkSpmm(single, w, false);
      await checkSpmm(lonely, w, true);
      await checkSpmm(lonely, w, false);
      await checkSpmm(empty, w, true);
    }
  });

  it('a hub row holding most entries (and its transpose, a hub column)', async () => {
    const rows: number[] = [], cols: number[] = [], vals: number[] = [];
    for (let k = 0; k < 3000; k++) {
      rows.push(k < 2700 ? 3 : 1 + rng.int(199));
      cols.push(rng.int(300));
      vals.push(rng.uniform(-1, 1));
    }
    const hub = csrFromCoo(200, 300, rows, cols, vals);
    expect(hub.indptr[4] - hub.indptr[3]).toBeGreaterThanOrEqual(2700);
    for (const w of [1, 7, 16, 33]) {
      await checkSpmm(hub, w, true);
      await checkSpmm(hub, w, false);
      await checkSpmm(transposeCsr(hub), w, true, hub);
    }
  });

  it('large values (1e4 to 1e6) in both operands', async () => {
    const big = randomCsr(rng, 64, 64, { maxPerRow: 8, lo: 1e4, hi: 1e6 });
    for (const w of [3, 16, 17]) {
      await checkSpmm(big, w, true, big, 1e4, 1e6);
      await checkSpmm(transposeCsr(big), w, true, big, 1e4, 1e6);
      await checkSpmm(big, w, false, big, -1e6, 1e6);
    }
  });

  it('a 2-D dispatch: 70000 rows x width 64 (more than 65535 workgroups of 64)', async () => {
    const rows = 70_000, w = 64;
    expect(Math.ceil((rows * w) / 64)).toBeGreaterThan(65_535);
    const r = new Uint32Array(rows), c = new Uint32Array(rows), v = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      r[i] = i;
      c[i] = (i * 7919 + 13) % rows;
      v[i] = rng.uniform(0.5, 2);
    }
    const a = csrFromCoo(rows, rows, r, c, v);
    const x = rng.floats(rows * w);
    const [[g], [e]] = await both((be) => {
      const out = nanOut(be, rows, w);
      be.spmm(sparseOn(be, a, true), T(be, rows, w, x), out);
      return [out];
    });
    // One product per output: exactly the CPU's rounding.
    expectExact(g, e, 'spmm 70000 x 64');
    // The very last row is past the first dispatch row of 65535 workgroups.
    const last = rows - 1;
    expect(g[last * w + 5]).toBe(Math.fround(v[last] * x[c[last] * w + 5]));
  });
});

describe('gemm', () => {
  // m x k x n. The last four are wide enough for the tiled kernel (all of m, n, k >= 64), with
  // sizes that are not multiples of its 16 x 16 tiles.
  const shapes: [number, number, number][] = [
    [1, 1, 1], [3, 5, 7], [17, 33, 2], [2708, 16, 7], [7, 2708, 16], [5, 1, 9], [63, 200, 64],
    [64, 64, 64], [65, 129, 67], [100, 70, 64], [64, 2708, 80],
  ];
  it('the shapes above cover both gemm kernels', () => {
    const kinds = new Set(shapes.map(([m, k, n]) => GpuBackend.gemmKernel(m, n, k)));
    expect([...kinds].sort()).toEqual(['gemm', 'gemmTiled']);
  });
  for (const [m, k, n] of shapes) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`${m} x ${k} x ${n} (${GpuBackend.gemmKernel(m, n, k)}), transA ${ta}, transB ${tb}`, async () => {
        const a = rng.floats(m * k), b = rng.floats(k * n);
        const [[g], [c]] = await both((be) => {
          const out = nanOut(be, m, n);
          be.gemm(T(be, ta ? k : m, ta ? m : k, a), T(be, tb ? n : k, tb ? k : n, b), out, ta, tb);
          return [out];
        });
        // Magnitude of each output's terms.
        const mag = new Float64Array(m * n);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let t = 0; t < k; t++) s += Math.abs((ta ? a[t * m + i] : a[i * k + t]) * (tb ? b[j * k + t] : b[t * n + j]));
            mag[i * n + j] = s;
          }
        }
        expectClose(g, c, SUM_RTOL, scaled(mag), `gemm ${m}x${k}x${n}`);
      });
    }
  }

  it('k = 0 writes zeros', async () => {
    const [[g], [c]] = await both((be) => {
      const out = nanOut(be, 2, 3);
      be.gemm(T(be, 2, 0, new Float32Array()), T(be, 0, 3, new Float32Array()), out, false, false);
      return [out];
    });
    expectExact(g, c);
    expectExact(g, [0, 0, 0, 0, 0, 0]);
  });
});

describe('elementwise', () => {
  for (const [rows, cols] of [[1, 1], [257, 17], [2708, 16], [1000, 7]] as const) {
    it(`biasAct relu and none, reluBackward, add, copy: ${rows} x ${cols} (exact)`, async () => {
      const x = rng.floats(rows * cols), b = rng.floats(cols), g = rng.floats(rows * cols);
      // Some exact zeros in y, where reluBackward must give 0.
      const y = rng.floats(rows * cols);
      for (let i = 0; i < y.length; i += 5) y[i] = 0;
      const [gr, cr] = await both((be) => {
        const outs = [nanOut(be, rows, cols), nanOut(be, rows, cols), nanOut(be, rows, cols), nanOut(be, rows, cols), nanOut(be, rows, cols)];
        const X = T(be, rows, cols, x), B = T(be, 1, cols, b), G = T(be, rows, cols, g), Y = T(be, rows, cols, y);
        be.biasAct(X, B, 'relu', outs[0]);
        be.biasAct(X, B, 'none', outs[1]);
        be.reluBackward(Y, G, outs[2]);
        be.add(X, G, outs[3]);
        be.copy(X, outs[4]);
        return outs;
      });
      const names = ['biasAct relu', 'biasAct none', 'reluBackward', 'add', 'copy'];
      names.forEach((name, i) => expectExact(gr[i], cr[i], name));
      expect(gr[0].some((v) => v === 0)).toBe(rows * cols === 1 ? gr[0][0] === 0 : true);
      expectExact(gr[4], x, 'copy equals its input');
    });
  }

  for (const p of [0.1, 0.5, 0.9]) {
    it(`dropout p = ${p}: the very same mask and values as the CPU`, async () => {
      for (const [rows, cols] of [[1, 1], [2708, 16], [13264, 1], [333, 7]] as const) {
        const x = rng.floats(rows * cols);
        const key = dropoutKey(rows, 1000 + cols);
        const [[g], [c]] = await both((be) => {
          const out = nanOut(be, rows, cols);
          be.dropout(T(be, rows, cols, x), p, key, out);
          return [out];
        });
        expectExact(g, c, `dropout ${rows} x ${cols}`);
        if (rows * cols > 1000) {
          const kept = g.filter((v) => v !== 0).length / g.length;
          expect(Math.abs(kept - (1 - p))).toBeLessThan(0.05);
        }
      }
    });
  }

  it('dropout over more than 65535 x 256 elements (a 2-D dispatch) keeps the same mask', async () => {
    const len = 65_535 * 256 + 1000;
    const x = new Float32Array(len).fill(1);
    const key = dropoutKey(5, 77);
    const [[g], [c]] = await both((be) => {
      const out = nanOut(be, len, 1);
      be.dropout(T(be, len, 1, x), 0.5, key, out);
      return [out];
    });
    expectExact(g, c, 'dropout 2-D');
  });
});

describe('colSum', () => {
  for (const rows of [1, 255, 256, 257, 3000]) {
    it(`${rows} rows, widths 1, 7, 16 and 33`, async () => {
      for (const cols of [1, 7, 16, 33]) {
        const x = rng.floats(rows * cols);
        const [[g], [c]] = await both((be) => {
          const out = nanOut(be, 1, cols);
          be.colSum(T(be, rows, cols, x), out);
          return [out];
        });
        const mag = new Float64Array(cols);
        for (let i = 0; i < x.length; i++) mag[i % cols] += Math.abs(x[i]);
        expectClose(g, c, SUM_RTOL, scaled(mag), `colSum ${rows} x ${cols}`);
      }
    });
  }
});

/** Random labels and split ids 0..3 for `rows` nodes, with each split's size. */
function randomTargets(rows: number, classes: number): { labels: Int32Array; split: Int32Array; sizes: SplitSizes } {
  const labels = new Int32Array(rows), split = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    labels[r] = rng.int(classes);
    split[r] = rng.int(4);
  }
  const count = (s: number) => split.filter((v) => v === s).length;
  return { labels, split, sizes: [count(1), count(2), count(3)] };
}

describe('nllLoss', () => {
  for (const [rows, classes] of [[1, 2], [300, 3], [2708, 7], [257, 40]] as const) {
    it(`${rows} x ${classes}: gradient and the loss in metrics[slot * 4], for masks 1, 2 and 3`, async () => {
      const z = rng.floats(rows * classes, -8, 8);
      const { labels, split, sizes } = randomTargets(rows, classes);
      if (rows === 1) split[0] = 1;
      for (const maskBit of [1, 2, 3]) {
        const count = rows === 1 ? (maskBit === 1 ? 1 : 0) : sizes[maskBit - 1];
        if (count === 0) continue;
        const slot = 3;
        const [[g, m], [cg, cm]] = await both((be) => {
          const grad = nanOut(be, rows, classes), scratch = nanOut(be, rows, 1);
          const metrics = T(be, 5, 4, new Float32Array(20).fill(-3));
          be.nllLoss(T(be, rows, classes, z), I(be, rows, 1, labels), I(be, rows, 1, split), maskBit, count, grad, scratch, metrics, slot);
          return [grad, metrics];
        });
        // Gradients are (softmax - onehot) / count: bounded by 1 / count.
        expectClose(g, cg, 1e-5, 1e-6 / count, `nll grad ${rows}x${classes} mask ${maskBit}`);
        for (let r = 0; r < rows; r++) {
          if (split[r] !== maskBit) for (let c = 0; c < classes; c++) expect(g[r * classes + c]).toBe(0);
        }
        expectClose([m[slot * 4]], [cm[slot * 4]], 1e-5, 1e-6, `nll loss ${rows}x${classes} mask ${maskBit}`);
        // Nothing else in metrics is touched.
        expectExact(m.filter((_, i) => i !== slot * 4), new Float32Array(19).fill(-3), 'other metrics');
      }
    });
  }

  it('large logits (softmax saturates) stay finite and agree', async () => {
    const rows = 64, classes = 5;
    const z = rng.floats(rows * classes, -80, 80);
    const { labels, split } = randomTargets(rows, classes);
    split.fill(1);
    const [[g, m], [cg, cm]] = await both((be) => {
      const grad = nanOut(be, rows, classes), metrics = nanOut(be, 1, 4);
      be.nllLoss(T(be, rows, classes, z), I(be, rows, 1, labels), I(be, rows, 1, split), 1, rows, grad, nanOut(be, rows, 1), metrics, 0);
      return [grad, metrics];
    });
    expect(g.every(Number.isFinite)).toBe(true);
    // The kernel forms softmax as exp(z - lse) with lse rounded to f32: with |lse| near 80 its
    // ulp is ~5e-6, which bounds the softmax's absolute error (the CPU forms lse in f64).
    const lseUlp = maxAbs(z) * 2 ** -23;
    expectClose(g, cg, 1e-5, (4 * lseUlp) / rows, 'nll grad');
    expectClose([m[0]], [cm[0]], 1e-5, 1e-5, 'nll loss');
  });
});

describe('accuracy', () => {
  for (const rows of [1, 7, 256, 257, 2708]) {
    it(`${rows} rows: predictions exactly, split accuracies, with ties (first maximum wins)`, async () => {
      const classes = 4;
      // Logits from {0, 1, 2}: most rows have tied maxima.
      const z = Float32Array.from({ length: rows * classes }, () => rng.int(3));
      const { labels, split, sizes } = randomTargets(rows, classes);
      const slot = 1;
      const [[p, m], [cp, cm]] = await both((be) => {
        const preds = nanOut(be, rows, 1), metrics = T(be, 3, 4, new Float32Array(12).fill(-5));
        be.accuracy(T(be, rows, classes, z), I(be, rows, 1, labels), I(be, rows, 1, split), sizes, preds, metrics, slot);
        return [preds, metrics];
      });
      expectExact(p, cp, 'predictions');
      for (let r = 0; r < rows; r++) {
        let best = 0;
        for (let c = 1; c < classes; c++) if (z[r * classes + c] > z[r * classes + best]) best = c;
        if (p[r] !== best) throw new Error(`row ${r}: predicted ${p[r]}, first maximum is ${best}`);
      }
      expectClose(m.subarray(slot * 4 + 1, slot * 4 + 4), cm.subarray(slot * 4 + 1, slot * 4 + 4), 1e-6, 0, 'accuracies');
      // A split with no nodes reads 0; the loss slot and other epochs are not touched.
      sizes.forEach((s, i) => s === 0 && expect(m[slot * 4 + 1 + i]).toBe(0));
      expectExact([m[slot * 4], ...m.subarray(0, 4), ...m.subarray(8, 12)], new Array(9).fill(-5), 'untouched metrics');
    });
  }
});

describe('adam', () => {
  for (const weightDecay of [0, 5e-4, 0.1]) {
    it(`6 steps, weight decay ${weightDecay}: parameters and both moments`, async () => {
      const rows = 37, cols = 5, n = rows * cols;
      const p0 = rng.floats(n), grads = Array.from({ length: 6 }, () => rng.floats(n));
      grads[2].fill(0, 0, 20); // some zero gradients
      const run = (be: Backend) => {
        const P = T(be, rows, cols, p0), M = T(be, rows, cols, new Float32Array(n)), V = T(be, rows, cols, new Float32Array(n));
        grads.forEach((g, s) => {
          be.adam(P, T(be, rows, cols, g), M, V, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay, step: s + 1 });
        });
        return [P, M, V];
      };
      const [[p, m, v], [cp, cm, cv]] = await both(run);
      // 1 - beta1 and 1 - beta2 come from the host in f64, as on the CPU: only f32 rounding differs.
      expectClose(v, cv, 2e-6, 1e-12, 'v');
      // m sums gradients (|g| <= 1) of both signs: its error scales with |g|, not with |m|.
      expectClose(m, cm, 1e-5, 1e-7, 'm');
      expectClose(p, cp, 1e-5, 1e-4 * 0.01 * grads.length, 'param');
      // The parameters did move by about lr per step.
      expect(maxAbs(Float32Array.from(p, (x, i) => x - p0[i]))).toBeGreaterThan(0.02);
    });
  }
});

describe('integer tensors and recording', () => {
  it('intTensor round-trips i32 and u32 bit patterns exactly', async () => {
    const ints = Int32Array.from([0, -1, 2147483647, -2147483648, 7, 123456789]);
    const u = new Uint32Array([0xffffffff, 0, 1, 0x80000000]);
    const gi = gpu.intTensor(2, 3, ints), gu = gpu.intTensor(4, 1, u);
    expect(Array.from(await gpu.readInts(gi))).toEqual(Array.from(ints));
    expect(Array.from(await gpu.readInts(gu))).toEqual(Array.from(new Int32Array(u.buffer)));
    expect(Array.from(await cpu.readInts(cpu.intTensor(4, 1, u)))).toEqual(Array.from(new Int32Array(u.buffer)));
  });

  it('a chain of ops recorded into one submit (each reading the last one\'s output) matches the CPU', async () => {
    const a = randomCsr(rng, 120, 120, { maxPerRow: 6, emptyRows: [3] });
    const x = rng.floats(120 * 9), w = rng.floats(9 * 5), b = rng.floats(5);
    const [gr, cr] = await both((be) => {
      const A = sparseOn(be, a, true);
      const xw = nanOut(be, 120, 5), h = nanOut(be, 120, 5), y = nanOut(be, 120, 5), s = nanOut(be, 1, 5);
      be.gemm(T(be, 120, 9, x), T(be, 9, 5, w), xw, false, false);
      be.spmm(A, xw, h);
      be.biasAct(h, T(be, 1, 5, b), 'relu', y);
      be.colSum(y, s);
      return [y, s];
    });
    expectClose(gr[0], cr[0], 1e-5, 1e-5 * maxAbs(cr[0]), 'chain y');
    expectClose(gr[1], cr[1], 1e-5, 1e-5 * maxAbs(cr[1]), 'chain colSum');
  });
});

describe('ordering of uploads and recorded ops', () => {
  // An upload goes straight onto the queue while ops wait in the recorder, and release() hands
  // a buffer back to the pool at once: the backend must flush recorded ops before an upload, or
  // a released-then-reused buffer is overwritten before the op that reads it runs.
  it('a tensor created with data after a pending op\'s input was released does not change that op', async () => {
    const [[g], [c]] = await both((be) => {
      const a = be.tensor(4, 1, new Float32Array([1, 2, 3, 4]));
      const out = nanOut(be, 4, 1);
      be.copy(a, out);
      be.release(a);
      const b = be.tensor(4, 1, new Float32Array([9, 9, 9, 9]));
      if (be === gpu) made.push(b);
      return [out];
    });
    expectExact(c, [1, 2, 3, 4], 'cpu');
    expectExact(g, [1, 2, 3, 4], 'gpu');
  });

  it('a tensor created with data after submit() is safe to reuse a released buffer', async () => {
    const [[g]] = await both((be) => {
      const a = be.tensor(4, 1, new Float32Array([1, 2, 3, 4]));
      const out = nanOut(be, 4, 1);
      be.copy(a, out);
      be.submit();
      be.release(a);
      const b = be.tensor(4, 1, new Float32Array([9, 9, 9, 9]));
      if (be === gpu) made.push(b);
      return [out];
    });
    expectExact(g, [1, 2, 3, 4], 'gpu');
  });
});

describe('errors', () => {
  it('a WGSL syntax error is a GpuKernelError naming the kernel', async () => {
    const err = await PipelineCache.create(ctx.device, { ...viteShaderSources, spmm: 'fn broken(' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpuKernelError);
    expect((err as GpuKernelError).kernel).toBe('spmm');
    expect((err as Error).message).toMatch(/spmm/);
    expect((err as Error).message).toMatch(/WGSL compilation failed/);
  });

  it('a missing entry point names the kernel whose pipeline failed', async () => {
    const elementwise = viteShaderSources.elementwise.replace('fn dropout(', 'fn dropout_renamed(');
    const err = await PipelineCache.create(ctx.device, { ...viteShaderSources, elementwise }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpuKernelError);
    expect((err as GpuKernelError).kernel).toBe('dropout');
  });

  it('a missing shader file is a GpuKernelError naming the file', async () => {
    const { gemm: _gemm, ...rest } = viteShaderSources;
    const err = await PipelineCache.create(ctx.device, rest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpuKernelError);
    expect((err as Error).message).toMatch(/gemm\.wgsl/);
  });

  it('reading a destroyed buffer rejects (not silently), and the backend keeps working', async () => {
    const t = gpu.tensor(3, 1, new Float32Array([1, 2, 3]));
    (t as unknown as { buffer: GPUBuffer }).buffer.destroy();
    await expect(gpu.read(t)).rejects.toBeInstanceOf(GpuKernelError);
    const a = gpu.tensor(2, 2, new Float32Array([1, 2, 3, 4])), o = gpu.tensor(2, 2);
    gpu.add(a, a, o);
    expect(Array.from(await gpu.read(o))).toEqual([2, 4, 6, 8]);
  });

  it('binding one buffer as input and output of a kernel rejects, naming the kernel', async () => {
    const a = gpu.tensor(2, 2, new Float32Array([1, 2, 3, 4]));
    gpu.add(a, a, a);
    const err = await gpu.read(a).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpuKernelError);
    expect((err as Error).message).toMatch(/\badd\b/);
  });

  // A tensor past the limit is split into row blocks (tests/gpu/chunked.test.ts); one row past it cannot be.
  it('a tensor whose one row is over the adapter\'s binding limit is refused when allocated', () => {
    const cols = Math.floor(ctx.maxBindingBytes / 4) + 1;
    expect(() => gpu.tensor(1, cols)).toThrow(GpuKernelError);
    expect(() => gpu.tensor(1, cols)).toThrow(/one row .* exceeds this adapter's \d+-byte binding limit/);
  });
});

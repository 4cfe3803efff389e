import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SparseMatrix } from '../../src/engine/backend';
import { CpuBackend, CpuTensor } from '../../src/engine/cpu/cpuBackend';
import { biasAct, dropout, matmul, nllLoss, spmm } from '../../src/engine/ops';
import { dropoutKey, uniformAt } from '../../src/engine/rng';
import { Tape, Var } from '../../src/engine/tape';
import { csrToDense, transposeCsr } from '../../src/graph/csr';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import type { Csr } from '../../src/graph/types';
import { NodeNet, runInfo } from '../../src/models/nodeNet';
import { nodeRecipe } from '../../src/models/spec';
import { DeviceGraph } from '../../src/train/deviceGraph';
import { expectClose, maxAbs } from '../helpers/compare';
import { centralDifference, gradCheck, type Input } from '../helpers/gradcheck';
import { csrOf, TestRng } from '../helpers/random';

const be = new CpuBackend();
const rng = new TestRng(20240601);
const input = (rows: number, cols: number, lo = -1, hi = 1): Input => ({ rows, cols, data: rng.floats(rows * cols, lo, hi) });
const weights = (rows: number, cols: number) => rng.floats(rows * cols);

/** A sparse matrix on the CPU backend with its own values tensor, and its transpose reading the same values. */
function sparsePair(csr: Csr): { a: SparseMatrix; aT: SparseMatrix } {
  const values = csr.values ? be.tensor(csr.indices.length, 1, csr.values) : null;
  return {
    a: { structure: be.sparse(csr), values },
    aT: { structure: be.sparse(transposeCsr(csr)), values },
  };
}

/** x^T-free reference: out = dense(A)^T R in float64. */
function denseTransposeTimes(csr: Csr, r: Float32Array, width: number): Float64Array {
  const d = csrToDense(csr);
  const out = new Float64Array(csr.cols * width);
  for (let i = 0; i < csr.rows; i++) {
    for (let j = 0; j < csr.cols; j++) {
      for (let c = 0; c < width; c++) out[j * width + c] += d[i * csr.cols + j] * r[i * width + c];
    }
  }
  return out;
}

describe('spmm backward (gradient w.r.t. the dense operand)', () => {
  // 5 x 4 with row 2 empty, column 3 empty (so a row of the transpose is empty), a repeated entry
  // (0, 1) twice, and unequal values so that a wrong perm reads a wrong value.
  const csr = csrOf(5, 4, [
    [0, 1, 0.5], [0, 1, -1.25], [0, 2, 2], [1, 0, 3], [1, 2, -0.75],
    [3, 0, 1.5], [3, 1, -2.5], [3, 2, 0.25], [4, 2, 1.75],
  ]);

  it('matches central differences and dense(A)^T R, with an empty row and an empty column', async () => {
    const { a, aT } = sparsePair(csr);
    expect(aT.structure.hasPerm).toBe(true);
    const x = input(4, 3);
    let R: Float32Array = new Float32Array();
    const { analytic } = await gradCheck(be, [x], (tape, [v]) => spmm(tape, a, aT, v), (r, c) => (R = weights(r, c)));
    expectClose(analytic[0], denseTransposeTimes(csr, R, 3), 1e-6, 1e-6, 'A^T R');
    // Column 3 of A is empty: nothing flows back to row 3 of x.
    expect(Array.from(analytic[0].subarray(9, 12))).toEqual([0, 0, 0]);
  });

  it('works through a transpose used as the forward matrix (perm of a perm)', async () => {
    const t = transposeCsr(csr);
    const values = be.tensor(csr.indices.length, 1, csr.values!);
    const a = { structure: be.sparse(t), values };
    const aT = { structure: be.sparse(transposeCsr(t)), values };
    expect(transposeCsr(t).perm).toBeDefined();
    const x = input(5, 2);
    let R: Float32Array = new Float32Array();
    const { analytic } = await gradCheck(be, [x], (tape, [v]) => spmm(tape, a, aT, v), (r, c) => (R = weights(r, c)));
    // d/dx of sum(A^T x * R) = A R.
    expectClose(analytic[0], denseTransposeTimes(t, R, 2), 1e-6, 1e-6, 'A R');
  });

  it('works for a pattern matrix without values (all ones)', async () => {
    const pattern: Csr = { ...csr, values: undefined };
    const { a, aT } = sparsePair(pattern);
    expect(a.values).toBeNull();
    await gradCheck(be, [input(4, 5)], (tape, [v]) => spmm(tape, a, aT, v), weights);
  });
});

describe('matmul backward', () => {
  it('matches central differences for both operands', async () => {
    await gradCheck(be, [input(3, 4), input(4, 5)], (tape, [a, b]) => matmul(tape, a, b), weights);
  });

  it('for odd shapes (1 x 7 times 7 x 1, and 6 x 1 times 1 x 2)', async () => {
    await gradCheck(be, [input(1, 7), input(7, 1)], (tape, [a, b]) => matmul(tape, a, b), weights);
    await gradCheck(be, [input(6, 1), input(1, 2)], (tape, [a, b]) => matmul(tape, a, b), weights);
  });

  it('accumulates both paths when one Var is used twice (x * x)', async () => {
    const { analytic } = await gradCheck(be, [input(4, 4)], (tape, [x]) => matmul(tape, x, x), weights);
    expect(maxAbs(analytic[0])).toBeGreaterThan(0);
  });

  it('a chain matmul(matmul(a, b), c)', async () => {
    await gradCheck(be, [input(3, 2), input(2, 4), input(4, 3)], (tape, [a, b, c]) => matmul(tape, matmul(tape, a, b), c), weights);
  });
});

describe('biasAct backward', () => {
  /** x and bias with every x + bias at least 0.1 away from the ReLU kink (eps is 1e-2). */
  function awayFromKink(rows: number, cols: number): [Input, Input] {
    const x = input(rows, cols), b = input(1, cols);
    for (let i = 0; i < x.data.length; i++) {
      const v = x.data[i] + b.data[i % cols];
      if (Math.abs(v) < 0.1) x.data[i] += v >= 0 ? 0.2 : -0.2;
    }
    return [x, b];
  }

  for (const act of ['relu', 'none'] as const) {
    it(`${act}: matches central differences for the input and the bias`, async () => {
      const [x, b] = awayFromKink(6, 3);
      const { analytic } = await gradCheck(be, [x, b], (tape, [xv, bv]) => biasAct(tape, xv, bv, act), weights);
      expect(maxAbs(analytic[1])).toBeGreaterThan(0);
      if (act === 'relu') {
        // Entries where x + b < 0 get no gradient.
        for (let i = 0; i < x.data.length; i++) {
          if (x.data[i] + b.data[i % 3] < 0) expect(analytic[0][i]).toBe(0);
        }
      }
    });
  }

  it('relu: a wide layer where half of the units are off', async () => {
    const [x, b] = awayFromKink(9, 7);
    await gradCheck(be, [x, b], (tape, [xv, bv]) => biasAct(tape, xv, bv, 'relu'), weights);
  });
});

describe('dropout backward', () => {
  const key = dropoutKey(11, 1003);

  for (const p of [0.2, 0.5, 0.8]) {
    it(`p = ${p}: the same key gives the same mask, and the gradient is R * mask / (1 - p)`, async () => {
      const x = input(8, 5);
      const scale = Math.fround(1 / (1 - p));
      const tape = new Tape(be);
      const xv = new Var(be.tensor(8, 5, x.data), true);
      const o1 = dropout(tape, xv, p, key);
      const o2 = dropout(tape, xv, p, key);
      const y1 = await be.read(o1.value), y2 = await be.read(o2.value);
      expect(y2).toEqual(y1);
      const R = weights(8, 5);
      let dropped = 0;
      for (let i = 0; i < 40; i++) {
        const kept = uniformAt(key, i) >= Math.fround(p);
        if (!kept) dropped++;
        expect(y1[i]).toBe(kept ? Math.fround(x.data[i] * scale) : 0);
      }
      expect(dropped).toBeGreaterThan(0);
      expect(dropped).toBeLessThan(40);
      o1.grad = be.tensor(8, 5, R);
      tape.runBackward();
      const g = await be.read(xv.grad!);
      for (let i = 0; i < 40; i++) {
        expect(g[i]).toBe(uniformAt(key, i) >= Math.fround(p) ? Math.fround(R[i] * scale) : 0);
      }
      await gradCheck(be, [x], (t, [v]) => dropout(t, v, p, key), () => R);
    });
  }

  it('another key gives another mask, and p = 0 is the identity (the same Var)', async () => {
    const x = be.tensor(10, 10, rng.floats(100));
    const a = be.tensor(10, 10), b = be.tensor(10, 10);
    be.dropout(x, 0.5, key, a);
    be.dropout(x, 0.5, dropoutKey(11, 1004), b);
    expect(await be.read(a)).not.toEqual(await be.read(b));
    const v = new Var(x, true);
    expect(dropout(new Tape(be), v, 0, key)).toBe(v);
  });
});

describe('nllLoss gradient (masked mean NLL of log-softmax)', () => {
  /** Float64 reference of the masked mean NLL. */
  function referenceLoss(z: Float32Array, labels: Int32Array, split: Int32Array, maskBit: number, classes: number): number {
    let total = 0, n = 0;
    for (let r = 0; r < labels.length; r++) {
      if (split[r] !== maskBit) continue;
      let m = -Infinity;
      for (let c = 0; c < classes; c++) m = Math.max(m, z[r * classes + c]);
      let s = 0;
      for (let c = 0; c < classes; c++) s += Math.exp(z[r * classes + c] - m);
      total += m + Math.log(s) - z[r * classes + labels[r]];
      n++;
    }
    return total / n;
  }

  const rows = 9, classes = 4;
  const labels = Int32Array.from([0, 3, 1, 2, 2, 0, 3, 1, 1]);
  const split = Int32Array.from([1, 0, 2, 1, 3, 1, 2, 0, 1]);

  for (const maskBit of [1, 2, 3]) {
    it(`maskBit ${maskBit}: matches central differences of the loss; other rows get exactly zero`, async () => {
      const count = split.filter((s) => s === maskBit).length;
      const z = rng.floats(rows * classes, -3, 3);
      const lab = be.intTensor(rows, 1, labels), spl = be.intTensor(rows, 1, split);
      const slot = 2;
      const metrics = be.tensor(4, 4, new Float32Array(16).fill(-7));
      const targets = { labels: lab, splitOf: spl, maskBit, count };

      const tape = new Tape(be);
      const logits = new Var(be.tensor(rows, classes, z), true);
      nllLoss(tape, logits, targets, metrics, slot);
      const g = await be.read(logits.grad!);
      const m = await be.read(metrics);
      expect(m[slot * 4]).toBeCloseTo(referenceLoss(z, labels, split, maskBit, classes), 5);
      // Only metrics[slot * 4] is written.
      m.forEach((v, i) => i !== slot * 4 && expect(v).toBe(-7));

      const data = z.slice();
      const loss = async () => {
        const zt = be.tensor(rows, classes, data);
        const grad = be.tensor(rows, classes), scratch = be.tensor(rows, 1);
        be.nllLoss(zt, lab, spl, maskBit, count, grad, scratch, metrics, slot);
        return (await be.read(metrics))[slot * 4];
      };
      const numeric = new Float64Array(rows * classes);
      for (let j = 0; j < numeric.length; j++) numeric[j] = await centralDifference(data, j, 1e-2, loss);
      expectClose(g, numeric, 1e-3, 1e-5, 'd loss / d logits');
      for (let r = 0; r < rows; r++) {
        let rowSum = 0;
        for (let c = 0; c < classes; c++) rowSum += g[r * classes + c];
        if (split[r] !== maskBit) {
          for (let c = 0; c < classes; c++) expect(g[r * classes + c]).toBe(0);
        } else {
          // softmax - onehot sums to zero over a row; the label's entry is the only negative one.
          expect(Math.abs(rowSum)).toBeLessThan(1e-6);
          expect(g[r * classes + labels[r]]).toBeLessThan(0);
        }
      }
    });
  }

  it('seeds the backward pass: d loss / d W of loss(x W) matches central differences', async () => {
    const x = input(rows, 3), w = input(3, classes);
    const lab = be.intTensor(rows, 1, labels), spl = be.intTensor(rows, 1, split);
    const metrics = be.tensor(1, 4);
    const targets = { labels: lab, splitOf: spl, maskBit: 1, count: 4 };
    const run = (wData: Float32Array, requiresGrad: boolean) => {
      const tape = new Tape(be);
      const wv = new Var(be.tensor(3, classes, wData), requiresGrad);
      const logits = matmul(tape, new Var(be.tensor(rows, 3, x.data), false), wv);
      nllLoss(tape, logits, targets, metrics, 0);
      tape.runBackward();
      return wv;
    };
    const g = await be.read(run(w.data, true).grad!);
    const data = w.data.slice();
    const numeric = new Float64Array(data.length);
    for (let j = 0; j < data.length; j++) {
      numeric[j] = await centralDifference(data, j, 1e-2, async () => {
        run(data, false);
        return (await be.read(metrics))[0];
      });
    }
    expectClose(g, numeric, 1e-3, 1e-3 * maxAbs(numeric), 'd loss / d W');
  });
});

describe('2-layer GCN on Karate: parameter gradients against central differences', () => {
  const karate = parseGraphJson(readFileSync(new URL('../../../shared/datasets/karate.json', import.meta.url), 'utf8'));

  for (const [maskBit, p] of [[1, 0], [3, 0], [3, 0.5]] as const) {
    it(`loss on split ${maskBit}, dropout ${p}`, async () => {
      const data = new DeviceGraph(be, karate, false);
      if (!('sparse' in data.features)) throw new Error('Karate features should be sparse');
      const features = { sparse: data.features.sparse.pair };
      const model = new NodeNet(be, { ...nodeRecipe('gcn').spec, dropout: p }, { inDim: 34, classes: 2, relations: 1 }, 1);
      const metrics = be.tensor(1, 4);
      const count = data.splitSizes[maskBit - 1];
      const targets = { labels: data.labels, splitOf: data.splitOf, maskBit, count };
      expect(count).toBeGreaterThan(0);
      const run = (): void => {
        const tape = new Tape(be);
        for (const q of model.parameters) q.grad = null;
        const logits = model.forward(tape, data.ctx, features, true, 3);
        nllLoss(tape, logits, targets, metrics, 0);
        tape.runBackward();
      };
      const loss = async (): Promise<number> => {
        run();
        return (await be.read(metrics))[0];
      };
      /** Which hidden units are on (the ReLU pattern), to keep central differences off its kinks. */
      const pattern = async (): Promise<string> => {
        const tape = new Tape(be);
        const h = await be.read(model.stack.convs[0].forward(tape, data.ctx, features, 'relu', runInfo(1, 4, true, 3)).value);
        return h.map((v) => (v > 0 ? 1 : 0)).join('');
      };

      run();
      const params = model.parameters;
      const grads: Float32Array[] = [];
      for (const q of params) grads.push(await be.read(q.grad!));
      expect(params.map((q) => [q.value.rows, q.value.cols])).toEqual([[34, 16], [1, 16], [16, 2], [1, 2]]);
      const base = await pattern();
      let checked = 0;

      for (let i = 0; i < params.length; i++) {
        const values = (params[i].value as CpuTensor).data;
        const g = grads[i];
        expect(maxAbs(g)).toBeGreaterThan(0);
        // The entry with the largest gradient, and a few fixed others.
        let top = 0;
        for (let j = 1; j < g.length; j++) if (Math.abs(g[j]) > Math.abs(g[top])) top = j;
        const picks = [...new Set([top, 0, Math.floor(g.length / 3), Math.floor(g.length / 2), g.length - 1, 17 % g.length])];
        for (const j of picks) {
          // The largest step whose +-eps keeps every hidden unit on the same side of zero.
          let eps = 0;
          for (const e of [1e-2, 3e-3, 1e-3]) {
            const x = values[j];
            values[j] = x + e;
            const up = await pattern();
            values[j] = x - e;
            const down = await pattern();
            values[j] = x;
            if (up === base && down === base) {
              eps = e;
              break;
            }
          }
          if (eps === 0) continue;
          const numeric = await centralDifference(values, j, eps, loss);
          const ok = Math.abs(g[j] - numeric) <= 3e-3 * Math.abs(numeric) + 1e-3 * maxAbs(g);
          if (!ok) throw new Error(`parameter ${i} entry ${j} (eps ${eps}): analytic ${g[j]}, numeric ${numeric}`);
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(16);
    });
  }
});

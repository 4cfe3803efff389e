/**
 * The fused spmm + bias + activation (+ dropout) op on the CPU backend: its outputs are those of
 * spmm, biasAct and dropout in turn, bit for bit, and its gradients (for x and the bias, through
 * either output or both) match central differences and the unfused ops' gradients exactly.
 */
import { describe, expect, it } from 'vitest';
import type { Activation, SparseMatrix } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { biasAct, dropout, spmm, spmmBiasAct } from '../../src/engine/ops';
import { binary } from '../../src/engine/pointwiseOps';
import { dropoutKey } from '../../src/engine/rng';
import { Tape, Var } from '../../src/engine/tape';
import { transposeCsr } from '../../src/graph/csr';
import type { Csr } from '../../src/graph/types';
import { expectBitEqual, maxAbs } from '../helpers/compare';
import { gradCheck, type Input } from '../helpers/gradcheck';
import { csrOf, TestRng } from '../helpers/random';

const be = new CpuBackend();
const rng = new TestRng(7070);
const key = dropoutKey(3, 1002);

// 5 x 4 with an empty row (2), an empty column (3), a repeated entry and unequal values.
const csr: Csr = csrOf(5, 4, [
  [0, 1, 0.5], [0, 1, -1.25], [0, 2, 2], [1, 0, 3], [1, 2, -0.75],
  [3, 0, 1.5], [3, 1, -2.5], [3, 2, 0.25], [4, 2, 1.75],
]);

function pair(c: Csr): { a: SparseMatrix; aT: SparseMatrix } {
  const values = be.tensor(c.indices.length, 1, c.values!);
  return { a: { structure: be.sparse(c), values }, aT: { structure: be.sparse(transposeCsr(c)), values } };
}

/** x and bias with every pre-activation at least 0.15 from 0 (the kinks of relu, leaky_relu, elu) for eps 1e-2. */
function awayFromKinks(w: number): [Input, Input] {
  for (;;) {
    const x = rng.floats(4 * w), b = rng.floats(w, -0.5, 0.5);
    const xs = be.tensor(4, w, x), out = be.tensor(5, w);
    be.spmmBiasAct(pair(csr).a, xs, be.tensor(1, w, b), 'none', out, null);
    // Row 2 is empty: its pre-activation is the bias alone.
    const pre = (out as unknown as { data: Float32Array }).data;
    if (Array.from(pre).every((v) => Math.abs(v) > 0.15)) return [{ rows: 4, cols: w, data: x }, { rows: 1, cols: w, data: b }];
  }
}

const acts: Activation[] = ['none', 'relu', 'leaky_relu', 'elu', 'tanh', 'sigmoid'];

describe('spmmBiasAct (fused)', () => {
  it('gives spmm -> biasAct -> dropout bit for bit', async () => {
    const { a, aT } = pair(csr);
    for (const act of acts) {
      const x = new Var(be.tensor(4, 3, rng.floats(12)), true), bias = new Var(be.tensor(1, 3, rng.floats(3)), true);
      const tape = new Tape(be);
      const fused = spmmBiasAct(tape, a, aT, x, bias, act, { prob: 0.4, key });
      const y = biasAct(tape, spmm(tape, a, aT, x), bias, act);
      const d = dropout(tape, y, 0.4, key);
      expectBitEqual(await be.read(fused.y.value), await be.read(y.value), `${act} y`);
      expectBitEqual(await be.read(fused.out.value), await be.read(d.value), `${act} dropped`);
      // Without dropout the two outputs are one Var.
      const plain = spmmBiasAct(tape, a, aT, x, bias, act);
      expect(plain.out).toBe(plain.y);
      expect(spmmBiasAct(tape, a, aT, x, bias, act, { prob: 0, key }).out).toBeInstanceOf(Var);
    }
  });

  for (const act of acts) {
    for (const p of [0, 0.5]) {
      it(`${act}, dropout ${p}: gradients for x and the bias match central differences`, async () => {
        const { a, aT } = pair(csr);
        const [x, b] = awayFromKinks(3);
        const drop = p > 0 ? { prob: p, key } : undefined;
        const { analytic } = await gradCheck(be, [x, b], (tape, [xv, bv]) => spmmBiasAct(tape, a, aT, xv, bv, act, drop).out,
          (r, c) => rng.floats(r * c));
        expect(maxAbs(analytic[0])).toBeGreaterThan(0);
        expect(maxAbs(analytic[1])).toBeGreaterThan(0);
        // Column 3 of A is empty: nothing flows back to row 3 of x.
        expect(Array.from(analytic[0].subarray(9, 12))).toEqual([0, 0, 0]);
      });
    }
  }

  it('both outputs used (y read out as well as dropped): central differences, and the unfused gradients bit for bit', async () => {
    const { a, aT } = pair(csr);
    const [x, b] = awayFromKinks(4);
    const R = rng.floats(20);
    // L = sum(y * R) + sum(dropped * R'): y is a hidden output the next layer does not take.
    const build = (fused: boolean) => (tape: Tape, [xv, bv]: Var[]) => {
      let y: Var, d: Var;
      if (fused) ({ y, out: d } = spmmBiasAct(tape, a, aT, xv, bv, 'elu', { prob: 0.3, key }));
      else d = dropout(tape, (y = biasAct(tape, spmm(tape, a, aT, xv), bv, 'elu')), 0.3, key);
      return binary(tape, 'add', binary(tape, 'mul', y, new Var(be.tensor(5, 4, R), false)), d);
    };
    const weights = (r: number, c: number) => rng.floats(r * c);
    await gradCheck(be, [x, b], build(true), weights);
    const grads = async (fused: boolean) => {
      const tape = new Tape(be);
      const vars = [x, b].map((i) => new Var(be.tensor(i.rows, i.cols, i.data), true));
      const out = build(fused)(tape, vars);
      out.grad = be.tensor(5, 4, R);
      tape.runBackward();
      return Promise.all(vars.map((v) => be.read(v.grad!)));
    };
    const [f, u] = [await grads(true), await grads(false)];
    expectBitEqual(f[0], u[0], 'd x');
    expectBitEqual(f[1], u[1], 'd bias');
  });
});

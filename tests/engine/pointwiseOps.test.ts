import { describe, expect, it } from 'vitest';
import type { Activation, BinaryOp, UnaryOp } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { activation, binary, concatCols, scale, sum, unary } from '../../src/engine/pointwiseOps';
import { gradCheck, type Input } from '../helpers/gradcheck';
import { TestRng } from '../helpers/random';

const be = new CpuBackend();
const rng = new TestRng(91);
const input = (rows: number, cols: number, lo = -1, hi = 1): Input => ({ rows, cols, data: rng.floats(rows * cols, lo, hi) });
const weights = (rows: number, cols: number) => rng.floats(rows * cols);
/** Away from kinks: |x| >= 0.1 so a step of 1e-2 never crosses 0. */
const noKink = (rows: number, cols: number): Input => {
  const d = rng.floats(rows * cols, 0.1, 1).map((v) => (rng.next() < 0.5 ? -v : v));
  return { rows, cols, data: d };
};

describe('activation gradients', () => {
  for (const act of ['relu', 'leaky_relu', 'elu', 'tanh', 'sigmoid'] as Activation[]) {
    it(act, () => gradCheck(be, [noKink(4, 3)], (t, [x]) => activation(t, x, act), weights));
  }
  it('values at known points', async () => {
    const x = be.tensor(1, 4, new Float32Array([-2, -0.5, 0, 3]));
    const out = be.tensor(1, 4);
    be.activation('leaky_relu', x, out);
    expect(Array.from(await be.read(out))).toEqual([-0.4000000059604645, -0.10000000149011612, 0, 3]);
    be.activation('elu', x, out);
    expect((await be.read(out))[0]).toBeCloseTo(Math.exp(-2) - 1, 6);
  });
});

describe('binary gradients with broadcasting', () => {
  const shapes: [number, number][] = [[4, 3], [1, 3], [4, 1], [1, 1]];
  for (const op of ['add', 'sub', 'mul', 'div'] as BinaryOp[]) {
    for (const [br, bc] of shapes) {
      it(`${op} with b [${br}, ${bc}]`, () => {
        const b = op === 'div' ? input(br, bc, 0.5, 2) : input(br, bc);
        return gradCheck(be, [input(4, 3), b], (t, [a, bv]) => binary(t, op, a, bv), weights);
      });
    }
  }
  for (const op of ['max', 'min'] as BinaryOp[]) {
    it(`${op} routes each element's gradient to the winner`, () => {
      const a = input(4, 3);
      const b = { ...a, data: a.data.map((v, i) => v + (i % 2 ? 0.3 : -0.3)) };
      return gradCheck(be, [a, b], (t, [x, y]) => binary(t, op, x, y), weights);
    });
  }
  it('rejects a shape that does not broadcast', () => {
    expect(() => be.binary('add', be.tensor(4, 3), be.tensor(2, 3), be.tensor(4, 3))).toThrow(/broadcast/);
  });
});

describe('unary, scale, sums and concatenation gradients', () => {
  for (const op of ['sqrt', 'rsqrt', 'square', 'recip', 'exp', 'log'] as UnaryOp[]) {
    it(op, () => gradCheck(be, [input(3, 3, 0.5, 2)], (t, [x]) => unary(t, op, x), weights, { eps: 1e-3 }));
  }
  it('scale', () => gradCheck(be, [input(3, 2)], (t, [x]) => scale(t, x, -1.5, 0.25), weights));
  it('sum over rows and over columns', async () => {
    await gradCheck(be, [input(5, 3)], (t, [x]) => sum(t, x, 'rows'), weights);
    await gradCheck(be, [input(5, 3)], (t, [x]) => sum(t, x, 'cols'), weights);
  });
  it('concatCols places each block and splits the gradient back', async () => {
    const a = input(3, 2), b = input(3, 1), c = input(3, 3);
    await gradCheck(be, [a, b, c], (t, vs) => concatCols(t, vs), weights);
    const out = be.tensor(3, 6);
    be.copyCols(be.tensor(3, 1, b.data), 0, out, 2, 1);
    const o = await be.read(out);
    expect([o[2], o[8], o[14]]).toEqual(Array.from(b.data));
    expect(o[0]).toBe(0);
  });
});

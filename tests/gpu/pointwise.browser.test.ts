/**
 * The element-wise kernels (activations and their gradients, bias + activation, broadcast binary
 * ops, unary functions, scale), copyCols and rowSum on WebGPU against the CPU reference: exact
 * wherever no transcendental function is involved.
 */
import { describe, expect, it } from 'vitest';
import type { Activation, BinaryOp, UnaryOp } from '../../src/engine/backend';
import { GpuKernelError } from '../../src/gpu/errors';
import { backendPair } from '../helpers/backendPair';
import { expectClose, expectExact } from '../helpers/compare';
import type { TestRng } from '../helpers/random';

const p = backendPair();

const activations: Activation[] = ['none', 'relu', 'leaky_relu', 'elu', 'tanh', 'sigmoid'];
const shapes: [number, number][] = [[1, 1], [257, 17], [1000, 7], [3, 13]];

/** Random values plus the edge cases an activation must get right: zeros, tiny and large values. */
function inputs(rng: TestRng, n: number, lo = -6, hi = 6): Float32Array {
  const x = rng.floats(n, lo, hi);
  const special = [0, -0, 1e-6, -1e-6, 1e-3, -1e-3, 30, -30, 100, -100];
  for (let i = 0; i < Math.min(n, special.length); i++) x[(i * 7919) % n] = special[i];
  return x;
}

/**
 * How far a transcendental result may be from the CPU's f64-then-rounded value: a few ulps of
 * the result, and for exp(x) - 1 (elu) and tanh a few ulps of 1, which their f32 forms lose to
 * cancellation near 0.
 */
const transcendentalRtol = 8 * 2 ** -24;
const nearOneAtol = 4 * 2 ** -24;
/** Below f32's normal range a GPU may flush to zero (SwiftShader does). */
const FLUSH = 2 ** -126;

function expectActivation(act: Activation, g: ArrayLike<number>, c: ArrayLike<number>, what: string): void {
  if (act === 'none' || act === 'relu' || act === 'leaky_relu') expectExact(g, c, what);
  else expectClose(g, c, transcendentalRtol, nearOneAtol, what);
}

describe('activations', () => {
  for (const act of activations) {
    it(`${act}: forward, bias + ${act}, and the backward from the output (exact but for subnormals)`, async () => {
      for (const [rows, cols] of shapes) {
        const x = inputs(p.rng, rows * cols), bias = p.rng.floats(cols), g = p.rng.floats(rows * cols);
        const [[fy, fb], [cy, cb]] = await p.both((be) => {
          const y = p.nanOut(be, rows, cols), yb = p.nanOut(be, rows, cols);
          be.activation(act, p.T(be, rows, cols, x), y);
          be.biasAct(p.T(be, rows, cols, x), p.T(be, 1, cols, bias), act, yb);
          return [y, yb];
        });
        expectActivation(act, fy, cy, `${act} ${rows}x${cols}`);
        expectActivation(act, fb, cb, `biasAct ${act} ${rows}x${cols}`);
        // The backward from the CPU's output on both, so only the gradient formula is compared.
        const y = Float32Array.from(cy);
        const [[gg], [cg]] = await p.both((be) => {
          const out = p.nanOut(be, rows, cols);
          be.activationBackward(act, p.T(be, rows, cols, y), p.T(be, rows, cols, g), out);
          return [out];
        });
        expectClose(gg, cg, 0, FLUSH, `${act} backward ${rows}x${cols}`);
      }
    });
  }

  it('leaky_relu scales negatives by the f32 slope, bit for bit, over many values', async () => {
    const n = 100_000;
    const x = p.rng.floats(n, -1000, 0);
    const [[g, gd], [c, cd]] = await p.both((be) => {
      const out = p.nanOut(be, n, 1), dx = p.nanOut(be, n, 1);
      be.activation('leaky_relu', p.T(be, n, 1, x), out);
      be.activationBackward('leaky_relu', p.T(be, n, 1, new Float32Array(n).fill(-1)), p.T(be, n, 1, x), dx);
      return [out, dx];
    });
    expectExact(g, c, 'leaky_relu');
    expectExact(gd, cd, 'leaky_relu backward');
  });
});

describe('binary', () => {
  const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'max', 'min', 'ge'];
  const [R, C] = [37, 13];
  const broadcasts: [string, number, number][] = [['same shape', R, C], ['[1, C]', 1, C], ['[R, 1]', R, 1], ['[1, 1]', 1, 1]];
  for (const op of ops) {
    it(`${op}: b of the same shape, [1, C], [R, 1] and [1, 1], real and integer (tied) values, exact`, async () => {
      const rng = p.rng;
      for (const [name, br, bc] of broadcasts) {
        for (const ints of [false, true]) {
          const gen = (n: number) => (ints ? Float32Array.from({ length: n }, () => rng.int(5) - 2) : rng.floats(n, -3, 3));
          const a = gen(R * C), b = gen(br * bc);
          if (op === 'div') for (let i = 0; i < b.length; i++) if (b[i] === 0) b[i] = 0.5;
          const [[g], [c]] = await p.both((be) => {
            const out = p.nanOut(be, R, C);
            be.binary(op, p.T(be, R, C, a), p.T(be, br, bc, b), out);
            return [out];
          });
          expectExact(g, c, `${op} ${name}${ints ? ' (integers)' : ''}`);
        }
      }
    });
  }

  it('a [1, 1] tensor with a [1, 1] operand, and a column vector with a same-shape one', async () => {
    const [[g1, g2], [c1, c2]] = await p.both((be) => {
      const o1 = p.nanOut(be, 1, 1), o2 = p.nanOut(be, 5, 1);
      be.binary('sub', p.T(be, 1, 1, Float32Array.of(3)), p.T(be, 1, 1, Float32Array.of(0.25)), o1);
      be.binary('mul', p.T(be, 5, 1, Float32Array.of(1, 2, 3, 4, 5)), p.T(be, 5, 1, Float32Array.of(5, 4, 3, 2, 1)), o2);
      return [o1, o2];
    });
    expectExact(g1, c1);
    expectExact(g2, c2);
    expectExact(g2, [5, 8, 9, 8, 5]);
  });

  it('refuses a b that does not broadcast', () => {
    const gpu = p.gpu;
    expect(() => gpu.binary('add', gpu.tensor(4, 3), gpu.tensor(2, 3), gpu.tensor(4, 3))).toThrow(GpuKernelError);
    expect(() => gpu.binary('add', gpu.tensor(4, 3), gpu.tensor(4, 2), gpu.tensor(4, 3))).toThrow(GpuKernelError);
  });
});

describe('unary, scale', () => {
  const ops: UnaryOp[] = ['sqrt', 'rsqrt', 'square', 'recip', 'exp', 'log'];
  for (const op of ops) {
    it(`${op}`, async () => {
      for (const [rows, cols] of shapes) {
        const n = rows * cols;
        // Positive inputs over several decades for the roots and the log; both signs otherwise.
        const x = op === 'exp' ? p.rng.floats(n, -80, 80)
          : op === 'sqrt' || op === 'rsqrt' || op === 'log' ? Float32Array.from(p.rng.floats(n, -6, 6), (v) => Math.fround(10 ** v))
            : p.rng.floats(n, -100, 100);
        const [[g], [c]] = await p.both((be) => {
          const out = p.nanOut(be, rows, cols);
          be.unary(op, p.T(be, rows, cols, x), out);
          return [out];
        });
        const what = `${op} ${rows}x${cols}`;
        if (op === 'square' || op === 'recip' || op === 'sqrt') expectExact(g, c, what);
        // WGSL's bounds: exp 3 + 2|x| ulp; log 2^-21 absolute near 1 (where it crosses 0), 3 ulp
        // elsewhere; inverseSqrt 2 ulp.
        else if (op === 'exp') expectClose(g, c, 200 * 2 ** -24, FLUSH, what);
        else if (op === 'log') expectClose(g, c, transcendentalRtol, 2 ** -21, what);
        else expectClose(g, c, transcendentalRtol, 0, what);
      }
    });
  }

  it('scale: alpha * x + beta with constants that f32 cannot hold exactly (exact)', async () => {
    for (const [alpha, beta] of [[1, 0], [0.1, -0.3], [-2.5, 1e-3], [0, 7]]) {
      for (const [rows, cols] of shapes) {
        const x = p.rng.floats(rows * cols, -10, 10);
        const [[g], [c]] = await p.both((be) => {
          const out = p.nanOut(be, rows, cols);
          be.scale(p.T(be, rows, cols, x), alpha, beta, out);
          return [out];
        });
        expectExact(g, c, `scale ${alpha} ${beta} ${rows}x${cols}`);
      }
    }
  });
});

describe('copyCols', () => {
  it('writes only the named columns; two copies build a concatenation', async () => {
    const rows = 300, xa = 5, xb = 7, outCols = 16;
    const a = p.rng.floats(rows * xa), b = p.rng.floats(rows * xb), init = p.rng.floats(rows * outCols);
    const [[g], [c]] = await p.both((be) => {
      const out = p.T(be, rows, outCols, init);
      be.copyCols(p.T(be, rows, xa, a), 0, out, 0, xa);
      be.copyCols(p.T(be, rows, xb, b), 2, out, 9, 5);
      return [out];
    });
    expectExact(g, c, 'copyCols');
    for (let r = 0; r < rows; r++) {
      for (let col = 0; col < outCols; col++) {
        const i = r * outCols + col;
        const want = col < 5 ? a[r * xa + col] : col >= 9 && col < 14 ? b[r * xb + 2 + col - 9] : init[i];
        if (g[i] !== want) throw new Error(`row ${r} column ${col}: ${g[i]}, expected ${want}`);
      }
    }
  });

  it('one column out of one, and a zero-width copy that changes nothing', async () => {
    const [[g1, g2], [c1, c2]] = await p.both((be) => {
      const o1 = p.T(be, 4, 1, Float32Array.of(9, 9, 9, 9)), o2 = p.T(be, 4, 2, Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8));
      be.copyCols(p.T(be, 4, 3, Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)), 2, o1, 0, 1);
      be.copyCols(p.T(be, 4, 3, new Float32Array(12)), 1, o2, 1, 0);
      return [o1, o2];
    });
    expectExact(c1, [3, 6, 9, 12]);
    expectExact(g1, c1);
    expectExact(c2, [1, 2, 3, 4, 5, 6, 7, 8]);
    expectExact(g2, c2);
  });

  it('refuses columns past either tensor\'s width', () => {
    const gpu = p.gpu;
    expect(() => gpu.copyCols(gpu.tensor(2, 3), 2, gpu.tensor(2, 4), 0, 2)).toThrow(GpuKernelError);
    expect(() => gpu.copyCols(gpu.tensor(2, 3), 0, gpu.tensor(2, 4), 3, 2)).toThrow(GpuKernelError);
  });
});

describe('rowSum', () => {
  for (const [rows, cols] of [[1, 1], [300, 13], [2708, 7], [5, 64], [4, 0]] as const) {
    it(`${rows} x ${cols}, in column order (exact)`, async () => {
      const x = p.rng.floats(rows * cols, -10, 10);
      const [[g], [c]] = await p.both((be) => {
        const out = p.nanOut(be, rows, 1);
        be.rowSum(p.T(be, rows, cols, x), out);
        return [out];
      });
      expectExact(g, c, `rowSum ${rows}x${cols}`);
    });
  }
});

import { describe, expect, it } from 'vitest';
import type { AdamParams, Backend } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { matmul } from '../../src/engine/ops';
import { Adam, Parameter } from '../../src/engine/optim';
import { PACK_ALIGN, packLayout } from '../../src/engine/packing';
import { binary, sum } from '../../src/engine/pointwiseOps';
import { Tape, Var } from '../../src/engine/tape';
import { TestRng } from '../helpers/random';

const shapes: [number, number][] = [[3, 7], [1, 5], [64, 16], [1, 1]];
const decays = [5e-4, 5e-4, 0, 0.1];
const hyper = (step: number): AdamParams => ({ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step });

/** The CPU backend, counting the calls of some ops. */
function counting(): { be: Backend; calls: Map<string, number> } {
  const inner = new CpuBackend();
  const calls = new Map<string, number>();
  const be = new Proxy(inner, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Backend;
  return { be, calls };
}

describe('packTensors (CPU)', () => {
  it('puts each tensor at a 256-byte boundary, views of one array, filled from data or zero', async () => {
    const be = new CpuBackend();
    const data = shapes.map(([r, c], k) => Float32Array.from({ length: r * c }, (_, i) => k * 1000 + i));
    const p = be.packTensors(shapes, [data[0], undefined, data[2], data[3]]);
    const layout = packLayout(shapes);
    expect(p.offsets).toEqual(layout.offsets);
    expect(p.offsets).toEqual([0, 64, 128, 128 + 1024]);
    expect(p.length).toBe(128 + 1024 + 64);
    for (const o of p.offsets) expect(o % PACK_ALIGN).toBe(0);
    expect(Array.from(await be.read(p.tensors[0]))).toEqual(Array.from(data[0]));
    expect(Array.from(await be.read(p.tensors[1]))).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(await be.read(p.tensors[2]))).toEqual(Array.from(data[2]));
    // Writes through one window stay in it.
    be.scale(p.tensors[1], 0, 2, p.tensors[1]);
    expect(Array.from(await be.read(p.tensors[1]))).toEqual([2, 2, 2, 2, 2]);
    expect(Array.from(await be.read(p.tensors[0]))).toEqual(Array.from(data[0]));
    expect(Array.from(await be.read(p.tensors[2])).slice(0, 3)).toEqual([2000, 2001, 2002]);
  });
});

describe('adamPacked (CPU) against the per-parameter adam', () => {
  it('6 steps over 4 odd shapes with 3 weight decays, one parameter skipping a step: bit for bit', async () => {
    const rng = new TestRng(7);
    const be = new CpuBackend();
    const init = shapes.map(([r, c]) => rng.floats(r * c));
    const grads = Array.from({ length: 6 }, () => shapes.map(([r, c]) => rng.floats(r * c)));
    // Per parameter.
    const own = shapes.map(([r, c], k) => ({
      p: be.tensor(r, c, init[k]), m: be.tensor(r, c, new Float32Array(r * c)), v: be.tensor(r, c, new Float32Array(r * c)),
    }));
    // Packed.
    const P = be.packTensors(shapes, init), G = be.packTensors(shapes), M = be.packTensors(shapes), V = be.packTensors(shapes);
    for (let s = 0; s < 6; s++) {
      const runs = [];
      for (let k = 0; k < shapes.length; k++) {
        if (s === 2 && k === 1) continue; // no gradient this step: untouched
        const [r, c] = shapes[k];
        be.adam(own[k].p, be.tensor(r, c, grads[s][k]), own[k].m, own[k].v, { ...hyper(s + 1), weightDecay: decays[k] });
        be.copy(be.tensor(r, c, grads[s][k]), G.tensors[k]);
        runs.push({ offset: P.offsets[k], length: r * c, weightDecay: decays[k] });
      }
      be.adamPacked(P, G, M, V, runs, hyper(s + 1));
    }
    for (let k = 0; k < shapes.length; k++) {
      expect(Array.from(await be.read(P.tensors[k]))).toEqual(Array.from(await be.read(own[k].p)));
      expect(Array.from(await be.read(M.tensors[k]))).toEqual(Array.from(await be.read(own[k].m)));
      expect(Array.from(await be.read(V.tensors[k]))).toEqual(Array.from(await be.read(own[k].v)));
    }
  });
});

describe('Adam over packed parameters', () => {
  /** (x W1 W2 + b) or (x W1 W2 * b), summed over rows; `unused` never gets a gradient. */
  function build(be: Backend, seed: number, packed: boolean) {
    const rng = new TestRng(seed);
    const init = [rng.floats(15), rng.floats(6), rng.floats(2), rng.floats(4)];
    const w1 = new Parameter(be, 5, 3, init[0], 5e-4);
    const w2 = new Parameter(be, 3, 2, init[1], 0);
    const b = new Parameter(be, 1, 2, init[2], 0);
    const unused = new Parameter(be, 2, 2, init[3], 0);
    const params = [w1, w2, b, unused];
    // Reading a value first places a parameter on its own: the optimizer then updates it alone.
    if (!packed) for (const p of params) void p.value;
    const adam = new Adam(be, params, 0.01);
    const x = new Var(be.tensor(4, 5, rng.floats(20)), false);
    const seeds = Array.from({ length: 3 }, () => rng.floats(2));
    const step = (s: number, broadcastMul: boolean) => {
      const tape = new Tape(be);
      let y = matmul(tape, matmul(tape, x, w1), w2);
      y = binary(tape, broadcastMul ? 'mul' : 'add', y, b);
      const out = sum(tape, y, 'rows');
      out.grad = be.tensor(1, 2, seeds[s]);
      tape.runBackward();
      adam.update();
      tape.release();
    };
    return { params, init, step };
  }

  it('matches the per-parameter kernel bit for bit, skips a parameter without a gradient, and steps in one call', async () => {
    const a = counting(), b = counting();
    const packed = build(a.be, 3, true), alone = build(b.be, 3, false);
    for (let s = 0; s < 3; s++) {
      packed.step(s, s === 1);
      alone.step(s, s === 1);
    }
    for (let k = 0; k < packed.params.length; k++) {
      expect(Array.from(await a.be.read(packed.params[k].value)), `parameter ${k}`).toEqual(Array.from(await b.be.read(alone.params[k].value)));
    }
    expect(a.calls.get('adamPacked')).toBe(3);
    expect(a.calls.get('adam') ?? 0).toBe(0);
    expect(b.calls.get('adam')).toBe(9); // three parameters with a gradient, three steps
    expect(b.calls.get('adamPacked') ?? 0).toBe(0);
    expect(Array.from(await a.be.read(packed.params[3].value))).toEqual(Array.from(packed.init[3]));
    for (const p of packed.params) expect(p.grad).toBeNull();
  });

  it('gradients land in the packed buffer: no copy when each parameter gets one gradient', () => {
    const a = counting();
    const net = build(a.be, 5, true);
    net.step(0, false);
    net.step(1, true); // b's gradient summed down from mul's broadcast, into its window
    expect(a.calls.get('copy') ?? 0).toBe(0);
  });

  it('a parameter whose gradient is accumulated twice gets the sum, at the cost of one copy', async () => {
    const w0 = new TestRng(11).floats(9);
    const run = async (packed: boolean) => {
      const { be, calls } = counting();
      const w = new Parameter(be, 3, 3, w0, 0.01);
      if (!packed) void w.value;
      const adam = new Adam(be, [w], 0.01);
      const x = new Var(be.tensor(2, 3, new Float32Array([1, 2, 3, -1, 0.5, 2])), false);
      const tape = new Tape(be);
      // w feeds three products: backward sums three gradients.
      const y = binary(tape, 'add', matmul(tape, x, w), matmul(tape, matmul(tape, x, w), w));
      const out = sum(tape, sum(tape, y, 'rows'), 'cols');
      out.grad = be.tensor(1, 1, new Float32Array([1]));
      tape.runBackward();
      const grad = await be.read(w.grad!);
      adam.update();
      tape.release();
      return { value: await be.read(w.value), grad, copies: calls.get('copy') ?? 0 };
    };
    const packed = await run(true), alone = await run(false);
    expect(Array.from(packed.grad)).toEqual(Array.from(alone.grad));
    expect(Array.from(packed.value)).toEqual(Array.from(alone.value));
    expect(Array.from(packed.value)).not.toEqual(Array.from(w0));
    expect(packed.copies).toBe(1);
    expect(alone.copies).toBe(0);
  });
});

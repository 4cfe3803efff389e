/**
 * Adam over packed parameters on WebGPU (shaders/adam_packed.wgsl): one dispatch a step, the
 * same bits as the per-parameter kernel, close to the CPU reference; windows of a packed buffer
 * read, written and bound at their offsets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdamParams, AdamRun, Backend, PackedTensors, Tensor } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { biasAct, matmul } from '../../src/engine/ops';
import { Adam, Parameter } from '../../src/engine/optim';
import { binary, sum } from '../../src/engine/pointwiseOps';
import { Tape, Var } from '../../src/engine/tape';
import { openGpu } from '../../src/gpu/context';
import { GpuBackend } from '../../src/gpu/gpuBackend';
import { viteShaderSources } from '../../src/gpu/shaders.vite';
import { expectBitEqual, expectClose } from '../helpers/compare';
import { TestRng } from '../helpers/random';

let gpu: GpuBackend;
const cpu = new CpuBackend();

beforeAll(async () => {
  gpu = await GpuBackend.create(await openGpu(navigator.gpu), viteShaderSources);
});

afterAll(() => gpu?.destroy());

const shapes: [number, number][] = [[3, 7], [1, 5], [64, 16], [1, 1]];
const decays = [5e-4, 5e-4, 0, 0.1];
const STEPS = 6;
const hyper = (step: number): AdamParams => ({ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step });

describe('adamPacked', () => {
  const rng = new TestRng(2024);
  const init = shapes.map(([r, c]) => rng.floats(r * c));
  const grads = Array.from({ length: STEPS }, () => shapes.map(([r, c]) => rng.floats(r * c)));
  /** Parameter 1 gets no gradient at step 3, so the runs change between steps. */
  const skipped = (s: number, k: number) => s === 2 && k === 1;

  function packedRun(be: Backend): { P: PackedTensors; M: PackedTensors; V: PackedTensors; perStep: number[] } {
    const P = be.packTensors(shapes, init), G = be.packTensors(shapes), M = be.packTensors(shapes), V = be.packTensors(shapes);
    const perStep: number[] = [];
    for (let s = 0; s < STEPS; s++) {
      const runs: AdamRun[] = [];
      shapes.forEach(([r, c], k) => {
        if (skipped(s, k)) return;
        const g = be.tensor(r, c, grads[s][k]);
        be.copy(g, G.tensors[k]);
        runs.push({ offset: G.offsets[k], length: r * c, weightDecay: decays[k] });
      });
      const before = be === gpu ? gpu.launches('adamPacked') : 0;
      be.adamPacked(P, G, M, V, runs, hyper(s + 1));
      if (be === gpu) perStep.push(gpu.launches('adamPacked') - before);
      be.submit();
    }
    return { P, M, V, perStep };
  }

  function perParameter(be: Backend): { p: Tensor; m: Tensor; v: Tensor }[] {
    const own = shapes.map(([r, c], k) => ({
      p: be.tensor(r, c, init[k]), m: be.tensor(r, c, new Float32Array(r * c)), v: be.tensor(r, c, new Float32Array(r * c)),
    }));
    for (let s = 0; s < STEPS; s++) {
      shapes.forEach(([r, c], k) => {
        if (!skipped(s, k)) be.adam(own[k].p, be.tensor(r, c, grads[s][k]), own[k].m, own[k].v, { ...hyper(s + 1), weightDecay: decays[k] });
      });
      be.submit();
    }
    return own;
  }

  it(`${STEPS} steps over ${shapes.map((s) => s.join('x')).join(', ')} with three weight decays: one dispatch a step, the per-parameter kernel's bits, the CPU's values`, async () => {
    const packed = packedRun(gpu);
    expect(packed.perStep).toEqual(Array(STEPS).fill(1));
    const own = perParameter(gpu);
    const onCpu = packedRun(cpu);
    for (let k = 0; k < shapes.length; k++) {
      const [p, m, v] = await Promise.all([packed.P, packed.M, packed.V].map((g) => gpu.read(g.tensors[k])));
      expectBitEqual(p, await gpu.read(own[k].p), `param ${k} against adam.wgsl`);
      expectBitEqual(m, await gpu.read(own[k].m), `m ${k} against adam.wgsl`);
      expectBitEqual(v, await gpu.read(own[k].v), `v ${k} against adam.wgsl`);
      // As kernels.browser.test.ts's adam: 1 - beta1 and 1 - beta2 come from the host in f64.
      expectClose(v, await cpu.read(onCpu.V.tensors[k]), 2e-6, 1e-12, `v ${k} against the CPU`);
      expectClose(m, await cpu.read(onCpu.M.tensors[k]), 1e-5, 1e-7, `m ${k} against the CPU`);
      expectClose(p, await cpu.read(onCpu.P.tensors[k]), 1e-5, 1e-4 * 0.01 * STEPS, `param ${k} against the CPU`);
      // It moved (the skipped step aside), by about lr a step.
      expect(Math.max(...Array.from(p, (x, i) => Math.abs(x - init[k][i])))).toBeGreaterThan(0.02);
    }
    for (const g of [packed.P, packed.M, packed.V]) gpu.releasePacked(g);
  });

  it('windows are read, written and bound at their offsets, their neighbours untouched', async () => {
    const P = gpu.packTensors(shapes, init);
    for (let k = 0; k < shapes.length; k++) expectBitEqual(await gpu.read(P.tensors[k]), init[k], `window ${k}`);
    // A kernel writes one window and reads another of a second group.
    const Q = gpu.packTensors(shapes);
    gpu.scale(P.tensors[2], 2, 1, Q.tensors[2]);
    // Two read-only bindings of one window: row 0 of the [3, 7] times itself, into the 1x1.
    gpu.gemm(P.tensors[0], P.tensors[0], Q.tensors[3], false, true);
    let dot = 0;
    for (let t = 0; t < 7; t++) dot = Math.fround(dot + Math.fround(init[0][t] * init[0][t]));
    expectClose(await gpu.read(Q.tensors[3]), [dot], 1e-6, 1e-7, 'gemm of a window with itself');
    const doubled = await gpu.read(Q.tensors[2]);
    expectBitEqual(doubled, Float32Array.from(init[2], (x) => Math.fround(2 * x + 1)), 'scale into a window');
    expect(Array.from(await gpu.readRows(P.tensors[2], 5, 2))).toEqual(Array.from(init[2].subarray(5 * 16, 7 * 16)));
    // The neighbours of the written window are untouched.
    expect(Array.from(await gpu.read(Q.tensors[1]))).toEqual([0, 0, 0, 0, 0]);
    gpu.releasePacked(P);
    gpu.releasePacked(Q);
  });
});

describe('Adam on packed parameters, end to end', () => {
  /** x W1 -> bias, relu -> * att (broadcast) -> W2, summed; five parameters, two decays. */
  function net(be: Backend, packed: boolean) {
    const rng = new TestRng(77);
    const w1 = new Parameter(be, 9, 64, rng.floats(9 * 64, -0.3, 0.3), 5e-4);
    const b1 = new Parameter(be, 1, 64, rng.floats(64, -0.1, 0.1), 5e-4);
    const att = new Parameter(be, 1, 64, rng.floats(64), 0);
    const w2 = new Parameter(be, 64, 3, rng.floats(64 * 3, -0.3, 0.3), 0);
    const one = new Parameter(be, 1, 1, new Float32Array([0.5]), 0);
    const params = [w1, b1, att, w2, one];
    if (!packed) for (const p of params) void p.value;
    const adam = new Adam(be, params, 0.01);
    const x = new Var(be.tensor(40, 9, rng.floats(40 * 9)), false);
    const seed = be.tensor(1, 3, new Float32Array([1, -0.5, 0.25]));
    const gradNorms: Float32Array[] = [];
    const step = async (): Promise<void> => {
      const tape = new Tape(be);
      const h = biasAct(tape, matmul(tape, x, w1), b1, 'relu');
      const y = matmul(tape, binary(tape, 'mul', binary(tape, 'mul', h, att), one), w2);
      const out = sum(tape, y, 'rows');
      out.grad = tape.temp(1, 3);
      be.copy(seed, out.grad);
      tape.runBackward();
      // What layerProbe reads: the gradient after backward, before the step.
      gradNorms.push(await be.read(w2.grad!));
      adam.update();
      tape.release();
      be.submit();
    };
    return { params, step, gradNorms };
  }

  it('5 steps: one adamPacked dispatch and no copies a step, the per-parameter bits, the CPU within 1e-5', async () => {
    const packed = net(gpu, true);
    const counts: number[][] = [];
    for (let s = 0; s < 5; s++) {
      const before = [gpu.launches('adamPacked'), gpu.launches('adam'), gpu.launches('copy')];
      await packed.step();
      counts.push([gpu.launches('adamPacked'), gpu.launches('adam'), gpu.launches('copy')].map((n, i) => n - before[i]));
    }
    // One copy a step seeds the output gradient; none moves a parameter's gradient.
    expect(counts).toEqual(Array(5).fill([1, 0, 1]));
    const alone = net(gpu, false);
    for (let s = 0; s < 5; s++) await alone.step();
    const onCpu = net(cpu, true);
    for (let s = 0; s < 5; s++) await onCpu.step();
    for (let k = 0; k < packed.params.length; k++) {
      const p = await gpu.read(packed.params[k].value);
      expectBitEqual(p, await gpu.read(alone.params[k].value), `parameter ${k}: packed against per-parameter`);
      expectClose(p, await cpu.read(onCpu.params[k].value), 1e-5, 1e-5, `parameter ${k}: GPU against CPU`);
    }
    for (let s = 0; s < 5; s++) expectClose(packed.gradNorms[s], onCpu.gradNorms[s], 1e-4, 1e-6, `W2 gradient, step ${s + 1}`);
  });
});

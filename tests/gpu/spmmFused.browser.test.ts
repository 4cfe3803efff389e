/**
 * spmm fused with bias, activation and dropout (Backend.spmmBiasAct) under every schedule
 * (element: spmm.wgsl's `fused`; row and row4: the EPI variants of gspmm_rows(4).wgsl; balanced:
 * those plus the fused merge for split rows). On the GPU it must give the bits of the same
 * schedule's spmm followed by biasAct and dropout, and it must agree with the CPU reference
 * (exactly where no transcendental function or split-row sum is involved). The GCN forward
 * and gradients with fusion must equal those without, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import type { Activation, SparseMatrix, Tensor } from '../../src/engine/backend';
import { nllLoss } from '../../src/engine/ops';
import { dropoutKey } from '../../src/engine/rng';
import { Tape, Var } from '../../src/engine/tape';
import type { GpuBackend } from '../../src/gpu/gpuBackend';
import { type GspmmSchedule, scheduleName } from '../../src/gpu/spmmSchedule';
import type { GpuSparse } from '../../src/gpu/tensor';
import { csrFromCoo, transposeCsr } from '../../src/graph/csr';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import type { Csr } from '../../src/graph/types';
import { GcnConv } from '../../src/models/layers/gcnConv';
import { NodeNet } from '../../src/models/nodeNet';
import { nodeRecipe } from '../../src/models/spec';
import { DeviceGraph } from '../../src/train/deviceGraph';
import { backendPair } from '../helpers/backendPair';
import { expectBitEqual, expectClose, expectExact, maxAbs } from '../helpers/compare';
import { randomCsr, TestRng } from '../helpers/random';

const p = backendPair();

const activations: Activation[] = ['none', 'relu', 'leaky_relu', 'elu', 'tanh', 'sigmoid'];
const exactActs = new Set<Activation>(['none', 'relu', 'leaky_relu']);
const CHUNK = 64;
const PROB = 0.3;

function schedulesFor(w: number): GspmmSchedule[] {
  const out: GspmmSchedule[] = [
    { kind: 'element' }, { kind: 'row', vec4: false, rowsPerGroup: 1 }, { kind: 'row', vec4: false, rowsPerGroup: 3 },
    { kind: 'balanced', vec4: false, chunk: CHUNK, block: 16 },
  ];
  if (w % 4 === 0) out.push({ kind: 'row', vec4: true, rowsPerGroup: 5 }, { kind: 'balanced', vec4: true, chunk: CHUNK, block: 40 });
  return out;
}

/** A hub row (7) holding 2600 of 3000 entries (41 chunks of 64); other rows get a few or none. */
function hubCsr(rng: TestRng): Csr {
  const rows: number[] = [], cols: number[] = [], vals: number[] = [];
  for (let k = 0; k < 3000; k++) {
    rows.push(k < 2600 ? 7 : rng.int(90));
    cols.push(rng.int(70));
    vals.push(rng.uniform(-0.1, 0.1));
  }
  return csrFromCoo(90, 70, rows, cols, vals);
}

function structures(rng: TestRng): [string, Csr][] {
  const a = randomCsr(rng, 50, 30, { maxPerRow: 7, emptyRows: [0, 6, 49] });
  const hub = hubCsr(rng);
  return [['random 50x30 with empty rows', a], ['its transpose (perm)', transposeCsr(a)], ['hub row', hub], ['empty 4x3', csrFromCoo(4, 3, [], [], [])]];
}

/** Whether the schedule splits a row into chunks (then its sum may round apart from the CPU's). */
const splitRows = (csr: Csr, s: GspmmSchedule): boolean =>
  s.kind === 'balanced' && Array.from({ length: csr.rows }, (_, r) => csr.indptr[r + 1] - csr.indptr[r]).some((n) => n > s.chunk);

const gamma = (m: number) => (m * 2 ** -24) / (1 - m * 2 ** -24);

/**
 * Per element: the balanced schedule's two-level summation bound for a split row (see
 * spmmSchedule.ts), which the activations (slopes at most 1) do not enlarge, plus a few ulps.
 */
function tolerance(csr: Csr, s: GspmmSchedule, x: Float32Array, values: boolean, w: number, y: Float32Array): Float64Array {
  const tol = new Float64Array(csr.rows * w);
  for (let r = 0; r < csr.rows; r++) {
    const n = csr.indptr[r + 1] - csr.indptr[r];
    const split = s.kind === 'balanced' && n > s.chunk;
    for (let c = 0; c < w; c++) {
      let t = 8 * 2 ** -24 * (Math.abs(y[r * w + c]) + 1);
      if (split) {
        let sum = 0;
        for (let k = csr.indptr[r]; k < csr.indptr[r + 1]; k++) sum += Math.abs((values ? csr.values![k] : 1) * x[csr.indices[k] * w + c]);
        t += (gamma(n - 1) + gamma(s.chunk + Math.ceil(n / s.chunk) - 2)) * sum;
      }
      tol[r * w + c] = t;
    }
  }
  return tol;
}

describe('spmmBiasAct under every schedule', () => {
  it('equals spmm -> biasAct -> dropout on the GPU bit for bit, and the CPU reference', async () => {
    const rng = p.rng;
    const gpu: GpuBackend = p.gpu;
    const key = dropoutKey(5, 1001);
    let cases = 0;
    for (const [name, csr] of structures(rng)) {
      for (const w of [1, 3, 4, 5, 16, 17, 64, 100]) {
        for (const withValues of [true, false]) {
          const x = rng.floats(csr.cols * w), bias = rng.floats(w, -0.5, 0.5);
          const acts = w === 5 || w === 16 || name === 'hub row' ? activations : (['relu', 'none', 'tanh'] as Activation[]);
          // CPU: the reference fused op.
          const cpuA: SparseMatrix = { structure: p.cpu.sparse(csr), values: withValues ? p.cpu.tensor(csr.indices.length, 1, csr.values!) : null };
          const cX = p.cpu.tensor(csr.cols, w, x), cB = p.cpu.tensor(1, w, bias);
          const want = new Map<Activation, [Float32Array, Float32Array]>();
          for (const act of acts) {
            const y = p.cpu.tensor(csr.rows, w), d = p.cpu.tensor(csr.rows, w);
            p.cpu.spmmBiasAct(cpuA, cX, cB, act, y, { prob: PROB, key, out: d });
            want.set(act, [await p.cpu.read(y), await p.cpu.read(d)]);
          }
          // GPU: fused without and with dropout, and the unfused sequence, per schedule.
          const gA: SparseMatrix = { structure: p.S(gpu, csr), values: withValues ? p.T(gpu, csr.indices.length, 1, csr.values!) : null };
          const gX = p.T(gpu, csr.cols, w, x), gB = p.T(gpu, 1, w, bias);
          const runs: { s: GspmmSchedule; act: Activation; t: Tensor[] }[] = [];
          for (const s of schedulesFor(w)) {
            for (const act of acts) {
              const [y0, y1, d1, sum, y2, d2] = Array.from({ length: 6 }, () => p.nanOut(gpu, csr.rows, w));
              gpu.spmmBiasActWith(s, gA, gX, gB, act, y0, null);
              gpu.spmmBiasActWith(s, gA, gX, gB, act, y1, { prob: PROB, key, out: d1 });
              gpu.spmmWith(s, gA, gX, sum);
              gpu.biasAct(sum, gB, act, y2);
              gpu.dropout(y2, PROB, key, d2);
              runs.push({ s, act, t: [y0, y1, d1, y2, d2] });
            }
          }
          for (const { s, act, t } of runs) {
            const [y0, y1, d1, y2, d2] = await Promise.all(t.map((v) => gpu.read(v)));
            const what = `${name} width ${w}${withValues ? '' : ' ones'} ${act} [${scheduleName(s)}]`;
            expectBitEqual(y0, y2, `${what}: fused y vs unfused`);
            expectBitEqual(y1, y2, `${what}: fused y (with dropout) vs unfused`);
            expectBitEqual(d1, d2, `${what}: fused dropout vs unfused`);
            const [cy, cd] = want.get(act)!;
            if (exactActs.has(act) && !splitRows(csr, s)) {
              expectExact(y1, cy, `${what}: y vs CPU`);
              expectExact(d1, cd, `${what}: dropped vs CPU`);
            } else {
              const tol = tolerance(csr, s, x, withValues, w, cy);
              expectClose(y1, cy, 0, tol, `${what}: y vs CPU`);
              expectClose(d1, cd, 0, tol.map((t) => t / (1 - PROB)), `${what}: dropped vs CPU`);
            }
            // The mask is the dropout kernel's: zero exactly where the CPU's is (or y is 0).
            for (let i = 0; i < cd.length; i++) if ((cd[i] === 0) !== (d1[i] === 0) && cy[i] !== 0 && y1[i] !== 0) throw new Error(`${what}: mask differs at ${i}`);
            cases++;
          }
          await p.both(() => []); // releases this case's GPU tensors
        }
      }
    }
    expect(cases).toBeGreaterThan(500);
  });

  it('rejects a dropped output that is the output itself, and a bias of the wrong width', () => {
    const gpu = p.gpu;
    const s = gpu.sparse(csrFromCoo(2, 2, [0, 1], [1, 0]));
    const x = gpu.tensor(2, 4), out = gpu.tensor(2, 4), b = gpu.tensor(1, 4), b3 = gpu.tensor(1, 3);
    expect(() => gpu.spmmBiasAct({ structure: s, values: null }, x, b, 'relu', out, { prob: 0.5, key: 1, out })).toThrow(/apart/);
    expect(() => gpu.spmmBiasAct({ structure: s, values: null }, x, b3, 'relu', out, null)).toThrow(/bias/);
    for (const t of [x, out, b, b3]) gpu.release(t);
    gpu.releaseSparse(s);
  });
});

describe('GCN with the fused propagation', () => {
  it('gives the unfused forward (hidden layers, logits) and gradients bit for bit on the GPU, under each schedule', async () => {
    const karate = parseGraphJson(await (await fetch('/datasets/karate.json')).text());
    const gpu = p.gpu;
    // Karate's hubs (degrees up to 18 with self loops) split into chunks of 4 under this balanced schedule.
    const forced: (GspmmSchedule | null)[] = [null, { kind: 'row', vec4: true, rowsPerGroup: 2 }, { kind: 'row', vec4: false, rowsPerGroup: 3 },
      { kind: 'balanced', vec4: true, chunk: 4, block: 8 }, { kind: 'balanced', vec4: false, chunk: 4, block: 8 }];
    for (const sched of forced) {
      for (const spec of [{ ...nodeRecipe('gcn').spec, layers: 3, hidden: 16 }, { ...nodeRecipe('gcn').spec, layers: 3, hidden: 13, activation: 'elu' as const, jk: 'cat' as const }]) {
        const results: Float32Array[][] = [];
        for (const fused of [true, false]) {
          GcnConv.fused = fused;
          try {
            const data = new DeviceGraph(gpu, karate, true);
            if (sched) {
              const adj = data.ctx.gcn(spec.selfLoops, spec.norm);
              for (const st of [adj.a.structure, adj.aT.structure]) for (const wd of [spec.hidden, 2]) (st as GpuSparse).schedules.set(wd, sched.kind !== 'element' && sched.vec4 && wd % 4 !== 0 ? { ...sched, vec4: false } : sched);
            }
            if (!('dense' in data.features)) throw new Error('dense features expected');
            const model = new NodeNet(gpu, spec, { inDim: data.features.dense.cols, classes: 2, relations: 1 }, 7);
            // Biases start at zero: give them values, the same in both runs, so that their column matters.
            const brng = new TestRng(3);
            for (const conv of model.stack.convs) gpu.copy(gpu.tensor(1, conv.outDim, brng.floats(conv.outDim, -0.2, 0.2)), (conv as GcnConv).bias.value);
            const tape = new Tape(gpu);
            const { logits, layers } = model.forwardLayers(tape, data.ctx, { dense: new Var(data.features.dense, false) }, true, 4);
            const metrics = gpu.tensor(1, 4);
            nllLoss(tape, logits, { labels: data.labels, splitOf: data.splitOf, maskBit: 1, count: data.splitSizes[0] }, metrics, 0);
            tape.runBackward();
            const out: Float32Array[] = [];
            for (const v of layers) out.push(await gpu.read(v.value));
            for (const q of model.parameters) out.push(await gpu.read(q.grad!));
            results.push(out);
            tape.release();
          } finally {
            GcnConv.fused = true;
          }
        }
        const what = `${spec.activation} ${spec.jk} [${sched ? scheduleName(sched) : 'auto'}]`;
        expect(results[0].length).toBe(results[1].length);
        results[0].forEach((a, i) => expectBitEqual(a, results[1][i], `${what}: output ${i}`));
        expect(maxAbs(results[0][results[0].length - 1])).toBeGreaterThan(0);
      }
    }
  });
});

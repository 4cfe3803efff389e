/**
 * The g-SpMM schedules (src/gpu/spmmSchedule.ts) against the CPU reference: per-element
 * (shaders/gspmm.wgsl), row-parallel with scalar and vec4 lanes (gspmm_rows(4).wgsl, mode 0) and
 * nonzero-balanced (chunks of long rows into scratch, then a merge). Every message and reducer,
 * widths 1 to 64 (and two that need several column blocks), empty rows, a hub row holding most
 * entries, transposes (perm), ties for max / min. Row-parallel results must equal the
 * per-element kernel's bit for bit (and so the CPU's); balanced is exact for max / min and for
 * rows of at most one chunk, and within the documented two-level summation bound for the sums
 * of split rows. Every schedule must give the same bits when run again.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, Message, Reducer, Tensor } from '../../src/engine/backend';
import { openGpu } from '../../src/gpu/context';
import { GpuKernelError } from '../../src/gpu/errors';
import { GpuBackend } from '../../src/gpu/gpuBackend';
import { viteShaderSources } from '../../src/gpu/shaders.vite';
import { chooseGspmmSchedule, degreeStats, type GspmmSchedule, scheduleName } from '../../src/gpu/spmmSchedule';
import { csrFromCoo, transposeCsr } from '../../src/graph/csr';
import type { Csr } from '../../src/graph/types';
import { backendPair } from '../helpers/backendPair';
import { expectBitEqual, expectClose, expectExact } from '../helpers/compare';
import { randomCsr, type TestRng } from '../helpers/random';

const p = backendPair();

const messages: Message[] = ['copy_u', 'u_mul_e', 'copy_e', 'u_add_e'];
const reducers: Reducer[] = ['sum', 'mean', 'max', 'min'];
const widths = [1, 3, 4, 5, 16, 17, 64];
/** u_mul_e heads per width: one, one per column (more than the 8 staged), and between (heads not aligned to vec4). */
const headsOf: Record<number, number[]> = { 1: [1], 3: [1, 3], 4: [1, 2, 4], 5: [1, 5], 16: [1, 8, 16], 17: [1, 17], 64: [1, 4, 64] };
/** A short chunk so the small test structures do split (the chooser picks 256 to 4096). */
const CHUNK = 64;

/** Row runs of 1 and several rows per group; balanced with runs of short rows of up to 16 or 40 entries. */
function schedulesFor(w: number): GspmmSchedule[] {
  const out: GspmmSchedule[] = [
    { kind: 'element' }, { kind: 'row', vec4: false, rowsPerGroup: 1 }, { kind: 'row', vec4: false, rowsPerGroup: 3 },
    { kind: 'balanced', vec4: false, chunk: CHUNK, block: 16 },
  ];
  if (w % 4 === 0) out.push({ kind: 'row', vec4: true, rowsPerGroup: 1 }, { kind: 'row', vec4: true, rowsPerGroup: 7 }, { kind: 'balanced', vec4: true, chunk: CHUNK, block: 40 });
  return out;
}

function intFloats(rng: TestRng, n: number, lo: number, hi: number): Float32Array {
  return Float32Array.from({ length: n }, () => lo + rng.int(hi - lo + 1));
}

/** A hub row (7) holding 2600 of 3000 entries; other rows get a few or none. */
function hubCsr(rng: TestRng): Csr {
  const rows: number[] = [], cols: number[] = [];
  for (let k = 0; k < 3000; k++) {
    rows.push(k < 2600 ? 7 : rng.int(90));
    cols.push(rng.int(70));
  }
  return csrFromCoo(90, 70, rows, cols);
}

/** Rows whose lengths sit around the chunk boundaries: 0, 1, C - 1, C, C + 1, 2C, 2C + 1, 3C + 5. */
function boundaryCsr(rng: TestRng): Csr {
  const lengths = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 1, 0, 3 * CHUNK + 5];
  const rows: number[] = [], cols: number[] = [];
  lengths.forEach((n, r) => {
    for (let k = 0; k < n; k++) {
      rows.push(r);
      cols.push(rng.int(40));
    }
  });
  return csrFromCoo(lengths.length, 40, rows, cols);
}

function structures(rng: TestRng): [string, Csr][] {
  const a = randomCsr(rng, 50, 30, { maxPerRow: 7, emptyRows: [0, 6, 49], values: false });
  const hub = hubCsr(rng);
  return [
    ['random 50x30 with empty rows', a], ['its transpose', transposeCsr(a)],
    ['hub row', hub], ['hub column (transpose)', transposeCsr(hub)],
    ['chunk boundaries', boundaryCsr(rng)], ['empty 4x3', csrFromCoo(4, 3, [], [])],
  ];
}

/** The f32 messages of row r at column c, as the CPU forms them. */
function messagesOf(csr: Csr, msg: Message, w: number, eCols: number, x: Float32Array | null, e: Float32Array | null, r: number, c: number): number[] {
  const out: number[] = [];
  const hw = msg === 'u_mul_e' ? w / eCols : 1;
  for (let k = csr.indptr[r]; k < csr.indptr[r + 1]; k++) {
    const id = csr.perm ? csr.perm[k] : k;
    if (msg === 'copy_e') out.push(e![id * w + c]);
    else {
      const xv = x![csr.indices[k] * w + c];
      if (msg === 'copy_u') out.push(xv);
      else if (msg === 'u_mul_e') out.push(Math.fround(xv * e![id * eCols + Math.floor(c / hw)]));
      else out.push(Math.fround(xv + e![id * w + c]));
    }
  }
  return out;
}

const gamma = (m: number) => (m * 2 ** -24) / (1 - m * 2 ** -24);

/**
 * Per-element tolerance of a balanced sum / mean against the sequential CPU sum: 0 for rows of
 * at most `chunk` entries, else (gamma(n - 1) + gamma(chunk + slots - 2)) * sum |m| (mean: over n,
 * plus an ulp of the quotient).
 */
function balancedTolerance(csr: Csr, msg: Message, reduce: Reducer, w: number, eCols: number, x: Float32Array | null, e: Float32Array | null, chunk: number, cpu: Float32Array): Float64Array {
  const tol = new Float64Array(csr.rows * w);
  for (let r = 0; r < csr.rows; r++) {
    const n = csr.indptr[r + 1] - csr.indptr[r];
    if (n <= chunk) continue;
    const slots = Math.ceil(n / chunk);
    for (let c = 0; c < w; c++) {
      const s = messagesOf(csr, msg, w, eCols, x, e, r, c).reduce((a, m) => a + Math.abs(m), 0);
      let t = (gamma(n - 1) + gamma(chunk + slots - 2)) * s;
      if (reduce === 'mean') t = (t / n) * (1 + 2 ** -23) + 2 ** -23 * Math.abs(cpu[r * w + c]);
      tol[r * w + c] = t;
    }
  }
  return tol;
}

interface Case {
  csr: Csr; msg: Message; reduce: Reducer; w: number; eCols: number; x: Float32Array | null; e: Float32Array | null;
}

/** One case on the CPU, then on the GPU under every schedule (twice each: `repeat`), one readback. */
async function runCase(c: Case, schedules: GspmmSchedule[]) {
  const extreme = c.reduce === 'max' || c.reduce === 'min';
  const nnz = c.csr.indices.length;
  const launch = (be: Backend, sched: GspmmSchedule | null): Tensor[] => {
    const out = p.nanOut(be, c.csr.rows, c.w);
    const arg = extreme ? p.intOut(be, c.csr.rows, c.w) : null;
    const a = p.S(be, c.csr), x = c.x && p.T(be, c.csr.cols, c.w, c.x), e = c.e && p.T(be, nnz, c.eCols, c.e);
    if (sched) p.gpu.gspmmWith(sched, a, c.msg, c.reduce, x, e, out, arg);
    else be.gspmm(a, c.msg, c.reduce, x, e, out, arg);
    return arg ? [out, arg] : [out];
  };
  const [gpuAll, cpu] = await p.both((be) => (be === p.cpu ? launch(be, null) : schedules.flatMap((s) => [...launch(be, s), ...launch(be, s)])));
  const per = extreme ? 4 : 2;
  return {
    cpu: cpu as [Float32Array, Int32Array?],
    gpu: schedules.map((_, i) => {
      const g = gpuAll.slice(i * per, (i + 1) * per);
      return extreme ? { out: g[0] as Float32Array, arg: g[1] as Int32Array, out2: g[2] as Float32Array, arg2: g[3] as Int32Array }
        : { out: g[0] as Float32Array, arg: null, out2: g[1] as Float32Array, arg2: null };
    }),
  };
}

function check(c: Case, schedules: GspmmSchedule[], r: Awaited<ReturnType<typeof runCase>>, what: string, exactInputs: boolean): void {
  const extreme = c.reduce === 'max' || c.reduce === 'min';
  const element = r.gpu[0];
  schedules.forEach((s, i) => {
    const g = r.gpu[i], name = `${what} [${scheduleName(s)}]`;
    // Run to run: bit-identical.
    expectBitEqual(g.out2, g.out, `${name}: repeat out`);
    if (extreme) expect(Array.from(g.arg2!), `${name}: repeat arg`).toEqual(Array.from(g.arg!));
    if (extreme) expectExact(g.arg!, r.cpu[1]!, `${name}: arg`);
    if (s.kind === 'balanced' && !extreme && !exactInputs) {
      const tol = balancedTolerance(c.csr, c.msg, c.reduce, c.w, c.eCols, c.x, c.e, s.chunk, r.cpu[0]);
      expectClose(g.out, r.cpu[0], 0, tol, `${name}: out`);
    } else {
      expectExact(g.out, r.cpu[0], `${name}: out`);
      // The row kernels gather in the per-element kernel's order: the same bits, signs of zero too.
      if (s.kind === 'row' || (s.kind === 'balanced' && extreme)) expectBitEqual(g.out, element.out, `${name}: out vs element`);
    }
  });
}

describe('g-SpMM schedules against the CPU reference', () => {
  for (const msg of messages) {
    for (const reduce of reducers) {
      it(`${msg} ${reduce}: every schedule, structure and width; integer (tied) and real inputs`, async () => {
        const rng = p.rng;
        for (const [name, csr] of structures(rng)) {
          for (const w of widths) {
            const eColsList = msg === 'u_mul_e' ? headsOf[w] : [msg === 'copy_u' ? 1 : w];
            for (const eCols of eColsList) {
              for (const ints of [true, false]) {
                const gen = (n: number) => (ints ? intFloats(rng, n, -3, 3) : rng.floats(n, -2, 2));
                const c: Case = {
                  csr, msg, reduce, w, eCols,
                  x: msg === 'copy_e' ? null : gen(csr.cols * w),
                  e: msg === 'copy_u' ? null : gen(csr.indices.length * eCols),
                };
                const scheds = schedulesFor(w);
                check(c, scheds, await runCase(c, scheds), `${name} width ${w} e cols ${eCols}${ints ? ' (integers)' : ''}`, ints);
              }
            }
          }
        }
      });
    }
  }

  it('widths past 64 lanes (several column blocks): 100 scalar, 264 vec4', async () => {
    const rng = p.rng;
    const hub = hubCsr(rng), t = transposeCsr(hub);
    for (const [csr, name] of [[hub, 'hub row'], [t, 'hub column']] as const) {
      for (const w of [100, 264]) {
        for (const [msg, reduce, eCols] of [['copy_u', 'sum', 1], ['u_mul_e', 'max', 2], ['u_add_e', 'mean', w], ['copy_e', 'min', w]] as const) {
          const c: Case = {
            csr, msg, reduce, w, eCols,
            x: msg === 'copy_e' ? null : intFloats(rng, csr.cols * w, -3, 3),
            e: msg === 'copy_u' ? null : intFloats(rng, csr.indices.length * eCols, -3, 3),
          };
          const scheds = schedulesFor(w);
          check(c, scheds, await runCase(c, scheds), `${name} width ${w} ${msg} ${reduce}`, true);
        }
      }
    }
  });

  it('ties: the first entry in row order wins under every schedule, also across chunks', async () => {
    // Row 0: 200 entries all equal (ties everywhere, spanning 4 chunks of 64); row 1: the
    // maximum 5 first at entry 70 (chunk 2) and again at 150 (chunk 3); row 2 empty. Via a
    // transpose, so edge ids differ from positions.
    const r: number[] = [], cl: number[] = [];
    for (let k = 0; k < 200; k++) { r.push(0); cl.push(0); }
    for (let k = 0; k < 160; k++) { r.push(1); cl.push(k === 70 || k === 150 ? 2 : 1); }
    const fwd = csrFromCoo(3, 3, r, cl);
    const x = Float32Array.from([4, 1, 5]);
    for (const csr of [fwd, transposeCsr(transposeCsr(fwd))]) {
      expect(csr.indptr[1]).toBe(200);
      for (const reduce of ['max', 'min'] as const) {
        const c: Case = { csr, msg: 'copy_u', reduce, w: 4, eCols: 1, x: new Float32Array(12).map((_, i) => x[i >> 2]), e: null };
        const res = await runCase(c, schedulesFor(4));
        check(c, schedulesFor(4), res, `ties ${reduce}${csr.perm ? ' (perm)' : ''}`, true);
        // The first entry in stored order that reaches the row's extreme, as an edge id.
        const want = [0, 1, 2].map((row) => {
          let best = -1;
          for (let k = csr.indptr[row]; k < csr.indptr[row + 1]; k++) {
            const v = x[csr.indices[k]];
            if (best < 0 || (reduce === 'max' ? v > x[csr.indices[best]] : v < x[csr.indices[best]])) best = k;
          }
          return best < 0 ? -1 : csr.perm ? csr.perm[best] : best;
        });
        if (!csr.perm) expect(want).toEqual(reduce === 'max' ? [0, 270, -1] : [0, 200, -1]);
        for (const g of res.gpu) expect(Array.from(g.arg!).filter((_, i) => i % 4 === 0)).toEqual(want);
      }
    }
  });

  it('the automatic choice: element when small, row on a uniform graph, balanced on a hub (GPU rules); all agree with the CPU', async () => {
    // This adapter is SwiftShader, whose rules keep the per-element kernel at these sizes; a
    // second backend on its own device is told it is a GPU, to run the GPU rules' choices.
    expect(p.gpu.ctx.fallback).toBe(true);
    const asGpu = await GpuBackend.create({ ...(await openGpu(navigator.gpu)), fallback: false }, viteShaderSources);
    try {
      const rng = p.rng;
      const small = randomCsr(rng, 40, 40, { maxPerRow: 4, values: false });
      // 20000 rows of 8 random sources (160000 entries), and the same with one row holding 100000 more.
      const n = 20_000, rows: number[] = [], cols: number[] = [];
      for (let i = 0; i < n; i++) for (let k = 0; k < 8; k++) { rows.push(i); cols.push(rng.int(n)); }
      const uniform = csrFromCoo(n, n, rows, cols);
      for (let k = 0; k < 100_000; k++) { rows.push(123); cols.push(rng.int(n)); }
      const hub = csrFromCoo(n, n, rows, cols);
      const w = 16;
      for (const [csr, kind] of [[small, 'element'], [uniform, 'row'], [hub, 'balanced']] as [Csr, string][]) {
        const s = asGpu.sparse(csr), sw = p.gpu.sparse(csr);
        expect(asGpu.gspmmSchedule(s, w).kind, kind).toBe(kind);
        expect(asGpu.gspmmSchedule(s, 1).kind).toBe('element');
        expect(p.gpu.gspmmSchedule(sw, w)).toEqual(chooseGspmmSchedule(degreeStats(csr.indptr), w, { software: true }));
        p.gpu.releaseSparse(sw);
        const x = intFloats(rng, csr.cols * w, -3, 3);
        for (const reduce of ['sum', 'max'] as const) {
          const X = asGpu.tensor(csr.cols, w, x), out = asGpu.tensor(csr.rows, w, new Float32Array(csr.rows * w).fill(NaN));
          const arg = reduce === 'max' ? asGpu.intTensor(csr.rows, w, new Int32Array(csr.rows * w).fill(7)) : null;
          asGpu.gspmm(s, 'copy_u', reduce, X, null, out, arg);
          const cOut = p.cpu.tensor(csr.rows, w), cArg = arg ? p.cpu.intTensor(csr.rows, w) : null;
          p.cpu.gspmm(p.cpu.sparse(csr), 'copy_u', reduce, p.cpu.tensor(csr.cols, w, x), null, cOut, cArg);
          expectExact(await asGpu.read(out), await p.cpu.read(cOut), `${kind} ${reduce} out`);
          if (arg) expectExact(await asGpu.readInts(arg), await p.cpu.readInts(cArg!), `${kind} max arg`);
          for (const t of [X, out, ...(arg ? [arg] : [])]) asGpu.release(t);
        }
        asGpu.releaseSparse(s);
      }
    } finally {
      asGpu.destroy();
    }
  });

  it('spmm through the row schedules gives the spmm kernel\'s bits (values, no values, perm)', async () => {
    const rng = p.rng;
    const hub = hubCsr(rng);
    const a = { ...hub, values: rng.floats(hub.indices.length) };
    for (const csr of [a, transposeCsr(a), randomCsr(rng, 50, 30, { maxPerRow: 7, emptyRows: [3] })]) {
      for (const w of [3, 16, 17]) {
        for (const withValues of [true, false]) {
          const x = rng.floats(csr.cols * w);
          const scheds = schedulesFor(w);
          const gpu = p.gpu;
          const vals = withValues ? gpu.tensor(csr.indices.length, 1, csr.values!) : null;
          const st = gpu.sparse(csr), X = gpu.tensor(csr.cols, w, x);
          const outs = scheds.map((s) => {
            const out = gpu.tensor(csr.rows, w, new Float32Array(csr.rows * w).fill(NaN));
            gpu.spmmWith(s, { structure: st, values: vals }, X, out);
            return out;
          });
          const got: Float32Array[] = [];
          for (const o of outs) got.push(await gpu.read(o));
          const cpuOut = p.cpu.tensor(csr.rows, w);
          p.cpu.spmm({ structure: p.cpu.sparse(csr), values: withValues ? p.cpu.tensor(csr.indices.length, 1, csr.values!) : null }, p.cpu.tensor(csr.cols, w, x), cpuOut);
          const want = await p.cpu.read(cpuOut);
          scheds.forEach((s, i) => {
            const what = `spmm ${scheduleName(s)} width ${w}${withValues ? '' : ' ones'}${csr.perm ? ' perm' : ''}`;
            if (s.kind === 'balanced') {
              const tol = balancedTolerance(csr, withValues ? 'u_mul_e' : 'copy_u', 'sum', w, 1, x, withValues ? csr.values! : null, s.chunk, want);
              expectClose(got[i], want, 0, tol, what);
            } else {
              expectBitEqual(got[i], got[0], what);
              expectExact(got[i], want, what);
            }
          });
          for (const t of [X, ...outs, ...(vals ? [vals] : [])]) gpu.release(t);
          gpu.releaseSparse(st);
        }
      }
    }
  });

  it('refuses vec4 lanes at a width that is not a multiple of 4', () => {
    const gpu = p.gpu;
    const s = gpu.sparse(csrFromCoo(2, 2, [0, 1], [1, 0]));
    const x = gpu.tensor(2, 6), out = gpu.tensor(2, 6);
    expect(() => gpu.gspmmWith({ kind: 'row', vec4: true, rowsPerGroup: 1 }, s, 'copy_u', 'sum', x, null, out, null)).toThrow(GpuKernelError);
    gpu.releaseSparse(s);
  });
});

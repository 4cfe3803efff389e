import type { Message, Reducer, SddmmOp, SparseStructure, Tensor } from '../engine/backend';
import { GpuKernelError } from './errors';
import { type FusedMessage, spmmKernel } from './kernels';
import type { Recorder } from './recorder';
import { type AdapterHints, chooseGspmmSchedule, chunkPlan, type GspmmSchedule, rowsLayout } from './spmmSchedule';
import { type Binding, bindingBuffer, bindingSize, buf, type DeviceChunkPlan, expectShape, fbits, GpuSparse, linear } from './tensor';

/**
 * Launchers of the message-passing kernels (shaders/gspmm.wgsl, sddmm.wgsl, edge_softmax.wgsl).
 * Shapes are checked here, on the host: a kernel indexing past a short binding gets clamped or
 * zero values instead of an error.
 */

/** What a launcher needs from the backend: the recorder, and a buffer to bind for an absent input. */
export interface Launch {
  readonly rec: Recorder;
  readonly dummy: GPUBuffer;
}

/**
 * What the scheduled g-SpMM launchers need besides: the device (a balanced schedule's plan and
 * scratch are made on first use), a writable placeholder (the unused scratch binding must not
 * alias the read-only `dummy`), the largest binding, and what the adapter is.
 */
export interface RowsLaunch extends Launch {
  readonly device: GPUDevice;
  readonly dummyRw: GPUBuffer;
  readonly maxBindingBytes: number;
  readonly hints: AdapterHints;
}

const structureOf = (a: SparseStructure): GpuSparse => a as GpuSparse;
const orDummy = (l: Launch, t: Tensor | null): Binding => (t ? buf(t) : l.dummy);

/** The schedule `gspmm` and `spmm` use for this structure at this width (chosen once, then cached). */
export function scheduleFor(l: RowsLaunch, a: SparseStructure, width: number): GspmmSchedule {
  const s = structureOf(a);
  let sched = s.schedules.get(width);
  if (!sched) {
    sched = s.stats ? chooseGspmmSchedule(s.stats, width, l.hints) : { kind: 'element' };
    s.schedules.set(width, sched);
  }
  return sched;
}

export function gspmm(
  l: RowsLaunch, a: SparseStructure, msg: Message, reduce: Reducer, x: Tensor | null, e: Tensor | null, out: Tensor, arg: Tensor | null,
  schedule?: GspmmSchedule,
): void {
  const s = structureOf(a), w = out.cols, kernel = `gspmm_${msg}_${reduce}` as const;
  const extreme = reduce === 'max' || reduce === 'min';
  expectShape(extreme === (arg !== null), kernel, () => 'arg must be given exactly for max and min');
  expectShape(out.rows === s.rows, kernel, () => `out has ${out.rows} rows, the structure ${s.rows}`);
  if (msg !== 'copy_e') expectShape(x !== null && x.rows === s.cols && x.cols === w, kernel, () => `x must be [${s.cols}, ${w}]`);
  if (msg !== 'copy_u') expectShape(e !== null && e.rows === s.nnz, kernel, () => `e must have one row per edge (${s.nnz})`);
  if (msg === 'u_mul_e') expectShape(e!.cols > 0 && w % e!.cols === 0, kernel, () => `width ${w} is not a multiple of ${e!.cols} heads`);
  if (msg === 'copy_e' || msg === 'u_add_e') expectShape(e!.cols === w, kernel, () => `e has ${e!.cols} columns, out ${w}`);
  if (arg) expectShape(arg.dtype === 'i32' && arg.rows === out.rows && arg.cols === w, kernel, () => 'arg must be an i32 tensor shaped like out');
  const sched = schedule ?? scheduleFor(l, a, w);
  if (sched.kind !== 'element') {
    gspmmRows(l, s, sched, msg, reduce, x ? buf(x) : l.dummy, e ? buf(e) : l.dummy, e ? e.cols : 1, buf(out), arg ? buf(arg) : null, w);
    return;
  }
  const buffers: Record<number, Binding> = {
    1: s.indptr, 2: s.indices, 3: s.perm, 4: orDummy(l, x), 5: orDummy(l, e), 6: buf(out),
  };
  if (arg) buffers[7] = buf(arg);
  l.rec.dispatch(kernel, buffers, [s.rows, w, e ? e.cols : 1, s.hasPerm ? 1 : 0, 0], linear(s.rows * w, 64));
}

/** A structure's balanced plan for these chunk and block lengths on the device, made on first use. */
function planOf(l: RowsLaunch, s: GpuSparse, chunk: number, block: number): DeviceChunkPlan {
  const key = `${chunk}/${block}`;
  let plan = s.plans.get(key);
  if (plan) return plan;
  if (!s.hostIndptr) throw new GpuKernelError('gspmmRows', 'this structure was uploaded without its host indptr: no balanced schedule');
  const host = chunkPlan(s.hostIndptr, chunk, block);
  const upload = (parts: Uint32Array[], label: string): GPUBuffer => {
    const words = parts.reduce((n, a) => n + a.length, 0);
    const b = l.device.createBuffer({ label, size: Math.max(4 * words, 16), usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
    const view = new Uint32Array(b.getMappedRange());
    let at = 0;
    for (const a of parts) {
      view.set(a, at);
      at += a.length;
    }
    b.unmap();
    return b;
  };
  if (4 * (s.hostIndptr.length + host.items.length) > l.maxBindingBytes) throw new GpuKernelError('gspmmRows', 'the balanced plan exceeds this adapter\'s binding limit');
  plan = {
    rows: upload([s.hostIndptr, host.items], 'gspmm indptr and plan'), planAt: s.hostIndptr.length, itemCount: host.items.length / 5,
    longRows: upload([host.longRows], 'gspmm long rows'), longCount: host.longRows.length / 4, slots: host.slots, scratch: new Map(),
  };
  s.plans.set(key, plan);
  return plan;
}

/** The partial results of a plan's chunks at this width: values, then one arg per value. */
function scratchOf(l: RowsLaunch, plan: DeviceChunkPlan, width: number): GPUBuffer {
  let b = plan.scratch.get(width);
  if (b) return b;
  // Values and args of every slot, then a fused epilogue's bias row.
  const bytes = Math.max((2 * plan.slots + 1) * width * 4, 16);
  if (bytes > l.maxBindingBytes) throw new GpuKernelError('gspmmRows', `the chunks' scratch (${bytes} bytes) exceeds this adapter's binding limit`);
  b = l.device.createBuffer({ label: 'gspmm scratch', size: bytes, usage: GPUBufferUsage.STORAGE });
  plan.scratch.set(width, b);
  return b;
}

/** Frees what the launchers cached on a structure (its plans and their scratch buffers). */
export function releaseSchedules(a: SparseStructure): void {
  const s = structureOf(a);
  for (const plan of s.plans.values()) {
    plan.rows.destroy();
    plan.longRows.destroy();
    for (const b of plan.scratch.values()) b.destroy();
  }
  s.plans.clear();
  s.schedules.clear();
}

/**
 * The epilogue of the fused sums (EPI in shaders/gspmm_rows(4).wgsl): the bias, the activation's
 * code, and the dropout's output, key and probability (absent: no dropout).
 */
export interface RowsEpilogue {
  readonly bias: Binding;
  readonly act: number;
  readonly drop: { readonly out: Binding; readonly key: number; readonly prob: number } | null;
}

/**
 * Per device: a writable placeholder for `dropped` that aliases no other binding (dummyRw may be
 * the scratch), and per width a buffer the bias is copied into where no chunk scratch is bound
 * (so a parameter is only ever bound read-only).
 */
const epilogueBuffers = new WeakMap<GPUDevice, Map<number, GPUBuffer>>();
function epilogueBuffer(l: RowsLaunch, width: number): GPUBuffer {
  let m = epilogueBuffers.get(l.device);
  if (!m) epilogueBuffers.set(l.device, (m = new Map()));
  let b = m.get(width);
  if (!b) {
    b = l.device.createBuffer({ label: `gspmm epilogue ${width}`, size: Math.max(256, Math.ceil(width / 4) * 16), usage: GPUBufferUsage.STORAGE });
    m.set(width, b);
  }
  return b;
}
const droppedPlaceholder = (l: RowsLaunch): GPUBuffer => epilogueBuffer(l, 0);

/** The epilogue's uniform words (after the kernels' first 11); biasAt: the bias's first word in scratch. */
function epilogueWords(epi: RowsEpilogue | null, biasAt: number): number[] {
  if (!epi) return [0, 0, 0, 0, 0, 0];
  const d = epi.drop;
  return [epi.act, d ? 1 : 0, d ? d.key >>> 0 : 0, fbits(d ? d.prob : 0), fbits(d ? 1 / (1 - d.prob) : 0), biasAt];
}

/**
 * The row kernels (shaders/gspmm_rows(4).wgsl): one dispatch over runs of rows (row schedule),
 * or over the plan's items and then, where rows were split, one merge (balanced schedule). With
 * `epi` (sums only), every row's last writer (the row kernel, or the merge for a split row)
 * applies it. The bias is read through the scratch binding, copied there first (after the
 * chunks' slots, or into a small buffer of its own where there are none).
 */
function gspmmRows(
  l: RowsLaunch, s: GpuSparse, sched: Exclude<GspmmSchedule, { kind: 'element' }>, msg: Message, reduce: Reducer,
  x: Binding, e: Binding, eCols: number, out: Binding, arg: Binding | null, w: number, epi: RowsEpilogue | null = null,
): void {
  if (s.rows === 0 || w === 0) return;
  if (epi && (reduce !== 'sum' || (msg !== 'copy_u' && msg !== 'u_mul_e'))) throw new GpuKernelError('gspmmRows', `no fused epilogue for ${msg} ${reduce}`);
  if (sched.vec4 && w % 4 !== 0) throw new GpuKernelError('gspmmRows', `vec4 lanes need a width that is a multiple of 4, not ${w}`);
  const plan = sched.kind === 'balanced' ? planOf(l, s, sched.chunk, sched.block) : null;
  const chunked = plan !== null && plan.slots > 0;
  const scratch = chunked ? scratchOf(l, plan, w) : epi ? epilogueBuffer(l, w) : l.dummyRw;
  const biasAt = chunked ? 2 * plan.slots * w : 0;
  const dropped = epi?.drop?.out ?? droppedPlaceholder(l);
  // A buffer made at its exact size (past the pool's power-of-two classes) may end inside a vec4.
  if (sched.vec4 && [x, e, out, dropped, scratch].some((b) => bindingSize(b) % 16 !== 0)) sched = { ...sched, vec4: false };
  const kernel = epi ? (`gspmmRows${sched.vec4 ? '4' : ''}Fused_${msg as FusedMessage}` as const) : (`gspmmRows${sched.vec4 ? '4' : ''}_${msg}_${reduce}` as const);
  const { lanes, groups, tile } = rowsLayout(w, sched.vec4);
  const bind = (rows: GPUBuffer): Record<number, Binding> => {
    const b: Record<number, Binding> = { 1: rows, 2: s.indices, 3: s.perm, 4: x, 5: e, 6: out, 8: scratch };
    if (arg) b[7] = arg;
    // Only the sum entry points have the epilogue's binding.
    if (reduce === 'sum' || reduce === 'mean') b[9] = dropped;
    return b;
  };
  const tail = epilogueWords(epi, biasAt);
  const hasPerm = s.hasPerm ? 1 : 0;
  if (epi) {
    // copy_cols.wgsl on one row: the bias into scratch's words [biasAt, biasAt + w).
    l.rec.dispatch('copyCols', { 1: epi.bias, 2: scratch }, [1, w, w, 0, biasAt + w, biasAt], linear(w, 256));
  }
  if (!plan) {
    const rpg = Math.max(1, Math.floor((sched as { rowsPerGroup: number }).rowsPerGroup));
    l.rec.dispatch(kernel, bind(s.indptr), [s.rows, w, eCols, hasPerm, 0, lanes, groups, tile, rpg, 0, 0, ...tail],
      linear(Math.ceil(s.rows / rpg), groups));
    return;
  }
  const uniforms = [plan.itemCount, w, eCols, hasPerm, 1, lanes, groups, tile, 0, plan.slots, plan.planAt, ...tail];
  l.rec.dispatch(kernel, bind(plan.rows), uniforms, linear(plan.itemCount, groups));
  if (plan.longCount === 0) return;
  // One merge entry serves every reducer, so it always binds an arg (a placeholder for sums).
  const merged: Record<number, Binding> = { 1: plan.longRows, 6: out, 7: arg ?? l.dummyRw, 8: scratch, 9: dropped };
  l.rec.dispatch(epi ? 'gspmmMergeFused' : `gspmmMerge_${reduce}`, merged, [plan.longCount, w, eCols, 0, 2, 0, 0, 0, 0, plan.slots, 0, ...tail],
    linear(plan.longCount * w, 64));
}

/**
 * The plain SpMM (out = a x, values or ones) through the scheduled g-SpMM kernels where the
 * schedule is not `element`: u_mul_e with the values as a one-head edge weight (or copy_u), sum.
 * The products and their order are those of shaders/spmm.wgsl, so the bits are the same.
 * Returns false when the caller should launch spmm.wgsl itself.
 */
export function spmmScheduled(
  l: RowsLaunch, a: SparseStructure, values: Tensor | null, x: Tensor, out: Tensor, schedule?: GspmmSchedule,
): boolean {
  const s = structureOf(a), w = x.cols;
  const sched = schedule ?? scheduleFor(l, a, w);
  if (sched.kind === 'element') return false;
  expectShape(out.rows === s.rows && out.cols === w && x.rows === s.cols, 'spmm', () => `x must be [${s.cols}, ${w}] and out [${s.rows}, ${w}]`);
  if (values) expectShape(values.rows * values.cols === s.nnz, 'spmm', () => `values must have one value per entry (${s.nnz})`);
  gspmmRows(l, s, sched, values ? 'u_mul_e' : 'copy_u', 'sum', buf(x), values ? buf(values) : l.dummy, 1, buf(out), null, w);
  return true;
}

/**
 * spmm with GCN's epilogue in the same kernel: out = act(a x + bias) and, with `drop`,
 * drop.out = dropout(out) (shaders/spmm.wgsl's `fused` for the element schedule, the EPI
 * variants of the row kernels and the merge otherwise). Every schedule supports it, and each
 * gives the bits of its own spmm followed by biasAct and dropout.
 */
export function spmmBiasAct(
  l: RowsLaunch, a: SparseStructure, values: Tensor | null, x: Tensor, bias: Tensor, act: number, out: Tensor,
  drop: { readonly out: Tensor; readonly key: number; readonly prob: number } | null, schedule?: GspmmSchedule,
): void {
  const s = structureOf(a), w = x.cols, kernel = 'spmmBiasAct';
  expectShape(out.rows === s.rows && out.cols === w && x.rows === s.cols, kernel, () => `x must be [${s.cols}, ${w}] and out [${s.rows}, ${w}]`);
  expectShape(bias.rows === 1 && bias.cols === w, kernel, () => `bias must be [1, ${w}]`);
  if (values) expectShape(values.rows * values.cols === s.nnz, kernel, () => `values must have one value per entry (${s.nnz})`);
  if (drop) {
    expectShape(drop.out.rows === out.rows && drop.out.cols === w && bindingBuffer(buf(drop.out)) !== bindingBuffer(buf(out)), kernel, () => 'the dropped output must be shaped like out and apart from it');
    expectShape(drop.prob > 0 && drop.prob < 1, kernel, () => `dropout probability ${drop.prob} is not in (0, 1)`);
  }
  const sched = schedule ?? scheduleFor(l, a, w);
  const dropped = drop ? buf(drop.out) : droppedPlaceholder(l);
  if (sched.kind !== 'element') {
    const epi: RowsEpilogue = { bias: buf(bias), act, drop: drop && { out: dropped, key: drop.key, prob: drop.prob } };
    gspmmRows(l, s, sched, values ? 'u_mul_e' : 'copy_u', 'sum', buf(x), values ? buf(values) : l.dummy, 1, buf(out), null, w, epi);
    return;
  }
  l.rec.dispatch(
    spmmKernel(true, values !== null, s.hasPerm),
    { 1: s.indptr, 2: s.indices, 3: values ? buf(values) : l.dummy, 4: s.perm, 5: buf(x), 6: buf(out), 7: buf(bias), 8: dropped },
    [s.rows, w, values ? 1 : 0, s.hasPerm ? 1 : 0, ...epilogueWords({ bias: buf(bias), act, drop: drop && { out: dropped, key: drop.key, prob: drop.prob } }, 0).slice(0, 5)],
    linear(s.rows * w, 64),
  );
}

export function gspmmArgBackward(l: Launch, aT: SparseStructure, arg: Tensor, g: Tensor, e: Tensor | null, out: Tensor): void {
  const s = structureOf(aT), w = out.cols, kernel = 'gspmmArgBackward';
  expectShape(out.rows === s.rows, kernel, () => `out has ${out.rows} rows, the transpose ${s.rows}`);
  expectShape(arg.dtype === 'i32' && arg.rows === s.cols && arg.cols === w && g.rows === s.cols && g.cols === w,
    kernel, () => `arg (i32) and g must be [${s.cols}, ${w}]`);
  if (e) expectShape(e.rows === s.nnz && e.cols > 0 && w % e.cols === 0, kernel, () => `e must be [${s.nnz}, H] with H dividing ${w}`);
  l.rec.dispatch(kernel, { 1: s.indptr, 2: s.indices, 3: s.perm, 4: buf(g), 5: orDummy(l, e), 6: buf(out), 8: buf(arg) },
    [s.rows, w, e ? e.cols : 1, s.hasPerm ? 1 : 0, e ? 1 : 0], linear(s.rows * w, 64));
}

const sddmmCode: Readonly<Record<SddmmOp, number>> = { u_add_v: 0, u_dot_v: 1, copy_u: 2, copy_v: 3 };

export function sddmm(l: Launch, a: SparseStructure, op: SddmmOp, u: Tensor | null, v: Tensor | null, heads: number, out: Tensor): void {
  const s = structureOf(a), kernel = 'sddmm';
  const needsU = op !== 'copy_v', needsV = op !== 'copy_u';
  expectShape((!needsU || u !== null) && (!needsV || v !== null), kernel, () => `${op} needs ${needsU ? 'u' : ''}${needsV ? ' v' : ''}`);
  const w = (u ?? v)!.cols;
  if (needsU) expectShape(u!.rows === s.cols && u!.cols === w, kernel, () => `u must be [${s.cols}, ${w}]`);
  if (needsV) expectShape(v!.rows === s.rows && v!.cols === w, kernel, () => `v must be [${s.rows}, ${w}]`);
  const outCols = op === 'u_dot_v' ? heads : w;
  if (op === 'u_dot_v') expectShape(heads > 0 && w % heads === 0, kernel, () => `width ${w} is not a multiple of ${heads} heads`);
  expectShape(out.rows === s.nnz && out.cols === outCols, kernel, () => `out must be [${s.nnz}, ${outCols}]`);
  l.rec.dispatch(kernel, { 1: s.indptr, 2: s.indices, 3: s.perm, 4: orDummy(l, u), 5: orDummy(l, v), 6: buf(out) },
    [s.rows, s.nnz, w, outCols, sddmmCode[op], s.hasPerm ? 1 : 0], linear(s.nnz * outCols, 64));
}

export function edgeSoftmax(l: Launch, a: SparseStructure, e: Tensor, out: Tensor): void {
  const s = structureOf(a), h = e.cols;
  expectShape(e.rows === s.nnz && out.rows === s.nnz && out.cols === h, 'edgeSoftmax', () => `e and out must be [${s.nnz}, H]`);
  l.rec.dispatch('edgeSoftmax', { 1: s.indptr, 3: s.perm, 4: buf(e), 6: buf(out) },
    [s.rows, h, s.hasPerm ? 1 : 0], linear(s.rows * h, 64));
}

export function edgeSoftmaxBackward(l: Launch, a: SparseStructure, y: Tensor, g: Tensor, out: Tensor): void {
  const s = structureOf(a), h = y.cols;
  expectShape([y, g, out].every((t) => t.rows === s.nnz && t.cols === h), 'edgeSoftmaxBackward', () => `y, g and out must be [${s.nnz}, H]`);
  l.rec.dispatch('edgeSoftmaxBackward', { 1: s.indptr, 3: s.perm, 4: buf(y), 5: buf(g), 6: buf(out) },
    [s.rows, h, s.hasPerm ? 1 : 0], linear(s.rows * h, 64));
}

import type { Message, Reducer, SddmmOp, SparseStructure, Tensor } from '../engine/backend';
import type { Recorder } from './recorder';
import { buf, expectShape, GpuSparse, linear } from './tensor';

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

const structureOf = (a: SparseStructure): GpuSparse => a as GpuSparse;
const orDummy = (l: Launch, t: Tensor | null): GPUBuffer => (t ? buf(t) : l.dummy);

export function gspmm(
  l: Launch, a: SparseStructure, msg: Message, reduce: Reducer, x: Tensor | null, e: Tensor | null, out: Tensor, arg: Tensor | null,
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
  const buffers: Record<number, GPUBuffer> = {
    1: s.indptr, 2: s.indices, 3: s.perm, 4: orDummy(l, x), 5: orDummy(l, e), 6: buf(out),
  };
  if (arg) buffers[7] = buf(arg);
  l.rec.dispatch(kernel, buffers, [s.rows, w, e ? e.cols : 1, s.hasPerm ? 1 : 0, 0], linear(s.rows * w, 64));
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

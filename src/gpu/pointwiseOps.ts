import type { Activation, BinaryOp, Tensor, UnaryOp } from '../engine/backend';
import type { Launch } from './messagePassingOps';
import { type Binding, buf, expectShape, fbits, linear } from './tensor';

/** Launchers of shaders/pointwise.wgsl, copy_cols.wgsl and the row sum of reduce.wgsl. */

// The op codes of shaders/pointwise.wgsl's switches.
export const activationCode: Readonly<Record<Activation, number>> = { none: 0, relu: 1, leaky_relu: 2, elu: 3, tanh: 4, sigmoid: 5 };
const binaryCode: Readonly<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, max: 4, min: 5, ge: 6 };
const unaryCode: Readonly<Record<UnaryOp, number>> = { sqrt: 0, rsqrt: 1, square: 2, recip: 3, exp: 4, log: 5 };

type PointwiseKernel = 'biasAct' | 'activation' | 'activationBackward' | 'binary' | 'unary' | 'scale';

interface Extra {
  readonly bOneRow?: boolean;
  readonly bOneCol?: boolean;
  readonly bCols?: number;
  readonly alpha?: number;
  readonly beta?: number;
}

function pointwise(l: Launch, kernel: PointwiseKernel, a: Tensor, b: Tensor | null, out: Tensor, op: number, x: Extra = {}): void {
  expectShape(a.rows === out.rows && a.cols === out.cols, kernel, () => `input [${a.rows}, ${a.cols}] and out [${out.rows}, ${out.cols}] differ`);
  const len = out.rows * out.cols;
  const buffers: Record<number, Binding> = { 1: buf(a), 3: buf(out) };
  if (b) buffers[2] = buf(b);
  const uniforms = [len, out.cols, op, x.bOneRow ? 1 : 0, x.bOneCol ? 1 : 0, x.bCols ?? 0, fbits(x.alpha ?? 0), fbits(x.beta ?? 0)];
  l.rec.dispatch(kernel, buffers, uniforms, linear(len, 256));
}

export function biasAct(l: Launch, x: Tensor, bias: Tensor, act: Activation, out: Tensor): void {
  expectShape(bias.rows === 1 && bias.cols === x.cols, 'biasAct', () => `bias must be [1, ${x.cols}]`);
  pointwise(l, 'biasAct', x, bias, out, activationCode[act]);
}

export function activation(l: Launch, act: Activation, x: Tensor, out: Tensor): void {
  pointwise(l, 'activation', x, null, out, activationCode[act]);
}

export function activationBackward(l: Launch, act: Activation, y: Tensor, g: Tensor, out: Tensor): void {
  expectShape(g.rows === y.rows && g.cols === y.cols, 'activationBackward', () => 'y and g differ in shape');
  pointwise(l, 'activationBackward', y, g, out, activationCode[act]);
}

export function binary(l: Launch, op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
  const rowsOk = b.rows === a.rows || b.rows === 1, colsOk = b.cols === a.cols || b.cols === 1;
  expectShape(rowsOk && colsOk, 'binary', () => `cannot broadcast [${b.rows}, ${b.cols}] over [${a.rows}, ${a.cols}]`);
  pointwise(l, 'binary', a, b, out, binaryCode[op], { bOneRow: b.rows === 1, bOneCol: b.cols === 1, bCols: b.cols });
}

export function unary(l: Launch, op: UnaryOp, x: Tensor, out: Tensor): void {
  pointwise(l, 'unary', x, null, out, unaryCode[op]);
}

export function scale(l: Launch, x: Tensor, alpha: number, beta: number, out: Tensor): void {
  pointwise(l, 'scale', x, null, out, 0, { alpha, beta });
}

export function copyCols(l: Launch, x: Tensor, xOffset: number, out: Tensor, outOffset: number, width: number): void {
  expectShape(x.rows === out.rows && xOffset >= 0 && outOffset >= 0 && xOffset + width <= x.cols && outOffset + width <= out.cols,
    'copyCols', () => `columns ${xOffset}..${xOffset + width} of [${x.rows}, ${x.cols}] into ${outOffset}.. of [${out.rows}, ${out.cols}]`);
  l.rec.dispatch('copyCols', { 1: buf(x), 2: buf(out) }, [x.rows, width, x.cols, xOffset, out.cols, outOffset], linear(x.rows * width, 256));
}

export function rowSum(l: Launch, x: Tensor, out: Tensor): void {
  expectShape(out.rows === x.rows && out.cols === 1, 'rowSum', () => `out must be [${x.rows}, 1]`);
  l.rec.dispatch('rowSum', { 1: buf(x), 2: buf(out) }, [x.rows, x.cols], linear(x.rows, 256));
}

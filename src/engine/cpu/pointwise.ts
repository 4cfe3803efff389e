import type { Activation, BinaryOp, UnaryOp } from '../backend';

/** Scalar definitions shared by the CPU backend's element-wise ops (the WGSL mirrors them). */

/**
 * Leaky ReLU's slope as the f32 the kernels multiply by: an f64 0.2 times x, rounded once to
 * f32, is not always the f32 product (1 ulp apart for about one value in ten).
 */
export const LEAKY_SLOPE = Math.fround(0.2);

export function activate(act: Activation, x: number): number {
  switch (act) {
    case 'none': return x;
    case 'relu': return Math.max(x, 0);
    case 'leaky_relu': return x > 0 ? x : Math.fround(LEAKY_SLOPE * x);
    case 'elu': return x > 0 ? x : Math.fround(Math.exp(x) - 1);
    case 'tanh': return Math.fround(Math.tanh(x));
    case 'sigmoid': return Math.fround(1 / (1 + Math.exp(-x)));
  }
}

/** d act / d x times g, from the activation's output y (every one here is invertible enough). */
export function activateBackward(act: Activation, y: number, g: number): number {
  switch (act) {
    case 'none': return g;
    case 'relu': return y > 0 ? g : 0;
    case 'leaky_relu': return y > 0 ? g : Math.fround(LEAKY_SLOPE * g);
    case 'elu': return y > 0 ? g : Math.fround(g * Math.fround(y + 1));
    case 'tanh': return Math.fround(g * Math.fround(1 - Math.fround(y * y)));
    case 'sigmoid': return Math.fround(Math.fround(g * y) * Math.fround(1 - y));
  }
}

export function binaryOp(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add': return Math.fround(a + b);
    case 'sub': return Math.fround(a - b);
    case 'mul': return Math.fround(a * b);
    case 'div': return Math.fround(a / b);
    case 'max': return Math.max(a, b);
    case 'min': return Math.min(a, b);
    case 'ge': return a >= b ? 1 : 0;
  }
}

export function unaryOp(op: UnaryOp, x: number): number {
  switch (op) {
    case 'sqrt': return Math.fround(Math.sqrt(x));
    case 'rsqrt': return Math.fround(1 / Math.sqrt(x));
    case 'square': return Math.fround(x * x);
    case 'recip': return Math.fround(1 / x);
    case 'exp': return Math.fround(Math.exp(x));
    case 'log': return Math.fround(Math.log(x));
  }
}

/** Index into b for element (r, c) of a [R, C] under broadcasting. */
export function broadcastIndex(bRows: number, bCols: number, r: number, c: number): number {
  return (bRows === 1 ? 0 : r) * bCols + (bCols === 1 ? 0 : c);
}

/** Throws unless b is a's shape or one of the broadcasts [1, C], [R, 1], [1, 1]. */
export function checkBroadcast(aRows: number, aCols: number, bRows: number, bCols: number): void {
  const rowsOk = bRows === aRows || bRows === 1;
  const colsOk = bCols === aCols || bCols === 1;
  if (!rowsOk || !colsOk) throw new Error(`cannot broadcast [${bRows}, ${bCols}] over [${aRows}, ${aCols}]`);
}

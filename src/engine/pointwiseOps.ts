import type { Activation, BinaryOp, Tensor, UnaryOp } from './backend';
import type { Tape } from './tape';
import { Var } from './tape';

/** Differentiable element-wise, broadcast and column ops, each built on one or two primitives. */

const anyGrad = (...vs: Var[]): boolean => vs.some((v) => v.requiresGrad);

export function activation(tape: Tape, x: Var, act: Activation): Var {
  if (act === 'none') return x;
  const be = tape.backend;
  const out = new Var(tape.temp(x.value.rows, x.value.cols), x.requiresGrad);
  be.activation(act, x.value, out.value);
  tape.record(() => {
    if (!out.grad || !x.requiresGrad) return;
    const g = tape.temp(x.value.rows, x.value.cols);
    be.activationBackward(act, out.value, out.grad, g);
    tape.accumulate(x, g);
  });
  return out;
}

/** Sums a gradient of a's shape down to the broadcast shape of `b`; the last sum goes to `tape.gradFor(b)`. */
function reduceTo(tape: Tape, g: Tensor, b: Var): Tensor {
  const be = tape.backend;
  const { rows, cols } = b.value;
  const colsToo = rows === 1 && g.rows !== 1;
  let t = g;
  if (cols === 1 && t.cols !== 1) {
    const s = colsToo ? tape.temp(t.rows, 1) : tape.gradFor(b, t.rows, 1);
    be.rowSum(t, s);
    t = s;
  }
  if (colsToo) {
    const s = tape.gradFor(b, 1, t.cols);
    be.colSum(t, s);
    t = s;
  }
  return t;
}

/**
 * a op b with b broadcast over a. Gradients: add, sub, mul and div in both operands; max and min
 * only for equal shapes (the winner of each element takes its gradient, `a` on ties); `ge` none.
 */
export function binary(tape: Tape, op: BinaryOp, a: Var, b: Var): Var {
  const be = tape.backend;
  const [R, C] = [a.value.rows, a.value.cols];
  const out = new Var(tape.temp(R, C), op !== 'ge' && anyGrad(a, b));
  be.binary(op, a.value, b.value, out.value);
  const same = b.value.rows === R && b.value.cols === C;
  if ((op === 'max' || op === 'min') && !same) throw new Error(`${op} of [${R}, ${C}] and a broadcast has no gradient here`);
  tape.record(() => {
    const g = out.grad;
    if (!g || op === 'ge') return;
    const tmp = () => tape.temp(R, C);
    let ga: Tensor | null = null, gb: Tensor | null = null;
    switch (op) {
      case 'add': ga = g; gb = g; break;
      case 'sub': ga = g; gb = tape.gradFor(b, R, C); be.scale(g, -1, 0, gb); break;
      case 'mul':
        if (a.requiresGrad) { ga = tape.gradFor(a, R, C); be.binary('mul', g, b.value, ga); }
        if (b.requiresGrad) { gb = tape.gradFor(b, R, C); be.binary('mul', g, a.value, gb); }
        break;
      case 'div':
        if (a.requiresGrad) { ga = tape.gradFor(a, R, C); be.binary('div', g, b.value, ga); }
        if (b.requiresGrad) { // -g * out / b
          gb = tmp(); be.binary('mul', g, out.value, gb);
          const t = tmp(); be.binary('div', gb, b.value, t); be.scale(t, -1, 0, gb);
        }
        break;
      case 'max': case 'min': {
        const mask = tmp();
        if (op === 'max') be.binary('ge', a.value, b.value, mask);
        else be.binary('ge', b.value, a.value, mask);
        ga = tmp(); be.binary('mul', g, mask, ga);
        gb = tmp(); be.binary('sub', g, ga, gb);
        break;
      }
    }
    // Gradients are never written in place, so a and b may share g.
    if (ga && a.requiresGrad) tape.accumulate(a, ga);
    if (gb && b.requiresGrad) tape.accumulate(b, reduceTo(tape, gb, b));
  });
  return out;
}

export function unary(tape: Tape, op: UnaryOp, x: Var): Var {
  const be = tape.backend;
  const [R, C] = [x.value.rows, x.value.cols];
  const out = new Var(tape.temp(R, C), x.requiresGrad);
  be.unary(op, x.value, out.value);
  tape.record(() => {
    if (!out.grad || !x.requiresGrad) return;
    const y = out.value, g = out.grad, d = tape.temp(R, C), gx = tape.temp(R, C);
    switch (op) { // d = d out / d x
      case 'sqrt': be.scale(y, 2, 0, d); be.binary('div', g, d, gx); break;
      case 'rsqrt': be.unary('square', y, d); be.binary('mul', d, y, gx); be.scale(gx, -0.5, 0, d); be.binary('mul', g, d, gx); break;
      case 'square': be.scale(x.value, 2, 0, d); be.binary('mul', g, d, gx); break;
      case 'recip': be.unary('square', y, d); be.scale(d, -1, 0, gx); be.binary('mul', g, gx, d); be.copy(d, gx); break;
      case 'exp': be.binary('mul', g, y, gx); break;
      case 'log': be.binary('div', g, x.value, gx); break;
    }
    tape.accumulate(x, gx);
  });
  return out;
}

/** alpha * x + beta. */
export function scale(tape: Tape, x: Var, alpha: number, beta = 0): Var {
  const be = tape.backend;
  const out = new Var(tape.temp(x.value.rows, x.value.cols), x.requiresGrad);
  be.scale(x.value, alpha, beta, out.value);
  tape.record(() => {
    if (!out.grad || !x.requiresGrad) return;
    const g = tape.gradFor(x, x.value.rows, x.value.cols);
    be.scale(out.grad, alpha, 0, g);
    tape.accumulate(x, g);
  });
  return out;
}

/** Sum over rows ([1, C]) or over columns ([R, 1]). */
export function sum(tape: Tape, x: Var, axis: 'rows' | 'cols'): Var {
  const be = tape.backend;
  const [R, C] = [x.value.rows, x.value.cols];
  const out = new Var(axis === 'rows' ? tape.temp(1, C) : tape.temp(R, 1), x.requiresGrad);
  if (axis === 'rows') be.colSum(x.value, out.value);
  else be.rowSum(x.value, out.value);
  tape.record(() => {
    if (!out.grad || !x.requiresGrad) return;
    const zeros = tape.temp(R, C);
    be.scale(x.value, 0, 0, zeros);
    const g = tape.temp(R, C);
    be.binary('add', zeros, out.grad, g); // broadcast back
    tape.accumulate(x, g);
  });
  return out;
}

/** Column-wise concatenation (jumping knowledge, stacked relations). */
export function concatCols(tape: Tape, xs: readonly Var[]): Var {
  const be = tape.backend;
  const rows = xs[0].value.rows;
  const width = xs.reduce((w, x) => w + x.value.cols, 0);
  const out = new Var(tape.temp(rows, width), anyGrad(...xs));
  let off = 0;
  const offsets = xs.map((x) => { const o = off; off += x.value.cols; return o; });
  xs.forEach((x, i) => be.copyCols(x.value, 0, out.value, offsets[i], x.value.cols));
  tape.record(() => {
    if (!out.grad) return;
    xs.forEach((x, i) => {
      if (!x.requiresGrad) return;
      const g = tape.temp(rows, x.value.cols);
      be.copyCols(out.grad!, offsets[i], g, 0, x.value.cols);
      tape.accumulate(x, g);
    });
  });
  return out;
}

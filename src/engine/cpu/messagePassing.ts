import type { Csr } from '../../graph/types';
import type { Message, Reducer, SddmmOp } from '../backend';

/**
 * The reference loops of the message-passing kernels, on plain arrays. Sums run over a row's
 * entries in stored order with f32 rounding after every step, as each GPU invocation does, so
 * the two backends agree to the last bit wherever no transcendental function is involved.
 */

const edgeId = (a: Csr, k: number): number => (a.perm ? a.perm[k] : k);

/** Width of one head of a width-`w` row split into `e`'s columns (u_mul_e's head(c)). */
function headWidth(w: number, heads: number): number {
  if (heads < 1 || w % heads !== 0) throw new Error(`width ${w} is not a multiple of ${heads} heads`);
  return w / heads;
}

export function gspmm(
  a: Csr, msg: Message, reduce: Reducer, x: Float32Array | null, w: number,
  e: Float32Array | null, eCols: number, out: Float32Array, arg: Int32Array | null,
): void {
  const hw = msg === 'u_mul_e' ? headWidth(w, eCols) : 1;
  const message = (k: number, c: number): number => {
    if (msg === 'copy_e') return e![edgeId(a, k) * w + c];
    const xv = x![a.indices[k] * w + c];
    if (msg === 'u_add_e') return Math.fround(xv + e![edgeId(a, k) * w + c]);
    return msg === 'copy_u' ? xv : Math.fround(xv * e![edgeId(a, k) * eCols + Math.floor(c / hw)]);
  };
  for (let r = 0; r < a.rows; r++) {
    const start = a.indptr[r], end = a.indptr[r + 1];
    for (let c = 0; c < w; c++) {
      const o = r * w + c;
      if (reduce === 'sum' || reduce === 'mean') {
        let acc = 0;
        for (let k = start; k < end; k++) acc = Math.fround(acc + message(k, c));
        out[o] = reduce === 'mean' && end > start ? Math.fround(acc / (end - start)) : acc;
        continue;
      }
      let best = 0, won = -1;
      for (let k = start; k < end; k++) {
        const m = message(k, c);
        if (won < 0 || (reduce === 'max' ? m > best : m < best)) {
          best = m;
          won = edgeId(a, k);
        }
      }
      out[o] = best;
      arg![o] = won;
    }
  }
}

export function gspmmArgBackward(
  aT: Csr, arg: Int32Array, g: Float32Array, w: number, e: Float32Array | null, eCols: number, out: Float32Array,
): void {
  const hw = e ? headWidth(w, eCols) : 1;
  for (let u = 0; u < aT.rows; u++) {
    for (let c = 0; c < w; c++) {
      let acc = 0;
      for (let k = aT.indptr[u]; k < aT.indptr[u + 1]; k++) {
        const id = edgeId(aT, k), dst = aT.indices[k];
        if (arg[dst * w + c] !== id) continue;
        const gv = g[dst * w + c];
        acc = Math.fround(acc + (e ? Math.fround(gv * e[id * eCols + Math.floor(c / hw)]) : gv));
      }
      out[u * w + c] = acc;
    }
  }
}

export function sddmm(
  a: Csr, op: SddmmOp, u: Float32Array | null, v: Float32Array | null, w: number, heads: number, out: Float32Array,
): void {
  const hw = op === 'u_dot_v' ? headWidth(w, heads) : 1;
  const outCols = op === 'u_dot_v' ? heads : w;
  for (let r = 0; r < a.rows; r++) {
    for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) {
      const id = edgeId(a, k), src = a.indices[k];
      for (let j = 0; j < outCols; j++) {
        let val: number;
        if (op === 'u_add_v') val = Math.fround(u![src * w + j] + v![r * w + j]);
        else if (op === 'copy_u') val = u![src * w + j];
        else if (op === 'copy_v') val = v![r * w + j];
        else {
          val = 0;
          for (let c = j * hw; c < (j + 1) * hw; c++) val = Math.fround(val + Math.fround(u![src * w + c] * v![r * w + c]));
        }
        out[id * outCols + j] = val;
      }
    }
  }
}

export function edgeSoftmax(a: Csr, e: Float32Array, heads: number, out: Float32Array): void {
  for (let r = 0; r < a.rows; r++) {
    const start = a.indptr[r], end = a.indptr[r + 1];
    for (let h = 0; h < heads; h++) {
      let m = -Infinity;
      for (let k = start; k < end; k++) m = Math.max(m, e[edgeId(a, k) * heads + h]);
      let s = 0;
      for (let k = start; k < end; k++) s = Math.fround(s + Math.fround(Math.exp(e[edgeId(a, k) * heads + h] - m)));
      for (let k = start; k < end; k++) {
        const i = edgeId(a, k) * heads + h;
        out[i] = Math.fround(Math.exp(e[i] - m)) / s;
      }
    }
  }
}

export function edgeSoftmaxBackward(a: Csr, y: Float32Array, g: Float32Array, heads: number, out: Float32Array): void {
  for (let r = 0; r < a.rows; r++) {
    const start = a.indptr[r], end = a.indptr[r + 1];
    for (let h = 0; h < heads; h++) {
      let dot = 0;
      for (let k = start; k < end; k++) {
        const i = edgeId(a, k) * heads + h;
        dot = Math.fround(dot + Math.fround(y[i] * g[i]));
      }
      for (let k = start; k < end; k++) {
        const i = edgeId(a, k) * heads + h;
        out[i] = Math.fround(y[i] * Math.fround(g[i] - dot));
      }
    }
  }
}

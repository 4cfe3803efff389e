import type { Message, Reducer, SddmmOp, SparseStructure, Tensor } from './backend';
import type { Tape } from './tape';
import { Var } from './tape';

/**
 * A graph's structure as message passing sees it: `a` has a row per destination listing its
 * sources, `aT` is its transpose (with a perm back to `a`'s edge ids) for backward passes, and
 * `invDeg` ([rows, 1], 1 / in-degree or 0) scales gradients through a mean.
 */
export interface Adjacency {
  readonly a: SparseStructure;
  readonly aT: SparseStructure;
  readonly invDeg: Tensor;
}

/** Rows of the sparse side an op's input lives on: sources are `a`'s columns. */
const srcRows = (adj: Adjacency): number => adj.a.cols;
const dstRows = (adj: Adjacency): number => adj.a.rows;

/**
 * DGL's `update_all(message, reduce)` on one edge type, differentiable in `x` and `e`. A
 * `copy_u` or `u_mul_e` message is fused into the reduction: no edge-sized tensor is made.
 */
export function gspmm(
  tape: Tape, adj: Adjacency, msg: Message, reduce: Reducer, x: Var | null, e: Var | null,
): Var {
  const be = tape.backend;
  const width = msg === 'copy_e' ? e!.value.cols : x!.value.cols;
  const needsGrad = (x?.requiresGrad ?? false) || (e?.requiresGrad ?? false);
  const out = new Var(tape.temp(dstRows(adj), width), needsGrad);
  const byArg = reduce === 'max' || reduce === 'min';
  const arg = byArg ? tape.tempInt(dstRows(adj), width) : null;
  be.gspmm(adj.a, msg, reduce, x?.value ?? null, e?.value ?? null, out.value, arg);
  tape.record(() => {
    if (!out.grad) return;
    if (byArg) {
      if (e?.requiresGrad) throw new Error(`gspmm ${msg}/${reduce}: no gradient for edge values through ${reduce}`);
      if (!x?.requiresGrad) return;
      const g = tape.temp(srcRows(adj), width);
      // d(x + e)/dx = 1: u_add_e routes like copy_u.
      be.gspmmArgBackward(adj.aT, arg!, out.grad, msg === 'u_mul_e' ? e!.value : null, g);
      tape.accumulate(x, g);
      return;
    }
    let g = out.grad;
    if (reduce === 'mean') {
      g = tape.temp(g.rows, g.cols);
      be.binary('mul', out.grad, adj.invDeg, g);
    }
    if (x?.requiresGrad) {
      const gx = tape.temp(srcRows(adj), width);
      if (msg === 'u_mul_e') be.gspmm(adj.aT, 'u_mul_e', 'sum', g, e!.value, gx, null);
      else be.gspmm(adj.aT, 'copy_u', 'sum', g, null, gx, null);
      tape.accumulate(x, gx);
    }
    if (e?.requiresGrad) {
      const ge = tape.temp(e.value.rows, e.value.cols);
      if (msg === 'u_mul_e') be.sddmm(adj.a, 'u_dot_v', x!.value, g, e.value.cols, ge);
      else be.sddmm(adj.a, 'copy_v', null, g, 1, ge); // copy_e and u_add_e: de = g[dst]
      tape.accumulate(e, ge);
    }
  });
  return out;
}

/** DGL's `apply_edges`: an edge-sized tensor from the two endpoints' rows. */
export function sddmm(tape: Tape, adj: Adjacency, op: SddmmOp, u: Var | null, v: Var | null, heads = 1): Var {
  const be = tape.backend;
  const width = (u ?? v)!.value.cols;
  const out = new Var(tape.temp(adj.a.nnz, op === 'u_dot_v' ? heads : width), (u?.requiresGrad ?? false) || (v?.requiresGrad ?? false));
  be.sddmm(adj.a, op, u?.value ?? null, v?.value ?? null, heads, out.value);
  tape.record(() => {
    if (!out.grad) return;
    // An edge tensor flows back to sources over aT and to destinations over a.
    const back = (side: Var | null, structure: SparseStructure, rows: number, other: Var | null) => {
      if (!side?.requiresGrad) return;
      const g = tape.temp(rows, width);
      if (op === 'u_dot_v') be.gspmm(structure, 'u_mul_e', 'sum', other!.value, out.grad, g, null);
      else be.gspmm(structure, 'copy_e', 'sum', null, out.grad, g, null);
      tape.accumulate(side, g);
    };
    if (op !== 'copy_v') back(u, adj.aT, srcRows(adj), v);
    if (op !== 'copy_u') back(v, adj.a, dstRows(adj), u);
  });
  return out;
}

/** Softmax of edge scores over each destination's incoming edges, per head column. */
export function edgeSoftmax(tape: Tape, adj: Adjacency, e: Var): Var {
  const be = tape.backend;
  const out = new Var(tape.temp(e.value.rows, e.value.cols), e.requiresGrad);
  be.edgeSoftmax(adj.a, e.value, out.value);
  tape.record(() => {
    if (!out.grad || !e.requiresGrad) return;
    const g = tape.temp(e.value.rows, e.value.cols);
    be.edgeSoftmaxBackward(adj.a, out.value, out.grad, g);
    tape.accumulate(e, g);
  });
  return out;
}

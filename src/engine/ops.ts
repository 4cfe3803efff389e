import type { Activation, SparseMatrix, Tensor } from './backend';
import { Tape, Var } from './tape';

/**
 * Differentiable ops over `Var`s. Each runs its forward kernels now and records a closure that
 * computes the input gradients from the output gradient.
 */

/** a * x for a sparse `a` (adjacency or input features); `aT` is its transpose, for backward. */
export function spmm(tape: Tape, a: SparseMatrix, aT: SparseMatrix, x: Var): Var {
  const out = new Var(tape.temp(a.structure.rows, x.value.cols), x.requiresGrad);
  tape.backend.spmm(a, x.value, out.value);
  tape.record(() => {
    if (!out.grad || !x.requiresGrad) return;
    const g = tape.gradFor(x, aT.structure.rows, x.value.cols);
    tape.backend.spmm(aT, out.grad, g);
    tape.accumulate(x, g);
  });
  return out;
}

export function matmul(tape: Tape, a: Var, b: Var): Var {
  const be = tape.backend;
  const out = new Var(tape.temp(a.value.rows, b.value.cols), a.requiresGrad || b.requiresGrad);
  be.gemm(a.value, b.value, out.value, false, false);
  tape.record(() => {
    if (!out.grad) return;
    if (a.requiresGrad) {
      const ga = tape.gradFor(a, a.value.rows, a.value.cols);
      be.gemm(out.grad, b.value, ga, false, true);
      tape.accumulate(a, ga);
    }
    if (b.requiresGrad) {
      const gb = tape.gradFor(b, b.value.rows, b.value.cols);
      be.gemm(a.value, out.grad, gb, true, false);
      tape.accumulate(b, gb);
    }
  });
  return out;
}

/** act(x + bias) with the bias row broadcast over nodes. */
export function biasAct(tape: Tape, x: Var, bias: Var, act: Activation): Var {
  const be = tape.backend;
  const out = new Var(tape.temp(x.value.rows, x.value.cols), true);
  be.biasAct(x.value, bias.value, act, out.value);
  tape.record(() => {
    if (!out.grad) return;
    let g = out.grad;
    if (act !== 'none') {
      g = tape.temp(x.value.rows, x.value.cols);
      if (act === 'relu') be.reluBackward(out.value, out.grad, g);
      else be.activationBackward(act, out.value, out.grad, g);
    }
    if (bias.requiresGrad) {
      const gb = tape.gradFor(bias, 1, x.value.cols);
      be.colSum(g, gb);
      tape.accumulate(bias, gb);
    }
    tape.accumulate(x, g);
  });
  return out;
}

/** A dropout handed to a fused op: probability and key as `dropout` takes them. */
export interface DropoutSpec {
  readonly prob: number;
  readonly key: number;
}

/**
 * biasAct(spmm(a, x), bias, act) and, with `drop` (prob > 0), its dropout, in one backend call:
 * `y` is the activation (what biasAct returns), `out` the dropped tensor (y itself without
 * dropout). Backward is the unfused ops' backward in their order, so gradients are unchanged.
 */
export function spmmBiasAct(
  tape: Tape, a: SparseMatrix, aT: SparseMatrix, x: Var, bias: Var, act: Activation, drop?: DropoutSpec,
): { y: Var; out: Var } {
  const be = tape.backend;
  const rows = a.structure.rows, cols = x.value.cols;
  const y = new Var(tape.temp(rows, cols), true);
  const dropping = drop !== undefined && drop.prob > 0;
  const out = dropping ? new Var(tape.temp(rows, cols), true) : y;
  be.spmmBiasAct(a, x.value, bias.value, act, y.value, dropping ? { prob: drop.prob, key: drop.key, out: out.value } : null);
  tape.record(() => {
    // dropout's backward, then biasAct's, then spmm's.
    if (dropping && out.grad) {
      const g = tape.temp(rows, cols);
      be.dropout(out.grad, drop.prob, drop.key, g);
      tape.accumulate(y, g);
    }
    if (!y.grad) return;
    let g = y.grad;
    if (act !== 'none') {
      g = tape.temp(rows, cols);
      if (act === 'relu') be.reluBackward(y.value, y.grad, g);
      else be.activationBackward(act, y.value, y.grad, g);
    }
    if (bias.requiresGrad) {
      const gb = tape.gradFor(bias, 1, cols);
      be.colSum(g, gb);
      tape.accumulate(bias, gb);
    }
    if (!x.requiresGrad) return;
    const gx = tape.gradFor(x, aT.structure.rows, cols);
    be.spmm(aT, g, gx);
    tape.accumulate(x, gx);
  });
  return { y, out };
}

/** Inverted dropout; the mask is a pure function of `key`, so backward redraws it. */
export function dropout(tape: Tape, x: Var, prob: number, key: number): Var {
  if (prob <= 0) return x;
  const be = tape.backend;
  const out = new Var(tape.temp(x.value.rows, x.value.cols), x.requiresGrad);
  be.dropout(x.value, prob, key, out.value);
  tape.record(() => {
    if (!out.grad || !x.requiresGrad) return;
    const g = tape.temp(x.value.rows, x.value.cols);
    be.dropout(out.grad, prob, key, g);
    tape.accumulate(x, g);
  });
  return out;
}

export interface LossTargets {
  readonly labels: Tensor;
  readonly splitOf: Tensor;
  /** Split id that carries the loss (1 = train) and how many nodes it has. */
  readonly maskBit: number;
  readonly count: number;
}

/**
 * Masked mean NLL of log-softmax(logits). Its gradient is computed in the forward kernel and
 * seeds the backward pass; the loss value goes to `metrics[slot * 4]` on the backend.
 */
export function nllLoss(tape: Tape, logits: Var, t: LossTargets, metrics: Tensor, slot: number): void {
  const grad = tape.temp(logits.value.rows, logits.value.cols);
  const scratch = tape.temp(logits.value.rows, 1);
  tape.backend.nllLoss(logits.value, t.labels, t.splitOf, t.maskBit, t.count, grad, scratch, metrics, slot);
  logits.grad = grad;
}

import type { Backend, Tensor } from '../../src/engine/backend';
import { Tape, Var } from '../../src/engine/tape';
import { expectClose, maxAbs } from './compare';

export interface Input {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

/**
 * Central difference of `objective` in entry `j` of `data`, using the step actually taken after
 * rounding to f32 (x + eps and x - eps are stored as f32). The objective is evaluated in float64.
 */
export async function centralDifference(
  data: Float32Array, j: number, eps: number, objective: () => Promise<number>,
): Promise<number> {
  const x = data[j];
  data[j] = x + eps;
  const hi = data[j];
  const fPlus = await objective();
  data[j] = x - eps;
  const lo = data[j];
  const fMinus = await objective();
  data[j] = x;
  return (fPlus - fMinus) / (hi - lo);
}

/** sum(out * weights) in float64 from the f32 values read back. */
export async function weightedSum(backend: Backend, out: Tensor, weights: Float32Array): Promise<number> {
  const o = await backend.read(out);
  if (o.length !== weights.length) throw new Error(`output has ${o.length} entries, weights ${weights.length}`);
  let s = 0;
  for (let i = 0; i < o.length; i++) s += o[i] * weights[i];
  return s;
}

export interface GradCheckResult {
  readonly analytic: Float32Array[];
  readonly numeric: Float64Array[];
}

/**
 * Checks the tape's gradients of L = sum(build(inputs) * R), R a fixed random weighting of the
 * output, against central differences in every entry of every input. `build` must be a pure
 * function of the input values (e.g. dropout with a fixed key).
 */
export async function gradCheck(
  backend: Backend,
  inputs: readonly Input[],
  build: (tape: Tape, vars: Var[]) => Var,
  weights: (rows: number, cols: number) => Float32Array,
  opts: { eps?: number; rtol?: number; atolFrac?: number } = {},
): Promise<GradCheckResult> {
  const eps = opts.eps ?? 1e-2;
  const rtol = opts.rtol ?? 1e-3;
  const atolFrac = opts.atolFrac ?? 1e-3;

  // Analytic: one forward, seed d L / d out = R, backward.
  const tape = new Tape(backend);
  const vars = inputs.map((x) => new Var(backend.tensor(x.rows, x.cols, x.data), true));
  const out = build(tape, vars);
  const R = weights(out.value.rows, out.value.cols);
  out.grad = backend.tensor(out.value.rows, out.value.cols, R);
  tape.runBackward();
  const analytic: Float32Array[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const g = vars[i].grad;
    analytic.push(g ? await backend.read(g) : new Float32Array(inputs[i].rows * inputs[i].cols));
    if (g) assert(g.rows === inputs[i].rows && g.cols === inputs[i].cols, `gradient ${i} has shape ${g.rows} x ${g.cols}`);
  }
  tape.release();

  // Numeric: perturb every entry of every input.
  const datas = inputs.map((x) => x.data.slice());
  const objective = async (): Promise<number> => {
    const t = new Tape(backend);
    const vs = inputs.map((x, i) => new Var(backend.tensor(x.rows, x.cols, datas[i]), false));
    const o = build(t, vs);
    const v = await weightedSum(backend, o.value, R);
    t.release();
    return v;
  };
  const numeric: Float64Array[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const n = new Float64Array(datas[i].length);
    for (let j = 0; j < n.length; j++) n[j] = await centralDifference(datas[i], j, eps, objective);
    numeric.push(n);
    expectClose(analytic[i], n, rtol, atolFrac * Math.max(maxAbs(n), 1e-3), `gradient of input ${i}`);
  }
  return { analytic, numeric };
}

function assert(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

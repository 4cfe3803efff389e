import { binary, scale, sum, unary } from '../../engine/pointwiseOps';
import type { Tape, Var } from '../../engine/tape';

const EPS = 1e-5;

/**
 * PyG's PairNorm (Zhao and Akoglu 2020, scale 1): centre every column over the nodes, then
 * rescale so the mean squared row norm is s^2. It keeps deep stacks from collapsing every node
 * onto one point (over-smoothing). Differentiable through the primitives it is built from.
 */
export function pairNorm(tape: Tape, x: Var, s = 1): Var {
  const n = x.value.rows;
  const centered = binary(tape, 'sub', x, scale(tape, sum(tape, x, 'rows'), 1 / n));
  const meanSq = scale(tape, sum(tape, sum(tape, unary(tape, 'square', centered), 'cols'), 'rows'), 1 / n, EPS);
  return binary(tape, 'mul', centered, scale(tape, unary(tape, 'rsqrt', meanSq), s));
}

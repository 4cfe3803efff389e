/**
 * Euclidean norms for per-layer gradient magnitudes. Float32 squares summed in float64: with
 * thousands of entries a float32 sum would lose the small ones, and squares of float32 values
 * cannot overflow a double. NaN or Inf in the input comes back as NaN or Inf, which is what a
 * chart of a diverging run should show.
 */

export function l2Norm(x: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  return Math.sqrt(sum);
}

/** The norm of several arrays taken as one vector, e.g. a layer's weight and bias gradients. */
export function l2NormOf(arrays: readonly Float32Array[]): number {
  let sum = 0;
  for (const x of arrays) {
    for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  }
  return Math.sqrt(sum);
}

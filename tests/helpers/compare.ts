/**
 * Element-wise closeness with a readable failure: |actual - expected| <= rtol * |expected| + atol
 * at every index (atol a number, or one per element). NaN matches only NaN. Returns nothing;
 * throws naming the worst index, so a test fails loudly. rtol = atol = 0 is exact equality
 * (with +0 equal to -0).
 */
export function expectClose(
  actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number | ArrayLike<number>,
  what = 'values',
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  }
  let worst = -1, worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(a) !== Number.isNaN(e)) {
      throw new Error(`${what}[${i}]: ${a}, expected ${e}`);
    }
    if (Number.isNaN(e)) continue;
    const excess = Math.abs(a - e) - (rtol * Math.abs(e) + (typeof atol === 'number' ? atol : atol[i]));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${what}[${worst}] = ${actual[worst]}, expected ${expected[worst]} ` +
        `(|diff| ${Math.abs(actual[worst] - expected[worst]).toExponential(3)} > rtol ${rtol} * |expected| + atol ` +
        `${typeof atol === 'number' ? atol : atol[worst]})`,
    );
  }
}

/** Bit-for-bit equality of two float arrays (NaN equals NaN, +0 and -0 differ). */
export function expectBitEqual(actual: Float32Array, expected: Float32Array, what = 'values'): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  }
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) throw new Error(`${what}[${i}] = ${actual[i]}, expected exactly ${expected[i]}`);
  }
}

/** Largest absolute value, for tolerances scaled to a tensor's magnitude. */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/** Exact equality, element by element (+0 equals -0, NaN equals NaN). */
export function expectExact(actual: ArrayLike<number>, expected: ArrayLike<number>, what = 'values'): void {
  expectClose(actual, expected, 0, 0, what);
}

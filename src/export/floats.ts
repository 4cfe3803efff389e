/**
 * The shortest decimal that reads back (through float64, then rounded to float32) as the same
 * float32: `0.1` for Math.fround(0.1), never `0.10000000149011612`. At most 9 significant
 * digits, which every float32 needs at most. -0 stays "-0". Not finite: "NaN", "Infinity",
 * "-Infinity" (JSON writers turn those into null themselves).
 */
export function f32(x: number): string {
  const v = Math.fround(x);
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  for (let p = 1; p < 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(Number(v.toPrecision(9)));
}

/** `f32` for JSON, where NaN and the infinities have no spelling: null. */
export function f32Json(x: number): string {
  return Number.isFinite(Math.fround(x)) ? f32(x) : 'null';
}

export function pct(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`;
}

/** Fixed decimals, but late-training losses like 0.0004 keep two significant digits, not "0.000". */
export function num(x: number | undefined, digits = 3): string {
  if (x === undefined || Number.isNaN(x)) return '—';
  return x !== 0 && Math.abs(x) < 10 ** -digits * 10 ? x.toPrecision(2) : x.toFixed(digits);
}

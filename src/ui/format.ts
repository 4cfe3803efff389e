export function pct(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`;
}

export function num(x: number | undefined, digits = 3): string {
  return x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits);
}

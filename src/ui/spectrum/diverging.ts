/**
 * ColorBrewer's RdBu (11 classes, colour-blind safe), negative = blue, zero = near white,
 * positive = red. `t` in [-1, 1]; values outside are clamped.
 */
const stops = [
  '#053061', '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b', '#67001f',
].map((h) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16)));

export function diverging(t: number): string {
  const u = ((Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0)) + 1) / 2) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const c = stops[i].map((a, j) => Math.round(a + (stops[i + 1][j] - a) * f));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** The colours at evenly spaced points of [-1, 1], for a legend gradient. */
export function divergingStops(count = 11): string[] {
  return Array.from({ length: count }, (_, i) => diverging(-1 + (2 * i) / (count - 1)));
}

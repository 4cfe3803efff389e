import { mulberry32 } from './folds';

/**
 * Starting positions for drafts that come without any (a loaded graph, Karate), in [0, 1]^2.
 * The spring layout uses only + - * / and sqrt, which IEEE 754 rounds exactly, so a seed gives
 * the same picture in every engine.
 */
export interface Positions {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Above this, `autoLayout` puts nodes on a circle: a spring layout is O(n^2) per iteration. */
export const SPRING_LAYOUT_MAX_NODES = 500;

export function autoLayout(n: number, edges: readonly { readonly src: number; readonly dst: number }[], seed = 0): Positions {
  return n <= SPRING_LAYOUT_MAX_NODES ? springLayout(n, edges, seed) : circleLayout(n);
}

/** Node i at angle 2 pi i / n, starting at the top, clockwise. */
export function circleLayout(n: number, radius = 0.45): Positions {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n - Math.PI / 2;
    x[i] = 0.5 + radius * Math.cos(a);
    y[i] = 0.5 + radius * Math.sin(a);
  }
  return { x, y };
}

/**
 * Fruchterman and Reingold (1991): all pairs repel with k^2 / d, edges attract with d^2 / k, and
 * each step moves a node at most a temperature that cools linearly; then the picture is scaled
 * into [margin, 1 - margin] keeping its aspect ratio.
 */
export function springLayout(
  n: number,
  edges: readonly { readonly src: number; readonly dst: number }[],
  seed = 0,
  iterations = 150,
  margin = 0.05,
): Positions {
  const next = mulberry32(seed);
  const x = Float64Array.from({ length: n }, () => next() / 2 ** 32);
  const y = Float64Array.from({ length: n }, () => next() / 2 ** 32);
  const k = Math.sqrt(1 / Math.max(n, 1));
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    const t = 0.1 * (1 - it / iterations);
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const ex = x[i] - x[j];
        const ey = y[i] - y[j];
        const d2 = Math.max(ex * ex + ey * ey, 1e-9);
        const f = (k * k) / d2; // (k^2 / d) along the unit vector (ex, ey) / d
        dx[i] += ex * f;
        dy[i] += ey * f;
        dx[j] -= ex * f;
        dy[j] -= ey * f;
      }
    }
    for (const { src: a, dst: b } of edges) {
      const ex = x[a] - x[b];
      const ey = y[a] - y[b];
      const f = Math.sqrt(ex * ex + ey * ey) / k; // (d^2 / k) along the unit vector
      dx[a] -= ex * f;
      dy[a] -= ey * f;
      dx[b] += ex * f;
      dy[b] += ey * f;
    }
    for (let i = 0; i < n; i++) {
      const len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
      if (len > 0) {
        const step = Math.min(len, t) / len;
        x[i] += dx[i] * step;
        y[i] += dy[i] * step;
      }
    }
  }
  fit(x, y, margin);
  return { x, y };
}

/** Scales and centres the points into [margin, 1 - margin]^2, one scale for both axes. */
export function fit(x: Float64Array, y: Float64Array, margin = 0.05): void {
  const n = x.length;
  if (n === 0) return;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, x[i]);
    x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, y[i]);
    y1 = Math.max(y1, y[i]);
  }
  const span = Math.max(x1 - x0, y1 - y0);
  const s = span > 0 ? (1 - 2 * margin) / span : 0;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  for (let i = 0; i < n; i++) {
    x[i] = 0.5 + (x[i] - cx) * s;
    y[i] = 0.5 + (y[i] - cy) * s;
  }
}

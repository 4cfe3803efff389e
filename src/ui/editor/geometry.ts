/** The drawing's coordinates: node positions in [0, 1]^2, mapped into the box with a margin. */
export interface Frame {
  readonly width: number;
  readonly height: number;
}

const MARGIN = 24;

export function toScreen(f: Frame, x: number, y: number): { x: number; y: number } {
  return { x: MARGIN + x * Math.max(f.width - 2 * MARGIN, 1), y: MARGIN + y * Math.max(f.height - 2 * MARGIN, 1) };
}

/** The inverse of toScreen, clamped into the unit square so a node is never lost off the edge. */
export function toUnit(f: Frame, px: number, py: number): { x: number; y: number } {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return {
    x: clamp((px - MARGIN) / Math.max(f.width - 2 * MARGIN, 1)),
    y: clamp((py - MARGIN) / Math.max(f.height - 2 * MARGIN, 1)),
  };
}

/** Node radius in pixels: big enough to hit with a finger on a few nodes, smaller for hundreds. */
export function nodeRadius(n: number): number {
  return n <= 40 ? 14 : n <= 200 ? 8 : n <= 1000 ? 4 : 2.5;
}

/** Distance from point p to the segment a-b, for picking edges. */
export function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

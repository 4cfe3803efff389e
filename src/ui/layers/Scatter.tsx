import { useEffect, useRef } from 'react';
import { classColor, correctColor, unknownColor, wrongColor } from '../palette';
import { useSize } from '../useSize';

/** Fill of one point: a class id (or -1), or right / wrong. */
export type PointColour = number | 'right' | 'wrong';

/**
 * One layer's nodes on its two principal components, drawn on a canvas (thousands of points).
 * The axes are scaled per frame to fit, as PCA's scale means nothing across layers.
 */
export function Scatter({ coords, colours, label, testId }: {
  readonly coords: Float32Array;
  readonly colours: readonly PointColour[];
  readonly label: string;
  readonly testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const { width, height } = useSize(box);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || width <= 0 || height <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const n = coords.length / 2;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      x0 = Math.min(x0, coords[2 * i]); x1 = Math.max(x1, coords[2 * i]);
      y0 = Math.min(y0, coords[2 * i + 1]); y1 = Math.max(y1, coords[2 * i + 1]);
    }
    const r = n <= 100 ? 5 : n <= 1000 ? 3 : 1.8;
    const pad = r + 4;
    // A collapsed layer (every node the same) keeps a nonzero span and shows as one dot.
    const sx = (width - 2 * pad) / Math.max(x1 - x0, 1e-6);
    const sy = (height - 2 * pad) / Math.max(y1 - y0, 1e-6);
    const paths = new Map<PointColour, Path2D>();
    for (let i = 0; i < n; i++) {
      const key = colours[i] ?? -1;
      let p = paths.get(key);
      if (!p) paths.set(key, (p = new Path2D()));
      const x = x1 > x0 ? pad + (coords[2 * i] - x0) * sx : width / 2;
      const y = y1 > y0 ? height - pad - (coords[2 * i + 1] - y0) * sy : height / 2;
      p.moveTo(x + r, y);
      p.arc(x, y, r, 0, 2 * Math.PI);
    }
    for (const [key, p] of paths) {
      ctx.fillStyle = key === 'right' ? correctColor : key === 'wrong' ? wrongColor : key < 0 ? unknownColor : classColor(key);
      ctx.globalAlpha = n > 1000 ? 0.7 : 0.9;
      ctx.fill(p);
    }
    ctx.globalAlpha = 1;
  }, [coords, colours, width, height]);
  return (
    <div className="scatter-box" ref={box}>
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} style={{ width, height }} />
    </div>
  );
}

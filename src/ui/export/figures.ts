import { figureColumns, layoutFigure, type FigurePanel } from '../../export/figure';
import type { Frame } from '../../state/insightStore';
import type { ColourBy } from '../../state/viewStore';
import type { GraphSummary } from '../../train/protocol';
import { num } from '../format';
import type { PointColour } from '../layers/Scatter';
import { classColor, correctColor, unknownColor, wrongColor } from '../palette';

/** A picture to place in a figure, with its size in device pixels and its caption. */
export interface PanelImage extends FigurePanel {
  readonly image: CanvasImageSource;
}

export interface LegendEntry {
  readonly label: string;
  readonly color: string;
}

const INK = '#1f2937';
const MUTED = '#5b6270';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/**
 * The figure on a white canvas at `scale` device pixels per CSS pixel: title lines, an optional
 * colour legend on the line after them, then the panels with their captions (figure.ts lays it out).
 */
export function drawFigure(title: readonly string[], legend: readonly LegendEntry[], panels: readonly PanelImage[], columns: number, scale: number): HTMLCanvasElement {
  const lines = legend.length ? [...title, ' '] : [...title];
  const layout = layoutFigure(lines, panels, columns, scale);
  const canvas = document.createElement('canvas');
  canvas.width = layout.width;
  canvas.height = layout.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas here.');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = 'alphabetic';
  layout.title.forEach((t, i) => {
    ctx.font = `${t.bold ? '600 ' : ''}${t.size}px ${FONT}`;
    ctx.fillStyle = i === 0 ? INK : MUTED;
    if (legend.length && i === layout.title.length - 1) {
      let x = t.x;
      const r = Math.round(t.size * 0.38);
      for (const e of legend) {
        ctx.fillStyle = e.color;
        ctx.beginPath();
        ctx.arc(x + r, t.y - r, r, 0, 2 * Math.PI);
        ctx.fill();
        ctx.fillStyle = INK;
        ctx.fillText(e.label, x + 2.6 * r, t.y);
        x += 2.6 * r + ctx.measureText(e.label).width + 2 * r;
      }
    } else {
      ctx.fillText(t.text, t.x, t.y);
    }
  });
  layout.panels.forEach((p, i) => {
    p.caption.forEach((c) => {
      ctx.font = `${c.bold ? '600 ' : ''}${c.size}px ${FONT}`;
      ctx.fillStyle = c.bold ? INK : MUTED;
      ctx.fillText(c.text, c.x, c.y);
    });
    ctx.drawImage(panels[i].image, p.x, p.y, p.width, p.height);
    ctx.strokeStyle = '#d6d9de';
    ctx.lineWidth = Math.max(1, Math.round(scale));
    ctx.strokeRect(p.x - 0.5, p.y - 0.5, p.width + 1, p.height + 1);
  });
  return canvas;
}

export function pngBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The browser could not encode the PNG.'))), 'image/png');
  });
}

/** How LayersView and the graph fill each node: predicted class, true class, or right / wrong. */
export function pointColours(graph: GraphSummary, predictions: Int32Array | null, colourBy: ColourBy): PointColour[] {
  return Array.from(graph.labels, (label, i) => {
    const p = predictions?.[i] ?? -1;
    if (colourBy === 'true') return label;
    if (colourBy === 'correct') return p < 0 ? -1 : p === label ? 'right' : 'wrong';
    return p;
  });
}

export function legendOf(graph: GraphSummary, colourBy: ColourBy, hasPredictions: boolean): LegendEntry[] {
  if (colourBy === 'correct') return [{ label: 'right', color: correctColor }, { label: 'wrong', color: wrongColor }];
  const classes = graph.classNames.map((name, c) => ({ label: name, color: classColor(c) }));
  return colourBy === 'predicted' && !hasPredictions ? [...classes, { label: 'not predicted yet', color: unknownColor }] : classes;
}

export const colourWords: Record<ColourBy, string> = { predicted: 'predicted class', true: 'true class', correct: 'right or wrong prediction' };

/**
 * One layer's nodes on its two principal components, drawn as the page's Scatter draws them
 * (same point sizes, padding and fills), for a layer view that is not on screen.
 */
export function renderScatter(coords: Float32Array, colours: readonly PointColour[], width: number, height: number, dpr: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = Math.round(width * dpr);
  c.height = Math.round(height * dpr);
  const ctx = c.getContext('2d');
  if (!ctx) return c;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const n = coords.length / 2;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, coords[2 * i]); x1 = Math.max(x1, coords[2 * i]);
    y0 = Math.min(y0, coords[2 * i + 1]); y1 = Math.max(y1, coords[2 * i + 1]);
  }
  const r = n <= 100 ? 5 : n <= 1000 ? 3 : 1.8;
  const pad = r + 4;
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
  return c;
}

/** The layer views as on screen (their canvases and captions), or drawn here from `frame` when the tab is closed. */
export function layerPanels(frame: Frame, colours: readonly PointColour[], dpr: number): PanelImage[] {
  const shown = document.querySelector('[data-testid="layer-multiples"]');
  const figures = shown ? [...shown.querySelectorAll('figure')] : [];
  const canvases = figures.map((f) => f.querySelector('canvas'));
  if (figures.length === frame.layers.length && canvases.every((c) => c && c.width > 0 && c.height > 0)) {
    return figures.map((f, i) => ({
      image: canvases[i]!, width: canvases[i]!.width, height: canvases[i]!.height,
      caption: ((f.querySelector('figcaption') as HTMLElement | null)?.innerText ?? frame.layers[i].name).split('\n').map((s) => s.trim()).filter(Boolean),
    }));
  }
  const w = 300, h = 220;
  return frame.layers.map((l) => ({
    image: renderScatter(l.coords, colours, w, h, dpr), width: Math.round(w * dpr), height: Math.round(h * dpr),
    caption: [`${l.name} · ${l.dim} dims`, `energy ${num(l.energy)} · MAD ${num(l.mad)}`],
  }));
}

export { figureColumns };

/**
 * Layout of a composed PNG (the graph view, or the layer small multiples): a title block, then
 * the panels in a grid, each under its caption. Pure arithmetic in device pixels, so the page
 * draws it at its device pixel ratio and tests can check it without a canvas.
 */

/** One panel: its picture's size in device pixels and its caption lines. */
export interface FigurePanel {
  readonly width: number;
  readonly height: number;
  readonly caption: readonly string[];
}

export interface TextLine {
  readonly text: string;
  readonly x: number;
  /** Baseline. */
  readonly y: number;
  /** Font size in device pixels. */
  readonly size: number;
  readonly bold: boolean;
}

export interface PlacedPanel {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly caption: readonly TextLine[];
}

export interface FigureLayout {
  readonly width: number;
  readonly height: number;
  readonly title: readonly TextLine[];
  readonly panels: readonly PlacedPanel[];
}

/** CSS pixels; every one is multiplied by the scale (the device pixel ratio). */
export const FIGURE = { pad: 16, gap: 14, titleSize: 18, subtitleSize: 13, titleLeading: 1.45, captionSize: 12, captionLeading: 1.4, captionGap: 4 } as const;

/**
 * Title lines (the first bold and larger) across the top, then `columns` panels a row, each
 * cell as wide as the widest panel and each row as tall as its tallest caption and picture.
 */
export function layoutFigure(title: readonly string[], panels: readonly FigurePanel[], columns: number, scale: number): FigureLayout {
  const s = (v: number) => Math.round(v * scale);
  const pad = s(FIGURE.pad), gap = s(FIGURE.gap);
  const cols = Math.max(1, Math.min(columns, panels.length || 1));
  const cellW = panels.reduce((m, p) => Math.max(m, p.width), 0);
  const titleLines: TextLine[] = [];
  let y = pad;
  title.forEach((text, i) => {
    const size = s(i === 0 ? FIGURE.titleSize : FIGURE.subtitleSize);
    const lead = Math.round(size * FIGURE.titleLeading);
    titleLines.push({ text, x: pad, y: y + Math.round(lead * 0.75), size, bold: i === 0 });
    y += lead;
  });
  if (title.length) y += gap;
  const captionSize = s(FIGURE.captionSize), captionLead = Math.round(captionSize * FIGURE.captionLeading);
  const placed: PlacedPanel[] = [];
  for (let r = 0; r * cols < panels.length; r++) {
    const row = panels.slice(r * cols, (r + 1) * cols);
    const capH = Math.max(...row.map((p) => p.caption.length)) * captionLead;
    const top = y + (capH > 0 ? capH + s(FIGURE.captionGap) : 0);
    row.forEach((p, c) => {
      const x = pad + c * (cellW + gap);
      placed.push({
        x, y: top, width: p.width, height: p.height,
        caption: p.caption.map((text, i) => ({ text, x, y: y + i * captionLead + Math.round(captionLead * 0.75), size: captionSize, bold: i === 0 })),
      });
    });
    y = top + Math.max(...row.map((p) => p.height)) + gap;
  }
  const width = Math.max(2 * pad + cols * cellW + (cols - 1) * gap, 2 * pad + s(320));
  const height = (panels.length ? y - gap : y) + pad;
  return { width, height, title: titleLines, panels: placed };
}

/** Columns for n small multiples: one row up to 4, then a near-square grid of at most 4 a row. */
export function figureColumns(n: number): number {
  return n <= 4 ? Math.max(1, n) : Math.min(4, Math.ceil(Math.sqrt(n)));
}

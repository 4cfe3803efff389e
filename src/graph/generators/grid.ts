import type { DraftEdge, GraphDraft } from '../draft';
import { checkCount, finishDraft, names, type GeneratorOptions } from './common';

/**
 * The rows x cols lattice (4-neighbour), node r * cols + c at row r, column c; classes are
 * vertical bands of columns (column c is in band floor(c * classes / cols)).
 */
export function grid(rows: number, cols: number, opts: GeneratorOptions & { readonly classes?: number } = {}): GraphDraft {
  checkCount('grid rows', rows, 1);
  checkCount('grid columns', cols, 1);
  checkCount('grid size', rows * cols, 1);
  const classes = opts.classes ?? Math.min(2, cols);
  checkCount('number of classes', classes, 1, cols);
  const n = rows * cols;
  const edges: DraftEdge[] = [];
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const labels = new Int32Array(n);
  const step = 0.9 / Math.max(rows - 1, cols - 1, 1);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (c + 1 < cols) edges.push({ src: i, dst: i + 1 });
      if (r + 1 < rows) edges.push({ src: i, dst: i + cols });
      x[i] = 0.5 + (c - (cols - 1) / 2) * step;
      y[i] = 0.5 + (r - (rows - 1) / 2) * step;
      labels[i] = Math.floor((c * classes) / cols);
    }
  }
  return finishDraft({ name: `Grid ${rows}x${cols}`, classNames: names('band', classes), labels, edges, x, y, seed: opts.seed });
}

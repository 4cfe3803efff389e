import type { DraftEdge, GraphDraft } from '../draft';
import { checkCount, finishDraft, type GeneratorOptions } from './common';

/**
 * networkx's barbell_graph(cliqueSize, pathLength): cliques 0..m-1 and m+p..2m+p-1 joined
 * through the path m..m+p-1 (or by the edge m-1 - m when p = 0). Two classes, one per bell; the
 * path's first ceil(p / 2) nodes go with the left bell. The bottleneck every message between
 * the bells must squeeze through.
 */
export function barbell(cliqueSize: number, pathLength: number, opts: GeneratorOptions = {}): GraphDraft {
  checkCount('clique size', cliqueSize, 1, 1000);
  checkCount('path length', pathLength, 0);
  const m = cliqueSize;
  const p = pathLength;
  const n = 2 * m + p;
  const edges: DraftEdge[] = [];
  for (const base of [0, m + p]) {
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) edges.push({ src: base + i, dst: base + j });
  }
  for (let i = m - 1; i < m + p; i++) edges.push({ src: i, dst: i + 1 });

  const labels = Int32Array.from({ length: n }, (_, i) => (i < m + Math.ceil(p / 2) ? 0 : 1));
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const r = 0.15;
  // Each bell on a circle, its bridge node facing the other bell; the path on the line between.
  for (let i = 0; i < m; i++) {
    const a = m === 1 ? 0 : (2 * Math.PI * (i + 1)) / m; // node m-1 at angle 2 pi: facing right
    x[i] = 0.2 + (m === 1 ? 0 : r * Math.cos(a));
    y[i] = 0.5 + (m === 1 ? 0 : r * Math.sin(a));
  }
  for (let i = 0; i < m; i++) {
    x[m + p + i] = 1 - x[m - 1 - i]; // the mirror image, so node m+p (the right bridge) faces left
    y[m + p + i] = y[m - 1 - i];
  }
  for (let q = 0; q < p; q++) {
    x[m + q] = 0.2 + r + ((q + 1) * (0.6 - 2 * r)) / (p + 1);
    y[m + q] = 0.5;
  }
  return finishDraft({ name: `Barbell ${m}-${p}-${m}`, classNames: ['left', 'right'], labels, edges, x, y, seed: opts.seed });
}

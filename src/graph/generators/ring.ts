import type { DraftEdge, GraphDraft } from '../draft';
import { circleLayout } from '../layout';
import { checkCount, finishDraft, names, type GeneratorOptions } from './common';

/**
 * The cycle 0-1-...-(n-1)-0 drawn as a circle, cut into `classes` contiguous arcs (node i is in
 * arc floor(i * classes / n)): labels a one-layer model can get only near the arc ends.
 */
export function ring(n: number, classes = 2, opts: GeneratorOptions = {}): GraphDraft {
  checkCount('ring size', n, 1);
  checkCount('number of classes', classes, 1, n);
  const edges: DraftEdge[] = [];
  for (let i = 0; i + 1 < n; i++) edges.push({ src: i, dst: i + 1 });
  if (n > 2) edges.push({ src: 0, dst: n - 1 });
  const labels = Array.from({ length: n }, (_, i) => Math.floor((i * classes) / n));
  const { x, y } = circleLayout(n);
  return finishDraft({ name: `Ring ${n}`, classNames: names('arc', classes), labels, edges, x, y, seed: opts.seed });
}

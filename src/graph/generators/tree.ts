import type { DraftEdge, GraphDraft } from '../draft';
import { checkCount, finishDraft, MAX_GENERATED_NODES, names, type GeneratorOptions } from './common';

/**
 * The full `branching`-ary tree of the given depth, numbered breadth first (root 0), drawn in
 * layers: depth d at height d / depth, each layer's nodes evenly spaced, which puts every parent
 * above the middle of its children. Classes: 'branch' = which child of the root a node descends
 * from (the root is in branch 0), or 'depth' = the node's depth.
 */
export function tree(
  branching: number,
  depth: number,
  opts: GeneratorOptions & { readonly labelBy?: 'branch' | 'depth' } = {},
): GraphDraft {
  checkCount('branching', branching, 1, MAX_GENERATED_NODES);
  checkCount('depth', depth, 0, MAX_GENERATED_NODES);
  let n = 1;
  let width = 1;
  for (let d = 1; d <= depth; d++) {
    width *= branching;
    n += width;
    if (n > MAX_GENERATED_NODES) throw new RangeError(`a tree of branching ${branching} and depth ${depth} has more than the ${MAX_GENERATED_NODES} nodes a generator makes`);
  }
  const byDepth = opts.labelBy === 'depth';
  const classes = byDepth ? depth + 1 : depth === 0 ? 1 : branching;

  const edges: DraftEdge[] = [];
  const labels = new Int32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let first = 0; // first id of the current layer
  width = 1;
  for (let d = 0; d <= depth; d++) {
    for (let j = 0; j < width; j++) {
      const i = first + j;
      x[i] = 0.05 + 0.9 * ((j + 0.5) / width);
      y[i] = depth === 0 ? 0.5 : 0.05 + (0.9 * d) / depth;
      if (d > 0) {
        const parent = first - width / branching + Math.floor(j / branching);
        edges.push({ src: parent, dst: i });
        labels[i] = byDepth ? d : d === 1 ? j : labels[parent];
      }
    }
    first += width;
    width *= branching;
  }
  const name = `Tree ${branching}^${depth}`;
  return finishDraft({ name, classNames: names(byDepth ? 'depth' : 'branch', classes), labels, edges, x, y, seed: opts.seed });
}

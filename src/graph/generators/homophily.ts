import type { GraphDraft } from '../draft';

/**
 * Edge homophily (Zhu et al., "Beyond homophily in graph neural networks", NeurIPS 2020): the
 * fraction of edges whose two ends share a class. NaN for a draft without edges, where it is
 * undefined.
 */
export function edgeHomophily(d: GraphDraft): number {
  if (d.edges.length === 0) return NaN;
  let same = 0;
  for (const e of d.edges) if (d.nodes[e.src].label === d.nodes[e.dst].label) same++;
  return same / d.edges.length;
}

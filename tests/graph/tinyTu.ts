import type { TuFiles } from '../../src/graph/tu';

/**
 * A hand-made TU data set: graph 1 is the path 1-2-3, graph 2 the edge 4-5, graph 3 the lone
 * node 6. Raw graph labels 5, -1, 5 (classes -1 -> 0, 5 -> 1); node labels 2..4 (one-hot width
 * 3); edge labels 1..2 (types 0..1).
 */
export const tinyFiles: TuFiles = {
  A: '1, 2\n2, 1\n2, 3\n3, 2\n4, 5\n5, 4\n',
  graph_indicator: '1\n1\n1\n2\n2\n3\n',
  graph_labels: '5\n-1\n5\n',
  node_labels: '2\n3\n2\n4\n2\n3\n',
  edge_labels: '1\n1\n2\n2\n1\n1\n',
};

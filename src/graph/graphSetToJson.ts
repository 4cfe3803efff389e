import type { GraphSet } from './graphSet';

/**
 * Writes a GraphSet as `gnn-graphset-json` v1, the form `parseGraphSetJson` reads back to an
 * equal set. One top-level field per line with the small fields first, so `head` shows what a
 * file holds; arrays are plain integers (features travel as node_labels, their one-hot column).
 */
export function graphSetToJson(set: GraphSet): string {
  const fields: [string, unknown][] = [
    ['schema', 'gnn-graphset-json'],
    ['schema_version', 1],
    ['name', set.name],
    ['task', 'graph_classification'],
    ['num_graphs', set.numGraphs],
    ['num_nodes', set.numNodes],
    ['num_edges', set.numEdges],
    ['num_features', set.numFeatures],
    ['num_classes', set.numClasses],
    ['num_edge_types', set.numEdgeTypes],
    ['class_names', set.classNames],
    ['feature_names', set.featureNames],
    ['edge_type_names', set.edgeTypeNames],
    ['citation', set.citation],
    ['source', set.source],
    ['licence', set.licence],
    ['graph_labels', Array.from(set.graphLabels)],
    ['node_offsets', Array.from(set.nodeOffsets)],
    ['node_labels', set.nodeLabels && Array.from(set.nodeLabels)],
    ['edges', { src: Array.from(set.src), dst: Array.from(set.dst) }],
    ['edge_types', set.edgeTypes && Array.from(set.edgeTypes)],
  ];
  const lines = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

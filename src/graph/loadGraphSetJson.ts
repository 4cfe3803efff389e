import type { GraphSet } from './graphSet';
import { buildGraphSet, checkEdges } from './graphSetBuild';
import { count, fail, ids, names, object, optionalString, show, string } from './jsonFields';

/**
 * Reads a `gnn-graphset-json` v1 file (format in public/datasets/README.md): many small graphs
 * for graph classification. Everything is checked before anything is built, so a file either
 * yields a whole GraphSet or a GraphFormatError naming the bad place.
 */
export function parseGraphSetJson(text: string): GraphSet {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    fail('', `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return graphSetFromJson(value);
}

// Bounds what a bad file can make us allocate before its arrays are checked.
const MAX_CLASSES = 65536;
const MAX_EDGE_TYPES = 256; // edge types live in a Uint8Array
const MAX_FEATURE_CELLS = 2 ** 28; // dense one-hot features, float32

/** The same checks on an already parsed value. */
export function graphSetFromJson(value: unknown): GraphSet {
  const root = object(value, '');
  if (root.schema !== 'gnn-graphset-json') fail('schema', `expected "gnn-graphset-json", found ${show(root.schema)}`);
  if (root.schema_version !== 1) fail('schema_version', `expected 1, found ${show(root.schema_version)}`);
  const name = string(root.name, 'name');
  if (root.task !== undefined && root.task !== 'graph_classification') {
    fail('task', `expected "graph_classification", found ${show(root.task)}`);
  }
  const citation = optionalString(root.citation, 'citation');
  const source = optionalString(root.source, 'source');
  const licence = optionalString(root.licence, 'licence');

  const numGraphs = count(root.num_graphs, 'num_graphs', 0);
  const n = count(root.num_nodes, 'num_nodes', 0);
  const e = count(root.num_edges, 'num_edges', 0);
  const f = count(root.num_features, 'num_features', 0);
  const c = count(root.num_classes, 'num_classes', 1, MAX_CLASSES);
  const t = root.num_edge_types === undefined ? 0 : count(root.num_edge_types, 'num_edge_types', 0, MAX_EDGE_TYPES);
  if (n * f > MAX_FEATURE_CELLS) fail('num_features', `${n} nodes x ${f} one-hot columns is more than ${MAX_FEATURE_CELLS} floats`);

  const classNames = names(root.class_names, 'class_names', c) ?? Array.from({ length: c }, (_, i) => `class ${i}`);
  const featureNames = names(root.feature_names, 'feature_names', f);
  const edgeTypeNames = names(root.edge_type_names, 'edge_type_names', t);

  const nodeOffsets = readOffsets(root.node_offsets, numGraphs, n);
  let nodeLabels: Uint32Array | undefined;
  if (f > 0) nodeLabels = ids(root.node_labels, 'node_labels', n, f, 'label');
  else if (root.node_labels !== undefined) fail('node_labels', 'must be omitted when num_features is 0');

  const edges = object(root.edges, 'edges');
  const src = ids(edges.src, 'edges.src', e, n, 'node id');
  const dst = ids(edges.dst, 'edges.dst', e, n, 'node id');
  let edgeTypes: Uint8Array | undefined;
  if (t > 0) edgeTypes = Uint8Array.from(ids(root.edge_types, 'edge_types', e, t, 'edge type'));
  else if (root.edge_types !== undefined) fail('edge_types', 'must be omitted when num_edge_types is 0 or absent');
  const graphLabels = Int32Array.from(ids(root.graph_labels, 'graph_labels', numGraphs, c, 'class'));

  const place = (k: number, field: string) => (field === 'type' ? `edge_types[${k}]` : `edges.${field}[${k}]`);
  const edgeOffsets = checkEdges(nodeOffsets, src, dst, edgeTypes, place, 0);

  return buildGraphSet({
    name,
    numFeatures: f,
    numClasses: c,
    classNames,
    featureNames,
    nodeOffsets,
    edgeOffsets,
    src,
    dst,
    numEdgeTypes: t,
    edgeTypes,
    edgeTypeNames,
    nodeLabels,
    graphLabels,
    citation,
    source,
    licence,
  });
}

/** 0 = first, num_nodes = last, strictly increasing: every graph has a node. */
function readOffsets(v: unknown, numGraphs: number, n: number): Uint32Array {
  const offsets = ids(v, 'node_offsets', numGraphs + 1, n + 1, 'offset');
  if (offsets[0] !== 0) fail('node_offsets[0]', `must be 0, found ${offsets[0]}`);
  if (offsets[numGraphs] !== n) fail(`node_offsets[${numGraphs}]`, `must be num_nodes = ${n}, found ${offsets[numGraphs]}`);
  for (let g = 0; g < numGraphs; g++) {
    if (offsets[g + 1] <= offsets[g]) {
      fail(`node_offsets[${g + 1}]`, `${offsets[g + 1]} is not above node_offsets[${g}] = ${offsets[g]} (graph ${g} would have no nodes)`);
    }
  }
  return offsets;
}

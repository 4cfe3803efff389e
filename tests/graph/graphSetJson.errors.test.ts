import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GraphFormatError } from '../../src/graph/errors';
import { graphSetToJson } from '../../src/graph/graphSetToJson';
import { parseGraphSetJson } from '../../src/graph/loadGraphSetJson';
import { parseTu } from '../../src/graph/tu';
import { tinyFiles } from './tinyTu';

const mutagText = readFileSync(new URL('../../public/datasets/mutag.json', import.meta.url), 'utf8');
const mutag = JSON.parse(mutagText);
// Tiny: graphs {0,1,2} {3,4} {5}; edges src [0,1,1,2,3,4] -> dst [1,0,2,1,4,3].
const tiny = JSON.parse(graphSetToJson(parseTu('TINY', tinyFiles)));

function errorOf(run: () => unknown): GraphFormatError {
  try {
    run();
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw new Error(`expected a GraphFormatError, got ${String(e)}`);
    return e;
  }
  throw new Error('expected a GraphFormatError, but the file loaded');
}

function corrupt(base: any, mutate: (j: any) => void): GraphFormatError {
  const j = structuredClone(base);
  mutate(j);
  return errorOf(() => parseGraphSetJson(JSON.stringify(j)));
}

type Case = [name: string, base: any, mutate: (j: any) => void, path: string, message: RegExp | string];

const cases: Case[] = [
  ['wrong schema tag', tiny, (j) => (j.schema = 'gnn-graph-json'), 'schema', 'schema: expected "gnn-graphset-json", found "gnn-graph-json"'],
  ['newer schema version', tiny, (j) => (j.schema_version = 2), 'schema_version', 'schema_version: expected 1, found 2'],
  ['node task', tiny, (j) => (j.task = 'node_classification'), 'task', /expected "graph_classification", found "node_classification"/],
  ['num_graphs as a string', mutag, (j) => (j.num_graphs = '188'), 'num_graphs', /expected a whole number in 0..2147483647, found "188"/],
  ['too many edge types', tiny, (j) => (j.num_edge_types = 300), 'num_edge_types', 'num_edge_types: expected a whole number in 0..256, found 300'],
  ['citation not a string', tiny, (j) => (j.citation = 7), 'citation', 'citation: expected a string, found 7'],
  ['one-hot too large', mutag, (j) => (j.num_features = 1e6), 'num_features', /3371 nodes x 1000000 one-hot columns is more than 268435456 floats/],
  ['class_names too short', mutag, (j) => j.class_names.pop(), 'class_names', 'class_names: expected 2 entries, found 1'],
  ['feature name not a string', mutag, (j) => (j.feature_names[2] = 3), 'feature_names[2]', 'feature_names[2]: expected a string, found 3'],
  ['edge_type_names too short', mutag, (j) => j.edge_type_names.pop(), 'edge_type_names', 'edge_type_names: expected 4 entries, found 3'],
  ['out-of-range src', mutag, (j) => (j.edges.src[17] = 5000), 'edges.src[17]', 'edges.src[17]: node id 5000 is out of range 0..3370'],
  ['negative dst', mutag, (j) => (j.edges.dst[3] = -1), 'edges.dst[3]', 'edges.dst[3]: node id -1 is out of range 0..3370'],
  ['fractional src', mutag, (j) => (j.edges.src[5] = 1.5), 'edges.src[5]', 'edges.src[5]: expected an integer, found 1.5'],
  ['edges missing', tiny, (j) => delete j.edges, 'edges', 'edges: expected an object, found nothing'],
  ['num_edges mismatch', tiny, (j) => (j.num_edges = 8), 'edges.src', 'edges.src: expected 8 entries, found 6'],
  ['graph label out of range', mutag, (j) => (j.graph_labels[3] = 2), 'graph_labels[3]', 'graph_labels[3]: class 2 is out of range 0..1'],
  ['graph labels one short', mutag, (j) => j.graph_labels.pop(), 'graph_labels', 'graph_labels: expected 188 entries, found 187'],
  ['graph label as a string', tiny, (j) => (j.graph_labels[0] = '1'), 'graph_labels[0]', 'graph_labels[0]: expected an integer, found "1"'],
  ['node label out of range', mutag, (j) => (j.node_labels[10] = 7), 'node_labels[10]', 'node_labels[10]: label 7 is out of range 0..6'],
  ['node labels missing', mutag, (j) => delete j.node_labels, 'node_labels', 'node_labels: expected an array, found nothing'],
  ['node labels with no features', tiny, (j) => (j.num_features = 0), 'node_labels', 'node_labels: must be omitted when num_features is 0'],
  ['first offset not 0', tiny, (j) => (j.node_offsets[0] = 1), 'node_offsets[0]', 'node_offsets[0]: must be 0, found 1'],
  ['last offset not num_nodes', mutag, (j) => (j.node_offsets[188] = 3370), 'node_offsets[188]', 'node_offsets[188]: must be num_nodes = 3371, found 3370'],
  ['offset past num_nodes', tiny, (j) => (j.node_offsets[2] = 7), 'node_offsets[2]', 'node_offsets[2]: offset 7 is out of range 0..6'],
  ['an empty graph', tiny, (j) => (j.node_offsets[2] = 3), 'node_offsets[2]', 'node_offsets[2]: 3 is not above node_offsets[1] = 3 (graph 1 would have no nodes)'],
  ['edge joining two graphs', mutag, (j) => (j.edges.dst[0] = 17), 'edges.dst[0]', 'edges.dst[0]: edge 1 -> 17 joins graph 0 and graph 1 (edges must stay inside their graph)'],
  ['edges not grouped by graph', tiny, (j) => (j.edges.src.reverse(), j.edges.dst.reverse()), 'edges.src[2]', /edge 2 -> 1 of graph 0 follows an edge of graph 1 \(edges must be grouped by graph, in graph order\)/],
  ['self loop', mutag, (j) => (j.edges.src[0] = 0), 'edges.src[0]', /^edges.src\[0\]: self loop on node 0/],
  ['repeated edge', tiny, (j) => ((j.edges.src[3] = 1), (j.edges.dst[3] = 0)), 'edges.src[3]', 'edges.src[3]: edge 1 -> 0 is listed twice (also at edges.src[1])'],
  ['one-way edge', tiny, (j) => (j.edges.src.pop(), j.edges.dst.pop(), j.edge_types.pop(), (j.num_edges = 5)), 'edges.src[4]', /edge 3 -> 4 has no reverse 4 -> 3/],
  ['edge type out of range', mutag, (j) => (j.edge_types[0] = 4), 'edge_types[0]', 'edge_types[0]: edge type 4 is out of range 0..3'],
  ['reverse of another type', mutag, (j) => (j.edge_types[0] = 1), 'edge_types[1]', 'edge_types[1]: edge 0 -> 1 has type 0 but its reverse (edge_types[0]) has type 1'],
  ['edge types without num_edge_types', mutag, (j) => (delete j.num_edge_types, delete j.edge_type_names), 'edge_types', /must be omitted when num_edge_types is 0 or absent/],
  ['edge types one short', mutag, (j) => j.edge_types.pop(), 'edge_types', 'edge_types: expected 7442 entries, found 7441'],
];

describe('parseGraphSetJson rejects broken files with a GraphFormatError naming the place', () => {
  it.each(cases)('%s', (_name, base, mutate, path, message) => {
    const err = corrupt(base, mutate);
    expect(err.path).toBe(path);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
    expect(err.message.startsWith(`${err.path}: `)).toBe(true);
  });

  it('reports text that is not JSON, truncated or empty, and a top level that is not an object', () => {
    for (const text of [mutagText.slice(0, 500), '', '{"schema": }']) {
      const err = errorOf(() => parseGraphSetJson(text));
      expect(err.path).toBe('');
      expect(err.message).toMatch(/^not JSON: \S/);
    }
    expect(errorOf(() => parseGraphSetJson('[1, 2]')).message).toBe('expected a JSON object at the top level, found an array');
  });

  it('loads the unbroken bases (the cases fail for the reason given, not another)', () => {
    expect(parseGraphSetJson(mutagText).numGraphs).toBe(188);
    expect(parseGraphSetJson(JSON.stringify(tiny)).numGraphs).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { GraphFormatError } from '../../src/graph/errors';
import { parseTu, type TuFiles } from '../../src/graph/tu';
import { tinyFiles } from './tinyTu';

function errorOf(files: TuFiles, meta = {}): GraphFormatError {
  try {
    parseTu('TINY', files, meta);
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw new Error(`expected a GraphFormatError, got ${String(e)}`);
    return e;
  }
  throw new Error('expected a GraphFormatError, but the files loaded');
}

/** Replaces line `line` (1-based) of one file of the tiny set. */
function withLine(part: keyof TuFiles, line: number, text: string): TuFiles {
  const lines = tinyFiles[part]!.split('\n');
  lines[line - 1] = text;
  return { ...tinyFiles, [part]: lines.join('\n') };
}

type Case = [name: string, files: TuFiles, path: string, message: string | RegExp];

const cases: Case[] = [
  ['node id 0 (ids are 1-based)', withLine('A', 3, '0, 3'), 'TINY_A.txt line 3', 'TINY_A.txt line 3: node id 0 is out of range 1..6'],
  ['node id past the last node', withLine('A', 6, '5, 7'), 'TINY_A.txt line 6', /node id 7 is out of range 1..6/],
  ['three values on an A line', withLine('A', 2, '2, 1, 1'), 'TINY_A.txt line 2', /expected 2 comma-separated values, found 3/],
  ['a float id', withLine('A', 1, '1.0, 2'), 'TINY_A.txt line 1', 'TINY_A.txt line 1: expected an integer, found "1.0"'],
  ['a blank line in the middle', withLine('graph_indicator', 2, ''), 'TINY_graph_indicator.txt line 2', /found an empty line/],
  ['indicator decreases', withLine('graph_indicator', 5, '1'), 'TINY_graph_indicator.txt line 5', /graph id 1 follows graph id 2 \(ids must start at 1, never decrease and skip none/],
  ['indicator skips a graph', withLine('graph_indicator', 6, '4'), 'TINY_graph_indicator.txt line 6', /graph id 4 is out of range 1..3/],
  ['indicator not starting at 1', withLine('graph_indicator', 1, '2'), 'TINY_graph_indicator.txt line 1', /graph id 2 follows the start/],
  ['last graph has no nodes', { ...tinyFiles, graph_labels: '5\n-1\n5\n1\n' }, 'TINY_graph_indicator.txt', /ends at graph 3 but TINY_graph_labels.txt has 4 lines \(graph 4 has no nodes\)/],
  ['edge crosses graphs', withLine('A', 5, '4, 3'), 'TINY_A.txt line 5', /edge 4 -> 3 joins graph 2 and graph 1/],
  ['edges not grouped by graph', { ...tinyFiles, A: '4, 5\n5, 4\n1, 2\n2, 1\n2, 3\n3, 2\n' }, 'TINY_A.txt line 3', /edge 1 -> 2 of graph 1 follows an edge of graph 2/],
  ['self loop', { ...tinyFiles, A: `${tinyFiles.A}6, 6\n`, edge_labels: `${tinyFiles.edge_labels}1\n` }, 'TINY_A.txt line 7', /self loop on node 6/],
  ['repeated edge', withLine('A', 4, '2, 1'), 'TINY_A.txt line 4', /edge 2 -> 1 is listed twice \(also at TINY_A.txt line 2\)/],
  ['one-way edge', { ...tinyFiles, A: '1, 2\n2, 1\n2, 3\n1, 3\n4, 5\n5, 4\n' }, 'TINY_A.txt line 4', 'TINY_A.txt line 4: edge 1 -> 3 has no reverse 3 -> 1 (graphs are undirected: list both directions)'],
  ['reverse with another type', withLine('edge_labels', 4, '1'), 'TINY_edge_labels.txt line 3', 'TINY_edge_labels.txt line 3: edge 2 -> 3 has type 1 but its reverse (TINY_edge_labels.txt line 4) has type 0'],
  ['node_labels one short', { ...tinyFiles, node_labels: '2\n3\n2\n4\n2\n' }, 'TINY_node_labels.txt', 'TINY_node_labels.txt: has 5 lines but there are 6 nodes (TINY_graph_indicator.txt)'],
  ['edge_labels one long', { ...tinyFiles, edge_labels: `${tinyFiles.edge_labels}1\n` }, 'TINY_edge_labels.txt', /has 7 lines but there are 6 edges \(TINY_A.txt\)/],
  ['a word as a graph label', withLine('graph_labels', 2, 'active'), 'TINY_graph_labels.txt line 2', /expected an integer, found "active"/],
  ['node labels spanning a billion values', withLine('node_labels', 1, '1000000000'), 'TINY_node_labels.txt', /one-hot matrix is too large/],
  ['edge labels spanning 300 values', { ...tinyFiles, edge_labels: '1\n1\n300\n300\n1\n1\n' }, 'TINY_edge_labels.txt', /more than the 256 edge types/],
];

describe('parseTu rejects broken files with a GraphFormatError naming file and line', () => {
  it.each(cases)('%s', (_name, files, path, message) => {
    const err = errorOf(files);
    expect(err.path.startsWith(path)).toBe(true);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
    expect(err.message.startsWith(err.path)).toBe(true);
  });

  it('checks names given with the data against its counts', () => {
    expect(errorOf(tinyFiles, { classNames: ['a', 'b', 'c'] }).message).toBe('meta.classNames: has 3 names but the data have 2 classes');
    expect(errorOf(tinyFiles, { edgeTypeNames: ['x'] }).path).toBe('meta.edgeTypeNames');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { draftToGraphJson } from '../../src/graph/draftJson';
import { GraphFormatError } from '../../src/graph/errors';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { parseEdgeList } from '../../src/graph/loaders/edgeList';
import type { TextFile } from '../../src/graph/loaders/text';

const fixture = (name: string): TextFile => ({ name, text: readFileSync(new URL(`../fixtures/graph/${name}`, import.meta.url), 'utf8') });
const file = (name: string, text: string): TextFile => ({ name, text });

function errorOf(edges: TextFile, labels?: TextFile): GraphFormatError {
  try {
    parseEdgeList(edges, labels);
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw new Error(`expected a GraphFormatError, got ${String(e)}`);
    return e;
  }
  throw new Error('expected a GraphFormatError, but the file loaded');
}

describe('edge lists', () => {
  it('Karate written as a weighted TSV loads back to the shipped graph', () => {
    const k = JSON.parse(readFileSync(new URL('../../public/datasets/karate.json', import.meta.url), 'utf8'));
    const lines = ['source\ttarget\tweight'];
    k.edges.src.forEach((s: number, i: number) => lines.push(`${s}\t${k.edges.dst[i]}\t${k.edges.weight[i]}`)); // both directions
    const labels = ['node,club', ...k.labels.map((y: number, i: number) => `${i},${k.class_names[y]}`)];
    const { draft, notes, nodeNames } = parseEdgeList(file('karate.tsv', lines.join('\n')), file('karate_labels.csv', labels.join('\n')));
    expect([draft.nodes.length, draft.edges.length]).toEqual([34, 78]);
    expect(notes).toContain('karate.tsv: dropped 78 repeated edges (an edge listed again, either way round)');
    expect(draft.classNames).toEqual(['Mr. Hi', 'Officer']);
    // Ids in order of first appearance: the first edges are 1->0, 2->0, ... so token "1" is node 0.
    expect(nodeNames.slice(0, 3)).toEqual(['1', '0', '2']);
    const g = parseGraphJson(draftToGraphJson(draft));
    expect([g.numNodes, g.numEdges]).toEqual([34, 156]);
    const original = (token: string) => Number(token);
    for (const e of draft.edges) {
      const a = original(nodeNames[e.src]);
      const b = original(nodeNames[e.dst]);
      const at = k.edges.src.findIndex((s: number, i: number) => s === a && k.edges.dst[i] === b);
      expect(e.weight ?? 1).toBe(k.edges.weight[at]);
    }
    draft.nodes.forEach((v, i) => expect(v.label).toBe(k.labels[original(nodeNames[i])]));
  });

  it('the fixture: comments, header, quotes, weights, a repeat, a self loop, labels with an isolated node', () => {
    const { draft, notes, nodeNames } = parseEdgeList(fixture('friends.csv'), fixture('friends_labels.csv'));
    expect(nodeNames).toEqual(['ana', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus']);
    expect(draft.edges).toEqual([
      { src: 0, dst: 1, weight: 2 },
      { src: 1, dst: 2 },
      { src: 2, dst: 0, weight: 0.5 },
      { src: 3, dst: 0, weight: 3 },
      { src: 3, dst: 5 },
    ]);
    expect(draft.classNames).toEqual(['blue', 'green', 'red']);
    expect(draft.nodes.map((v) => v.label)).toEqual([2, 2, 0, 0, 2, 1, 1]);
    expect(notes).toEqual([
      'friends.csv: line 3 read as a header (source, target, weight)',
      'friends.csv: dropped 1 self loop (models add their own)',
      'friends.csv: dropped 1 repeated edge (an edge listed again, either way round; 1 of them had another weight, the first one was kept)',
      'friends.csv: node ids are the 6 distinct tokens, numbered 0..5 in order of first appearance',
      'friends_labels.csv: line 1 read as a header (node, label)',
      'friends_labels.csv: 1 labelled node has no edge and was added as an isolated node',
    ]);
    expect(draft.name).toBe('friends');
    expect(draft.features.kind).toBe('identity');
    // Every class gets a train node (the default split).
    expect(new Set(draft.nodes.filter((v) => v.split === 1).map((v) => v.label))).toEqual(new Set([0, 1, 2]));
    expect(parseGraphJson(draftToGraphJson(draft)).numNodes).toBe(7);
  });

  it('detects space-separated lists, a numeric header by its numbers, and sorts numeric labels numerically', () => {
    const { draft, notes } = parseEdgeList(file('g.txt', 'a b\n1 2\n2   3\n'), file('g_labels.txt', '1 10\n2 9\n3 10\n'));
    expect(draft.edges).toEqual([{ src: 0, dst: 1 }, { src: 1, dst: 2 }]);
    expect(notes[0]).toBe('g.txt: line 1 read as a header (a, b)');
    expect(draft.classNames).toEqual(['9', '10']);
    expect(draft.nodes.map((v) => v.label)).toEqual([1, 0, 1]);
  });

  it('without a label file puts every node in one class; arbitrary tokens stay nodes', () => {
    const { draft, notes } = parseEdgeList(file('e.edges', 'x,y\ny,z\n'));
    expect(draft.nodes).toHaveLength(3);
    expect(draft.classNames).toEqual(['class 0']);
    expect(notes).toContain('no node-label file: every node is in one class');
  });

  it('the default split follows the seed', () => {
    const text = Array.from({ length: 60 }, (_, i) => `${i},${(i + 1) % 60}`).join('\n');
    const a = parseEdgeList(file('r.csv', text), undefined, { seed: 1 }).draft.nodes.map((v) => v.split);
    expect(parseEdgeList(file('r.csv', text), undefined, { seed: 1 }).draft.nodes.map((v) => v.split)).toEqual(a);
    expect(parseEdgeList(file('r.csv', text), undefined, { seed: 2 }).draft.nodes.map((v) => v.split)).not.toEqual(a);
  });
});

describe('edge list errors name the file, the line and the problem', () => {
  const cases: [string, TextFile, TextFile | undefined, string][] = [
    ['one column', file('e.csv', '1,2\n3\n'), undefined, 'e.csv line 2: expected 2 values like line 1, found 1'],
    ['four columns', file('e.csv', '# c\n1,2,3,4\n'), undefined, 'e.csv line 2: expected 2 values (source, target) or 3 (source, target, weight), found 4'],
    ['a bad weight', file('e.tsv', '1\t2\t1\n2\t3\theavy\n'), undefined, 'e.tsv line 2: weight "heavy" is not a positive number'],
    ['a zero weight', file('e.csv', '1,2,0\n'), undefined, 'e.csv line 1: weight "0" is not a positive number'],
    ['an empty field', file('e.csv', '1,,2\n'), undefined, 'e.csv line 1: value 2 is empty'],
    ['no edges', file('e.csv', '# nothing\n\n'), undefined, 'e.csv: has no edges (expected lines of "source, target" or "source, target, weight")'],
    ['a node without a label', file('e.csv', 'a,b\nb,c\n'), file('labels.csv', 'a,1\nb,2\n'), 'labels.csv: node "c" of e.csv has no label'],
    ['nodes without labels', file('e.csv', 'a,b\nb,c\nc,d\n'), file('labels.csv', 'a,1\n'), 'labels.csv: 3 nodes of e.csv have no label, e.g. node "b"'],
    ['a node labelled twice', file('e.csv', 'a,b\n'), file('labels.csv', 'a,1\nb,2\na,2\n'), 'labels.csv line 3: node "a" is labelled "2" here but "1" on line 1'],
    ['a label line with three values', file('e.csv', 'a,b\n'), file('labels.csv', 'a,1\nb,2,3\n'), 'labels.csv line 2: expected 2 values (node, label), found 3'],
  ];
  for (const [name, edges, labels, message] of cases) {
    it(name, () => expect(errorOf(edges, labels).message).toBe(message));
  }

  it('too many distinct labels', () => {
    const edges = Array.from({ length: 1001 }, (_, i) => `${i},${i + 1}`).join('\n');
    const labels = Array.from({ length: 1002 }, (_, i) => `${i},${i}`).join('\n');
    expect(errorOf(file('e.csv', edges), file('l.csv', labels)).message).toBe('l.csv: has 1002 distinct labels, more than the 1000 classes supported (is the second column a class label?)');
  });
});

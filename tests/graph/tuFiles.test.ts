import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GraphFormatError } from '../../src/graph/errors';
import { parseTuFiles } from '../../src/graph/loaders/tuFiles';
import type { TextFile } from '../../src/graph/loaders/text';
import { tinyFiles } from './tinyTu';

const tu = (set: string, part: string): TextFile => ({
  name: `${set}/${set}_${part}.txt`,
  text: readFileSync(new URL(`../../../shared/datasets/tu/${set}/${set}_${part}.txt`, import.meta.url), 'utf8'),
});

function errorOf(files: TextFile[]): GraphFormatError {
  try {
    parseTuFiles(files);
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw new Error(`expected a GraphFormatError, got ${String(e)}`);
    return e;
  }
  throw new Error('expected a GraphFormatError, but the files loaded');
}

const tiny = (): TextFile[] => Object.entries(tinyFiles).map(([part, text]) => ({ name: `TINY_${part}.txt`, text: text as string }));

describe('TU files chosen by the user', () => {
  it('MUTAG: 188 graphs, 3371 nodes, 7442 edges, 7 node labels, 4 edge labels; README skipped', () => {
    const parts = ['A', 'graph_indicator', 'graph_labels', 'node_labels', 'edge_labels'];
    const { set, notes } = parseTuFiles([...parts.map((p) => tu('MUTAG', p)), { name: 'MUTAG/README.txt', text: 'about' }]);
    expect([set.name, set.numGraphs, set.numNodes, set.numEdges, set.numFeatures, set.numEdgeTypes, set.numClasses]).toEqual(['MUTAG', 188, 3371, 7442, 7, 4, 2]);
    expect(notes).toEqual(['README.txt: not read (not one of the MUTAG data set\'s TU files)']);
  });

  it('PROTEINS without its node attributes, which are noted and skipped', () => {
    const { set, notes } = parseTuFiles(['A', 'graph_indicator', 'graph_labels', 'node_labels', 'node_attributes'].map((p) => tu('PROTEINS', p)));
    expect([set.numGraphs, set.numNodes, set.numEdges, set.numFeatures]).toEqual([1113, 43471, 162088, 3]);
    expect(notes).toEqual(["PROTEINS_node_attributes.txt: not read (attributes are left out, as PyTorch Geometric's TUDataset does by default)"]);
  });

  it('the optional files may be left out', () => {
    const { set } = parseTuFiles(tiny().filter((f) => !/node_labels|edge_labels/.test(f.name)));
    expect([set.numGraphs, set.numFeatures, set.numEdgeTypes]).toEqual([3, 0, 0]);
  });

  it('a missing required file is named', () => {
    const e = errorOf(tiny().filter((f) => !f.name.includes('graph_labels')));
    expect(e.path).toBe('TINY_graph_labels.txt');
    expect(e.message).toBe('TINY_graph_labels.txt: missing: a TU data set needs TINY_A.txt, TINY_graph_indicator.txt, TINY_graph_labels.txt');
  });

  it('no adjacency file, two data sets, a file given twice', () => {
    expect(errorOf(tiny().filter((f) => !f.name.endsWith('_A.txt'))).message).toBe('no TU adjacency file (a name ending in _A.txt, such as MUTAG_A.txt) among the files');
    expect(errorOf([...tiny(), { name: 'OTHER_A.txt', text: '' }]).message).toBe('files of 2 TU data sets (TINY, OTHER); pick one set\'s files');
    expect(errorOf([...tiny(), { name: 'copy/TINY_A.txt', text: '' }]).message).toBe('TINY_A.txt: is given twice');
  });

  it('errors inside a file keep parseTu\'s file and line', () => {
    const files = tiny().map((f) => (f.name === 'TINY_A.txt' ? { ...f, text: '1, 2\n2, 9\n' } : f));
    expect(errorOf(files).message).toBe('TINY_A.txt line 2: node id 9 is out of range 1..6');
  });
});

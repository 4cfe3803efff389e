import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTuDir, tuDatasets } from '../../src/cli/convertTu';
import { graphSize } from '../../src/graph/graphSet';
import { parseTu } from '../../src/graph/tu';
import { tinyFiles } from './tinyTu';

// CI checks the repo out next to shared/, so this relative path holds there as here.
const tuDir = fileURLToPath(new URL('../../../shared/datasets/tu', import.meta.url));
const rawLines = (ds: string, part: string) => readFileSync(`${tuDir}/${ds}/${ds}_${part}.txt`, 'utf8').trim().split('\n');

// Counts from shared/datasets/tu/README.md (checked there against torch_geometric's TUDataset).
const expected = [
  { dir: 'MUTAG', graphs: 188, nodes: 3371, edges: 7442, classes: 2, features: 7, edgeTypes: 4, balance: [63, 125] },
  { dir: 'ENZYMES', graphs: 600, nodes: 19580, edges: 74564, classes: 6, features: 3, edgeTypes: 0, balance: [100, 100, 100, 100, 100, 100] },
  { dir: 'PROTEINS', graphs: 1113, nodes: 43471, edges: 162088, classes: 2, features: 3, edgeTypes: 0, balance: [663, 450] },
];

describe('parseTu on the raw TU Dortmund files', () => {
  for (const d of expected) {
    const set = readTuDir(tuDir, tuDatasets.find((t) => t.dir === d.dir)!);

    it(`${d.dir} has the published counts and class balance`, () => {
      expect(set.name).toBe(d.dir);
      expect([set.numGraphs, set.numNodes, set.numEdges]).toEqual([d.graphs, d.nodes, d.edges]);
      expect([set.numClasses, set.numFeatures, set.numEdgeTypes]).toEqual([d.classes, d.features, d.edgeTypes]);
      expect(set.edgeTypes?.length ?? 0).toBe(d.edgeTypes ? d.edges : 0);
      const counts = new Array(d.classes).fill(0);
      for (const y of set.graphLabels) counts[y]++;
      expect(counts).toEqual(d.balance);
      expect([set.nodeOffsets[0], set.nodeOffsets[d.graphs]]).toEqual([0, d.nodes]);
      expect([set.edgeOffsets[0], set.edgeOffsets[d.graphs]]).toEqual([0, d.edges]);
    });

    it(`${d.dir} features are exactly one-hot of node_label - min`, () => {
      const raw = rawLines(d.dir, 'node_labels').map(Number);
      const min = Math.min(...raw);
      expect(set.features.length).toBe(d.nodes * d.features);
      for (let i = 0; i < d.nodes; i++) {
        const row = set.features.subarray(i * d.features, (i + 1) * d.features);
        if (row.reduce((a, b) => a + b, 0) !== 1 || row[raw[i] - min] !== 1) throw new Error(`node ${i}: ${row}`);
      }
    });

    it(`${d.dir} keeps the file's edges in order, 0-based`, () => {
      const lines = rawLines(d.dir, 'A');
      for (const k of [0, 1, 17, d.edges >> 1, d.edges - 1]) {
        const [s, t] = lines[k].split(',').map((x) => Number(x.trim()));
        expect([set.src[k], set.dst[k]]).toEqual([s - 1, t - 1]);
      }
    });
  }

  it('MUTAG graph 0 matches an independent read of the raw files', () => {
    const set = readTuDir(tuDir, tuDatasets[0]);
    const indicator = rawLines('MUTAG', 'graph_indicator');
    const nodes = indicator.filter((g) => g.trim() === '1').length;
    const edges = rawLines('MUTAG', 'A').filter((l) => indicator[Number(l.split(',')[0]) - 1].trim() === '1').length;
    expect([nodes, edges]).toEqual([17, 38]);
    expect(graphSize(set, 0)).toBe(nodes);
    expect(set.edgeOffsets[1]).toBe(edges);
    expect(rawLines('MUTAG', 'graph_labels')[0].trim()).toBe('1');
    expect(set.graphLabels[0]).toBe(1);
    expect(set.classNames).toEqual(['-1', '1']);
    const atoms = rawLines('MUTAG', 'node_labels').slice(0, nodes).map((l) => set.featureNames![Number(l)]);
    // A nitro compound: 14 carbons, then the NO2 group (16 aromatic bonds, 2 single, 1 double).
    expect(atoms.join('')).toBe('CCCCCCCCCCCCCCNOO');
    expect(Array.from(set.nodeLabels!.subarray(0, nodes), (c) => set.featureNames![c]).join('')).toBe(atoms.join(''));
    const bonds = rawLines('MUTAG', 'edge_labels').slice(0, edges).map(Number);
    expect(Array.from(set.edgeTypes!.subarray(0, edges))).toEqual(bonds);
    expect([0, 1, 2, 3].map((t) => bonds.filter((b) => b === t).length)).toEqual([32, 4, 2, 0]);
  });
});

describe('parseTu on a hand-made set', () => {
  const set = parseTu('TINY', tinyFiles, { featureNames: ['a', 'b', 'c'] });

  it('follows PyG: ids minus 1, labels ranked, one-hot of label - min', () => {
    expect([set.numGraphs, set.numNodes, set.numEdges, set.numFeatures, set.numClasses, set.numEdgeTypes]).toEqual([3, 6, 6, 3, 2, 2]);
    expect(Array.from(set.nodeOffsets)).toEqual([0, 3, 5, 6]);
    expect(Array.from(set.edgeOffsets)).toEqual([0, 4, 6, 6]);
    expect(Array.from(set.src)).toEqual([0, 1, 1, 2, 3, 4]);
    expect(Array.from(set.dst)).toEqual([1, 0, 2, 1, 4, 3]);
    expect(Array.from(set.edgeTypes!)).toEqual([0, 0, 1, 1, 0, 0]);
    expect(Array.from(set.graphLabels)).toEqual([1, 0, 1]);
    expect(set.classNames).toEqual(['-1', '5']);
    expect(set.featureNames).toEqual(['a', 'b', 'c']);
    expect(Array.from(set.nodeLabels!)).toEqual([0, 1, 0, 2, 0, 1]);
    expect(Array.from(set.features)).toEqual([1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(Object.isFrozen(set)).toBe(true);
  });

  it('accepts CRLF line ends, no final newline, and no node or edge labels', () => {
    const crlf = parseTu('TINY', { ...tinyFiles, A: tinyFiles.A.replaceAll('\n', '\r\n').trimEnd() });
    expect(Array.from(crlf.dst)).toEqual(Array.from(set.dst));
    const bare = parseTu('TINY', { A: tinyFiles.A, graph_indicator: tinyFiles.graph_indicator, graph_labels: tinyFiles.graph_labels });
    expect([bare.numFeatures, bare.features.length, bare.numEdgeTypes]).toEqual([0, 0, 0]);
    expect(bare.edgeTypes).toBeUndefined();
    expect(bare.nodeLabels).toBeUndefined();
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addNode, setFeatures } from '../../src/graph/draft';
import { draftToGraphJson, graphToDraft } from '../../src/graph/draftJson';
import { graphToGraphJson, isSymmetric } from '../../src/graph/graphToJson';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import type { Graph } from '../../src/graph/types';

const shipped = (p: string) => readFileSync(new URL(`../../public/datasets/${p}`, import.meta.url), 'utf8');

/** Everything a Graph holds, compared array by array. */
function expectSameGraph(a: Graph, b: Graph) {
  expect([b.name, b.numNodes, b.numEdges, b.numClasses]).toEqual([a.name, a.numNodes, a.numEdges, a.numClasses]);
  expect(b.classNames).toEqual(a.classNames);
  expect(b.labels).toEqual(a.labels);
  expect(b.split).toEqual(a.split);
  expect(b.inCsr).toEqual(a.inCsr);
  expect(b.outCsr).toEqual(a.outCsr);
  expect(b.features).toEqual(a.features);
}

for (const file of ['karate.json', 'cora.json']) {
  describe(file, () => {
    const g = parseGraphJson(shipped(file));

    it('graphToGraphJson reads back to an equal graph', () => {
      const text = graphToGraphJson(g);
      const back = parseGraphJson(text);
      expectSameGraph(g, back);
      expect(back.citation).toBe(g.citation);
      expect(JSON.parse(text)).toMatchObject({ directed: false, num_undirected_edges: g.numEdges / 2 });
    });

    it('graphToDraft then draftToGraphJson gives the same graph (given features, weights, split)', () => {
      const d = graphToDraft(g);
      expect(d.nodes).toHaveLength(g.numNodes);
      expect(d.edges).toHaveLength(g.numEdges / 2);
      expect(d.features.kind).toBe('given');
      for (const v of d.nodes) for (const c of [v.x, v.y]) expect(c >= 0 && c <= 1).toBe(true);
      const back = parseGraphJson(draftToGraphJson(d));
      expectSameGraph({ ...g, citation: undefined }, back);
    });
  });
}

describe('graphToGraphJson on other graphs', () => {
  it('keeps a directed graph directed and its edge order', () => {
    const text = JSON.stringify({
      schema: 'gnn-graph-json', schema_version: 1, name: 'd', num_nodes: 3, num_edges: 3, num_features: 1, num_classes: 1,
      labels: [0, 0, 0], split: { train: [2], val: [], test: [1, 0] },
      features: { format: 'csr', shape: [3, 1], nnz: 2, indptr: [0, 1, 1, 2], indices: [0, 0], binary: false, values: [0.5, -2] },
      edges: { src: [2, 1, 0], dst: [0, 0, 1] },
    });
    const g = parseGraphJson(text);
    expect(isSymmetric(g)).toBe(false);
    const out = graphToGraphJson(g);
    expect(JSON.parse(out)).toMatchObject({ directed: true, edges: { src: [2, 1, 0], dst: [0, 0, 1] } });
    expect(JSON.parse(out).edges.order).toBeUndefined(); // 2 then 1 is not sorted by src
    expectSameGraph(g, parseGraphJson(out));
  });

  it("a loaded graph edited in the draft keeps its features and gives a new node a zero row", () => {
    const g = parseGraphJson(shipped('karate.json'));
    const d = addNode(graphToDraft(g), 0.5, 0.5, 1);
    const back = parseGraphJson(draftToGraphJson(d));
    expect(back.numNodes).toBe(35);
    expect(back.features.kind === 'sparse' && Array.from(back.features.csr.indptr.slice(-2))).toEqual([34, 34]);
    const identity = parseGraphJson(draftToGraphJson(setFeatures(d, { ...d.features, kind: 'identity' })));
    expect(identity.features.kind === 'sparse' && identity.features.csr.cols).toBe(35);
  });

  it('graphToDraft takes the positions it is given, and refuses a wrong count', () => {
    const g = parseGraphJson(shipped('karate.json'));
    const x = Array.from({ length: 34 }, (_, i) => i / 33);
    expect(graphToDraft(g, { x, y: x }).nodes.map((v) => v.x)).toEqual(x);
    expect(() => graphToDraft(g, { x: [0, 1], y: [0, 1] })).toThrow('positions for 2 x 2 nodes, but the graph has 34');
  });
});

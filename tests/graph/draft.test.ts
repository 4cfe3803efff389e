import { describe, expect, it } from 'vitest';
import {
  addEdge, addNode, emptyDraft, findEdge, moveNode, removeEdge, removeNodes, renameClass, setClassCount,
  setEdgeWeight, setFeatures, setLabel, setSplit, type GraphDraft,
} from '../../src/graph/draft';
import { draftToGraphJson } from '../../src/graph/draftJson';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { csrToDense } from '../../src/graph/csr';

/** Freezes a draft all the way down, so any write an edit makes throws (modules are strict). */
function frozen(d: GraphDraft): GraphDraft {
  d.nodes.forEach((v) => Object.freeze(v));
  d.edges.forEach((e) => Object.freeze(e));
  Object.freeze(d.nodes);
  Object.freeze(d.edges);
  Object.freeze(d.classNames);
  Object.freeze(d.features);
  return Object.freeze(d);
}

/** A square 0-1-2-3-0 with a diagonal 0-2, two classes. */
function square(): GraphDraft {
  let d = emptyDraft('square', ['a', 'b']);
  for (const [x, y, c] of [[0, 0, 0], [1, 0, 0], [1, 1, 1], [0, 1, 1]]) d = addNode(d, x, y, c);
  for (const [a, b] of [[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]]) d = addEdge(d, a, b);
  return frozen(d);
}

describe('draft edits', () => {
  it('build a graph node by node and edge by edge, never writing the old draft', () => {
    const d = square();
    expect(d.nodes.map((v) => [v.x, v.y, v.label, v.split])).toEqual([[0, 0, 0, 3], [1, 0, 0, 3], [1, 1, 1, 3], [0, 1, 1, 3]]);
    expect(d.edges).toEqual([{ src: 0, dst: 1 }, { src: 1, dst: 2 }, { src: 2, dst: 3 }, { src: 3, dst: 0 }, { src: 0, dst: 2 }]);
    const moved = moveNode(d, 2, 0.5, 0.25);
    expect(moved.nodes[2]).toEqual({ x: 0.5, y: 0.25, label: 1, split: 3 });
    expect(d.nodes[2].x).toBe(1);
  });

  it('addEdge leaves the draft as it is for a self loop or an edge that exists either way round', () => {
    const d = square();
    expect(addEdge(d, 1, 1)).toBe(d);
    expect(addEdge(d, 1, 0)).toBe(d);
    expect(addEdge(d, 2, 0, 5)).toBe(d);
    expect(addEdge(d, 1, 3, 2.5).edges.at(-1)).toEqual({ src: 1, dst: 3, weight: 2.5 });
  });

  it('removeNodes drops the nodes and their edges and renumbers the rest in order', () => {
    const d = removeNodes(square(), [1]);
    expect(d.nodes.map((v) => [v.x, v.y])).toEqual([[0, 0], [1, 1], [0, 1]]);
    // 1-2 and 0-1 are gone; 2-3, 3-0, 0-2 become 1-2, 2-0, 0-1.
    expect(d.edges).toEqual([{ src: 1, dst: 2 }, { src: 2, dst: 0 }, { src: 0, dst: 1 }]);
    expect(removeNodes(square(), [0, 2, 0]).edges).toEqual([]);
  });

  it('removeEdge finds the edge in either direction, and ignores one that is not there', () => {
    const d = square();
    expect(findEdge(d, 2, 0)).toBe(4);
    expect(removeEdge(d, 2, 0).edges).toHaveLength(4);
    expect(removeEdge(d, 1, 0).edges.map((e) => [e.src, e.dst])).toEqual([[1, 2], [2, 3], [3, 0], [0, 2]]);
    expect(removeEdge(d, 1, 3)).toBe(d);
  });

  it('setLabel, setSplit and setEdgeWeight change only what they name', () => {
    const d = square();
    const l = setLabel(d, [0, 3], 1);
    expect(l.nodes.map((v) => v.label)).toEqual([1, 0, 1, 1]);
    const s = setSplit(d, new Set([1, 2]), 1);
    expect(s.nodes.map((v) => v.split)).toEqual([3, 1, 1, 3]);
    const w = setEdgeWeight(d, 3, 2, 4);
    expect(w.edges[2]).toEqual({ src: 2, dst: 3, weight: 4 });
    expect(setEdgeWeight(w, 2, 3, undefined).edges[2]).toEqual({ src: 2, dst: 3 });
    expect(() => setEdgeWeight(d, 1, 3, 2)).toThrow(/no edge 1-3/);
  });

  it('setClassCount names new classes and moves labels past the end to the last class', () => {
    const d = setLabel(setClassCount(square(), 4), [3], 3);
    expect(d.classNames).toEqual(['a', 'b', 'class 2', 'class 3']);
    const two = setClassCount(d, 2);
    expect(two.classNames).toEqual(['a', 'b']);
    expect(two.nodes.map((v) => v.label)).toEqual([0, 0, 1, 1]);
    expect(setClassCount(d, 1).nodes.map((v) => v.label)).toEqual([0, 0, 0, 0]);
    expect(renameClass(d, 2, 'c').classNames[2]).toBe('c');
  });

  it('reject misuse with a RangeError that says what is wrong', () => {
    const d = square();
    expect(() => addNode(d, 0, 0, 2)).toThrow('class 2 does not exist (the draft has 2 classes)');
    expect(() => addNode(d, NaN, 0)).toThrow(/not finite/);
    expect(() => addEdge(d, 0, 4)).toThrow('node 4 does not exist (the draft has 4 nodes)');
    expect(() => addEdge(d, 1, 3, 0)).toThrow(/weight 0 is not a positive finite number/);
    expect(() => addEdge(d, 1, 3, 1e-50)).toThrow(/not a positive finite number/);
    expect(() => setSplit(d, [0], 4 as 0)).toThrow(/split code 4/);
    expect(() => setClassCount(d, 0)).toThrow(/at least 1/);
    expect(() => emptyDraft('x', [])).toThrow(/at least one class/);
  });

  it("keep a 'given' feature matrix row for row with the nodes", () => {
    const given = { kind: 'dense' as const, rows: 4, cols: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
    const d = setFeatures(square(), { kind: 'given', dim: 2, noise: 0, seed: 0, given });
    const grown = addNode(d, 0.5, 0.5);
    expect(grown.features.given).toMatchObject({ rows: 5, data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 0, 0]) });
    const shrunk = removeNodes(grown, [0, 2]);
    expect(shrunk.features.given).toMatchObject({ rows: 3, data: Float32Array.from([3, 4, 7, 8, 0, 0]) });
    expect(given.data).toEqual(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(() => setFeatures(square(), { kind: 'given', dim: 2, noise: 0, seed: 0 })).toThrow(/need a matrix/);
    expect(() => setFeatures(addNode(square(), 0, 0), { kind: 'given', dim: 2, noise: 0, seed: 0, given })).toThrow(/4 rows but the draft has 5 nodes/);
  });

  it("keep sparse 'given' rows too", () => {
    const csr = { rows: 4, cols: 3, indptr: Uint32Array.from([0, 1, 1, 3, 4]), indices: Uint32Array.from([2, 0, 1, 2]), values: Float32Array.from([1, 2, 3, 4]) };
    const d = setFeatures(square(), { kind: 'given', dim: 3, noise: 0, seed: 0, given: { kind: 'sparse', csr } });
    const out = removeNodes(addNode(d, 0, 0), [1]).features.given!;
    expect(out.kind).toBe('sparse');
    if (out.kind !== 'sparse') return;
    expect(csrToDense(out.csr)).toEqual(Float32Array.from([0, 0, 1, 2, 3, 0, 0, 0, 4, 0, 0, 0]));
  });
});

describe('draftToGraphJson', () => {
  it('writes gnn-graph-json that parseGraphJson reads: both directions sorted by (dst, src), no weights when all are 1', () => {
    const d = setSplit(setSplit(square(), [0, 2], 1), [1], 2);
    const text = draftToGraphJson(d);
    const raw = JSON.parse(text);
    expect(raw).toMatchObject({ schema: 'gnn-graph-json', directed: false, num_nodes: 4, num_edges: 10, num_undirected_edges: 5, num_classes: 2, class_names: ['a', 'b'] });
    expect(raw.edges.weight).toBeUndefined();
    expect(raw.edges.dst).toEqual([0, 0, 0, 1, 1, 2, 2, 2, 3, 3]);
    expect(raw.edges.src).toEqual([1, 2, 3, 0, 2, 0, 1, 3, 0, 2]);
    const g = parseGraphJson(text);
    expect([g.numNodes, g.numEdges, g.numClasses]).toEqual([4, 10, 2]);
    expect(Array.from(g.labels)).toEqual([0, 0, 1, 1]);
    expect([Array.from(g.split.train), Array.from(g.split.val), Array.from(g.split.test)]).toEqual([[0, 2], [1], [3]]);
    expect(g.features.kind === 'sparse' && csrToDense(g.features.csr)).toEqual(Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]));
    expect(g.inCsr.values).toBeUndefined();
  });

  it('writes weights for both directions once some edge weighs other than 1', () => {
    const d = setEdgeWeight(square(), 1, 2, 0.1);
    const g = parseGraphJson(draftToGraphJson(d));
    const dense = csrToDense(g.inCsr);
    expect(dense[1 * 4 + 2]).toBe(Math.fround(0.1));
    expect(dense[2 * 4 + 1]).toBe(Math.fround(0.1));
    expect(dense[0 * 4 + 1]).toBe(1);
    expect(JSON.parse(draftToGraphJson(d)).edges.weight).toContain(0.1); // shortest float32 decimal
  });

  it('writes dense features as CSR with values, and an empty draft too', () => {
    const d = setFeatures(square(), { kind: 'signal', dim: 3, noise: 0, seed: 1 });
    const g = parseGraphJson(draftToGraphJson(d));
    expect(g.features.kind === 'sparse' && csrToDense(g.features.csr)).toEqual(Float32Array.from([1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0]));
    const noisy = setFeatures(square(), { kind: 'random', dim: 5, noise: 0, seed: 1 });
    const h = parseGraphJson(draftToGraphJson(noisy));
    expect(h.features.kind === 'sparse' && h.features.csr.values?.length).toBe(20);
    expect(parseGraphJson(draftToGraphJson(emptyDraft())).numNodes).toBe(0);
  });

  it('refuses drafts no edit could make', () => {
    const d = square();
    expect(() => draftToGraphJson({ ...d, edges: [...d.edges, { src: 2, dst: 1 }] })).toThrow('edge 5 (2-1) repeats an earlier edge');
    expect(() => draftToGraphJson({ ...d, edges: [{ src: 3, dst: 3 }] })).toThrow(/self loop on node 3/);
    expect(() => draftToGraphJson({ ...d, edges: [{ src: 0, dst: 9 }] })).toThrow(/names node 9/);
    expect(() => draftToGraphJson({ ...d, classNames: ['a'] })).toThrow(/node 2 has class 1, not in 0..0/);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { batchGraphs, type GraphBatch } from '../../src/graph/batch';
import { csrToDense } from '../../src/graph/csr';
import type { GraphSet } from '../../src/graph/graphSet';
import { parseGraphSetJson } from '../../src/graph/loadGraphSetJson';
import { parseTu } from '../../src/graph/tu';
import type { Csr } from '../../src/graph/types';
import { tinyFiles } from './tinyTu';

const tiny = parseTu('TINY', tinyFiles);
const mutag = parseGraphSetJson(readFileSync(new URL('../../public/datasets/mutag.json', import.meta.url), 'utf8'));

/** (src, dst) of every entry of an in-CSR, as "s>d" strings. */
function entries(a: Csr): string[] {
  const out: string[] = [];
  for (let d = 0; d < a.rows; d++) for (let k = a.indptr[d]; k < a.indptr[d + 1]; k++) out.push(`${a.indices[k]}>${d}`);
  return out;
}

/** Everything a batch promises, recomputed from the set by the slowest obvious route. */
function checkBatch(set: GraphSet, ids: number[], b: GraphBatch) {
  const f = set.numFeatures;
  const expected: string[] = [];
  const typeOf = new Map<string, number>();
  let base = 0;
  ids.forEach((g, bg) => {
    const first = set.nodeOffsets[g];
    const size = set.nodeOffsets[g + 1] - first;
    expect(b.nodeOffsets[bg]).toBe(base);
    for (let i = 0; i < size; i++) {
      expect(b.nodeGraph[base + i]).toBe(bg);
      const row = Array.from(b.features.subarray((base + i) * f, (base + i + 1) * f));
      expect(row).toEqual(Array.from(set.features.subarray((first + i) * f, (first + i + 1) * f)));
    }
    for (let k = set.edgeOffsets[g]; k < set.edgeOffsets[g + 1]; k++) {
      const key = `${set.src[k] - first + base}>${set.dst[k] - first + base}`;
      expected.push(key);
      if (set.edgeTypes) typeOf.set(key, set.edgeTypes[k]);
    }
    // Degree sum: the graph's rows of inCsr hold exactly its edges.
    expect(b.inCsr.indptr[base + size] - b.inCsr.indptr[base]).toBe(set.edgeOffsets[g + 1] - set.edgeOffsets[g]);
    base += size;
  });
  expect([b.numGraphs, b.numNodes, b.numEdges]).toEqual([ids.length, base, expected.length]);
  expect(Array.from(b.graphIds)).toEqual(ids);
  expect(Array.from(b.labels)).toEqual(ids.map((g) => set.graphLabels[g]));

  const got = entries(b.inCsr);
  expect(got.slice().sort()).toEqual(expected.slice().sort());
  for (const e of got) {
    const [s, d] = e.split('>').map(Number);
    if (b.nodeGraph[s] !== b.nodeGraph[d]) throw new Error(`edge ${e} crosses graphs`);
  }
  expect(entries(b.outCsr).map((e) => e.split('>').reverse().join('>')).sort()).toEqual(got.slice().sort());

  // pool: row bg lists its nodes in order; poolT maps each node to its graph.
  expect([b.pool.rows, b.pool.cols, b.pool.values]).toEqual([ids.length, base, undefined]);
  expect(Array.from(b.pool.indptr)).toEqual(Array.from(b.nodeOffsets));
  expect(Array.from(b.pool.indices)).toEqual(Array.from({ length: base }, (_, i) => i));
  expect([b.poolT.rows, b.poolT.cols]).toEqual([base, ids.length]);
  expect(Array.from(b.poolT.indices)).toEqual(Array.from(b.nodeGraph));

  if (!set.edgeTypes) return expect(b.relations).toBeUndefined();
  expect(b.relations).toHaveLength(set.numEdgeTypes);
  const union = b.relations!.flatMap((r, t) => {
    const es = entries(r.inCsr);
    for (const e of es) if (typeOf.get(e) !== t) throw new Error(`edge ${e} is in relation ${t} but has type ${typeOf.get(e)}`);
    expect(entries(r.outCsr).map((e) => e.split('>').reverse().join('>')).sort()).toEqual(es.slice().sort());
    return es;
  });
  expect(union.sort()).toEqual(got.slice().sort());
}

describe('batchGraphs', () => {
  it('the hand-made set in the order asked for: exact CSRs, pool, features and relations', () => {
    const b = batchGraphs(tiny, [2, 0, 1]);
    checkBatch(tiny, [2, 0, 1], b);
    expect(Array.from(b.nodeGraph)).toEqual([0, 1, 1, 1, 2, 2]);
    expect(Array.from(b.inCsr.indptr)).toEqual([0, 0, 1, 3, 4, 5, 6]);
    expect(Array.from(b.inCsr.indices)).toEqual([2, 1, 3, 2, 5, 4]);
    expect(Array.from(b.labels)).toEqual([1, 1, 0]);
    expect(Array.from(b.features)).toEqual([0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0]);
    expect(entries(b.relations![0].inCsr)).toEqual(['2>1', '1>2', '5>4', '4>5']);
    expect(entries(b.relations![1].inCsr)).toEqual(['3>2', '2>3']);
    // Mean pooling = pool x H / row length: the block-diagonal adjacency has no off-block entry.
    const dense = csrToDense(b.inCsr);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) if (dense[i * 6 + j]) expect(b.nodeGraph[i]).toBe(b.nodeGraph[j]);
  });

  it('MUTAG: a batch of 32 graphs, one twice, and the whole set', () => {
    const ids = Array.from({ length: 31 }, (_, i) => (i * 37 + 5) % 188);
    ids.push(ids[3]);
    checkBatch(mutag, ids, batchGraphs(mutag, Uint32Array.from(ids)));
    const all = Array.from({ length: 188 }, (_, i) => i);
    const b = batchGraphs(mutag, all);
    checkBatch(mutag, all, b);
    expect([b.numNodes, b.numEdges]).toEqual([3371, 7442]);
    expect(b.relations!.map((r) => r.inCsr.indices.length)).toEqual([4708, 2008, 724, 2]);
  });

  it('a set without edge types has no relations; an empty batch is empty; bad ids throw', () => {
    const bare = parseTu('TINY', { A: tinyFiles.A, graph_indicator: tinyFiles.graph_indicator, graph_labels: tinyFiles.graph_labels });
    const b = batchGraphs(bare, [1]);
    checkBatch(bare, [1], b);
    expect([b.numNodes, b.numFeatures, b.features.length]).toEqual([2, 0, 0]);
    const empty = batchGraphs(tiny, []);
    expect([empty.numGraphs, empty.numNodes, empty.numEdges, empty.pool.indptr.length]).toEqual([0, 0, 0, 1]);
    expect(() => batchGraphs(tiny, [0, 3])).toThrow(/graphIds\[1\] = 3 is not a graph of TINY \(0..2\)/);
    expect(() => batchGraphs(tiny, [0.5])).toThrow(RangeError);
  });
});

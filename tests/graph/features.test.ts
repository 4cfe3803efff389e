import { describe, expect, it } from 'vitest';
import { dropoutKey, uniformAt } from '../../src/engine/rng';
import { csrToDense } from '../../src/graph/csr';
import { addEdge, addNode, emptyDraft, setFeatures, type FeatureSpec, type GraphDraft } from '../../src/graph/draft';
import { draftFeatures, featureColumns } from '../../src/graph/features';
import type { Features } from '../../src/graph/types';

/** Path 0-1-2, node 3 alone; classes 0, 1, 1, 2 of three. */
function path(spec: FeatureSpec): GraphDraft {
  let d = emptyDraft('path', ['a', 'b', 'c']);
  for (const c of [0, 1, 1, 2]) d = addNode(d, 0, 0, c);
  d = addEdge(addEdge(d, 0, 1), 1, 2);
  return setFeatures(d, spec);
}

function dense(f: Features): { rows: number; cols: number; data: Float32Array } {
  if (f.kind === 'dense') return { rows: f.rows, cols: f.cols, data: f.data };
  return { rows: f.csr.rows, cols: f.csr.cols, data: csrToDense(f.csr) };
}

const spec = (kind: FeatureSpec['kind'], dim = 0, noise = 0, seed = 0): FeatureSpec => ({ kind, dim, noise, seed });

describe('draft features', () => {
  it('identity is the sparse identity, n columns whatever dim says', () => {
    const f = draftFeatures(path(spec('identity', 7)));
    expect(f.kind).toBe('sparse');
    expect(dense(f)).toEqual({ rows: 4, cols: 4, data: Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) });
  });

  it('degree is one-hot of min(degree, dim - 1)', () => {
    // degrees 1, 2, 1, 0
    expect(dense(draftFeatures(path(spec('degree', 3))))).toEqual({ rows: 4, cols: 3, data: Float32Array.from([0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0]) });
    expect(dense(draftFeatures(path(spec('degree', 2))))).toEqual({ rows: 4, cols: 2, data: Float32Array.from([0, 1, 0, 1, 0, 1, 1, 0]) });
    expect(dense(draftFeatures(path(spec('degree', 1)))).data).toEqual(new Float32Array(4).fill(1));
    expect(() => draftFeatures(path(spec('degree', 0)))).toThrow(/at least 1, got 0/);
  });

  it('signal without noise is the class one-hot padded with zero columns', () => {
    const f = dense(draftFeatures(path(spec('signal', 5, 0))));
    expect(f).toEqual({ rows: 4, cols: 5, data: Float32Array.from([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]) });
    // Fewer columns than classes asked for: the one-hot still needs one per class.
    expect(dense(draftFeatures(path(spec('signal', 1, 0)))).cols).toBe(3);
    expect(featureColumns(spec('signal', 1), 4, 3)).toBe(3);
    expect(() => draftFeatures(path(spec('signal', 3, -1)))).toThrow(/noise must be/);
  });

  it('random is Box-Muller over the counter-based uniforms, entry by entry', () => {
    const f = dense(draftFeatures(path(spec('random', 2, 0, 9))));
    expect([f.rows, f.cols]).toEqual([4, 2]);
    const key = dropoutKey(9, 0x5eed01);
    const z = (t: number) => Math.fround(Math.sqrt(-2 * Math.log(1 - uniformAt(key, 2 * t))) * Math.cos(2 * Math.PI * uniformAt(key, 2 * t + 1)));
    expect(Array.from(f.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map(z));
  });

  it('random and signal are deterministic, change with the seed, and keep old nodes when one is added', () => {
    for (const kind of ['random', 'signal'] as const) {
      const a = dense(draftFeatures(path(spec(kind, 4, 0.5, 1))));
      expect(dense(draftFeatures(path(spec(kind, 4, 0.5, 1))))).toEqual(a);
      expect(dense(draftFeatures(path(spec(kind, 4, 0.5, 2)))).data).not.toEqual(a.data);
      const grown = dense(draftFeatures(addNode(path(spec(kind, 4, 0.5, 1)), 0, 0, 0)));
      expect(grown.data.subarray(0, 16)).toEqual(a.data);
    }
  });

  it('random is standard normal and signal noise has std `noise` (large sample)', () => {
    let d = emptyDraft('many', ['a', 'b']);
    for (let i = 0; i < 5000; i++) d = { ...d, nodes: [...d.nodes, { x: 0, y: 0, label: i % 2, split: 3 }] };
    const r = dense(draftFeatures(setFeatures(d, spec('random', 4, 0, 3))));
    const m = mean(r.data);
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(std(r.data, m) - 1)).toBeLessThan(0.03);
    const s = dense(draftFeatures(setFeatures(d, spec('signal', 3, 0.5, 3))));
    const own = Float32Array.from({ length: 5000 }, (_, i) => s.data[i * 3 + (i % 2)]);
    const pad = Float32Array.from({ length: 5000 }, (_, i) => s.data[i * 3 + 2]);
    expect(Math.abs(mean(own) - 1)).toBeLessThan(0.03);
    expect(Math.abs(std(own, mean(own)) - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(mean(pad))).toBeLessThan(0.03);
    expect(Math.abs(std(pad, mean(pad)) - 0.5)).toBeLessThan(0.03);
  });

  it("given passes its matrix through and insists on one row per node", () => {
    const given: Features = { kind: 'dense', rows: 4, cols: 1, data: Float32Array.from([1, 2, 3, 4]) };
    expect(draftFeatures(path({ ...spec('given', 1), given }))).toBe(given);
    const d = path(spec('identity'));
    expect(() => draftFeatures({ ...d, features: { ...spec('given', 1), given: { ...given, rows: 3 } } })).toThrow(/3 rows for 4 nodes/);
  });
});

function mean(a: Float32Array): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}

function std(a: Float32Array, m: number): number {
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
}

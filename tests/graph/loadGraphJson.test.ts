import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csrToDense, csrValue } from '../../src/graph/csr';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import type { Csr, Graph } from '../../src/graph/types';

// CI checks the repo out next to shared/, so this relative path holds there as here.
const shared = (p: string) => readFileSync(new URL(`../../../shared/datasets/${p}`, import.meta.url), 'utf8');
const shipped = (p: string) => readFileSync(new URL(`../../public/datasets/${p}`, import.meta.url), 'utf8');

const expected = [
  { file: 'cora.json', sharedPath: 'planetoid/cora.json', name: 'Cora', n: 2708, e: 10556, f: 1433, c: 7, nnz: 49216, split: [140, 500, 1000], isolated: 0 },
  { file: 'citeseer.json', sharedPath: 'planetoid/citeseer.json', name: 'CiteSeer', n: 3327, e: 9104, f: 3703, c: 6, nnz: 105165, split: [120, 500, 1000], isolated: 48 },
  { file: 'karate.json', sharedPath: 'karate.json', name: 'KarateClub', n: 34, e: 156, f: 34, c: 2, nnz: 34, split: [2, 0, 32], isolated: 0 },
];

function rowOf(a: Csr, k: number): number {
  let r = 0;
  while (a.indptr[r + 1] <= k) r++;
  return r;
}

/** outCsr must be inCsr's transpose, entry for entry, its values read through perm. */
function expectTranspose(g: Graph) {
  const { inCsr, outCsr } = g;
  expect([outCsr.rows, outCsr.cols]).toEqual([inCsr.cols, inCsr.rows]);
  expect(outCsr.indices.length).toBe(inCsr.indices.length);
  const inT = csrToDense(inCsr);
  const out = csrToDense(outCsr);
  const n = g.numNodes;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (inT[i * n + j] !== out[j * n + i]) throw new Error(`(${i},${j})`);
  for (let k = 0; k < outCsr.indices.length; k += 97) {
    const p = outCsr.perm![k];
    expect(inCsr.indices[p]).toBe(rowOf(outCsr, k));
    expect(rowOf(inCsr, p)).toBe(outCsr.indices[k]);
  }
}

for (const d of expected) {
  describe(`${d.name}`, () => {
    const text = shipped(d.file);
    const g = parseGraphJson(text);

    it('public/datasets copy is byte-identical to shared/datasets', () => {
      expect(text).toBe(shared(d.sharedPath));
    });

    it('has the published counts', () => {
      expect(g.name).toBe(d.name);
      expect([g.numNodes, g.numEdges, g.numClasses]).toEqual([d.n, d.e, d.c]);
      expect([g.inCsr.rows, g.inCsr.cols, g.inCsr.indices.length]).toEqual([d.n, d.n, d.e]);
      expect(g.features.kind).toBe('sparse');
      if (g.features.kind !== 'sparse') return;
      expect([g.features.csr.rows, g.features.csr.cols, g.features.csr.indices.length]).toEqual([d.n, d.f, d.nnz]);
      expect(g.features.csr.values).toBeUndefined();
      expect([g.split.train.length, g.split.val.length, g.split.test.length]).toEqual(d.split);
      expect(g.labels.length).toBe(d.n);
      expect(Math.max(...g.labels)).toBe(d.c - 1);
      expect(g.classNames.length).toBe(d.c);
      expect(g.citation).toMatch(/\d{4}/);
    });

    it('counts isolated nodes', () => {
      let isolated = 0;
      for (let i = 0; i < d.n; i++) {
        const deg = g.inCsr.indptr[i + 1] - g.inCsr.indptr[i] + g.outCsr.indptr[i + 1] - g.outCsr.indptr[i];
        if (deg === 0) isolated++;
      }
      expect(isolated).toBe(d.isolated);
    });

    it('builds inCsr from the edge list and outCsr as its transpose', () => {
      const raw = JSON.parse(text);
      const seen = new Set<string>();
      for (let r = 0; r < d.n; r++) {
        for (let k = g.inCsr.indptr[r]; k < g.inCsr.indptr[r + 1]; k++) seen.add(`${g.inCsr.indices[k]}>${r}:${csrValue(g.inCsr, k)}`);
      }
      raw.edges.src.forEach((s: number, k: number) => {
        const key = `${s}>${raw.edges.dst[k]}:${raw.edges.weight ? raw.edges.weight[k] : 1}`;
        if (!seen.has(key)) throw new Error(`edge ${k} missing: ${key}`);
      });
      expectTranspose(g);
    });
  });
}

describe('karate specifics', () => {
  const raw = JSON.parse(shipped('karate.json'));

  it('keeps edge weights in inCsr.values and class names', () => {
    const g = parseGraphJson(JSON.stringify(raw));
    expect(g.inCsr.values).toBeInstanceOf(Float32Array);
    expect(g.outCsr.values).toBe(g.inCsr.values);
    expect(g.classNames).toEqual(['Mr. Hi', 'Officer']);
    expect(Array.from(g.split.train)).toEqual([0, 33]);
  });

  it('accepts edges in any order and gives the same matrix', () => {
    const order = raw.edges.src.map((_: number, k: number) => k).reverse();
    order.push(order.shift());
    const shuffled = structuredClone(raw);
    for (const key of ['src', 'dst', 'weight']) shuffled.edges[key] = order.map((k: number) => raw.edges[key][k]);
    const a = parseGraphJson(JSON.stringify(raw));
    const b = parseGraphJson(JSON.stringify(shuffled));
    expect(csrToDense(b.inCsr)).toEqual(csrToDense(a.inCsr));
    expect(csrToDense(b.outCsr)).toEqual(csrToDense(a.outCsr));
    expectTranspose(b);
  });

  it('names classes "class i" when class_names is null and reads non-binary features', () => {
    const j = structuredClone(raw);
    j.class_names = null;
    j.features.binary = false;
    j.features.values = j.features.indices.map((_: number, k: number) => k / 10);
    delete j.edges.weight;
    const g = parseGraphJson(JSON.stringify(j));
    expect(g.classNames).toEqual(['class 0', 'class 1']);
    expect(g.inCsr.values).toBeUndefined();
    if (g.features.kind !== 'sparse') throw new Error('expected sparse');
    expect(g.features.csr.values![5]).toBe(Math.fround(0.5));
  });
});

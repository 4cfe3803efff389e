import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GraphDraft } from '../../src/graph/draft';
import { draftToGraphJson } from '../../src/graph/draftJson';
import { barbell, edgeHomophily, expectedSbmHomophily, grid, karate, ring, sbm, sbmBlocks, tree } from '../../src/graph/generators';
import { parseGraphJson } from '../../src/graph/loadGraphJson';

const shipped = (p: string) => readFileSync(new URL(`../../public/datasets/${p}`, import.meta.url), 'utf8');

const degrees = (d: GraphDraft) => {
  const deg = new Array<number>(d.nodes.length).fill(0);
  for (const e of d.edges) {
    deg[e.src]++;
    deg[e.dst]++;
  }
  return deg;
};

const pairs = (d: GraphDraft) => d.edges.map((e) => [Math.min(e.src, e.dst), Math.max(e.src, e.dst)]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

/** What every generator promises: positions in [0, 1], a valid file, a split with train nodes in every class. */
function expectDrawableAndLoadable(d: GraphDraft) {
  for (const v of d.nodes) for (const c of [v.x, v.y]) expect(c >= 0 && c <= 1, `${d.name}: ${c}`).toBe(true);
  const g = parseGraphJson(draftToGraphJson(d));
  expect([g.numNodes, g.numEdges, g.numClasses]).toEqual([d.nodes.length, 2 * d.edges.length, d.classNames.length]);
  const trained = new Set(Array.from(g.split.train, (i) => g.labels[i]));
  const present = new Set(g.labels);
  expect(trained).toEqual(present);
  expect(g.split.train.length + g.split.val.length + g.split.test.length).toBe(g.numNodes);
}

describe('generators', () => {
  it('ring: a cycle on a circle, contiguous arcs', () => {
    const d = ring(12, 3);
    expect(degrees(d)).toEqual(new Array(12).fill(2));
    expect(d.nodes.map((v) => v.label)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    for (const v of d.nodes) expect(Math.hypot(v.x - 0.5, v.y - 0.5)).toBeCloseTo(0.45, 12);
    expect(ring(2, 1).edges).toEqual([{ src: 0, dst: 1 }]);
    expect(ring(1, 1).edges).toEqual([]);
    expect(() => ring(3, 4)).toThrow('number of classes must be a whole number in 1..3, got 4');
    expectDrawableAndLoadable(d);
  });

  it('grid: the 4-neighbour lattice, column bands', () => {
    const d = grid(3, 4);
    expect(d.edges).toHaveLength(3 * 3 + 4 * 2);
    expect(d.nodes.map((v) => v.label)).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
    expect(d.nodes[5].x - d.nodes[4].x).toBeCloseTo(d.nodes[8].y - d.nodes[4].y, 12);
    expect(grid(2, 6, { classes: 3 }).classNames).toEqual(['band 0', 'band 1', 'band 2']);
    expect(() => grid(100, 100)).toThrow(/grid size must be a whole number in 1..5000, got 10000/);
    expectDrawableAndLoadable(d);
  });

  it('tree: breadth-first ids, layered by depth, classes by branch or depth', () => {
    const d = tree(2, 3);
    expect(d.nodes).toHaveLength(15);
    expect(pairs(d).slice(0, 4)).toEqual([[0, 1], [0, 2], [1, 3], [1, 4]]);
    expect(d.nodes.map((v) => v.label)).toEqual([0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1]);
    for (const e of d.edges) {
      expect(d.nodes[e.src].y).toBeLessThan(d.nodes[e.dst].y);
      const kids = d.edges.filter((f) => f.src === e.src).map((f) => d.nodes[f.dst].x);
      expect((kids[0] + kids[1]) / 2).toBeCloseTo(d.nodes[e.src].x, 12);
    }
    expect(tree(3, 2, { labelBy: 'depth' }).nodes.map((v) => v.label)).toEqual([0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(tree(4, 0).nodes).toEqual([{ x: 0.5, y: 0.5, label: 0, split: 1 }]);
    expect(() => tree(10, 4)).toThrow(/more than the 5000 nodes/);
    expectDrawableAndLoadable(d);
  });

  it('barbell: two cliques and the path between them', () => {
    const d = barbell(4, 3);
    expect(d.nodes).toHaveLength(11);
    expect(d.edges).toHaveLength(6 + 6 + 4);
    expect(d.nodes.map((v) => v.label)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(degrees(d)).toEqual([3, 3, 3, 4, 2, 2, 2, 4, 3, 3, 3]);
    // The bridge nodes face each other.
    expect(d.nodes[3].x).toBe(Math.max(...d.nodes.slice(0, 4).map((v) => v.x)));
    expect(d.nodes[7].x).toBe(Math.min(...d.nodes.slice(7).map((v) => v.x)));
    expect(pairs(barbell(2, 0))).toEqual([[0, 1], [1, 2], [2, 3]]);
    expectDrawableAndLoadable(d);
  });

  it('karate: the 78 weighted edges and the two factions of public/datasets/karate.json', () => {
    const file = JSON.parse(shipped('karate.json'));
    const d = karate();
    expect(d.nodes.map((v) => v.label)).toEqual(file.labels);
    expect(d.classNames).toEqual(file.class_names);
    const fromFile = file.edges.src
      .map((s: number, k: number) => [s, file.edges.dst[k], file.edges.weight[k]])
      .filter(([s, t]: number[]) => s < t)
      .sort((a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1]);
    expect(d.edges.map((e) => [e.src, e.dst, e.weight])).toEqual(fromFile);
    expect(karate({ weighted: false }).edges.every((e) => e.weight === undefined)).toBe(true);
    // Written out, it is the shipped graph (features, edges, weights), split aside.
    const g = parseGraphJson(draftToGraphJson(d));
    const f = parseGraphJson(shipped('karate.json'));
    expect(g.inCsr).toEqual(f.inCsr);
    expect(g.features).toEqual(f.features);
    expectDrawableAndLoadable(d);
  });

  it('generators are deterministic and their split follows the seed', () => {
    expect(karate()).toEqual(karate());
    expect(ring(30, 2, { seed: 1 }).nodes.map((v) => v.split)).not.toEqual(ring(30, 2, { seed: 2 }).nodes.map((v) => v.split));
  });
});

describe('stochastic block model', () => {
  it('blocks are contiguous and as even as possible', () => {
    expect(Array.from(sbmBlocks(7, 3))).toEqual([0, 0, 0, 1, 1, 2, 2]);
  });

  it('is deterministic, depends on the seed, and has pIn / pOut at the extremes', () => {
    const o = { classes: 3, nodes: 60, pIn: 0.3, pOut: 0.05, seed: 4 };
    expect(sbm(o)).toEqual(sbm(o));
    expect(sbm({ ...o, seed: 5 }).edges).not.toEqual(sbm(o).edges);
    const cliques = sbm({ ...o, pIn: 1, pOut: 0 });
    expect(cliques.edges).toHaveLength(3 * (20 * 19) / 2);
    expect(edgeHomophily(cliques)).toBe(1);
    expect(edgeHomophily(sbm({ ...o, pIn: 0, pOut: 1 }))).toBe(0);
    expect(sbm(o).features).toEqual({ kind: 'signal', dim: 3, noise: 1, seed: 4 });
    expectDrawableAndLoadable(sbm(o));
  });

  it('edge homophily tracks pIn / (pIn + pOut) with two blocks, and the exact expectation with more', () => {
    for (const [pIn, pOut] of [[0.02, 0.005], [0.01, 0.01], [0.004, 0.016]]) {
      const d = sbm({ classes: 2, nodes: 2000, pIn, pOut, seed: 11 });
      expect(Math.abs(edgeHomophily(d) - pIn / (pIn + pOut))).toBeLessThan(0.02);
      expect(Math.abs(d.edges.length / (pIn * 2 * (1000 * 999) / 2 + pOut * 1000 * 1000) - 1)).toBeLessThan(0.03);
    }
    const d = sbm({ classes: 4, nodes: 2000, pIn: 0.02, pOut: 0.005, seed: 12 });
    const h = expectedSbmHomophily(2000, 4, 0.02, 0.005);
    expect(h).toBeCloseTo((0.02 * 4 * 124750) / (0.02 * 4 * 124750 + 0.005 * (1999000 - 4 * 124750)), 12);
    expect(Math.abs(edgeHomophily(d) - h)).toBeLessThan(0.02);
  });

  it('clusters each block around its own centre', () => {
    const d = sbm({ classes: 4, nodes: 400, pIn: 0.05, pOut: 0.01, seed: 1 });
    const centre = [0, 1, 2, 3].map((c) => {
      const own = d.nodes.filter((v) => v.label === c);
      return [own.reduce((s, v) => s + v.x, 0) / own.length, own.reduce((s, v) => s + v.y, 0) / own.length];
    });
    for (const v of d.nodes) {
      const dist = centre.map(([x, y]) => Math.hypot(v.x - x, v.y - y));
      expect(dist.indexOf(Math.min(...dist))).toBe(v.label);
    }
  });

  it('refuses sizes past its caps with a clear message', () => {
    expect(() => sbm({ classes: 2, nodes: 5001, pIn: 0.01, pOut: 0.001 })).toThrow('number of SBM nodes must be a whole number in 1..5000, got 5001');
    expect(() => sbm({ classes: 2, nodes: 5000, pIn: 0.5, pOut: 0.5 })).toThrow(/about 6248750 edges, more than the 500000/);
    expect(() => sbm({ classes: 2, nodes: 10, pIn: 1.5, pOut: 0 })).toThrow(/pIn must be a probability/);
  });
});

describe('edgeHomophily', () => {
  it('is exact on hand-built drafts', () => {
    const d = ring(8, 2); // arcs 0000 1111: 2 of the 8 edges cross
    expect(edgeHomophily(d)).toBe(6 / 8);
    expect(edgeHomophily(ring(8, 4))).toBe(4 / 8);
    expect(edgeHomophily(barbell(3, 0))).toBe(6 / 7);
    expect(edgeHomophily(ring(1, 1))).toBeNaN();
  });
});

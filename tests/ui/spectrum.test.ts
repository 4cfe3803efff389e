import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { gcnGain } from '../../src/metrics/filterResponse';
import { SPECTRAL_MAX_NODES } from '../../src/metrics/spectral';
import { nodeRecipe } from '../../src/models/spec';
import { defaultConfig, type GraphSummary, type TrainConfig } from '../../src/train/protocol';
import { summarize } from '../../src/train/summary';
import { diverging } from '../../src/ui/spectrum/diverging';
import { exampleChebTheta, gainsAt, modelFilter } from '../../src/ui/spectrum/modelFilter';
import { adjacencyOf, computeSpectrum, forceLayout, frequencyWord, signChanges, spectralSubject } from '../../src/ui/spectrum/spectralData';
import { modelName, SpectrumPanel } from '../../src/ui/spectrum/SpectrumView';

const karate = summarize(parseGraphJson(readFileSync(new URL('../../public/datasets/karate.json', import.meta.url), 'utf8')));
const config = (patch: Partial<TrainConfig>): TrainConfig => ({ ...defaultConfig, ...patch });

function ring(n: number): GraphSummary {
  const src = Uint32Array.from({ length: n }, (_, i) => Math.min(i, (i + 1) % n));
  const dst = Uint32Array.from({ length: n }, (_, i) => Math.max(i, (i + 1) % n));
  return { ...karate, name: `ring ${n}`, numNodes: n, numEdges: 2 * n, src, dst, labels: new Int32Array(n), splitOf: new Uint8Array(n) };
}

describe('spectralSubject', () => {
  it('takes a node-classification graph whole, with its edges', () => {
    const s = spectralSubject(karate);
    expect(s.kind).toBe('ok');
    if (s.kind !== 'ok') return;
    expect(s.graph.n).toBe(34);
    expect(s.graph.src.length).toBe(78);
    expect(s.graph.graphIndex).toBeUndefined();
  });

  it('refuses graphs above the cap, and names the cap', () => {
    expect(spectralSubject(ring(SPECTRAL_MAX_NODES + 1))).toEqual({ kind: 'too-big', n: SPECTRAL_MAX_NODES + 1, max: SPECTRAL_MAX_NODES, graphIndex: undefined });
    expect(spectralSubject(ring(SPECTRAL_MAX_NODES)).kind).toBe('ok');
  });

  it('takes the first drawn graph of a graph set, and only its edges', () => {
    // Graph 7 (nodes 0-2, a triangle), then graph 3 (nodes 3-4, one edge).
    const set: GraphSummary = {
      ...karate, numNodes: 5, src: Uint32Array.of(0, 0, 1, 3), dst: Uint32Array.of(1, 2, 2, 4),
      graphOf: Uint32Array.of(7, 7, 7, 3, 3), numGraphs: 10, labels: new Int32Array(5), splitOf: new Uint8Array(5),
    };
    const s = spectralSubject(set);
    expect(s).toEqual({ kind: 'ok', graph: { n: 3, src: Uint32Array.of(0, 0, 1), dst: Uint32Array.of(1, 2, 2), graphIndex: 7 } });
  });
});

describe('spectrum, layout and sign changes', () => {
  it('adjacency stores each edge both ways', () => {
    const a = adjacencyOf(3, [0, 1], [1, 2]);
    expect(Array.from(a.indptr)).toEqual([0, 1, 3, 4]);
    expect(Array.from(a.indices)).toEqual([1, 0, 2, 1]);
  });

  it('a ring of 8: plain eigenvalues 1 - cos(2 pi j / 8), the top one alternates on every edge', () => {
    const s = spectralSubject(ring(8));
    if (s.kind !== 'ok') throw new Error('ring');
    const sp = computeSpectrum(s.graph, false);
    const want = Array.from({ length: 8 }, (_, j) => 1 - Math.cos((2 * Math.PI * j) / 8)).sort((a, b) => a - b);
    sp.eigenvalues.forEach((v, i) => expect(v).toBeCloseTo(want[i], 10));
    expect(signChanges(s.graph, sp.eigenvectors.subarray(7 * 8, 8 * 8))).toBe(8);
    expect(signChanges(s.graph, sp.eigenvectors.subarray(0, 8))).toBe(0);
    expect(frequencyWord(sp.eigenvalues[0])).toBe('low');
    expect(frequencyWord(sp.eigenvalues[7])).toBe('high');
  });

  it('renormalized Karate: eigenvalues in [0, 2), one zero, the Fiedler vector splits the club', () => {
    const s = spectralSubject(karate);
    if (s.kind !== 'ok') throw new Error('karate');
    const sp = computeSpectrum(s.graph, true);
    expect(sp.eigenvalues[0]).toBeCloseTo(0, 10);
    expect(sp.eigenvalues[1]).toBeGreaterThan(1e-3);
    expect(sp.eigenvalues[33]).toBeLessThan(2);
    const fiedler = sp.eigenvectors.subarray(34, 68);
    // The instructor (node 0) and the president (node 33) fall on opposite sides.
    expect(Math.sign(fiedler[0])).toBe(-Math.sign(fiedler[33]));
    expect(signChanges(s.graph, fiedler)).toBeLessThan(15);
  });

  it('the layout fills the unit square, deterministically', () => {
    const s = spectralSubject(karate);
    if (s.kind !== 'ok') throw new Error('karate');
    const a = forceLayout(s.graph), b = forceLayout(s.graph);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    for (const v of [...a.x, ...a.y]) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(1);
    expect(Math.max(Math.max(...a.x) - Math.min(...a.x), Math.max(...a.y) - Math.min(...a.y))).toBeCloseTo(1, 5);
  });
});

describe('modelFilter', () => {
  it('GCN: the renormalized Laplacian, one layer and the whole depth', () => {
    const info = modelFilter(config({ layers: 3 }));
    expect(info.renormalized).toBe(true);
    expect(info.curves.map((c) => c.label)).toEqual(['one layer: 1 \u2212 \u03bb\u0303', '3 layers: (1 \u2212 \u03bb\u0303)\u00b3']);
    const main = info.curves.find((c) => c.main)!;
    expect(gainsAt(main, [0, 0.5, 1.5])).toEqual(Float64Array.of(1, 0.125, -0.125));
    expect(info.note).toMatch(/low-pass/);
    expect(info.note).toMatch(/depth smooths/);
  });

  it('GCN without self loops uses the plain Laplacian and says 1 - lambda reaches -1', () => {
    const info = modelFilter(config({ selfLoops: false, layers: 1 }));
    expect(info.renormalized).toBe(false);
    expect(info.curves).toHaveLength(1);
    expect(info.curves[0].main).toBe(true);
    expect(gainsAt(info.curves[0], [2])[0]).toBe(-1);
    expect(info.note).toMatch(/\u22121/);
  });

  it('SGC: K steps; ChebNet: K basis terms and an example theta; the others are not fixed filters', () => {
    const sgc = modelFilter({ ...nodeRecipe('sgc').spec, k: 3 });
    expect(sgc.renormalized).toBe(true);
    expect(gainsAt(sgc.curves.find((c) => c.main)!, [0.5])[0]).toBeCloseTo(gcnGain(0.5, 3), 15);
    const cheb = modelFilter(nodeRecipe('cheb').spec);
    expect(cheb.renormalized).toBe(false);
    expect(cheb.curves.filter((c) => !c.main)).toHaveLength(3);
    expect(cheb.note).toMatch(/not the trained one/);
    for (const m of ['gat', 'sage', 'gin', 'rgcn'] as const) {
      const info = modelFilter(nodeRecipe(m).spec);
      expect(info.curves).toEqual([]);
      expect(info.note).toMatch(/not a fixed spectral filter/);
    }
  });

  it('the example ChebNet theta is the Chebyshev series of e^-lambda', () => {
    const theta = exampleChebTheta(8);
    for (const l of [0, 0.5, 1.3, 2]) {
      const x = l - 1;
      let t0 = 1, t1 = x, sum = theta[0] + theta[1] * x;
      for (let k = 2; k < 8; k++) { const t2 = 2 * x * t1 - t0; sum += theta[k] * t2; t0 = t1; t1 = t2; }
      expect(sum).toBeCloseTo(Math.exp(-l), 6);
    }
  });

  it('mixed stacks: the GCN layers alone, else one ChebNet layer, else not a fixed filter', () => {
    const mixed = modelFilter(config({ layers: 3, stack: 'gcn,gat,gcn' }));
    expect(mixed.renormalized).toBe(true);
    expect(mixed.curves.find((c) => c.main)!.label).toBe('2 GCN layers: (1 \u2212 \u03bb\u0303)\u00b2');
    expect(mixed.note).toMatch(/^This mixed stack \(GCN \u2192 GAT \u2192 GCN\) is not one fixed spectral filter; the curves show its 2 GCN layers alone\./);
    const cheb = modelFilter({ ...nodeRecipe('cheb').spec, stack: 'cheb,sage' });
    expect(cheb.renormalized).toBe(false);
    expect(cheb.note).toMatch(/one of its ChebNet layers/);
    expect(modelFilter(config({ stack: 'gat,gin' })).curves).toEqual([]);
    // The same kind throughout is no mixture; a stack the model cannot build counts as the model's own.
    expect(modelFilter(config({ stack: 'gcn,gcn' })).note).not.toMatch(/mixed/);
    expect(modelFilter(config({ stack: 'nonsense' })).curves).toHaveLength(2);
    expect(modelName(config({ layers: 3, stack: 'gcn,gat,gcn' }))).toBe('3-layer stack of GCN \u2192 GAT \u2192 GCN');
    expect(modelName(config({}))).toBe('2-layer GCN');
  });

  it('caveats for residual, PairNorm and jumping knowledge in deep models', () => {
    expect(modelFilter(config({ layers: 8, residual: true, pairNorm: true, jk: 'cat' })).caveats).toHaveLength(3);
    expect(modelFilter(config({})).caveats).toEqual([]);
  });
});

describe('diverging colours', () => {
  it('blue below zero, near white at zero, red above', () => {
    expect(diverging(-1)).toBe('#053061');
    expect(diverging(0)).toBe('#f7f7f7');
    expect(diverging(1)).toBe('#67001f');
    expect(diverging(Number.NaN)).toBe('#f7f7f7');
  });
});

describe('SpectrumPanel static render', () => {
  const sizes = { graph: { width: 600, height: 500 }, plot: { width: 500, height: 240 } };
  const s = spectralSubject(karate);
  if (s.kind !== 'ok') throw new Error('karate');

  it('draws every node, the eigenvalues and the response with accessible labels', () => {
    const cfg = config({});
    const info = modelFilter(cfg);
    const html = renderToStaticMarkup(createElement(SpectrumPanel, {
      summary: karate, subject: s, info, modelName: modelName(cfg), spectrum: computeSpectrum(s.graph, info.renormalized),
      layout: forceLayout(s.graph), k: 1, onSelect: () => {}, sizes,
    }));
    expect(html.match(/class="spectrum-node"/g)).toHaveLength(34);
    expect(html).toContain('aria-label="34 eigenvalues \u03bb\u0303 of the renormalized Laplacian');
    expect(html).toContain('aria-label="Frequency response of 2-layer GCN: 2 layers: (1 \u2212 \u03bb\u0303)\u00b2');
    expect(html).toMatch(/aria-label="Eigenvector k = 1 \(\u03bb\u0303 = 0\.\d+, low frequency\) on the graph/);
    expect(html).toMatch(/<label for="spectrum-k"[^>]*>Eigenvector k<\/label>/);
    expect(html).toMatch(/aria-valuetext="k = 1, \u03bb\u0303 = 0\.\d+, low frequency"/);
  });

  it('says when the graph is too big, and when a layer is not a spectral filter', () => {
    const big = ring(SPECTRAL_MAX_NODES + 1);
    const html = renderToStaticMarkup(createElement(SpectrumPanel, {
      summary: { ...big, name: 'Cora' }, subject: spectralSubject(big), info: modelFilter(config({})), modelName: 'GCN',
      spectrum: null, layout: null, k: 1, onSelect: () => {}, sizes,
    }));
    expect(html).toContain(`The spectral view is for small graphs: Cora has 601 nodes, above the cap of ${SPECTRAL_MAX_NODES}.`);
    const gat = modelFilter(nodeRecipe('gat').spec);
    const html2 = renderToStaticMarkup(createElement(SpectrumPanel, {
      summary: karate, subject: s, info: gat, modelName: 'GAT', spectrum: computeSpectrum(s.graph, false),
      layout: null, k: 40, onSelect: () => {}, sizes,
    }));
    expect(html2).toContain('not a fixed spectral filter');
    expect(html2).toContain('k = 33 of 33'); // clamped
    expect(html2).toContain('Laying out the graph');
  });
});

import { describe, expect, it } from 'vitest';
import { exportKinds, exportReason, type ExportSituation } from '../../src/export/availability';
import { figureColumns, FIGURE, layoutFigure } from '../../src/export/figure';

describe('layoutFigure', () => {
  it('one picture under a two-line title, at scale 1', () => {
    const l = layoutFigure(['Title', 'sub'], [{ width: 400, height: 300, caption: [] }], 1, 1);
    const { pad, gap } = FIGURE;
    const titleH = Math.round(18 * 1.45) + Math.round(13 * 1.45);
    expect(l.panels).toEqual([{ x: pad, y: pad + titleH + gap, width: 400, height: 300, caption: [] }]);
    expect(l.width).toBe(400 + 2 * pad);
    expect(l.height).toBe(pad + titleH + gap + 300 + pad);
    expect(l.title.map((t) => [t.text, t.size, t.bold])).toEqual([['Title', 18, true], ['sub', 13, false]]);
  });

  it('small multiples in a grid at device pixel ratio 2: captions above each picture, every cell inside the canvas', () => {
    const panels = Array.from({ length: 5 }, (_, i) => ({ width: 600, height: 440, caption: [`layer ${i + 1} · 16 dims`, 'energy 0.1 · MAD 0.2'] }));
    const l = layoutFigure(['t'], panels, figureColumns(5), 2);
    expect(figureColumns(5)).toBe(3);
    expect(new Set(l.panels.map((p) => p.y)).size).toBe(2);
    expect(l.panels[1].x - l.panels[0].x).toBe(600 + 2 * FIGURE.gap);
    for (const p of l.panels) {
      expect(p.x + p.width).toBeLessThanOrEqual(l.width - 2 * FIGURE.pad + 1);
      expect(p.y + p.height).toBeLessThanOrEqual(l.height - 2 * FIGURE.pad + 1);
      expect(p.caption.every((c) => c.y < p.y && c.size === 24)).toBe(true);
    }
  });

  it('columns: one row up to 4 panels, then a near-square grid of at most 4', () => {
    expect([0, 1, 2, 3, 4, 5, 9, 10, 33].map(figureColumns)).toEqual([1, 1, 2, 3, 4, 3, 3, 4, 4]);
  });
});

describe('exportReason', () => {
  const ready: ExportSituation = { hasGraph: true, loading: false, task: 'node', epochs: 3, frames: 2, graphViewShown: true, editing: false, scriptProblem: null };
  const reasons = (s: Partial<ExportSituation>) => Object.fromEntries(exportKinds.map((k) => [k, exportReason(k, { ...ready, ...s })]));

  it('everything is available for a trained node run with the graph on screen', () => {
    expect(Object.values(reasons({})).every((r) => r === null)).toBe(true);
  });

  it('no run yet: everything but the graph picture and the script waits for an epoch; no graph: nothing', () => {
    const r = reasons({ epochs: 0, frames: 0 });
    expect(r['graph-png']).toBeNull();
    expect(r['pyg-script']).toBeNull();
    for (const k of ['weights-json', 'embeddings-json', 'embeddings-csv', 'curves-csv', 'layers-png']) expect(r[k]).toMatch(/epoch/);
    expect(Object.values(reasons({ hasGraph: false })).every((x) => x !== null)).toBe(true);
    expect(Object.values(reasons({ loading: true })).every((x) => x === 'The data set is still loading.')).toBe(true);
  });

  it('graph classification: weights, curves, picture and script only', () => {
    const r = reasons({ task: 'graph', frames: 0 });
    expect(Object.keys(r).filter((k) => r[k] === null)).toEqual(['weights-json', 'curves-csv', 'graph-png', 'pyg-script']);
    expect(r['embeddings-csv']).toMatch(/weights only/);
  });

  it('the graph picture needs the Graph tab (not the editor); the script says why it cannot be written', () => {
    expect(reasons({ graphViewShown: false })['graph-png']).toBe('Open the Graph tab to export its picture.');
    expect(reasons({ graphViewShown: false, editing: true })['graph-png']).toMatch(/editor/);
    expect(reasons({ scriptProblem: 'no' })['pyg-script']).toBe('no');
    // The layer views are drawn offscreen when their tab is closed: the tab does not matter.
    expect(reasons({ graphViewShown: false })['layers-png']).toBeNull();
  });
});

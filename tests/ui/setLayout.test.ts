import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cvSplit } from '../../src/graph/folds';
import { parseGraphSetJson } from '../../src/graph/loadGraphSetJson';
import { summarizeSet } from '../../src/train/summary';
import { layoutPieces, pack } from '../../src/ui/setLayout';

const mutag = parseGraphSetJson(readFileSync(new URL('../../public/datasets/mutag.json', import.meta.url), 'utf8'));
const enzymes = parseGraphSetJson(readFileSync(new URL('../../public/datasets/enzymes.json', import.meta.url), 'utf8'));

describe('graph-set drawing', () => {
  const summary = summarizeSet(mutag, cvSplit(mutag.graphLabels, 10, 0, 1));

  it('one piece per drawn graph, covering every node, with finite positions inside the piece', () => {
    const pieces = layoutPieces(summary);
    expect(pieces.map((p) => p.end - p.first).reduce((a, b) => a + b, 0)).toBe(summary.numNodes);
    for (const p of pieces) {
      expect(new Set(summary.graphOf!.subarray(p.first, p.end))).toEqual(new Set([p.graph]));
      for (let i = 0; i < p.x.length; i++) {
        expect(p.x[i]).toBeGreaterThan(0);
        expect(p.x[i]).toBeLessThan(p.w);
        expect(p.y[i]).toBeGreaterThan(0);
        expect(p.y[i]).toBeLessThan(p.h);
      }
    }
  });

  it('packing keeps order and never overlaps two graphs', () => {
    const pieces = layoutPieces(summary);
    for (const aspect of [0.5, 1, 16 / 9, 3]) {
      const at = pack(pieces, aspect);
      for (let i = 0; i < pieces.length; i++) {
        expect(at.x[i] + pieces[i].w).toBeLessThanOrEqual(at.width + 1e-9);
        expect(at.y[i] + pieces[i].h).toBeLessThanOrEqual(at.height + 1e-9);
        for (let j = i + 1; j < pieces.length; j++) {
          const apart = at.x[i] + pieces[i].w <= at.x[j] || at.x[j] + pieces[j].w <= at.x[i]
            || at.y[i] + pieces[i].h <= at.y[j] || at.y[j] + pieces[j].h <= at.y[i];
          expect(apart).toBe(true);
        }
      }
    }
  });

  it('a wide canvas gets a wide packing, a tall one a tall packing', () => {
    const pieces = layoutPieces(summary);
    const wide = pack(pieces, 3), tall = pack(pieces, 0.5);
    expect(wide.width / wide.height).toBeGreaterThan(tall.width / tall.height);
  });

  it('the sample shows every class even when the set lists its graphs class by class', () => {
    const s = summarizeSet(enzymes, cvSplit(enzymes.graphLabels, 10, 0, 1));
    expect(new Set(s.labels).size).toBe(enzymes.numClasses);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertPubmed } from '../../src/cli/convertPubmed';
import { parseGraphJson } from '../../src/graph/loadGraphJson';

// CI checks the repo out next to shared/, so this relative path holds there as here.
const sharedText = readFileSync(new URL('../../../shared/datasets/planetoid/pubmed.nofeatures.json', import.meta.url), 'utf8');
const shippedText = readFileSync(new URL('../../public/datasets/pubmed.json', import.meta.url), 'utf8');

describe('PubMed as shipped (graph, labels and split of Planetoid; identity features)', () => {
  const shared = JSON.parse(sharedText);
  const raw = JSON.parse(shippedText);
  const g = parseGraphJson(shippedText);

  it('is what src/cli/convertPubmed.ts writes from the shared file, byte for byte', () => {
    expect(shippedText).toBe(convertPubmed(sharedText));
  });

  it('has PubMed\'s counts: 19717 nodes, 88648 directed edges, 3 classes, 60 / 500 / 1000', () => {
    expect([shared.num_nodes, shared.num_edges, shared.num_classes]).toEqual([19717, 88648, 3]);
    expect([g.numNodes, g.numEdges, g.numClasses]).toEqual([19717, 88648, 3]);
    expect([g.inCsr.rows, g.inCsr.indices.length]).toEqual([19717, 88648]);
    expect([g.split.train.length, g.split.val.length, g.split.test.length]).toEqual([60, 500, 1000]);
    expect(g.classNames).toEqual(['class 0', 'class 1', 'class 2']);
  });

  it('keeps the shared file\'s labels, split, edges (in order), source and citation', () => {
    expect(raw.labels).toEqual(shared.labels);
    expect(raw.split).toEqual(shared.split);
    expect(raw.edges).toEqual(shared.edges);
    expect(raw.citation).toBe(shared.citation);
    expect(g.citation).toBe(shared.citation);
    for (const [k, v] of Object.entries(shared.source)) expect(raw.source[k]).toEqual(v);
    for (const k of Object.keys(shared.notes)) expect(raw.notes).toHaveProperty(k);
    expect(Array.from(g.labels)).toEqual(shared.labels);
  });

  it('has identity features (one-hot node id, binary CSR) and says they are not PubMed\'s', () => {
    expect(g.features.kind).toBe('sparse');
    if (g.features.kind !== 'sparse') return;
    const { rows, cols, indptr, indices, values } = g.features.csr;
    expect([rows, cols, indices.length]).toEqual([19717, 19717, 19717]);
    expect(values).toBeUndefined();
    for (let i = 0; i < rows; i++) {
      if (indptr[i] !== i || indices[i] !== i) throw new Error(`row ${i} is not one-hot at column ${i}`);
    }
    expect(raw.notes.features).toMatch(/^NOT PubMed's features/);
    expect(raw.notes.features).toContain('identity');
    expect(raw.name).toBe('PubMed (identity features)');
  });
});

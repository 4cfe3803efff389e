import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTuDir, tuDatasets } from '../../src/cli/convertTu';
import type { GraphSet } from '../../src/graph/graphSet';
import { graphSetToJson } from '../../src/graph/graphSetToJson';
import { parseGraphSetJson } from '../../src/graph/loadGraphSetJson';
import { parseTu } from '../../src/graph/tu';
import { tinyFiles } from './tinyTu';

const tuDir = fileURLToPath(new URL('../../../shared/datasets/tu', import.meta.url));
const shipped = (f: string) => readFileSync(new URL(`../../public/datasets/${f}`, import.meta.url), 'utf8');
const readme = shipped('README.md');

/** Every field equal, typed arrays of the same type and contents (stricter than toEqual alone). */
function expectSameSet(a: GraphSet, b: GraphSet) {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const key of Object.keys(a) as (keyof GraphSet)[]) {
    const x = a[key];
    const y = b[key];
    if (ArrayBuffer.isView(x)) {
      expect(y?.constructor, key).toBe(x.constructor);
      expect(Buffer.from((y as Uint8Array).buffer, (y as Uint8Array).byteOffset, (y as Uint8Array).byteLength).equals(
        Buffer.from(x.buffer, x.byteOffset, x.byteLength)), key).toBe(true);
    } else {
      expect(y, key).toEqual(x);
    }
  }
}

describe('public/datasets graph sets', () => {
  for (const d of tuDatasets) {
    const text = shipped(d.out);
    const fromJson = parseGraphSetJson(text);
    const fromRaw = readTuDir(tuDir, d);

    it(`${d.out} parses to exactly the set parsed from the raw TU files`, () => {
      expectSameSet(fromRaw, fromJson);
      expect(fromJson.features.length).toBe(fromJson.numNodes * fromJson.numFeatures);
      expect(fromJson.citation).toMatch(/Morris.*TUDataset/);
      expect(fromJson.licence).toMatch(/research use/);
    });

    it(`${d.out} is what convertTu writes today, and README.md records its sha256`, () => {
      expect(graphSetToJson(fromRaw)).toBe(text);
      const sha = createHash('sha256').update(text).digest('hex');
      expect(readme).toContain(sha);
    });
  }

  it('a changed array element makes the sets differ (the comparison can fail)', () => {
    const a = parseGraphSetJson(shipped('mutag.json'));
    const j = JSON.parse(shipped('mutag.json'));
    j.node_labels[100] = (j.node_labels[100] + 1) % 7;
    expect(() => expectSameSet(a, parseGraphSetJson(JSON.stringify(j)))).toThrow(/features|nodeLabels/);
  });
});

describe('graphSetToJson and parseGraphSetJson round trip', () => {
  it('the hand-made set, with and without labels and names', () => {
    const full = parseTu('TINY', tinyFiles, { featureNames: ['a', 'b', 'c'], edgeTypeNames: ['x', 'y'], citation: 'c', source: 's', licence: 'l' });
    const bare = parseTu('TINY', { A: tinyFiles.A, graph_indicator: tinyFiles.graph_indicator, graph_labels: tinyFiles.graph_labels });
    for (const set of [full, bare]) expectSameSet(set, parseGraphSetJson(graphSetToJson(set)));
    const j = JSON.parse(graphSetToJson(full));
    expect(j).toMatchObject({
      schema: 'gnn-graphset-json', schema_version: 1, num_graphs: 3, num_nodes: 6, num_edges: 6,
      node_offsets: [0, 3, 5, 6], node_labels: [0, 1, 0, 2, 0, 1], graph_labels: [1, 0, 1],
      edges: { src: [0, 1, 1, 2, 3, 4], dst: [1, 0, 2, 1, 4, 3] }, edge_types: [0, 0, 1, 1, 0, 0],
    });
    const b = JSON.parse(graphSetToJson(bare));
    expect([b.node_labels, b.edge_types, b.num_edge_types]).toEqual([undefined, undefined, 0]);
  });

  it('the default class names when a file has none', () => {
    const j = JSON.parse(graphSetToJson(parseTu('TINY', tinyFiles)));
    delete j.class_names;
    expect(parseGraphSetJson(JSON.stringify(j)).classNames).toEqual(['class 0', 'class 1']);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GraphFormatError } from '../../src/graph/errors';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { parseGraphSetJson } from '../../src/graph/loadGraphSetJson';
import { loadUserFiles, MAX_USER_BYTES, type UserFile } from '../../src/graph/loaders/detect';
import { npz, tinyMembers } from './npzFixture';

const read = (url: string) => new Uint8Array(readFileSync(new URL(url, import.meta.url)));
const user = (name: string, url: string): UserFile => ({ name, bytes: read(url) });
const text = (name: string, s: string): UserFile => ({ name, bytes: new TextEncoder().encode(s) });

async function errorOf(files: UserFile[]): Promise<GraphFormatError> {
  try {
    await loadUserFiles(files);
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw new Error(`expected a GraphFormatError, got ${String(e)}`);
    return e;
  }
  throw new Error('expected a GraphFormatError, but the files loaded');
}

describe('loadUserFiles', () => {
  it('a gnn-graph-json file passes through as its own text', async () => {
    const u = await loadUserFiles([user('karate.json', '../../public/datasets/karate.json')]);
    expect(u.kind).toBe('node');
    if (u.kind !== 'node') return;
    expect([u.graph.numNodes, u.graph.numEdges]).toEqual([34, 156]);
    expect(u.json).toBe(readFileSync(new URL('../../public/datasets/karate.json', import.meta.url), 'utf8'));
  });

  it('a gnn-graphset-json file by its schema', async () => {
    const u = await loadUserFiles([user('mutag.json', '../../public/datasets/mutag.json')]);
    expect(u.kind === 'graphs' && [u.set.numGraphs, parseGraphSetJson(u.json).numNodes]).toEqual([188, 3371]);
  });

  it('an .npz, with a json the worker parses to the same graph', async () => {
    const u = await loadUserFiles([user('cora.npz', '../../../shared/datasets/npz/cora.npz')]);
    expect(u.kind).toBe('node');
    if (u.kind !== 'node') return;
    const g = parseGraphJson(u.json);
    expect([g.numNodes, g.numEdges, g.numClasses]).toEqual([2708, 10556, 7]);
    expect(g.inCsr).toEqual(u.graph.inCsr);
    expect(g.split).toEqual(u.graph.split);
  });

  it('TU text files, from any folder, README ignored', async () => {
    const parts = ['A', 'graph_indicator', 'graph_labels', 'node_labels', 'edge_labels'];
    const files = parts.map((p) => user(`MUTAG/MUTAG_${p}.txt`, `../../../shared/datasets/tu/MUTAG/MUTAG_${p}.txt`));
    const u = await loadUserFiles([...files, user('MUTAG/README.txt', '../../../shared/datasets/tu/MUTAG/README.txt')]);
    expect(u.kind).toBe('graphs');
    if (u.kind !== 'graphs') return;
    expect([u.set.numGraphs, u.set.numEdges]).toEqual([188, 7442]);
    expect(parseGraphSetJson(u.json)).toEqual(u.set);
    expect(u.notes).toEqual(["README.txt: not read (not one of the MUTAG data set's TU files)"]);
  });

  it('an edge list and its label file, told apart by "label" in the name, in either order', async () => {
    for (const files of [
      [user('friends.csv', '../fixtures/graph/friends.csv'), user('friends_labels.csv', '../fixtures/graph/friends_labels.csv')],
      [user('friends_labels.csv', '../fixtures/graph/friends_labels.csv'), user('friends.csv', '../fixtures/graph/friends.csv')],
    ]) {
      const u = await loadUserFiles(files);
      expect(u.kind === 'node' && [u.graph.numNodes, u.graph.numEdges, u.graph.classNames]).toEqual([7, 10, ['blue', 'green', 'red']]);
      expect(u.notes.length).toBeGreaterThan(0);
    }
    const one = await loadUserFiles([text('ring.edges', '0 1\n1 2\n2 0\n')]);
    expect(one.kind === 'node' && parseGraphJson(one.json).numEdges).toBe(6);
  });

  it('an .npz with a deflated member (async inflate)', async () => {
    const u = await loadUserFiles([{ name: 'tiny.npz', bytes: npz(tinyMembers(), true) }]);
    expect(u.kind === 'node' && u.graph.numEdges).toBe(6);
  });
});

describe('loadUserFiles errors', () => {
  it('an unknown format lists the supported ones', async () => {
    const e = await errorOf([text('graph.graphml', '<graphml/>')]);
    expect(e.message).toMatch(/^cannot tell what graph\.graphml is; load a gnn-graph-json or gnn-graphset-json file \(\.json\); an edge list \(\.csv, \.tsv, \.txt, \.edges\).*TU Dortmund.*gnn-benchmark \.npz$/);
  });

  it('a file over the size limit is refused before it is read', async () => {
    const big = { name: 'huge.csv', bytes: { length: MAX_USER_BYTES + 1 } as Uint8Array };
    expect((await errorOf([big])).message).toBe('huge.csv: 200.1 MB is more than the 200 MB a page can load');
    const two = [{ name: 'a.csv', bytes: { length: MAX_USER_BYTES } as Uint8Array }, { name: 'a_labels.csv', bytes: { length: 2 ** 20 } as Uint8Array }];
    expect((await errorOf(two)).message).toBe('2 files: 201.0 MB is more than the 200 MB a page can load');
  });

  it('JSON errors carry the file name in their place', async () => {
    const e = await errorOf([text('mine.json', '{"schema": "gnn-graph-json", "schema_version": 2}')]);
    expect(e.path).toBe('mine.json schema_version');
    expect(e.message).toBe('mine.json schema_version: expected 1, found 2');
    expect((await errorOf([text('x.json', '{"schema": "other"}')])).message).toBe('x.json schema: expected "gnn-graph-json" or "gnn-graphset-json", found "other"');
    expect((await errorOf([text('x.json', '{oops')])).message).toMatch(/^x\.json: not JSON: /);
  });

  it('mixtures and ambiguous pairs', async () => {
    expect((await errorOf([])).message).toMatch(/^no files given; load a gnn-graph-json/);
    expect((await errorOf([text('a.npz', 'PK'), text('b.csv', '1,2')])).message).toBe('load a .npz file on its own (got a.npz, b.csv)');
    expect((await errorOf([text('a.csv', '1,2'), text('b.csv', '1,2')])).message).toBe('of two edge-list files, exactly one must have "label" in its name (the node labels); got a.csv, b.csv');
  });

  it('each loader\'s own errors come through with their place', async () => {
    expect((await errorOf([text('e.csv', '1,2\n2,3,x\n')])).message).toBe('e.csv line 2: expected 2 values like line 1, found 3');
    expect((await errorOf([text('bad.npz', 'PK\u0003\u0004 and then nothing')])).message).toBe('bad.npz: is truncated or damaged: its ZIP end-of-central-directory record is missing');
    expect((await errorOf([text('T_A.txt', '1, 2\n'), text('T_graph_indicator.txt', '1\n1\n')])).message).toMatch(/^T_graph_labels\.txt: missing/);
  });
});

describe('loadUserFiles routing', () => {
  it('TU files without their _A.txt are sent to the TU loader, which names what is missing', async () => {
    const e = await errorOf([text('T_graph_indicator.txt', '1\n'), text('T_graph_labels.txt', '1\n'), text('T_node_labels.txt', '1\n')]);
    expect(e.message).toBe('no TU adjacency file (a name ending in _A.txt, such as MUTAG_A.txt) among the files');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csrToDense } from '../../src/graph/csr';
import { GraphFormatError } from '../../src/graph/errors';
import { graphToGraphJson } from '../../src/graph/graphToJson';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { parseNpy } from '../../src/graph/loaders/npy';
import { parseNpz } from '../../src/graph/loaders/npz';
import { crc32 } from '../../src/graph/loaders/zip';
import { npy, numeric, npz, tinyMembers } from './npzFixture';

const bytesOf = (url: string) => new Uint8Array(readFileSync(new URL(url, import.meta.url)));
const sharedNpz = (name: string) => bytesOf(`../../../shared/datasets/npz/${name}`);

async function errorOf(bytes: Uint8Array, file = 'tiny.npz'): Promise<GraphFormatError> {
  try {
    await parseNpz(bytes, file);
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw new Error(`expected a GraphFormatError, got ${String(e)}`);
    return e;
  }
  throw new Error('expected a GraphFormatError, but the file loaded');
}

describe('gnn-benchmark npz', () => {
  it('cora.npz: 2708 nodes, 5278 undirected edges, 1433 binary features (nnz 49216), 7 named classes', async () => {
    const { graph: g, notes } = await parseNpz(sharedNpz('cora.npz'), 'cora.npz');
    expect([g.numNodes, g.numEdges, g.numClasses]).toEqual([2708, 10556, 7]);
    expect(g.classNames).toEqual(['Case_Based', 'Genetic_Algorithms', 'Neural_Networks', 'Probabilistic_Methods', 'Reinforcement_Learning', 'Rule_Learning', 'Theory']);
    expect(g.features.kind).toBe('sparse');
    if (g.features.kind !== 'sparse') return;
    expect([g.features.csr.rows, g.features.csr.cols, g.features.csr.indices.length]).toEqual([2708, 1433, 49216]);
    expect(g.features.csr.values).toBeUndefined();
    // 20 train and 30 validation nodes per class, the rest test.
    expect([g.split.train.length, g.split.val.length, g.split.test.length]).toEqual([140, 210, 2358]);
    expect(notes).toContain('cora.npz: 5429 stored adjacency entries became 5278 undirected edges');
    expect(g.name).toBe('cora');
  });

  it('citeseer.npz: 3312 nodes, 4536 undirected edges once 124 self loops are dropped', async () => {
    const { graph: g, notes } = await parseNpz(sharedNpz('citeseer.npz'), 'citeseer.npz');
    expect([g.numNodes, g.numEdges / 2, g.numClasses]).toEqual([3312, 4536, 6]);
    expect(g.classNames).toEqual(['AI', 'Agents', 'DB', 'HCI', 'IR', 'ML']);
    expect(g.features.kind === 'sparse' && [g.features.csr.cols, g.features.csr.indices.length]).toEqual([3703, 105165]);
    expect(notes).toContain('citeseer.npz: dropped 124 self loops (models add their own)');
  });

  it('gives a graph that gnn-graph-json carries to the worker unchanged, symmetric, sorted, without self loops', async () => {
    const { graph: g } = await parseNpz(sharedNpz('cora.npz'), 'cora.npz');
    const back = parseGraphJson(graphToGraphJson(g)); // the reader rejects self loops, repeats and one-way edges
    expect(back.inCsr).toEqual(g.inCsr);
    expect(back.features).toEqual(g.features);
    expect(JSON.parse(graphToGraphJson(g)).directed).toBe(false);
  });

  it('the split depends on the seed only', async () => {
    const a = await parseNpz(sharedNpz('cora.npz'), 'cora.npz', { seed: 1 });
    const b = await parseNpz(sharedNpz('cora.npz'), 'cora.npz', { seed: 1 });
    const c = await parseNpz(sharedNpz('cora.npz'), 'cora.npz', { seed: 2 });
    expect(a.graph.split).toEqual(b.graph.split);
    expect(c.graph.split.train).not.toEqual(a.graph.split.train);
  });

  for (const deflate of [false, true]) {
    it(`a tiny ${deflate ? 'deflated' : 'stored'} archive: symmetrised, self loop dropped, features with values`, async () => {
      const { graph: g, notes } = await parseNpz(npz(tinyMembers(), deflate), 'tiny.npz');
      expect(Array.from(csrToDense(g.inCsr))).toEqual([0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0]);
      expect(g.inCsr.values).toBeUndefined();
      expect(g.features.kind === 'sparse' && Array.from(csrToDense(g.features.csr))).toEqual([0, 0, 1, 0.5, 1, 0, 0, 0, 0, 0, 1, 0]);
      expect(Array.from(g.labels)).toEqual([0, 1, 1, 0]);
      expect(g.classNames).toEqual(['Ünïcode', 'y']);
      expect(notes).toContain('tiny.npz: dropped 1 self loop (models add their own)');
    });
  }

  it('reads what numpy.savez_compressed writes (deflate, ZIP64 extra fields)', async () => {
    const a = await parseNpz(bytesOf('../fixtures/graph/tiny_compressed.npz'), 'tiny_compressed.npz');
    const b = await parseNpz(npz(tinyMembers()), 'tiny.npz');
    expect(a.graph.inCsr).toEqual(b.graph.inCsr);
    expect(a.graph.features).toEqual(b.graph.features);
    expect(a.graph.classNames).toEqual(b.graph.classNames);
  });

  it('identity features when the file has none; duplicate feature entries summed', async () => {
    const { attr_data: _d, attr_indices: _i, attr_indptr: _p, attr_shape: _s, ...plain } = tinyMembers();
    const { graph: g, notes } = await parseNpz(npz(plain), 'tiny.npz');
    expect(g.features.kind === 'sparse' && Array.from(g.features.csr.indices)).toEqual([0, 1, 2, 3]);
    expect(notes).toContain('tiny.npz: no node features (attr_*): using identity features');
    const twice = { ...tinyMembers(), attr_indices: numeric('<i4', [2, 0, 0, 1]) };
    const h = await parseNpz(npz(twice), 'tiny.npz');
    expect(h.graph.features.kind === 'sparse' && Array.from(csrToDense(h.graph.features.csr))).toEqual([0, 0, 1, 1.5, 0, 0, 0, 0, 0, 0, 1, 0]);
  });
});

describe('npz errors name the file, the member and what is wrong', () => {
  const cases: [string, () => Uint8Array, string | RegExp][] = [
    ['not a ZIP at all', () => new TextEncoder().encode('{"schema": "gnn-graph-json"}'), 'tiny.npz: is not a ZIP archive (an .npz starts with the bytes "PK")'],
    ['truncated (no end record)', () => sharedNpz('cora.npz').slice(0, 300000), 'tiny.npz: is truncated or damaged: its ZIP end-of-central-directory record is missing'],
    ['bad .npy magic', () => npz({ ...tinyMembers(), labels: new TextEncoder().encode('0\n1\n1\n0\n') }), 'tiny.npz labels.npy: is not a .npy array (it does not start with the bytes \\x93NUMPY)'],
    ['missing key', () => {
      const { adj_indptr: _, ...rest } = tinyMembers();
      return npz(rest);
    }, /^tiny\.npz: has no adj_indptr\.npy \(a gnn-benchmark \.npz needs adj_data, adj_indices, adj_indptr, adj_shape, labels; found adj_data, adj_indices, adj_shape/],
    ['a sparse matrix without its shape', () => {
      const { attr_shape: _, ...rest } = tinyMembers();
      return npz(rest);
    }, 'tiny.npz: has no attr_shape.npy, which a sparse attr_* matrix needs'],
    ['wrong dtype', () => npz({ ...tinyMembers(), adj_indices: numeric('<f4', [1, 0, 2, 2, 0]) }), 'tiny.npz adj_indices.npy: has dtype <f4; expected integers (such as <i4 or <i8)'],
    ['big-endian data', () => npz({ ...tinyMembers(), adj_indices: numeric('>i4', [1, 0, 2, 2, 0]) }), /adj_indices\.npy: holds big-endian data \(>i4\)/],
    ['pickled objects', () => npz({ ...tinyMembers(), class_names: npy('|O', [2], new Uint8Array(16)) }), 'tiny.npz class_names.npy: holds pickled Python objects (dtype |O), which are not loaded; save plain numeric or string arrays'],
    ['inconsistent shapes: indptr length', () => npz({ ...tinyMembers(), adj_indptr: numeric('<i4', [0, 1, 3, 5]) }), 'tiny.npz adj_indptr.npy: has 4 entries; expected 5'],
    ['inconsistent shapes: features rows', () => npz({ ...tinyMembers(), attr_shape: numeric('<i8', [5, 3]) }), 'tiny.npz attr_shape.npy: has 5 rows but the graph has 4 nodes (adj_shape)'],
    ['inconsistent shapes: data length', () => npz({ ...tinyMembers(), adj_data: numeric('<f4', [1, 1, 1]) }), /adj_data\.npy: expected 5 numbers \(the length of adj_indices\), found <f4 of shape \(3\)/],
    ['non-square adjacency', () => npz({ ...tinyMembers(), adj_shape: numeric('<i8', [4, 5]) }), 'tiny.npz adj_shape.npy: is [4, 5]; an adjacency matrix must be square'],
    ['index out of range', () => npz({ ...tinyMembers(), adj_indices: numeric('<i4', [1, 0, 2, 9, 0]) }), 'tiny.npz adj_indices.npy: entry 3 is 9, outside 0..3 (adj_shape)'],
    ['decreasing indptr', () => npz({ ...tinyMembers(), adj_indptr: numeric('<i4', [0, 3, 1, 4, 5]) }), /adj_indptr\.npy: must not decrease \(entry 2 is 1, below 3\)/],
    ['too few class names', () => npz({ ...tinyMembers(), labels: numeric('|i1', [0, 1, 2, 0]) }), 'tiny.npz class_names.npy: has 2 names but labels.npy uses class 2'],
    ['negative label', () => npz({ ...tinyMembers(), labels: numeric('|i1', [0, -1, 1, 0]) }), /labels\.npy: entry 1 is -1/],
    ['npy data cut short', () => npz({ ...tinyMembers(), labels: numeric('|i1', [0, 1, 1, 0]).slice(0, -2) }), 'tiny.npz labels.npy: is truncated: shape (4) of |i1 needs 4 bytes of data, found 2'],
    ['header not a dict', () => npz({ ...tinyMembers(), labels: npy('|i1', [4], new Uint8Array(4), { header: "{'descr': '|i1', 'shape': (4,)" }) }), /labels\.npy: has a header that is not a Python dict literal/],
    ['multi-label', () => npz({ ...tinyMembers(), labels_data: numeric('<f4', [1]) }), /labels_data\.npy: holds sparse \(multi-label\) labels/],
  ];
  for (const [name, make, message] of cases) {
    it(name, async () => {
      const e = await errorOf(make());
      if (typeof message === 'string') expect(e.message).toBe(message);
      else expect(e.message).toMatch(message);
    });
  }

  it('a damaged deflated member fails its CRC or its inflate, named', async () => {
    const z = npz(tinyMembers(), true);
    const bad = z.slice();
    bad[60] ^= 0xff; // inside adj_data.npy's deflate stream
    const e = await errorOf(bad);
    expect(e.message).toMatch(/^tiny\.npz adj_data\.npy: is damaged: (its CRC-32 does not match|its deflate data does not unpack)/);
  });

  it('a member cut short inside the archive', async () => {
    const z = npz(tinyMembers());
    // Claim a member is longer than the file: its data would run past the end.
    const view = new DataView(z.buffer);
    const eocd = z.length - 22;
    const cd = view.getUint32(eocd + 16, true);
    view.setUint32(cd + 20, 10 ** 7, true);
    const e = await errorOf(z);
    expect(e.message).toMatch(/^tiny\.npz adj_data\.npy: is truncated: it needs 10000000 bytes from offset 42 but the file ends at \d+$/);
  });
});

describe('npy headers', () => {
  const place = 'x.npz a.npy';
  it('reads version 2 headers and <f8, <i8, |u1', () => {
    const a = parseNpy(npy('<f8', [2, 2], new Uint8Array(new Float64Array([1, 2.5, -3, 4]).buffer), { version: 2 }), place);
    expect(a).toMatchObject({ kind: 'number', shape: [2, 2], integer: false, data: Float64Array.from([1, 2.5, -3, 4]) });
    expect(parseNpy(numeric('<i8', [2 ** 40, -5]), place).data).toEqual(Float64Array.from([2 ** 40, -5]));
    expect(parseNpy(numeric('|u1', [255, 0]), place).data).toEqual(Float64Array.from([255, 0]));
  });

  it('rejects Fortran order in 2-D and accepts it in 1-D (the same bytes)', () => {
    expect(() => parseNpy(npy('<f4', [2, 2], new Uint8Array(16), { fortran: true }), place)).toThrow(
      'x.npz a.npy: is stored in Fortran (column-major) order; save it in C order (numpy.ascontiguousarray) first',
    );
    expect(parseNpy(npy('<f4', [4], new Uint8Array(16), { fortran: true }), place).shape).toEqual([4]);
  });

  it('rejects structured dtypes and unknown versions', () => {
    expect(() => parseNpy(npy('', [1], new Uint8Array(8), { header: "{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (1,), }" }), place)).toThrow(/structured dtype/);
    const v9 = npy('<f4', [1], new Uint8Array(4));
    v9[6] = 9;
    expect(() => parseNpy(v9, place)).toThrow('x.npz a.npy: uses .npy format version 9.0; versions 1 to 3 can be read');
  });

  it('our CRC-32 agrees with zlib on a known string', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

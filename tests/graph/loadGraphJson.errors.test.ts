import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GraphFormatError } from '../../src/graph/errors';
import { graphFromJson, parseGraphJson } from '../../src/graph/loadGraphJson';

const karateText = readFileSync(new URL('../../public/datasets/karate.json', import.meta.url), 'utf8');
const coraText = readFileSync(new URL('../../../shared/datasets/planetoid/cora.json', import.meta.url), 'utf8');
const karate = JSON.parse(karateText);
const cora = JSON.parse(coraText);

function errorOf(run: () => unknown): GraphFormatError {
  try {
    run();
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw new Error(`expected a GraphFormatError, got ${String(e)}`);
    return e;
  }
  throw new Error('expected a GraphFormatError, but the file loaded');
}

/** Mutates a fresh copy of `base`, serializes it, and returns what the loader says. */
function corrupt(base: any, mutate: (j: any) => void): GraphFormatError {
  const j = structuredClone(base);
  mutate(j);
  return errorOf(() => parseGraphJson(JSON.stringify(j)));
}

type Case = [name: string, base: any, mutate: (j: any) => void, path: string, message: RegExp | string];

const cases: Case[] = [
  ['wrong schema tag', karate, (j) => (j.schema = 'foo'), 'schema', 'schema: expected "gnn-graph-json", found "foo"'],
  ['newer schema version', karate, (j) => (j.schema_version = 2), 'schema_version', /expected 1, found 2/],
  ['num_nodes as a string', karate, (j) => (j.num_nodes = '34'), 'num_nodes', /found "34"/],
  ['out-of-range src', cora, (j) => (j.edges.src[17] = 5000), 'edges.src[17]', 'edges.src[17]: node id 5000 is out of range 0..2707'],
  ['negative dst', karate, (j) => (j.edges.dst[3] = -1), 'edges.dst[3]', 'edges.dst[3]: node id -1 is out of range 0..33'],
  ['non-integer label', karate, (j) => (j.labels[4] = 0.5), 'labels[4]', 'labels[4]: expected an integer, found 0.5'],
  ['string label', karate, (j) => (j.labels[0] = '0'), 'labels[0]', /found "0"/],
  ['label >= num_classes', karate, (j) => (j.labels[5] = 2), 'labels[5]', 'labels[5]: class 2 is out of range 0..1'],
  ['labels one short', cora, (j) => j.labels.pop(), 'labels', 'labels: expected 2708 entries, found 2707'],
  ['class_names too short', karate, (j) => j.class_names.pop(), 'class_names', /expected 2 entries, found 1/],
  ['train and test overlap', karate, (j) => (j.split.test[3] = 33), 'split.train[1]', 'split.train[1]: node 33 is also in split.test[3]'],
  ['node twice in test', karate, (j) => (j.split.test[1] = j.split.test[0]), 'split.test[1]', /node 1 is listed twice/],
  ['split id out of range', cora, (j) => j.split.val.push(2708), 'split.val[500]', /node id 2708 is out of range/],
  ['split missing', karate, (j) => delete j.split, 'split', /expected an object, found nothing/],
  ['decreasing indptr', cora, (j) => (j.features.indptr[12] = j.features.indptr[11] - 1), 'features.indptr', 'features.indptr: must be non-decreasing (at 12)'],
  ['indptr not ending at nnz', karate, (j) => (j.features.indptr[34] = 33), 'features.indptr', /must end at features.nnz = 34, found 33/],
  ['indptr one short', karate, (j) => j.features.indptr.pop(), 'features.indptr', /expected 35 entries, found 34/],
  ['feature index out of range', karate, (j) => (j.features.indices[5] = 34), 'features.indices[5]', 'features.indices[5]: feature id 34 is out of range 0..33'],
  ['unsorted feature row', cora, (j) => ([j.features.indices[0], j.features.indices[1]] = [j.features.indices[1], j.features.indices[0]]), 'features.indices[1]', /row 0 \(must be strictly ascending\)/],
  ['nnz mismatch', karate, (j) => (j.features.nnz = 35), 'features.indptr', /must end at features.nnz = 35/],
  ['shape disagrees with num_features', karate, (j) => (j.num_features = 35), 'features.shape[1]', /expected 35 \(num_features\), found 34/],
  ['no features', karate, (j) => (j.features = null), 'features', 'features: missing (this file has no node features)'],
  ['non-binary without values', karate, (j) => (j.features.binary = false), 'features.values', /expected an array, found nothing/],
  ['binary with values', karate, (j) => (j.features.values = j.features.indices.map(() => 1)), 'features.values', /must be omitted/],
  ['num_edges mismatch', karate, (j) => ((j.num_edges = 154), (j.num_undirected_edges = 77)), 'edges.src', 'edges.src: expected 154 entries, found 156'],
  ['num_undirected_edges mismatch', karate, (j) => (j.num_undirected_edges = 77), 'num_undirected_edges', /is 77 but num_edges is 156/],
  ['NaN weight (serialized as null)', karate, (j) => (j.edges.weight[2] = NaN), 'edges.weight[2]', /expected a finite float32 number, found null/],
  ['string weight', karate, (j) => (j.edges.weight[7] = '2'), 'edges.weight[7]', /found "2"/],
  ['weight too large for float32', karate, (j) => (j.edges.weight[0] = 1e39), 'edges.weight[0]', /found 1e\+39/],
  ['asymmetric weight', karate, (j) => (j.edges.weight[0] = 9), 'edges.weight[16]', /edge 0 -> 1 weighs 4 but its reverse \(index 0\) weighs 9/],
  ['self loop', karate, (j) => (j.edges.src[0] = 0), 'edges.src[0]', /self loop on node 0/],
  ['duplicate edge', karate, (j) => (j.edges.src[1] = 1), 'edges.src[1]', /edge 1 -> 0 is listed twice \(also at index 0\)/],
  ['one-way edge in an undirected graph', cora, (j) => (j.edges.src.pop(), j.edges.dst.pop(), (j.num_edges -= 1), delete j.num_undirected_edges), 'edges.src', /has no reverse/],
  ['edges missing', karate, (j) => delete j.edges, 'edges', /expected an object, found nothing/],
];

describe('parseGraphJson rejects broken files with a GraphFormatError naming the place', () => {
  it.each(cases)('%s', (_name, base, mutate, path, message) => {
    const err = corrupt(base, mutate);
    expect(err.path.startsWith(path)).toBe(true);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
    expect(err.message.startsWith(err.path)).toBe(true);
  });

  it('reports text that is not JSON, truncated or empty', () => {
    for (const text of [karateText.slice(0, 500), '', 'null x', '{"schema": }']) {
      const err = errorOf(() => parseGraphJson(text));
      expect(err.path).toBe('');
      expect(err.message).toMatch(/^not JSON: \S/);
    }
  });

  it('reports a top level that is not an object', () => {
    for (const text of ['[]', '42', 'null', '"gnn-graph-json"']) {
      expect(errorOf(() => parseGraphJson(text)).message).toMatch(/^expected a JSON object at the top level/);
    }
  });

  it('rejects NaN and Infinity handed over as values', () => {
    const j = structuredClone(karate);
    j.edges.weight[2] = NaN;
    expect(errorOf(() => graphFromJson(j)).message).toBe('edges.weight[2]: expected a finite float32 number, found NaN');
    j.edges.weight[2] = Infinity;
    expect(errorOf(() => graphFromJson(j)).message).toMatch(/found Infinity/);
  });

  it('never throws anything but GraphFormatError for any truncation of the file', () => {
    for (let cut = 0; cut < karateText.length - 3; cut++) errorOf(() => parseGraphJson(karateText.slice(0, cut)));
  });

  it('never throws anything else when any single value is replaced by junk', () => {
    const junk: unknown[] = [null, undefined, -1, 0.5, 1e12, NaN, 'x', true, [], {}, [1, 2], { a: 1 }];
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(karate, []);
    let rejected = 0;
    for (const path of paths.slice(1)) {
      for (const value of junk) {
        const j = structuredClone(karate);
        let at = j;
        for (const key of path.slice(0, -1)) at = at[key];
        at[path[path.length - 1]] = value;
        try {
          graphFromJson(j);
        } catch (e) {
          if (!(e instanceof GraphFormatError)) throw new Error(`${path.join('.')} = ${String(value)}: ${String(e)}`);
          rejected++;
        }
      }
    }
    expect(rejected).toBeGreaterThan(paths.length * 5);
  });
});

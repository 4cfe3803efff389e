import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addEdge, addNode, emptyDraft, setSplit } from '../../src/graph/draft';
import { draftToGraphJson } from '../../src/graph/draftJson';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { toBase64Url, deflate } from '../../src/state/link/bytes';
import { decodeLink, encodeLink, LINK_VERSION, LinkError, type LinkState, MAX_LINK_CHARS } from '../../src/state/link/codec';
import { configSchema, configKeys } from '../../src/train/configSchema';
import type { TrainConfig } from '../../src/train/protocol';
import { recipeConfig } from '../../src/train/recipes';

const base: LinkState = {
  config: recipeConfig('cora', 'gat'), view: 'graph', colourBy: 'predicted', selected: null, editable: null, graph: null,
};

/** A value of field `key` other than `c[key]` that the schema allows. */
function other(c: TrainConfig, key: keyof TrainConfig): unknown {
  const spec = configSchema[key];
  const v = c[key];
  if (spec.type === 'boolean') return !v;
  if (spec.type === 'enum') return spec.values.find((x) => x !== v);
  if (spec.type === 'text') return 'gcn,gat';
  return spec.integer ? Math.min(spec.max, (v as number) + 1) : Math.min(spec.max, (v as number) / 2 + spec.min);
}

function smallGraph(): string {
  let d = emptyDraft('tri', ['a', 'b']);
  d = addNode(addNode(addNode(d, 0.1, 0.2, 0), 0.5, 0.9, 1), 0.9, 0.1, 1);
  d = setSplit(addEdge(addEdge(d, 0, 1), 1, 2), [0, 2], 1);
  return draftToGraphJson(d);
}

const roundTrip = async (s: LinkState) => decodeLink(await encodeLink(s));

describe('share link codec', () => {
  it('round-trips every config field (each changed on its own), with view, colouring, node and locks', async () => {
    for (const key of configKeys) {
      if (key === 'dataset' || key === 'fold' || key === 'folds') continue; // these depend on each other, below
      const config = { ...base.config, [key]: other(base.config, key) } as TrainConfig;
      const s = { ...base, config };
      expect((await roundTrip(s)).config, key).toEqual(config);
    }
    const graphTask = { ...base, config: { ...recipeConfig('mutag', 'gin'), folds: 5, fold: 3 } };
    expect((await roundTrip(graphTask)).config).toEqual(graphTask.config);
    const view: LinkState = { ...base, view: 'smoothing', colourBy: 'correct', selected: 17, editable: ['layers', 'pairNorm', 'graph'] };
    expect(await roundTrip(view)).toEqual(view);
    const noneOpen: LinkState = { ...base, editable: [] };
    expect((await roundTrip(noneOpen)).editable).toEqual([]);
  });

  it("round-trips the user's own graph with its drawn positions; the graph is the same graph", async () => {
    const text = smallGraph();
    const s: LinkState = { ...base, config: recipeConfig('custom', 'gcn'), graph: { text, positions: { x: [0.1, 0.5, 0.9], y: [0.2, 0.9, 0.1] } } };
    const back = await roundTrip(s);
    expect(back.graph!.positions).toEqual(s.graph!.positions);
    const [a, b] = [parseGraphJson(text), parseGraphJson(back.graph!.text)];
    expect([b.numNodes, b.numEdges, Array.from(b.labels), Array.from(b.split.train)]).toEqual([a.numNodes, a.numEdges, Array.from(a.labels), Array.from(a.split.train)]);
    expect(Array.from(b.inCsr.indices)).toEqual(Array.from(a.inCsr.indices));
  });

  it('a shipped data set link is short and readable', async () => {
    const link = await encodeLink(base);
    expect(link.startsWith(`v=${LINK_VERSION}&`)).toBe(true);
    expect(link).toContain('dataset=cora');
    expect(link).toContain('model=gat');
    expect(link.length).toBeLessThan(700);
  });

  it('opens the links of format version 1 exactly as they were written (the golden links)', async () => {
    const golden = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/links/v1.json'), 'utf8')) as { link: string; expect: Partial<LinkState> & { config?: Partial<TrainConfig> } }[];
    expect(golden.length).toBeGreaterThan(2);
    for (const g of golden) {
      const s = await decodeLink(g.link);
      const { config, ...rest } = g.expect;
      expect(s).toMatchObject(rest);
      expect(s.config).toMatchObject(config ?? {});
    }
  });

  it('a short hand-made link fills the rest from the model\u2019s published settings', async () => {
    const s = await decodeLink('#v=1&dataset=citeseer&model=sgc&seed=4');
    expect(s.config).toEqual({ ...recipeConfig('citeseer', 'sgc'), seed: 4 });
  });

  const bad: [string, RegExp][] = [
    ['', /not a playground link/],
    ['#dataset=cora', /no version/],
    ['#v=99&dataset=cora', /newer version/],
    ['#v=abc', /version 'abc'/],
    ['#v=1&dataset=nowhere', /dataset must be one of/],
    ['#v=1&lr=-1', /lr must be from/],
    ['#v=1&lr=NaN', /lr must be a number/],
    ['#v=1&layers=2.5', /layers must be a whole number/],
    ['#v=1&residual=yes', /residual must be true or false/],
    ['#v=1&stack=gcn,evil', /'evil' is not a layer type/],
    ['#v=1&folds=3&fold=5', /fold 5 does not exist/],
    ['#v=1&view=%3Cscript%3E', /view '<script>' does not exist/],
    ['#v=1&colour=red', /colouring/],
    ['#v=1&node=-3', /not a node id/],
    ['#v=1&edit=lr,rm%20-rf', /not a control/],
    ['#v=1&onload=alert(1)', /field 'onload'/],
    ['#v=1&dataset=custom', /does not carry it/],
    ['#v=1&dataset=cora&g=AAAA', /carries a graph for a shipped data set/],
    ['#v=1&dataset=custom&g=%%%', /characters that base64url does not use/],
    ['#v=1&dataset=custom&g=A', /cut short/],
    ['#v=1&dataset=custom&g=AAAAAAAA', /damaged or cut short/],
  ];
  for (const [link, message] of bad) {
    it(`refuses ${JSON.stringify(link.slice(0, 50))} with a reason`, async () => {
      const e = await decodeLink(link).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(LinkError);
      expect((e as Error).message).toMatch(message);
    });
  }

  it('refuses a graph that is valid JSON but not a valid graph, and positions that do not fit', async () => {
    const pack = async (payload: unknown) => toBase64Url(await deflate(new TextEncoder().encode(JSON.stringify(payload))));
    const graph = JSON.parse(smallGraph());
    const broken = { ...graph, edges: { ...graph.edges, src: [0, 9] } };
    await expect(decodeLink(`#v=1&dataset=custom&g=${await pack({ graph: broken })}`)).rejects.toThrow(/graph is not valid: .*edges/);
    await expect(decodeLink(`#v=1&dataset=custom&g=${await pack({ graph, positions: { x: [0, 0], y: [0, 0] } })}`)).rejects.toThrow(/positions/);
    await expect(decodeLink(`#v=1&dataset=custom&g=${await pack({ nothing: 1 })}`)).rejects.toThrow(/no graph/);
  });

  it('refuses a deflate bomb and a link past the size limit', async () => {
    const zeros = toBase64Url(await deflate(new Uint8Array(30 * 2 ** 20)));
    await expect(decodeLink(`#v=1&dataset=custom&g=${zeros}`)).rejects.toThrow(/unpacks to more than/);
    await expect(decodeLink(`#v=1&seed=1&x=${'a'.repeat(MAX_LINK_CHARS)}`)).rejects.toThrow(/more than the 200000/);
  });

  it('every truncation of a real link either opens or is refused with a LinkError, never anything else', async () => {
    const text = smallGraph();
    const link = await encodeLink({ ...base, config: recipeConfig('custom', 'gcn'), view: 'layers', graph: { text, positions: null } });
    for (let n = 0; n < link.length; n += 3) {
      const r = await decodeLink(link.slice(0, n)).then(() => 'ok', (e: unknown) => e);
      if (r !== 'ok') expect(r, `cut at ${n}`).toBeInstanceOf(LinkError);
    }
  });

  it('random byte flips in a real link never get past the checks unnoticed or throw anything but a LinkError', async () => {
    const link = await encodeLink({ ...base, editable: ['lr'], selected: 3 });
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = 'abz019=&%#,.-_ ';
    for (let t = 0; t < 300; t++) {
      const chars = link.split('');
      for (let f = 0; f < 3; f++) chars[Math.floor(rand() * chars.length)] = alphabet[Math.floor(rand() * alphabet.length)];
      const r = await decodeLink(chars.join('')).then((s) => s, (e: unknown) => e);
      if (r instanceof Error) expect(r).toBeInstanceOf(LinkError);
      else expect(await decodeLink(await encodeLink(r as LinkState))).toEqual(r); // what gets through is a state the page can write

    }
  });
});

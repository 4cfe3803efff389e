import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FromWorker, TrainConfig } from '../../src/train/protocol';
import { defaultConfig } from '../../src/train/protocol';
import { Session } from '../../src/train/session';

const text = (name: string) => readFileSync(new URL(`../../public/datasets/${name}.json`, import.meta.url), 'utf8');
const karateText = text('karate');
const config: TrainConfig = { ...defaultConfig, dataset: 'karate', backend: 'cpu', epochs: 5 };

type Of<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

function session(): { s: Session; posted: FromWorker[]; of: <T extends FromWorker['type']>(t: T) => Of<T>[] } {
  const posted: FromWorker[] = [];
  const of = <T extends FromWorker['type']>(t: T) => posted.filter((m): m is Of<T> => m.type === t);
  return { s: new Session((m) => posted.push(m), undefined, {}), posted, of };
}

async function until(ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Session: layers frames', () => {
  it('a step posts progress, then a layers frame: input + one per model layer, a PCA row per node, a gradient norm per model layer', async () => {
    const { s, posted, of } = session();
    await s.init(config, karateText);
    posted.length = 0;
    await s.step();
    expect(posted.map((m) => m.type)).toEqual(['progress', 'layers']);
    const f = of('layers')[0];
    expect(f.epoch).toBe(1);
    expect(f.layers.map((l) => [l.name, l.dim])).toEqual([['input', 34], ['layer 1', 16], ['layer 2', 2]]);
    expect(f.gradNorms).toHaveLength(2);
    for (const l of f.layers) {
      expect(l.coords).toHaveLength(34 * 2);
      expect(l.coords.every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(l.energy) && Number.isFinite(l.mad)).toBe(true);
      expect(l.explained[0] + l.explained[1]).toBeLessThanOrEqual(1 + 1e-9);
    }
    // Karate's identity features: every pair of rows is orthogonal.
    expect(f.layers[0].mad).toBeCloseTo(1, 9);
    await s.step();
    const [a, b] = of('layers');
    expect(b.epoch).toBe(2);
    expect(b.layers[0].coords).toEqual(a.layers[0].coords); // the input does not move
    expect(b.layers[0].coords).not.toBe(a.layers[0].coords); // but each message owns its copy
  });

  it('play: frames are throttled, the last epoch always has one, and it comes before done', async () => {
    const { s, posted, of } = session();
    await s.init({ ...config, epochs: 60, layers: 4 }, karateText);
    posted.length = 0;
    s.play();
    await until(() => of('done').length > 0);
    const frames = of('layers');
    const reports = of('progress').flatMap((p) => p.reports);
    expect(reports).toHaveLength(60);
    expect(frames.length).toBeGreaterThanOrEqual(1);
    expect(frames.length).toBeLessThanOrEqual(of('progress').length);
    expect(frames.at(-1)!.epoch).toBe(60);
    expect(frames.at(-1)!.layers).toHaveLength(5);
    expect(posted.slice(-2).map((m) => m.type)).toEqual(['layers', 'done']);
  });
});

describe('Session: inspect', () => {
  it('answers with the node at the current weights; a node outside the graph, or no graph, gets a reason', async () => {
    const { s, posted, of } = session();
    await s.inspect(0);
    expect(of('inspection')[0]).toMatchObject({ node: 0, inspection: null, reason: 'There is no trained model yet.' });
    await s.init(config, karateText);
    await s.step();
    await s.step();
    posted.length = 0;
    await s.inspect(33);
    await s.inspect(99);
    const [ok, bad] = of('inspection');
    expect(ok.inspection!.node).toBe(33);
    expect(ok.inspection!.epoch).toBe(2);
    expect(ok.inspection!.layers).toHaveLength(2);
    expect(bad.inspection).toBeNull();
    expect(bad.reason).toMatch(/not in the graph/);
  });
});

describe('Session: depth sweep', () => {
  it('posts one result per (depth, variant) in order, then done, and leaves the main run as it was', async () => {
    const { s, posted, of } = session();
    await s.init(config, karateText);
    await s.step();
    posted.length = 0;
    s.startSweep({ type: 'sweep', depths: [1, 2, 3], variants: ['plain', 'residual', 'pairnorm'], epochs: 4 });
    await until(() => of('sweepDone').length > 0);
    expect(of('sweepDone')).toEqual([{ type: 'sweepDone', cancelled: false }]);
    const results = of('sweepProgress');
    expect(results.map((r) => [r.depth, r.variant, r.completed, r.total])).toEqual([
      [1, 'plain', 1, 9], [1, 'residual', 2, 9], [1, 'pairnorm', 3, 9],
      [2, 'plain', 4, 9], [2, 'residual', 5, 9], [2, 'pairnorm', 6, 9],
      [3, 'plain', 7, 9], [3, 'residual', 8, 9], [3, 'pairnorm', 9, 9],
    ]);
    for (const r of results) {
      expect(r.epochs).toBe(4);
      for (const v of [r.testAcc, r.trainAcc]) expect(v >= 0 && v <= 1).toBe(true);
      expect(Number.isFinite(r.energy) && r.mad >= 0 && r.mad <= 2).toBe(true);
    }
    // The main run goes on as if there had been no sweep: its epoch 2 matches a fresh session's.
    posted.length = 0;
    await s.step();
    const fresh = session();
    await fresh.s.init(config, karateText);
    await fresh.s.step();
    await fresh.s.step();
    const loss = (p: Of<'progress'>) => p.reports[0].loss;
    expect(of('progress').map(loss)).toEqual([loss(fresh.of('progress')[1])]);
  });

  it('the same depth and variant gives the same result as a main run of that config', async () => {
    const { s, of } = session();
    await s.init(config, karateText);
    s.startSweep({ type: 'sweep', depths: [2], variants: ['plain'] });
    await until(() => of('sweepDone').length > 0);
    const main = session();
    await main.s.init(config, karateText);
    for (let e = 0; e < config.epochs; e++) await main.s.step();
    const last = main.of('progress').at(-1)!;
    const [r] = of('sweepProgress');
    expect(r.testAcc).toBe(last.bestTestAcc);
    expect(r.trainAcc).toBe(last.reports[0].trainAcc);
    const frame = main.of('layers').at(-1)!;
    expect(r.energy).toBeCloseTo(frame.layers.at(-1)!.energy, 12);
    expect(r.mad).toBeCloseTo(frame.layers.at(-1)!.mad, 12);
  });

  it('sweepCancel stops it at once with cancelled: true, and nothing follows; init stops one silently', async () => {
    const { s, posted, of } = session();
    await s.init(config, karateText);
    s.startSweep({ type: 'sweep', epochs: 100_000 });
    await new Promise((r) => setTimeout(r, 50));
    s.cancelSweep();
    expect(posted.at(-1)).toEqual({ type: 'sweepDone', cancelled: true });
    const count = posted.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(posted).toHaveLength(count);

    s.startSweep({ type: 'sweep', epochs: 100_000 });
    await new Promise((r) => setTimeout(r, 50));
    posted.length = 0;
    await s.init(config, karateText);
    await new Promise((r) => setTimeout(r, 100));
    expect(posted.map((m) => m.type)).toEqual(['backend', 'memory', 'graph']);
    expect(of('sweepDone')).toEqual([]);
  });

  it('play, step and inspect are answered while a sweep runs', async () => {
    const { s, of } = session();
    await s.init({ ...config, epochs: 3 }, karateText);
    s.startSweep({ type: 'sweep', depths: [8], variants: ['plain'], epochs: 100_000 });
    await new Promise((r) => setTimeout(r, 30));
    s.play();
    await until(() => of('done').length > 0, 10_000);
    await s.inspect(3);
    expect(of('inspection')[0].inspection).not.toBeNull();
    expect(of('sweepProgress')).toEqual([]);
    s.cancelSweep();
  });

  it('refuses what it cannot sweep: bad depths, SGC, graph classification', async () => {
    const { s, of } = session();
    await s.init(config, karateText);
    s.startSweep({ type: 'sweep', depths: [0, 2] });
    s.startSweep({ type: 'sweep', variants: [] });
    await s.init({ ...config, model: 'sgc' }, karateText);
    s.startSweep({ type: 'sweep' });
    await s.init({ ...defaultConfig, dataset: 'mutag', backend: 'cpu', epochs: 1, batchSize: 200 }, text('mutag'));
    s.startSweep({ type: 'sweep' });
    await s.inspect(0);
    expect(of('sweepDone').map((m) => m.error)).toEqual([
      expect.stringMatching(/depths must be whole numbers/),
      expect.stringMatching(/variants must be among/),
      expect.stringMatching(/SGC has no message-passing layers/),
      'The depth sweep is for node classification.',
    ]);
    expect(of('inspection')[0].reason).toBe('The node inspector is for node classification.');
    // Graph classification gets no layers frames.
    await s.step();
    expect(of('progress')).toHaveLength(1);
    expect(of('layers')).toEqual([]);
  });
});

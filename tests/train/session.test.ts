import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FromWorker, TrainConfig } from '../../src/train/protocol';
import { defaultConfig } from '../../src/train/protocol';
import { Session } from '../../src/train/session';

const karateText = readFileSync(new URL('../../../shared/datasets/karate.json', import.meta.url), 'utf8');
const config: TrainConfig = { ...defaultConfig, dataset: 'karate', backend: 'auto', epochs: 5 };

/** A session with no WebGPU (gpu undefined, as in Node or a browser without it), recording what it posts. */
function session(): { s: Session; posted: FromWorker[] } {
  const posted: FromWorker[] = [];
  return { s: new Session((m) => posted.push(m), undefined, {}), posted };
}

describe('Session without WebGPU', () => {
  it("'auto' falls back to the CPU backend with a notice saying WebGPU is not available", async () => {
    const { s, posted } = session();
    await s.init(config, karateText);
    const backend = posted.filter((m) => m.type === 'backend');
    expect(backend).toHaveLength(1);
    const info = (backend[0] as Extract<FromWorker, { type: 'backend' }>).info;
    expect(info.kind).toBe('cpu');
    expect(info.notice).toMatch(/WebGPU is not available/);
    expect(info.notice).toMatch(/CPU/);
    // Then the memory estimate and the graph, and no error.
    expect(posted.map((m) => m.type)).toEqual(['backend', 'memory', 'graph']);
    const memory = posted[1] as Extract<FromWorker, { type: 'memory' }>;
    expect(memory.estimatedBytes).toBeGreaterThan(memory.largestBuffer);
    const graph = (posted[2] as Extract<FromWorker, { type: 'graph' }>).graph;
    expect([graph.numNodes, graph.numClasses]).toEqual([34, 2]);
  });

  it("choosing 'cpu' outright gives the CPU backend without a notice", async () => {
    const { s, posted } = session();
    await s.init({ ...config, backend: 'cpu' }, karateText);
    const info = (posted[0] as Extract<FromWorker, { type: 'backend' }>).info;
    expect(info.kind).toBe('cpu');
    expect(info.notice).toBeUndefined();
  });

  for (const [what, text] of [
    ['text that is not JSON', '{"schema": "gnn-graph-json", '],
    ['JSON of the wrong schema', '{"schema": "something-else", "schema_version": 1}'],
    ['a graph with an out-of-range edge', karateText.replace('"num_nodes": 34', '"num_nodes": 3')],
  ] as const) {
    it(`a malformed dataset (${what}) posts an error and no graph, and step() does nothing`, async () => {
      const { s, posted } = session();
      await s.init(config, text);
      expect(posted.map((m) => m.type)).toEqual(['error']);
      expect((posted[0] as Extract<FromWorker, { type: 'error' }>).message).toMatch(/^Could not load karate: /);
      await s.step();
      expect(posted).toHaveLength(1);
    });
  }

  it('step() posts one progress report, for epoch 1, with a prediction per node (then its layers frame)', async () => {
    const { s, posted } = session();
    await s.init(config, karateText);
    posted.length = 0;
    await s.step();
    expect(posted.map((m) => m.type)).toEqual(['progress', 'layers']);
    const p = posted[0] as Extract<FromWorker, { type: 'progress' }>;
    expect(p.reports).toHaveLength(1);
    expect(p.reports[0].epoch).toBe(1);
    expect(Number.isFinite(p.reports[0].loss) && p.reports[0].loss > 0).toBe(true);
    expect(p.running).toBe(false);
    expect(p.predictions).toHaveLength(34);
    expect(p.predictions.every((c) => c === 0 || c === 1)).toBe(true);
    // The next step is epoch 2.
    await s.step();
    expect((posted[2] as Extract<FromWorker, { type: 'progress' }>).reports.map((r) => r.epoch)).toEqual([2]);
  });

  it('stepping to the last epoch posts done; stepping or playing beyond it posts nothing', async () => {
    const { s, posted } = session();
    await s.init({ ...config, epochs: 2 }, karateText);
    posted.length = 0;
    await s.step();
    await s.step();
    expect(posted.map((m) => m.type)).toEqual(['progress', 'layers', 'progress', 'layers', 'done']);
    posted.length = 0;
    await s.step();
    s.play();
    await new Promise((r) => setTimeout(r, 20));
    expect(posted).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Activation } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { gcnNorm } from '../../src/graph/normalize';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import type { ModelKind, ModelSpec } from '../../src/models/spec';
import { inspectNode } from '../../src/train/inspect';
import type { InspectedLayer } from '../../src/train/protocol';
import { recipeConfig } from '../../src/train/recipes';
import { Trainer, type TrainOptions } from '../../src/train/trainer';

const karate = parseGraphJson(readFileSync(new URL('../../public/datasets/karate.json', import.meta.url), 'utf8'));

function trained(model: ModelKind, over: Partial<ModelSpec> = {}, epochs = 8): Trainer {
  const opts: TrainOptions = { ...recipeConfig('karate', model), seed: 4, epochs, ...over };
  const t = new Trainer(new CpuBackend(), karate, opts);
  while (!t.finished) t.step();
  return t;
}

function act(a: Activation, v: number): number {
  switch (a) {
    case 'none': return v;
    case 'relu': return Math.max(v, 0);
    case 'elu': return v > 0 ? v : Math.expm1(v);
    default: throw new Error(`no host ${a} here`);
  }
}

/** activation(sum of the messages + bias), from what the inspector reported. */
function recombined(l: InspectedLayer): number[] {
  const n = l.sources.length, w = l.messageDim;
  return Array.from({ length: w }, (_, o) => {
    let s = l.bias![o];
    for (let e = 0; e < n; e++) s += l.messages![e * w + o];
    return act(l.activation, s);
  });
}

function expectRecombines(l: InspectedLayer, tol = 1e-5): void {
  expect(l.combine).toBe('sum');
  expect(l.messageDim).toBe(l.outDim);
  const got = recombined(l);
  got.forEach((v, o) => expect(Math.abs(v - l.output[o]), `${l.name} column ${o}`).toBeLessThan(tol));
}

describe('node inspector (CPU backend, Karate)', () => {
  it('GCN: messages are gcn_norm coefficients (self loop included) times x_j W; relu(sum + bias) is the next layer\'s row to 1e-5', async () => {
    const t = trained('gcn');
    const norm = gcnNorm(karate.inCsr);
    for (const node of [0, 11, 33]) {
      const r = await inspectNode(t, node);
      expect(r.node).toBe(node);
      expect(r.epoch).toBe(8);
      expect(r.layers.map((l) => [l.name, l.inDim, l.outDim])).toEqual([['layer 1', 34, 16], ['layer 2', 16, 2]]);
      const row = Array.from(norm.indices.subarray(norm.indptr[node], norm.indptr[node + 1]));
      for (const l of r.layers) {
        expect(Array.from(l.sources)).toEqual(row);
        expect(l.sources).toContain(node);
        expect(l.roles[row.indexOf(node)]).toBe('self');
        expect(Array.from(l.coefficients)).toEqual(Array.from(norm.values!.subarray(norm.indptr[node], norm.indptr[node + 1])));
        expect(l.inputs).toHaveLength(l.sources.length * l.inDim);
        expectRecombines(l);
      }
      expect(r.layers[0].activation).toBe('relu');
      expect(r.layers[1].activation).toBe('none');
      // Layer 2's input rows are layer 1's outputs: the node's own is its layer 1 output.
      const self = Array.from(r.layers[1].sources).indexOf(node);
      expect(Array.from(r.layers[1].inputs.subarray(self * 16, self * 16 + 16))).toEqual(Array.from(r.layers[0].output));
      expect(Array.from(r.logits)).toEqual(Array.from(r.layers[1].output));
      expect(r.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(r.predicted).toBe(r.logits[1] > r.logits[0] ? 1 : 0);
      expect(r.label).toBe(karate.labels[node]);
      expect(r.neighbours).toHaveLength(karate.inCsr.indptr[node + 1] - karate.inCsr.indptr[node]);
    }
  });

  it('GAT: attention per head sums to 1 over the in-edges and the self loop; elu(sum + bias) is the output', async () => {
    const r = await inspectNode(trained('gat', { hidden: 4, heads: 3 }), 5);
    const [hidden, out] = r.layers;
    expect([hidden.heads, out.heads]).toEqual([3, 1]);
    for (const l of r.layers) {
      expect(l.roles[l.roles.length - 1]).toBe('self');
      for (let h = 0; h < l.heads; h++) {
        let s = 0;
        for (let e = 0; e < l.sources.length; e++) s += l.coefficients[e * l.heads + h];
        expect(s).toBeCloseTo(1, 6);
      }
      expectRecombines(l);
    }
    expect(hidden.activation).toBe('elu');
  });

  for (const aggr of ['mean', 'sum', 'max'] as const) {
    it(`SAGE ${aggr}: neighbour messages and the root term recombine to the output`, async () => {
      const r = await inspectNode(trained('sage', { aggr }), 2);
      for (const l of r.layers) {
        expect(l.roles[l.roles.length - 1]).toBe('self');
        expectRecombines(l);
      }
      const deg = karate.inCsr.indptr[3] - karate.inCsr.indptr[2];
      if (aggr === 'mean') expect(r.layers[0].coefficients[0]).toBeCloseTo(1 / deg, 7);
      if (aggr === 'max') {
        // The winners' shares cover every column that has a maximum: they sum to 1.
        const c = r.layers[1].coefficients;
        expect(Array.from(c.subarray(0, c.length - 1)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      }
    });
  }

  it('R-GCN (one relation) and ChebNet with K = 2 recombine; K = 3 says it mixes more hops', async () => {
    for (const l of (await inspectNode(trained('rgcn'), 7)).layers) expectRecombines(l);
    for (const l of (await inspectNode(trained('cheb', { k: 2 }), 7)).layers) expectRecombines(l);
    const k3 = await inspectNode(trained('cheb', { k: 3 }), 7);
    expect(k3.layers[0].combine).toBe('none');
    expect(k3.layers[0].messages).toBeNull();
  });

  it('GIN: neighbours weigh 1 and the node itself 1 + eps; the MLP takes the sum', async () => {
    const r = await inspectNode(trained('gin', { trainEps: true }), 0);
    const l = r.layers[0];
    expect(l.combine).toBe('mlp');
    const n = l.sources.length;
    expect(Array.from(l.coefficients.subarray(0, n - 1)).every((c) => c === 1)).toBe(true);
    expect(l.coefficients[n - 1]).not.toBe(1); // eps has trained away from 0
    expect(l.messageDim).toBe(l.inDim);
  });

  it('SGC: one entry with the one-hop coefficients and no messages; PairNorm and residual are flagged', async () => {
    const sgc = await inspectNode(trained('sgc'), 1);
    expect(sgc.layers).toHaveLength(1);
    expect(sgc.layers[0].combine).toBe('none');
    const deep = await inspectNode(trained('gcn', { layers: 3, pairNorm: true, residual: true }), 1);
    expect(deep.layers.map((l) => [l.pairNorm, l.residual])).toEqual([[true, false], [true, true], [false, false]]);
  });

  it('rejects a node outside the graph', async () => {
    await expect(inspectNode(trained('gcn', {}, 1), 34)).rejects.toThrow(/not in the graph/);
  });
});

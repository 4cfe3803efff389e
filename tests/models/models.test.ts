import { describe, expect, it } from 'vitest';
import { CpuBackend, type CpuTensor } from '../../src/engine/cpu/cpuBackend';
import { nllLoss } from '../../src/engine/ops';
import type { Parameter } from '../../src/engine/optim';
import { Tape, Var } from '../../src/engine/tape';
import { csrFromCoo } from '../../src/graph/csr';
import { GraphContext } from '../../src/models/graphContext';
import { GraphNet } from '../../src/models/graphNet';
import { NodeNet } from '../../src/models/nodeNet';
import { SgcNet } from '../../src/models/sgcNet';
import { graphRecipe, type ModelSpec, nodeRecipe } from '../../src/models/spec';
import { centralDifference } from '../helpers/gradcheck';
import { TestRng } from '../helpers/random';

const be = new CpuBackend();
const rng = new TestRng(4242);

/** A small undirected graph: a ring of 9 plus chords, node 4 a hub; two edge types. */
function smallGraph() {
  const und = [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7], [7, 8], [8, 0], [4, 0], [4, 2], [4, 7], [1, 6]];
  const src: number[] = [], dst: number[] = [], type: number[] = [];
  und.forEach(([a, b], i) => { src.push(a, b); dst.push(b, a); type.push(i % 2, i % 2); });
  const n = 9;
  const inCsr = csrFromCoo(n, n, dst, src);
  const rel = [0, 1].map((t) => csrFromCoo(n, n, dst.filter((_, k) => type[k] === t), src.filter((_, k) => type[k] === t)));
  return { n, inCsr, rel };
}

const g = smallGraph();
const F = 5, C = 3;
const features = rng.floats(g.n * F, -1, 1);
const labels = Int32Array.from({ length: g.n }, (_, i) => i % C);
const splitOf = Int32Array.from({ length: g.n }, (_, i) => (i < 6 ? 1 : 3));

type Forward = (tape: Tape, ctx: GraphContext) => Var;

/**
 * Backprop's gradient of the training loss for every parameter against central differences, in
 * the entry with the largest gradient and two fixed ones of each parameter.
 */
async function checkParams(params: Parameter[], forward: Forward, ctx: GraphContext, rows: number, lab: Int32Array, split: Int32Array) {
  const metrics = be.tensor(1, 4);
  const targets = { labels: be.intTensor(rows, 1, lab), splitOf: be.intTensor(rows, 1, split), maskBit: 1, count: split.filter((s) => s === 1).length };
  const loss = async (): Promise<number> => {
    const tape = new Tape(be);
    nllLoss(tape, forward(tape, ctx), targets, metrics, 0);
    return (await be.read(metrics))[0];
  };
  const tape = new Tape(be);
  for (const p of params) p.grad = null;
  nllLoss(tape, forward(tape, ctx), targets, metrics, 0);
  tape.runBackward();
  let checked = 0;
  for (const [i, p] of params.entries()) {
    if (!p.grad) throw new Error(`parameter ${i} (${p.value.rows} x ${p.value.cols}) got no gradient`);
    const grad = await be.read(p.grad);
    const values = (p.value as CpuTensor).data;
    let top = 0;
    for (let j = 1; j < grad.length; j++) if (Math.abs(grad[j]) > Math.abs(grad[top])) top = j;
    for (const j of new Set([top, 0, grad.length - 1])) {
      const numeric = await centralDifference(values, j, 1e-3, loss);
      // The loss is an f32 of about 1, so a difference quotient over 2e-3 carries ~1e-4 of noise.
      const tol = 2e-2 * Math.abs(numeric) + 1e-2 * Math.abs(grad[top]) + 1e-4;
      if (Math.abs(grad[j] - numeric) > tol) throw new Error(`parameter ${i} [${p.value.rows} x ${p.value.cols}] entry ${j}: analytic ${grad[j]}, numeric ${numeric}`);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(params.length);
}

const smooth = (spec: ModelSpec): ModelSpec => ({ ...spec, activation: 'tanh', dropout: 0, attnDropout: 0, hidden: 4, heads: 2 });

describe('node classifiers: parameter gradients through the whole net (central differences)', () => {
  const variants: [string, Partial<ModelSpec>][] = [
    ['gcn', { model: 'gcn' }],
    ['gcn without self loops, row norm', { model: 'gcn', selfLoops: false, norm: 'row' }],
    ['sage mean', { model: 'sage', aggr: 'mean' }],
    ['sage sum', { model: 'sage', aggr: 'sum' }],
    ['sage max', { model: 'sage', aggr: 'max' }],
    ['gat, 2 heads then 2 averaged', { model: 'gat', outHeads: 2 }],
    ['gin with learnable eps', { model: 'gin', trainEps: true, batchNorm: false }],
    ['gin with batch norm', { model: 'gin', batchNorm: true }],
    ['cheb K=3', { model: 'cheb', k: 3 }],
    ['rgcn, 2 relations, sum', { model: 'rgcn', cross: 'sum' }],
    ['rgcn, stack', { model: 'rgcn', cross: 'stack' }],
    ['rgcn, max', { model: 'rgcn', cross: 'max' }],
    ['rgcn, mean', { model: 'rgcn', cross: 'mean' }],
    ['3-layer gcn with residual and PairNorm', { model: 'gcn', layers: 3, residual: true, pairNorm: true }],
    ['3-layer sage with JK cat', { model: 'sage', layers: 3, jk: 'cat' }],
    ['3-layer gcn with JK max', { model: 'gcn', layers: 3, jk: 'max' }],
    ['mixed stack gcn, gat, sage', { model: 'gcn', layers: 3, stack: 'gcn,gat,sage', heads: 2 }],
    ['mixed stack sage, gin with JK cat (gat widths differ)', { model: 'gin', layers: 3, stack: 'sage,gat,gin', heads: 2, jk: 'cat', batchNorm: false }],
  ];
  for (const [name, over] of variants) {
    it(name, async () => {
      const spec = smooth({ ...nodeRecipe(over.model!).spec, ...over });
      const net = new NodeNet(be, spec, { inDim: F, classes: C, relations: 2 }, 3);
      const ctx = new GraphContext(be, g.inCsr, g.rel);
      const x = new Var(be.tensor(g.n, F, features), false);
      await checkParams(net.parameters, (t, c) => net.forward(t, c, { dense: x }, true, 0), ctx, g.n, labels, splitOf);
    });
  }

  it('a mixed stack builds each layer of its own type; a bad type or JK max over unequal widths says why', () => {
    const spec = smooth({ ...nodeRecipe('gcn').spec, layers: 3, stack: 'gat,sage', heads: 2 });
    const net = new NodeNet(be, spec, { inDim: F, classes: C, relations: 1 }, 3);
    expect(net.stack.convs.map((c) => c.constructor.name)).toEqual(['GatConv', 'SageConv', 'GcnConv']);
    expect(() => new NodeNet(be, { ...spec, stack: 'gcn,sgc' }, { inDim: F, classes: C, relations: 1 }, 3)).toThrow(/'sgc' is not a layer type/);
    expect(() => new NodeNet(be, { ...spec, jk: 'max' }, { inDim: F, classes: C, relations: 1 }, 3)).toThrow(/equally wide/);
  });

  it('sgc: a linear map of the K-step propagated features, computed once', async () => {
    const spec = { ...nodeRecipe('sgc').spec, k: 2 };
    const net = new SgcNet(be, spec, { inDim: F, classes: C, relations: 1 }, 3);
    const ctx = new GraphContext(be, g.inCsr);
    const x = new Var(be.tensor(g.n, F, features), false);
    await checkParams(net.parameters, (t, c) => net.forward(t, c, { dense: x }), ctx, g.n, labels, splitOf);
  });
});

describe('graph classifier: gradients through pooling and the head', () => {
  // Three copies of the small graph as one block-diagonal batch.
  const copies = 3, n = g.n * copies;
  const src: number[] = [], dst: number[] = [];
  for (let c = 0; c < copies; c++) {
    for (let r = 0; r < g.n; r++) {
      for (let k = g.inCsr.indptr[r]; k < g.inCsr.indptr[r + 1]; k++) { dst.push(c * g.n + r); src.push(c * g.n + g.inCsr.indices[k]); }
    }
  }
  const inCsr = csrFromCoo(n, n, dst, src);
  const pool = csrFromCoo(copies, n, Array.from({ length: n }, (_, i) => Math.floor(i / g.n)), Array.from({ length: n }, (_, i) => i));
  const x = rng.floats(n * F, -1, 1);
  for (const pooling of ['sum', 'mean', 'max'] as const) {
    for (const model of ['gin', 'gcn', 'rgcn'] as const) {
      it(`${model} with ${pooling} pooling`, async () => {
        const spec = smooth({ ...graphRecipe(model).spec, layers: 2, pool: pooling, batchNorm: false });
        const net = new GraphNet(be, spec, { inDim: F, classes: 2, relations: 1 }, 5);
        const ctx = new GraphContext(be, inCsr, undefined, pool);
        const xv = new Var(be.tensor(n, F, x), false);
        await checkParams(net.parameters, (t, c) => net.forward(t, c, { dense: xv }, true, 0), ctx, copies, Int32Array.from([0, 1, 1]), Int32Array.from([1, 1, 1]));
      });
    }
  }
});

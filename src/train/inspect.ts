import type { Tensor } from '../engine/backend';
import type { Parameter } from '../engine/optim';
import { Tape, Var } from '../engine/tape';
import { rowNormalize } from '../graph/normalize';
import type { Csr, Features } from '../graph/types';
import { type ExplainContext, explainConv, explainSgc, type LayerExplanation } from '../models/explain';
import { NodeNet } from '../models/nodeNet';
import type { InspectedLayer, NodeInspection } from './protocol';
import type { Trainer } from './trainer';

/**
 * The node inspector: one evaluation pass at the trainer's current weights, every layer's output
 * and every parameter read back, then each layer's arithmetic for `node` redone on the host
 * (src/models/explain.ts). Parameters are copied on the device in the same synchronous block as
 * the pass, so a training loop that steps while the reads are awaited cannot mix two epochs'
 * weights. Cost: one forward pass and a read of each layer and parameter, on request only.
 */
export async function inspectNode(t: Trainer, node: number): Promise<NodeInspection> {
  const { backend: be, model, data } = t;
  const graph = data.graph;
  if (!Number.isInteger(node) || node < 0 || node >= graph.numNodes) {
    throw new RangeError(`node ${node} is not in the graph (0 to ${graph.numNodes - 1})`);
  }
  const epoch = t.epochsDone;
  const tape = new Tape(be);
  try {
    const f = data.features;
    const x = 'dense' in f ? { dense: new Var(f.dense, false) } : { sparse: f.sparse.pair };
    const { layers, logits } = model.forwardLayers(tape, data.ctx, x, false, epoch);
    const params = model.parameters;
    const copies = params.map((p) => copyOf(tape, p.value));
    be.submit();
    const outputs: Float32Array[] = [];
    for (const l of layers) outputs.push(await be.read(l.value));
    const logitRows = await be.read(logits.value);
    const values = new Map<Parameter, Float32Array>();
    for (let k = 0; k < params.length; k++) values.set(params[k], await be.read(copies[k]));
    const value = (p: Parameter): Float32Array => values.get(p)!;

    const features = hostRows(rowNormalize(graph.features));
    const structures = new Map<string, Csr>();
    const context = (inDim: number, row: (j: number) => Float32Array): ExplainContext => ({ node, inCsr: graph.inCsr, inDim, row, value, structures });
    const rowsOf = (m: Float32Array, cols: number) => (j: number) => m.subarray(j * cols, (j + 1) * cols);
    const classes = logits.value.cols;
    const logitRow = logitRows.slice(node * classes, (node + 1) * classes);

    const inspected: InspectedLayer[] = [];
    const net = model.net;
    if (net instanceof NodeNet) {
      const { spec } = net;
      const convs = net.stack.convs;
      let inDim = features.cols, row = features.row;
      convs.forEach((conv, l) => {
        const outDim = layers[l].value.cols;
        const isOutput = net.head === null && l === convs.length - 1;
        const inputDense = l > 0 || 'dense' in f;
        const explained = explainConv(conv, spec, context(inDim, row));
        inspected.push(describe(explained, {
          name: model.layerNames[l], inDim, outDim, row,
          activation: isOutput ? 'none' : spec.activation,
          pairNorm: !isOutput && spec.pairNorm,
          residual: !isOutput && spec.residual && inputDense && inDim === outDim,
          output: outputs[l].slice(node * outDim, (node + 1) * outDim),
        }));
        inDim = outDim;
        row = rowsOf(outputs[l], outDim);
      });
    } else {
      const explained = explainSgc(net.spec, context(features.cols, features.row));
      inspected.push(describe(explained, {
        name: 'output', inDim: features.cols, outDim: classes, row: features.row,
        activation: 'none', pairNorm: false, residual: false, output: logitRow.slice(),
      }));
    }

    const probabilities = softmax(logitRow);
    let predicted = 0;
    for (let c = 1; c < classes; c++) if (logitRow[c] > logitRow[predicted]) predicted = c;
    const { indptr, indices } = graph.inCsr;
    return {
      node, epoch, label: graph.labels[node], neighbours: indices.slice(indptr[node], indptr[node + 1]),
      layers: inspected, logits: logitRow, probabilities, predicted,
    };
  } finally {
    tape.release();
  }
}

function copyOf(tape: Tape, t: Tensor): Tensor {
  const c = tape.temp(t.rows, t.cols);
  tape.backend.copy(t, c);
  return c;
}

interface LayerFacts extends Omit<InspectedLayer, keyof LayerExplanation | 'inputs'> {
  readonly row: (j: number) => Float32Array;
}

function describe(e: LayerExplanation, facts: LayerFacts): InspectedLayer {
  const { row, ...rest } = facts;
  const inputs = new Float32Array(e.sources.length * facts.inDim);
  e.sources.forEach((j, k) => inputs.set(row(j), k * facts.inDim));
  return { ...e, ...rest, inputs };
}

/** Row access to the features as the model reads them (row-normalized), dense or sparse. */
function hostRows(f: Features): { cols: number; row: (j: number) => Float32Array } {
  if (f.kind === 'dense') return { cols: f.cols, row: (j) => f.data.subarray(j * f.cols, (j + 1) * f.cols) };
  const a = f.csr;
  // Densified once per node asked for: explanations read the same rows column by column.
  const rows = new Map<number, Float32Array>();
  return {
    cols: a.cols,
    row: (j) => {
      let out = rows.get(j);
      if (!out) {
        out = new Float32Array(a.cols);
        for (let k = a.indptr[j]; k < a.indptr[j + 1]; k++) out[a.indices[k]] += a.values ? a.values[k] : 1;
        rows.set(j, out);
      }
      return out;
    },
  };
}

function softmax(logits: Float32Array): Float32Array {
  const max = Math.max(...logits);
  const exps = Array.from(logits, (v) => Math.exp(v - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return Float32Array.from(exps, (v) => v / total);
}

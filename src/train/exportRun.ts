import type { Tensor } from '../engine/backend';
import type { Parameter } from '../engine/optim';
import { Tape, Var } from '../engine/tape';
import { featureCount } from '../graph/types';
import type { GraphNet } from '../models/graphNet';
import type { Conv } from '../models/layer';
import { BatchNorm } from '../models/layers/batchNorm';
import { ChebConv } from '../models/layers/chebConv';
import { GatConv } from '../models/layers/gatConv';
import { GcnConv } from '../models/layers/gcnConv';
import { GinConv } from '../models/layers/ginConv';
import type { Linear } from '../models/layers/linear';
import type { Mlp } from '../models/layers/mlp';
import { RgcnConv } from '../models/layers/rgcnConv';
import { SageConv } from '../models/layers/sageConv';
import { NodeNet } from '../models/nodeNet';
import { GraphTrainer } from './graphTrainer';
import { LayerProbe } from './layerProbe';
import type { ExportedParameter, RunExport } from './protocol';
import type { Trainer } from './trainer';

/** A tensor of the model to read back, with the name and layer it is exported under. */
interface Named {
  readonly name: string;
  readonly layer: string;
  readonly tensor: Tensor;
  readonly trainable: boolean;
  /** The parameter it is, to check that every parameter is named exactly once. */
  readonly param?: Parameter;
}

export const GRAPH_NOTE = 'Graph classification: weights only. Its layers run over mini-batches of graphs, not over the nodes the page draws, so there are no per-node embeddings to export.';

/**
 * The run's parameters at its newest epoch and, for node classification, every layer's output
 * for all nodes (one evaluation pass at those weights, packed and read back by a `LayerProbe`,
 * the machinery behind the trainer's snapshots). The pass and the copies of the parameters are
 * recorded in one synchronous block, so a training loop stepping while the reads are awaited
 * cannot mix two epochs. Cost: one forward pass and one read per parameter, on request only.
 */
export async function exportRun(t: Trainer | GraphTrainer): Promise<RunExport> {
  const be = t.backend;
  const epoch = t.epochsDone;
  const graphTask = t instanceof GraphTrainer;
  const named = graphTask ? graphNetTensors(t.model) : nodeModelTensors(t);
  checkEveryParameter(named, t.model.parameters);

  const tape = new Tape(be);
  let probe: LayerProbe | null = null;
  try {
    if (!graphTask) {
      const { model, data } = t;
      const f = data.features;
      const x = 'dense' in f ? { dense: new Var(f.dense, false) } : { sparse: f.sparse.pair };
      const { layers } = model.forwardLayers(tape, data.ctx, x, false, epoch);
      probe = new LayerProbe(be, model.layerNames, model.layerParameters);
      probe.captureLayers(layers, epoch);
    }
    const copies = named.map((n) => {
      const c = tape.temp(n.tensor.rows, n.tensor.cols);
      be.copy(n.tensor, c);
      return c;
    });
    be.submit();
    const parameters: ExportedParameter[] = [];
    for (let k = 0; k < named.length; k++) {
      const { name, layer, trainable } = named[k];
      const c = copies[k];
      parameters.push({ name, layer, rows: c.rows, cols: c.cols, data: Float32Array.from(await be.read(c)), trainable });
    }
    if (graphTask) {
      return { task: 'graph', epoch, numFeatures: t.set.numFeatures, parameters, layers: [], note: GRAPH_NOTE };
    }
    const snap = await probe!.read();
    return {
      task: 'node', epoch, numFeatures: featureCount(t.data.graph.features), parameters,
      layers: snap.layers.map((l) => ({ name: l.name, rows: l.rows, cols: l.cols, data: l.data })),
    };
  } finally {
    probe?.release();
    tape.release();
  }
}

function param(layer: string, what: string, p: Parameter): Named {
  return { name: `${layer} ${what}`, layer, tensor: p.value, trainable: true, param: p };
}

function linearTensors(layer: string, prefix: string, lin: Linear): Named[] {
  const out = [param(layer, `${prefix}weight`, lin.weight)];
  if (lin.bias) out.push(param(layer, `${prefix}bias`, lin.bias));
  return out;
}

/**
 * Batch norm's running statistics are state, not parameters, and the class keeps them private;
 * an export without them could not reproduce the evaluation pass, so they are read here.
 */
function batchNormTensors(layer: string, prefix: string, bn: BatchNorm): Named[] {
  const state = bn as unknown as { runningMean: Tensor; runningVar: Tensor };
  return [
    param(layer, `${prefix}weight`, bn.gamma),
    param(layer, `${prefix}bias`, bn.beta),
    { name: `${layer} ${prefix}running_mean`, layer, tensor: state.runningMean, trainable: false },
    { name: `${layer} ${prefix}running_var`, layer, tensor: state.runningVar, trainable: false },
  ];
}

function mlpTensors(layer: string, prefix: string, mlp: Mlp): Named[] {
  return [
    ...mlp.lins.flatMap((lin, i) => linearTensors(layer, `${prefix}${i} `, lin)),
    ...mlp.norms.flatMap((bn, i) => (bn instanceof BatchNorm ? batchNormTensors(layer, `${prefix}norm ${i} `, bn) : [])),
  ];
}

/** One message-passing layer's tensors, named after PyG's attributes where there is one. */
export function convTensors(layer: string, conv: Conv): Named[] {
  if (conv instanceof GcnConv) return [param(layer, 'weight', conv.weight), param(layer, 'bias', conv.bias)];
  if (conv instanceof SageConv) {
    return [param(layer, 'lin_l weight', conv.lin.weight), param(layer, 'lin_l bias', conv.lin.bias!), param(layer, 'lin_r weight', conv.root.weight)];
  }
  if (conv instanceof GatConv) {
    return [param(layer, 'weight', conv.weight), param(layer, 'att_src', conv.attSrc), param(layer, 'att_dst', conv.attDst), param(layer, 'bias', conv.bias)];
  }
  if (conv instanceof GinConv) return [...mlpTensors(layer, 'mlp ', conv.mlp), ...(conv.eps ? [param(layer, 'eps', conv.eps)] : [])];
  if (conv instanceof ChebConv) return [...conv.weights.map((w, k) => param(layer, `weight ${k}`, w)), param(layer, 'bias', conv.bias)];
  if (conv instanceof RgcnConv) {
    return [...conv.weights.map((w, r) => param(layer, `weight ${r}`, w)), param(layer, 'root', conv.root), param(layer, 'bias', conv.bias)];
  }
  // A layer type added later without a name here: still exported, by position.
  return conv.parameters.map((p, i) => param(layer, `parameter ${i}`, p));
}

function nodeModelTensors(t: Trainer): Named[] {
  const net = t.model.net;
  const names = t.model.layerNames;
  if (!(net instanceof NodeNet)) return linearTensors(names[0], '', net.lin);
  const convs = net.stack.convs.flatMap((c, l) => convTensors(names[l], c));
  return net.head ? [...convs, ...linearTensors(names[names.length - 1], '', net.head)] : convs;
}

function graphNetTensors(net: GraphNet): Named[] {
  return [...net.stack.convs.flatMap((c, l) => convTensors(`layer ${l + 1}`, c)), ...mlpTensors('readout', '', net.head)];
}

/** Every trainable parameter of the model appears once among the named tensors. */
function checkEveryParameter(named: readonly Named[], params: readonly Parameter[]): void {
  const seen = new Set(named.flatMap((n) => (n.param ? [n.param] : [])));
  const missing = params.filter((p) => !seen.has(p)).length;
  if (missing > 0 || seen.size !== params.length) {
    throw new Error(`export: ${missing} of the model's ${params.length} parameters have no name`);
  }
}

/**
 * The typed messages between the page and the training worker. This is the whole interface the
 * UI has to the engine: the UI never sees GPU objects, tensors or the graph's CSR arrays.
 */

import type { Activation } from '../engine/backend';
import type { LayerExplanation } from '../models/explain';
import { nodeRecipe, type ModelSpec } from '../models/spec';

export type NodeDatasetId = 'karate' | 'cora' | 'citeseer' | 'pubmed';
export type GraphDatasetId = 'mutag' | 'proteins' | 'enzymes';
/**
 * `custom` is a graph the user drew, generated or loaded from a file; `custom-graphs` a set of
 * graphs from the user's TU files. Their data travel in the init message, not by URL.
 */
export type CustomDatasetId = 'custom' | 'custom-graphs';
export type DatasetId = NodeDatasetId | GraphDatasetId | CustomDatasetId;
export const graphDatasets: readonly DatasetId[] = ['mutag', 'proteins', 'enzymes', 'custom-graphs'];

/** Node classification on one graph, or graph classification over a set of small graphs. */
export function taskOf(dataset: DatasetId): 'node' | 'graph' {
  return graphDatasets.includes(dataset) ? 'graph' : 'node';
}

export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

/** A whole run: the model's shape (ModelSpec) plus data, optimizer and schedule. */
export interface TrainConfig extends ModelSpec {
  readonly dataset: DatasetId;
  readonly seed: number;
  readonly lr: number;
  /** Step decay (torch's StepLR): the learning rate is multiplied by lrGamma every lrStep epochs; 0 = constant. */
  readonly lrStep: number;
  readonly lrGamma: number;
  readonly epochs: number;
  readonly backend: BackendChoice;
  /** Graph classification: graphs per mini-batch, folds of the cross-validation and which one. */
  readonly batchSize: number;
  readonly folds: number;
  readonly fold: number;
  /**
   * Which epoch's test accuracy a run reports: the first with the best validation accuracy
   * (PyG's examples), or the last (SGC's protocol: a fixed 100 epochs).
   */
  readonly selection: 'best-val' | 'last';
}

export const defaultConfig: TrainConfig = {
  ...nodeRecipe('gcn').spec,
  dataset: 'karate',
  seed: 1,
  lr: 0.01,
  lrStep: 0,
  lrGamma: 0.5,
  epochs: 200,
  backend: 'auto',
  batchSize: 32,
  folds: 10,
  fold: 0,
  selection: 'best-val',
};

/** What the page needs to draw a graph: no features, no CSR internals. */
export interface GraphSummary {
  readonly name: string;
  readonly numNodes: number;
  readonly numEdges: number;
  readonly numFeatures: number;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  /** Undirected edges once each, as pairs (src[i], dst[i]) with src < dst. */
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  readonly labels: Int32Array;
  /** 0 = in no split, 1 = train, 2 = val, 3 = test. */
  readonly splitOf: Uint8Array;
  readonly citation?: string;
  /**
   * Graph classification: the page draws a sample of whole graphs as one disconnected graph;
   * `graphOf` maps each drawn node to its graph in the set, and labels, splits and predictions
   * are those of that graph. `numGraphs` is the size of the whole set.
   */
  readonly graphOf?: Uint32Array;
  readonly numGraphs?: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly loss: number;
  readonly trainAcc: number;
  readonly valAcc: number;
  readonly testAcc: number;
  /** Mean loss over the validation graphs (graph classification only). */
  readonly valLoss?: number;
  /** Milliseconds of wall time per epoch, averaged over the batch this report came in. */
  readonly ms: number;
}

export interface BackendInfo {
  readonly kind: 'webgpu' | 'cpu';
  /** Adapter description, e.g. "google swiftshader (fallback adapter)". */
  readonly adapter: string;
  /** Why the CPU backend is used, when WebGPU was wanted but is missing or failed. */
  readonly notice?: string;
}

/** Where an init's data come from: a shipped file to download, or the text of the user's own graph. */
export type DataSource =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'text'; readonly text: string };

/**
 * One layer in one epoch's `layers` frame. Node classification only; every array has a row per
 * node of the graph, in the graph's node order.
 */
export interface LayerFrame {
  /** 'input' (the row-normalized features the model reads), 'layer 1'.., or 'JK cat head'. */
  readonly name: string;
  /** The layer's output width (the input's: the feature count). */
  readonly dim: number;
  /**
   * Row-major numNodes x 2: each node on the layer's two leading principal components (centred),
   * signed and ordered to follow the previous frame's so the picture does not flip.
   */
  readonly coords: Float32Array;
  /** Each component's share of the layer's variance, in [0, 1]. */
  readonly explained: readonly [number, number];
  /** Dirichlet energy with renormalized degrees (src/metrics/smoothing.ts `dirichletEnergy`). */
  readonly energy: number;
  /** Global MAD, mean cosine distance between nodes (src/metrics/smoothing.ts `madGlobal`). */
  readonly mad: number;
}

/**
 * A depth sweep's variants of the current config: 'plain' without residual connections or
 * PairNorm, 'residual' with residual connections only, 'pairnorm' with PairNorm only.
 */
export type SweepVariant = 'plain' | 'residual' | 'pairnorm';
export const sweepVariants: readonly SweepVariant[] = ['plain', 'residual', 'pairnorm'];
export const defaultSweepDepths: readonly number[] = [1, 2, 4, 8, 16, 32];

/**
 * One layer of the node inspector: how the layer computed the inspected node's row. An entry is
 * one term the layer sums for the node (an in-edge, or a self term); see `LayerExplanation`.
 */
export interface InspectedLayer extends LayerExplanation {
  readonly name: string;
  readonly inDim: number;
  readonly outDim: number;
  /** Row-major entries x inDim: each entry's source row of the layer's input. */
  readonly inputs: Float32Array;
  /** The activation applied to (sum of messages + bias); after PairNorm when `pairNorm`. */
  readonly activation: Activation;
  /** PyG's PairNorm runs between the sum and the activation (it needs every node). */
  readonly pairNorm: boolean;
  /** The layer's input row is added after the activation. */
  readonly residual: boolean;
  /** The node's row of the layer's output: act(sum + bias), PairNorm and residual applied. */
  readonly output: Float32Array;
}

/** The node inspector's answer: the inspected node at the newest epoch's weights (eval mode). */
export interface NodeInspection {
  readonly node: number;
  /** Epochs trained when inspected (0: the initial weights). */
  readonly epoch: number;
  readonly label: number;
  /** The sources of the node's in-edges in the graph, as listed. */
  readonly neighbours: Uint32Array;
  /** The message-passing layers in order; a JK head is not listed; SGC has one entry, 'output'. */
  readonly layers: readonly InspectedLayer[];
  readonly logits: Float32Array;
  /** softmax(logits). */
  readonly probabilities: Float32Array;
  readonly predicted: number;
}

export type ToWorker =
  | { readonly type: 'init'; readonly config: TrainConfig; readonly source: DataSource }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'step' }
  /** Answered by an `inspection`. */
  | { readonly type: 'inspect'; readonly node: number }
  /**
   * Trains the current config once per (depth, variant) on the same backend, seed and data,
   * beside the main run (which it leaves as it is). Defaults: `defaultSweepDepths`, every
   * variant, the config's epochs. A new sweep, `sweepCancel` or `init` stops a running one.
   */
  | {
      readonly type: 'sweep';
      readonly depths?: readonly number[];
      readonly variants?: readonly SweepVariant[];
      readonly epochs?: number;
    }
  | { readonly type: 'sweepCancel' }
  /** Answered by an `exported`: the main run's weights (and layer outputs) at its newest epoch. */
  | { readonly type: 'export' };

export type FromWorker =
  | { readonly type: 'backend'; readonly info: BackendInfo }
  | { readonly type: 'graph'; readonly graph: GraphSummary }
  | {
      readonly type: 'progress';
      readonly reports: readonly EpochReport[];
      /** Predicted class per node after the newest epoch (eval mode). */
      readonly predictions: Int32Array;
      readonly running: boolean;
      /** Test accuracy at the epoch with the best validation accuracy so far (PyG's rule). */
      readonly bestTestAcc: number;
      readonly bestEpoch: number;
      /** GPU memory the backend's buffers hold now (GPU backends only). */
      readonly memoryBytes?: number;
    }
  /**
   * After a node-classification init: the GPU memory the run will need, estimated before
   * anything is built (src/train/memoryEstimate.ts), and the largest single buffer.
   */
  | { readonly type: 'memory'; readonly estimatedBytes: number; readonly largestBuffer: number }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string }
  /**
   * Node classification, while training: one epoch's layers, at most every ~150 ms, and always
   * for a step and the last epoch (after that epoch's `progress`, before `done`). The page keeps
   * the history. `layers[0]` is the input when the features are small enough to project
   * (numNodes * numFeatures up to 16M values); `gradNorms` has one entry per layer after it (the
   * L2 norm of that layer's parameter gradients in the epoch's training step), so gradNorms[i]
   * belongs to layers[layers.length - gradNorms.length + i].
   */
  | {
      readonly type: 'layers';
      readonly epoch: number;
      readonly layers: readonly LayerFrame[];
      readonly gradNorms: readonly number[];
    }
  /** The answer to `inspect`: null with a reason when there is nothing to inspect. */
  | { readonly type: 'inspection'; readonly node: number; readonly inspection: NodeInspection | null; readonly reason?: string }
  /** One finished run of a depth sweep; `completed` of `total` runs are done. */
  | {
      readonly type: 'sweepProgress';
      readonly depth: number;
      readonly variant: SweepVariant;
      readonly epochs: number;
      /** Test accuracy at the run's selected epoch (best validation, or the last: the config's `selection`). */
      readonly testAcc: number;
      readonly bestEpoch: number;
      /** Training accuracy after the last epoch. */
      readonly trainAcc: number;
      /** Dirichlet energy and global MAD of the last layer (the logits, or a JK head's) after the last epoch. */
      readonly energy: number;
      readonly mad: number;
      readonly completed: number;
      readonly total: number;
    }
  /** The sweep ended: all runs done, cancelled (sweepCancel or a new sweep), or failed. An init ends it silently. */
  | { readonly type: 'sweepDone'; readonly cancelled: boolean; readonly error?: string }
  /** The answer to `export`: null with a reason when there is nothing to export. */
  | { readonly type: 'exported'; readonly run: RunExport | null; readonly reason?: string };

/** One parameter (or batch-norm running statistic) of an export, row-major rows x cols. */
export interface ExportedParameter {
  /** Stable and readable: "layer 1 weight", "layer 2 att_src", "layer 1 mlp 0 bias", "JK cat head weight". */
  readonly name: string;
  /** The layer it belongs to, named as in the layers frames ("layer 1", "JK cat head", "output"), or "readout". */
  readonly layer: string;
  /** A layer computes x W + b, so weights are [in, out] (PyG's Linear stores the transpose); biases are [1, out]. */
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
  /** False for batch norm's running mean and variance, which the optimizer does not train. */
  readonly trainable: boolean;
}

/** One layer's output over every node (eval mode), row-major numNodes x cols, in the graph's node order. */
export interface ExportedLayer {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

/** The main run at the newest epoch: every parameter and, for node classification, every layer's output. */
export interface RunExport {
  readonly task: 'node' | 'graph';
  /** Epochs trained when exported (0: the initial weights). */
  readonly epoch: number;
  /** Width of the input features the first layer reads. */
  readonly numFeatures: number;
  readonly parameters: readonly ExportedParameter[];
  /** Node classification: the layers of a `layers` frame less the input; graph classification: none. */
  readonly layers: readonly ExportedLayer[];
  /** What is left out and why (graph classification: weights only). */
  readonly note?: string;
}

/**
 * The typed messages between the page and the training worker. This is the whole interface the
 * UI has to the engine: the UI never sees GPU objects, tensors or the graph's CSR arrays.
 */

import { nodeRecipe, type ModelSpec } from '../models/spec';

export type NodeDatasetId = 'karate' | 'cora' | 'citeseer';
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

export type ToWorker =
  | { readonly type: 'init'; readonly config: TrainConfig; readonly source: DataSource }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'step' };

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
    }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };

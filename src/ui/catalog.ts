import type { Activation } from '../engine/backend';
import type { ModelKind } from '../models/spec';
import type { DatasetId, TrainConfig } from '../train/protocol';

/** What the page says about each data set and model: names, one-line descriptions, papers. */

export interface DatasetInfo {
  readonly id: DatasetId;
  readonly label: string;
  readonly about: string;
}

export interface DatasetGroup {
  readonly label: string;
  readonly sets: readonly DatasetInfo[];
}

export const datasetGroups: readonly DatasetGroup[] = [
  {
    label: 'Node classification',
    sets: [
      { id: 'karate', label: "Zachary's Karate Club", about: '34 club members; one labelled member per faction, predict the faction of the rest.' },
      { id: 'cora', label: 'Cora (citations)', about: '2,708 papers linked by citations; predict each paper\u2019s topic (7 topics).' },
      { id: 'citeseer', label: 'CiteSeer (citations)', about: '3,327 papers linked by citations; predict each paper\u2019s topic (6 topics).' },
      { id: 'pubmed', label: 'PubMed graph (identity features)', about: '19,717 diabetes papers linked by citations (3 classes), without their word features: each node\u2019s only feature is its own id.' },
    ],
  },
  {
    label: 'Graph classification',
    sets: [
      { id: 'mutag', label: 'MUTAG (molecules)', about: '188 molecules (atoms and bonds); predict whether each is mutagenic.' },
      { id: 'proteins', label: 'PROTEINS', about: '1,113 proteins (structure elements and their contacts); predict enzyme or not.' },
      { id: 'enzymes', label: 'ENZYMES', about: '600 enzymes; predict each one\u2019s top-level EC class (6 classes).' },
    ],
  },
  {
    label: 'Your own',
    sets: [
      { id: 'custom', label: 'Your graph', about: 'A graph you drew, generated or loaded from a file (see "Your own graph" below).' },
      { id: 'custom-graphs', label: 'Your set of graphs', about: 'Graphs from the TU Dortmund text files you loaded.' },
    ],
  },
];

export function datasetInfo(id: DatasetId): DatasetInfo {
  return datasetGroups.flatMap((g) => g.sets).find((d) => d.id === id)!;
}

/**
 * Readable names for the raw class labels of the TU sets ("-1", "1"), where their meaning is
 * documented: MUTAG's 125 positives are the mutagenic compounds, ENZYMES' labels are EC classes.
 */
const classNames: Partial<Record<DatasetId, readonly string[]>> = {
  mutag: ['not mutagenic', 'mutagenic'],
  enzymes: ['EC 1 oxidoreductase', 'EC 2 transferase', 'EC 3 hydrolase', 'EC 4 lyase', 'EC 5 isomerase', 'EC 6 ligase'],
  proteins: ['class 1', 'class 2'],
};

export function displayClassNames(dataset: DatasetId | undefined, raw: readonly string[]): readonly string[] {
  const names = dataset ? classNames[dataset] : undefined;
  // Planetoid names are identifiers like "Reinforcement_Learning"; show them as words.
  return names && names.length === raw.length ? names : raw.map((n) => n.replaceAll('_', ' '));
}

export interface ModelInfo {
  readonly name: string;
  readonly about: string;
  readonly paper: string;
  /** Graph classification needs message-passing layers to pool; SGC has none in this engine. */
  readonly nodeOnly?: boolean;
}

export const modelInfo: Record<ModelKind, ModelInfo> = {
  gcn: { name: 'GCN', about: 'Each layer averages a node\u2019s neighbours (and itself) with degree normalization.', paper: 'Kipf & Welling, ICLR 2017' },
  sage: { name: 'GraphSAGE', about: 'Combines each node with a mean, max or sum of its neighbours, with separate weights.', paper: 'Hamilton et al., NeurIPS 2017' },
  gat: { name: 'GAT', about: 'Learns how much each neighbour matters (attention), with several heads side by side.', paper: 'Veli\u010dkovi\u0107 et al., ICLR 2018' },
  gin: { name: 'GIN', about: 'Sums the neighbours and passes them through a small MLP: as expressive as the WL test.', paper: 'Xu et al., ICLR 2019' },
  sgc: { name: 'SGC', about: 'K steps of GCN propagation with no nonlinearity, then one linear layer.', paper: 'Wu et al., ICML 2019', nodeOnly: true },
  cheb: { name: 'ChebNet', about: 'Spectral filters: Chebyshev polynomials of the graph Laplacian reach K\u22121 hops.', paper: 'Defferrard et al., NeurIPS 2016' },
  rgcn: { name: 'R-GCN', about: 'One weight per edge type (MUTAG\u2019s bond types); other sets have a single type.', paper: 'Schlichtkrull et al., ESWC 2018' },
};

export const activationNames: Record<Activation, string> = {
  relu: 'ReLU',
  leaky_relu: 'Leaky ReLU',
  elu: 'ELU',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  none: 'none (linear)',
};

/** How the "press Reset" notice names a changed field (a field missing here shows its key). */
export const fieldNames: Partial<Record<keyof TrainConfig, string>> = {
  dataset: 'data set',
  model: 'model',
  backend: 'backend',
  seed: 'seed',
  lr: 'learning rate',
  lrStep: 'learning-rate step',
  lrGamma: 'learning-rate decay',
  epochs: 'epochs',
  batchSize: 'batch size',
  folds: 'folds',
  fold: 'test fold',
  layers: 'layers',
  hidden: 'hidden units',
  activation: 'activation',
  dropout: 'dropout',
  weightDecay: 'weight decay',
  residual: 'residual',
  pairNorm: 'PairNorm',
  jk: 'jumping knowledge',
  selfLoops: 'self loops',
  norm: 'normalization',
  aggr: 'aggregator',
  heads: 'heads',
  outHeads: 'output heads',
  attnDropout: 'attention dropout',
  trainEps: 'learnable \u03b5',
  batchNorm: 'batch norm',
  k: 'K',
  cross: 'relation reducer',
  pool: 'pooling',
  stack: 'layer types',
  selection: 'reported epoch',
};

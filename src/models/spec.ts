import type { Activation } from '../engine/backend';
import type { CrossReducer } from './layers/rgcnConv';

export type ModelKind = 'gcn' | 'sage' | 'gat' | 'gin' | 'sgc' | 'cheb' | 'rgcn';
export const modelKinds: readonly ModelKind[] = ['gcn', 'sage', 'gat', 'gin', 'sgc', 'cheb', 'rgcn'];

export type JumpingKnowledge = 'none' | 'cat' | 'max';
export type Pooling = 'sum' | 'mean' | 'max';

/**
 * Everything that shapes a model. Options of one kind (heads for GAT, K for SGC and ChebConv)
 * are ignored by the others, so one flat record can travel in a link.
 */
export interface ModelSpec {
  readonly model: ModelKind;
  /** Message-passing layers (SGC: ignored, it is one linear map after K propagations). */
  readonly layers: number;
  readonly hidden: number;
  readonly activation: Activation;
  readonly dropout: number;
  readonly weightDecay: number;
  readonly residual: boolean;
  readonly pairNorm: boolean;
  readonly jk: JumpingKnowledge;
  /** GCN: add self loops, and symmetric or row (mean) normalization. */
  readonly selfLoops: boolean;
  readonly norm: 'sym' | 'row';
  /** GraphSAGE aggregator. */
  readonly aggr: 'mean' | 'max' | 'sum';
  /** GAT: heads of hidden layers and of the output layer (averaged), attention dropout. */
  readonly heads: number;
  readonly outHeads: number;
  readonly attnDropout: number;
  /** GIN: learnable epsilon, batch norm inside the MLP. */
  readonly trainEps: boolean;
  readonly batchNorm: boolean;
  /** SGC: propagation steps; ChebConv: number of Chebyshev terms. */
  readonly k: number;
  /** R-GCN: how relations combine. */
  readonly cross: CrossReducer;
  /** Graph classification: readout over each graph's nodes. */
  readonly pool: Pooling;
  /**
   * The layer type of each layer, comma-separated ("gcn,gat,gcn"), for mixed stacks; '' (or a
   * list shorter than `layers`) fills the rest with `model`, whose options apply to its layers.
   * A flat string so it travels in a link and as one flag like every other field.
   */
  readonly stack: string;
}

/** The types a stack can mix: every message-passing layer (SGC has none). */
export const stackKinds: readonly ModelKind[] = ['gcn', 'sage', 'gat', 'gin', 'cheb', 'rgcn'];

/** Each layer's type; throws on a name that is not a layer type, so a bad link or flag says so. */
export function layerKinds(spec: Pick<ModelSpec, 'model' | 'layers' | 'stack'>): ModelKind[] {
  const given = spec.stack.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const k of given) {
    if (!stackKinds.includes(k as ModelKind)) throw new Error(`stack: '${k}' is not a layer type (${stackKinds.join(', ')})`);
  }
  const L = Math.max(spec.layers, 1);
  return Array.from({ length: L }, (_, l) => (given[l] as ModelKind | undefined) ?? spec.model);
}

/** Whether any layer of the stack is of `kind` (SGC: none are). */
export function stackHas(spec: Pick<ModelSpec, 'model' | 'layers' | 'stack'>, kind: ModelKind): boolean {
  return spec.model !== 'sgc' && layerKinds(spec).includes(kind);
}

const base: ModelSpec = {
  model: 'gcn', layers: 2, hidden: 16, activation: 'relu', dropout: 0.5, weightDecay: 5e-4,
  residual: false, pairNorm: false, jk: 'none', selfLoops: true, norm: 'sym', aggr: 'mean',
  heads: 8, outHeads: 1, attnDropout: 0.6, trainEps: false, batchNorm: true, k: 2, cross: 'sum', pool: 'sum', stack: '',
};

/** Training settings that come with a model's published recipe. */
export interface Recipe {
  readonly spec: ModelSpec;
  readonly lr: number;
  /** torch's StepLR: multiply the learning rate by 0.5 every `lrStep` epochs (absent: constant). */
  readonly lrStep?: number;
  readonly epochs: number;
  /** How the reference reports test accuracy (default: at the best validation epoch). */
  readonly selection?: 'best-val' | 'last';
}

/**
 * The settings of each model's reference implementation for node classification on Planetoid
 * (PyG's examples gcn.py, gat.py, sgc.py; Kipf's chebyshev settings; DGL's graphsage).
 */
export function nodeRecipe(model: ModelKind): Recipe {
  switch (model) {
    case 'gat': return { spec: { ...base, model, hidden: 8, heads: 8, dropout: 0.6, activation: 'elu' }, lr: 0.005, epochs: 200 };
    // Wu et al.'s citation.py: 100 epochs, the test accuracy after the last.
    case 'sgc': return { spec: { ...base, model, k: 2, dropout: 0, weightDecay: 5e-5 }, lr: 0.2, epochs: 100, selection: 'last' };
    case 'cheb': return { spec: { ...base, model, k: 3 }, lr: 0.01, epochs: 200 };
    case 'sage': return { spec: { ...base, model, aggr: 'mean' }, lr: 0.01, epochs: 200 };
    case 'gin': return { spec: { ...base, model, batchNorm: false }, lr: 0.01, epochs: 200 };
    case 'rgcn': return { spec: { ...base, model }, lr: 0.01, epochs: 200 };
    default: return { spec: { ...base, model }, lr: 0.01, epochs: 200 };
  }
}

/**
 * Graph classification (PyG's examples/mutag_gin.py: 5 GIN layers of 32, sum pooling). GIN reads
 * out every layer, not only the last (Xu et al. 2019, eq. 4.2): with sum pooling, pooling the
 * concatenated layer outputs is the same as concatenating each layer's pooled readout.
 */
export function graphRecipe(model: ModelKind): Recipe {
  const spec: ModelSpec = { ...base, model, layers: 5, hidden: 32, dropout: 0.5, weightDecay: 0, heads: 4, jk: model === 'gin' ? 'cat' : 'none' };
  return { spec, lr: 0.01, epochs: 100 };
}

/** GCN and ChebNet decay the first layer's weights only, as Kipf and Welling's code does. */
export function decaysFirstLayerOnly(model: ModelKind): boolean {
  return model === 'gcn' || model === 'cheb';
}

/** Models whose first layer must see dense features (a sparse bag of words is densified). */
export function needsDenseInput(spec: ModelSpec): boolean {
  if (spec.model === 'sgc') return true;
  const first = layerKinds(spec)[0];
  return first === 'gin' || (first === 'sage' && spec.aggr === 'max');
}

import { layerKinds, modelKinds } from '../models/spec';
import { type DatasetId, defaultConfig, type TrainConfig } from './protocol';

/**
 * What each config field may hold. The command line checks its flags against this and a share
 * link checks every value it reads, so a tampered link can never hand the engine a value the
 * page itself could not have set.
 */
export type FieldSpec =
  | { readonly type: 'number'; readonly min: number; readonly max: number; readonly integer?: boolean }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'text'; readonly maxLength: number };

// A record, so a data set added to DatasetId and not here is a type error.
const datasetSet: Record<DatasetId, true> = {
  karate: true, cora: true, citeseer: true, pubmed: true, mutag: true, proteins: true, enzymes: true, custom: true, 'custom-graphs': true,
};
export const datasetIds = Object.keys(datasetSet) as DatasetId[];

const int = (min: number, max: number): FieldSpec => ({ type: 'number', min, max, integer: true });
const real = (min: number, max: number): FieldSpec => ({ type: 'number', min, max });
const oneOf = (...values: string[]): FieldSpec => ({ type: 'enum', values });

export const configSchema: { readonly [K in keyof TrainConfig]: FieldSpec } = {
  model: { type: 'enum', values: modelKinds },
  layers: int(1, 64),
  hidden: int(1, 4096),
  activation: oneOf('none', 'relu', 'leaky_relu', 'elu', 'tanh', 'sigmoid'),
  dropout: real(0, 0.99),
  weightDecay: real(0, 1),
  residual: { type: 'boolean' },
  pairNorm: { type: 'boolean' },
  jk: oneOf('none', 'cat', 'max'),
  selfLoops: { type: 'boolean' },
  norm: oneOf('sym', 'row'),
  aggr: oneOf('mean', 'max', 'sum'),
  heads: int(1, 64),
  outHeads: int(1, 64),
  attnDropout: real(0, 0.99),
  trainEps: { type: 'boolean' },
  batchNorm: { type: 'boolean' },
  k: int(1, 20),
  cross: oneOf('sum', 'mean', 'max', 'min', 'stack'),
  pool: oneOf('sum', 'mean', 'max'),
  stack: { type: 'text', maxLength: 64 * 8 },
  dataset: { type: 'enum', values: datasetIds },
  seed: int(0, 2 ** 31 - 1),
  lr: real(1e-6, 10),
  lrStep: int(0, 100_000),
  lrGamma: real(1e-6, 1),
  epochs: int(1, 100_000),
  backend: oneOf('auto', 'webgpu', 'cpu'),
  batchSize: int(1, 100_000),
  folds: int(2, 100),
  fold: int(0, 99),
  selection: oneOf('best-val', 'last'),
};

/** The value `raw` stands for in field `key`, or an error that says what is wrong with it. */
export function readField<K extends keyof TrainConfig>(key: K, raw: string): { value: TrainConfig[K] } | { error: string } {
  const spec = configSchema[key];
  switch (spec.type) {
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) return { error: `${key} must be a number, got '${raw}'` };
      if (spec.integer && !Number.isInteger(v)) return { error: `${key} must be a whole number, got '${raw}'` };
      if (v < spec.min || v > spec.max) return { error: `${key} must be from ${spec.min} to ${spec.max}, got ${v}` };
      return { value: v as TrainConfig[K] };
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') return { error: `${key} must be true or false, got '${raw}'` };
      return { value: (raw === 'true') as TrainConfig[K] };
    case 'enum':
      if (!spec.values.includes(raw)) return { error: `${key} must be one of ${spec.values.join(', ')}, got '${raw}'` };
      return { value: raw as TrainConfig[K] };
    case 'text':
      if (raw.length > spec.maxLength) return { error: `${key} is longer than ${spec.maxLength} characters` };
      return { value: raw as TrainConfig[K] };
  }
}

/** Checks that hold between fields: the fold exists, the layer types name real layers. */
export function checkConfig(c: TrainConfig): string | null {
  if (c.fold >= c.folds) return `fold ${c.fold} does not exist with ${c.folds} folds`;
  try {
    layerKinds(c);
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

export const configKeys = Object.keys(defaultConfig) as (keyof TrainConfig)[];

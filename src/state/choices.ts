import type { ModelKind } from '../models/spec';
import { type DatasetId, taskOf, type TrainConfig } from '../train/protocol';
import { recipeConfig } from '../train/recipes';

/** Models the graph-classification net can be built from (SGC has no layers to pool). */
export function modelFitsTask(model: ModelKind, dataset: DatasetId): boolean {
  return !(model === 'sgc' && taskOf(dataset) === 'graph');
}

/**
 * The config a pick of data set or model loads: the model's published settings for the data
 * set's task, keeping the seed, backend and cross-validation choices of `current`. A model
 * that cannot do the task is swapped for GIN, the graph-classification reference.
 */
export function choiceConfig(current: TrainConfig, dataset: DatasetId, model: ModelKind): TrainConfig {
  const fitting = modelFitsTask(model, dataset) ? model : 'gin';
  const next = recipeConfig(dataset, fitting, current);
  return { ...next, fold: Math.min(Math.max(0, next.fold), next.folds - 1) };
}

import { graphRecipe, type ModelKind, nodeRecipe } from '../models/spec';
import { type DatasetId, defaultConfig, taskOf, type TrainConfig } from './protocol';

/**
 * The full config of `model` on `dataset` with the model's published settings for that task:
 * what the page loads when a model is picked and what `npm run train` starts from.
 */
export function recipeConfig(dataset: DatasetId, model: ModelKind, base: TrainConfig = defaultConfig): TrainConfig {
  const recipe = taskOf(dataset) === 'graph' ? graphRecipe(model) : nodeRecipe(model);
  return { ...base, ...recipe.spec, dataset, lr: recipe.lr, lrStep: recipe.lrStep ?? 0, lrGamma: 0.5, epochs: recipe.epochs, selection: recipe.selection ?? 'best-val' };
}

import { describe, expect, it } from 'vitest';
import { defaultConfig, type GraphSummary } from '../../src/train/protocol';
import { recipeConfig } from '../../src/train/recipes';
import { displayClassNames, fieldNames } from '../../src/ui/catalog';
import { describeModel, graphsShown } from '../../src/ui/describe';

describe('describeModel', () => {
  it('names depth, model and its own options', () => {
    expect(describeModel(defaultConfig)).toBe('2-layer GCN (16 hidden units, ReLU)');
    expect(describeModel(recipeConfig('cora', 'gat'))).toBe('2-layer GAT (8 heads \u00d7 8 hidden units, ELU)');
    expect(describeModel(recipeConfig('cora', 'sgc'))).toBe('SGC (K = 2 propagation steps, then one linear layer)');
    expect(describeModel(recipeConfig('mutag', 'gin'))).toBe('5-layer GIN (32 hidden units, ReLU, batch norm, sum pooling of the input and every layer, linear head)');
    expect(describeModel({ ...recipeConfig('cora', 'sage'), aggr: 'max', residual: true, jk: 'cat' }))
      .toBe('2-layer GraphSAGE (16 hidden units, ReLU, max aggregator, residual, jumping knowledge (concatenate))');
    expect(describeModel({ ...defaultConfig, model: 'rgcn', dataset: 'mutag', cross: 'stack', pool: 'max' }))
      .toBe('2-layer R-GCN (16 hidden units, ReLU, stack over relations, max pooling, MLP head)');
  });
});

describe('graphsShown', () => {
  it('counts the runs of graph ids in a drawn sample', () => {
    const g = { graphOf: Uint32Array.of(4, 4, 4, 9, 9, 2) } as unknown as GraphSummary;
    expect(graphsShown(g)).toBe(3);
    expect(graphsShown({ graphOf: new Uint32Array(0) } as unknown as GraphSummary)).toBe(0);
  });
});

describe('catalog', () => {
  it('readable class names where the raw ones say nothing, Planetoid names as words', () => {
    expect(displayClassNames('mutag', ['-1', '1'])).toEqual(['not mutagenic', 'mutagenic']);
    expect(displayClassNames('cora', ['Neural_Networks'])).toEqual(['Neural Networks']);
  });

  it('every config field has a name for the "press Reset" notice', () => {
    for (const key of Object.keys(defaultConfig)) expect(fieldNames[key as keyof typeof fieldNames], key).toBeTruthy();
  });
});

import { describe, expect, it } from 'vitest';
import { applyConfigArgs } from '../../src/cli/configArgs';
import { recipeConfig } from '../../src/train/recipes';

describe('train command flags', () => {
  const base = recipeConfig('cora', 'gat');
  it('overrides fields by kebab-case flag, typed like the field', () => {
    const c = applyConfigArgs(base, new Map([['layers', '4'], ['pair-norm', 'true'], ['jk', 'cat'], ['weight-decay', '0.001']]));
    expect([c.layers, c.pairNorm, c.jk, c.weightDecay, c.heads]).toEqual([4, true, 'cat', 0.001, 8]);
  });
  it('rejects bad values with the flag named', () => {
    expect(() => applyConfigArgs(base, new Map([['layers', 'four']]))).toThrow(/--layers must be a number/);
    expect(() => applyConfigArgs(base, new Map([['residual', 'yes']]))).toThrow(/--residual must be true or false/);
    expect(() => applyConfigArgs(base, new Map([['aggr', 'median']]))).toThrow(/--aggr must be one of mean, max, sum/);
  });
  it("starts from each model's recipe", () => {
    expect([base.lr, base.dropout, base.activation, base.heads]).toEqual([0.005, 0.6, 'elu', 8]);
    const sgc = recipeConfig('cora', 'sgc');
    expect([sgc.lr, sgc.epochs, sgc.selection, sgc.k]).toEqual([0.2, 100, 'last', 2]);
    const gin = recipeConfig('mutag', 'gin');
    expect([gin.layers, gin.hidden, gin.pool, gin.batchNorm]).toEqual([5, 32, 'sum', true]);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { modelKinds } from '../../src/models/spec';
import { choiceConfig, modelFitsTask } from '../../src/state/choices';
import { beginInit, hasValidation, initialState, pendingChanges, resetPending, setConfig, usePlayground } from '../../src/state/store';
import { defaultConfig, type TrainConfig } from '../../src/train/protocol';
import { recipeConfig } from '../../src/train/recipes';

/** A value for `key` that differs from the one in `c`, of the same type. */
function changed(c: TrainConfig, key: keyof TrainConfig): unknown {
  const v = c[key];
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'boolean') return !v;
  return `${String(v)}-other`;
}

describe('store: pending Reset', () => {
  beforeEach(() => usePlayground.setState(initialState, true));

  it('nothing is pending before a run or right after one starts', () => {
    expect(resetPending(usePlayground.getState())).toBe(false);
    beginInit(defaultConfig);
    expect(pendingChanges(usePlayground.getState())).toEqual([]);
  });

  for (const key of Object.keys(defaultConfig) as (keyof TrainConfig)[]) {
    it(`a change of ${key} is pending until Reset`, () => {
      beginInit(usePlayground.getState().config);
      setConfig({ [key]: changed(defaultConfig, key) } as Partial<TrainConfig>);
      const s = usePlayground.getState();
      expect(pendingChanges(s)).toEqual([key]);
      expect(resetPending(s)).toBe(true);
      beginInit(s.config);
      expect(resetPending(usePlayground.getState())).toBe(false);
    });
  }

  it('changing a field and back is not pending', () => {
    beginInit(defaultConfig);
    setConfig({ heads: 3 });
    setConfig({ heads: defaultConfig.heads });
    expect(resetPending(usePlayground.getState())).toBe(false);
  });

  it('graph sets always have validation graphs; Karate has no validation nodes', () => {
    beginInit({ ...defaultConfig, dataset: 'mutag' });
    expect(hasValidation(usePlayground.getState())).toBe(true);
    beginInit(defaultConfig);
    usePlayground.setState({ graph: { splitOf: Uint8Array.of(1, 3, 3) } as never });
    expect(hasValidation(usePlayground.getState())).toBe(false);
  });
});

describe('choiceConfig: picking a data set or model', () => {
  const current: TrainConfig = { ...defaultConfig, seed: 7, backend: 'cpu', hidden: 99, fold: 3 };

  it('loads the recipe of the model for the data set, keeping seed, backend and fold', () => {
    const next = choiceConfig(current, 'cora', 'gat');
    expect(next).toEqual({ ...recipeConfig('cora', 'gat', current), seed: 7, backend: 'cpu' });
    expect(next.hidden).toBe(8);
    expect(next.heads).toBe(8);
    expect(next.fold).toBe(3);
    expect(choiceConfig(current, 'mutag', 'gin')).toEqual(recipeConfig('mutag', 'gin', current));
  });

  it('every model fits node classification; all but SGC fit graph classification', () => {
    for (const m of modelKinds) {
      expect(modelFitsTask(m, 'cora')).toBe(true);
      expect(modelFitsTask(m, 'proteins')).toBe(m !== 'sgc');
    }
  });

  it('SGC on a graph set becomes GIN', () => {
    const next = choiceConfig({ ...current, model: 'sgc' }, 'mutag', 'sgc');
    expect(next.model).toBe('gin');
    expect(next.dataset).toBe('mutag');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { expectExport, initialExport, useExport } from '../../src/state/exportStore';
import { applyMessage, beginInit, usePlayground, initialState } from '../../src/state/store';
import { defaultConfig } from '../../src/train/protocol';

describe('exportStore', () => {
  beforeEach(() => {
    useExport.setState(initialExport);
    usePlayground.setState(initialState);
  });

  it('each request gets the next answer, in order; pending counts the unanswered', async () => {
    const a = expectExport();
    const b = expectExport();
    expect(useExport.getState().pending).toBe(2);
    applyMessage({ type: 'exported', run: null, reason: 'first' });
    expect(useExport.getState().pending).toBe(1);
    applyMessage({ type: 'exported', run: null, reason: 'second' });
    expect((await a).reason).toBe('first');
    expect((await b).reason).toBe('second');
    expect(useExport.getState()).toEqual({ pending: 0, last: { type: 'exported', run: null, reason: 'second' } });
  });

  it('an answer arriving while a new run loads still reaches its request (never left waiting)', async () => {
    const a = expectExport();
    beginInit(defaultConfig);
    expect(usePlayground.getState().loading).toBe(true);
    applyMessage({ type: 'exported', run: null, reason: 'The run was reset while it was being exported.' });
    expect((await a).run).toBeNull();
  });
});

import { describe, expect, test } from 'vitest';
import { HISTORY_LIMIT, record, redo, startHistory, undo } from '../../src/state/history';

describe('history', () => {
  test('undo and redo walk back and forth; a new edit drops the redo branch', () => {
    let h = startHistory('a');
    h = record(h, 'b');
    h = record(h, 'c');
    expect(h.present).toBe('c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe('b');
    h = record(h, 'd');
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(undo(h).present).toBe('b');
  });

  test('a no-op edit records nothing', () => {
    const h = record(startHistory('a'), 'b');
    expect(record(h, h.present)).toBe(h);
  });

  test('the past is bounded', () => {
    let h = startHistory(0);
    for (let i = 1; i <= HISTORY_LIMIT + 50; i++) h = record(h, i);
    expect(h.past.length).toBe(HISTORY_LIMIT);
    expect(h.past[0]).toBe(50);
  });
});

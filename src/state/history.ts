/**
 * Undo and redo over immutable values: every edit pushes the value it replaced. Bounded so an
 * afternoon of drawing cannot grow memory without end.
 */
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
}

export const HISTORY_LIMIT = 200;

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

/** Records `next` as a new edit; an edit equal to the present (a no-op) records nothing. */
export function record<T>(h: History<T>, next: T): History<T> {
  if (Object.is(next, h.present)) return h;
  const past = h.past.length >= HISTORY_LIMIT ? h.past.slice(1) : h.past;
  return { past: [...past, h.present], present: next, future: [] };
}

export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}

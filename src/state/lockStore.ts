import { create } from 'zustand';
import type { Editable } from './link/codec';

/**
 * A teacher's exercise: the controls a student may change. null (the default) leaves every
 * control free; a link with `edit=` sets it, and the page hides the rest.
 */
export interface LockState {
  readonly editable: ReadonlySet<Editable> | null;
}

export const useLocks = create<LockState>()(() => ({ editable: null }));

export function setEditable(editable: readonly Editable[] | null): void {
  useLocks.setState({ editable: editable ? new Set(editable) : null });
}

/** Whether the control for `key` is shown (a hook: re-renders when the exercise changes). */
export function useCanEdit(key: Editable): boolean {
  return useLocks((s) => s.editable === null || s.editable.has(key));
}

import { create } from 'zustand';
import { type GraphDraft, type SplitCode, draftToGraphJson } from '../graph/draft';
import { type History, record, redo, startHistory, undo } from './history';

/** What a click on the drawing does. */
export type Tool = 'draw' | 'select' | 'label' | 'split' | 'delete';

/**
 * The graph the user is drawing: its undo history, the tool in hand, and the selection. Kept out
 * of the playground store because every stroke changes it and nothing about training does.
 */
export interface DraftState {
  readonly history: History<GraphDraft> | null;
  /** True while the centre shows the editor instead of the trained graph. */
  readonly editing: boolean;
  readonly tool: Tool;
  readonly paintClass: number;
  readonly paintSplit: SplitCode;
  readonly selection: readonly number[];
  /** The draft that was last sent to training, to tell the user when edits are not applied. */
  readonly applied: GraphDraft | null;
}

export const initialDraft: DraftState = {
  history: null, editing: false, tool: 'draw', paintClass: 0, paintSplit: 1, selection: [], applied: null,
};

export const useDraft = create<DraftState>()(() => initialDraft);

export function currentDraft(): GraphDraft | null {
  return useDraft.getState().history?.present ?? null;
}

/** Starts editing `draft` as a new history (generate, load, "new"). */
export function startDraft(draft: GraphDraft): void {
  useDraft.setState({ history: startHistory(draft), editing: true, selection: [], paintClass: 0 });
}

/**
 * Applies one edit. An edit that throws (a misuse the draft API rejects) changes nothing; the
 * editor's gestures are built not to make them, so this is only a guard.
 */
export function edit(fn: (d: GraphDraft) => GraphDraft): void {
  const h = useDraft.getState().history;
  if (!h) return;
  let next: GraphDraft;
  try {
    next = fn(h.present);
  } catch {
    return;
  }
  // Removing nodes renumbers the rest, so a selection cannot outlive a change in node count.
  const selection = next.nodes.length === h.present.nodes.length ? useDraft.getState().selection : [];
  useDraft.setState({ history: record(h, next), selection });
}

export function undoDraft(): void {
  const h = useDraft.getState().history;
  if (h) useDraft.setState({ history: undo(h), selection: [] });
}

export function redoDraft(): void {
  const h = useDraft.getState().history;
  if (h) useDraft.setState({ history: redo(h), selection: [] });
}

export function setTool(tool: Tool): void {
  useDraft.setState({ tool });
}

export function setPaintClass(paintClass: number): void {
  useDraft.setState({ paintClass });
}

export function setPaintSplit(paintSplit: SplitCode): void {
  useDraft.setState({ paintSplit });
}

export function setSelection(selection: readonly number[]): void {
  useDraft.setState({ selection });
}

export function setEditing(editing: boolean): void {
  useDraft.setState({ editing });
}

/** Why a drawing cannot be trained yet, in the words a student needs; null when it can. */
export function draftProblem(d: { nodes: readonly { split: number; label: number }[] }): string | null {
  if (d.nodes.length === 0) return 'Add some nodes first.';
  if (!d.nodes.some((v) => v.split === 1)) return 'Paint at least one node "train" (Paint split): the model learns from their classes.';
  return null;
}

/** The gnn-graph-json text of the current draft, and marks it as the applied one. */
export function takeDraftForTraining(): { name: string; text: string } | null {
  const d = currentDraft();
  if (!d) return null;
  const text = draftToGraphJson(d);
  useDraft.setState({ applied: d, editing: false });
  return { name: d.name, text };
}

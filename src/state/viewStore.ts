import { create } from 'zustand';

/** The centre panel's views, in tab order. */
export const views = ['graph', 'layers', 'smoothing', 'spectrum'] as const;
export type ViewId = (typeof views)[number];

/** How the graph's nodes are filled: predicted class, true class, or right / wrong. */
export type ColourBy = 'predicted' | 'true' | 'correct';

/**
 * What the user is looking at, apart from what is trained: kept in its own store so that training
 * progress never re-renders the view controls, and so a link can carry it (issue 6).
 */
export interface ViewState {
  readonly view: ViewId;
  readonly colourBy: ColourBy;
  /** The node whose inspector is open. */
  readonly selected: number | null;
}

export const initialView: ViewState = { view: 'graph', colourBy: 'predicted', selected: null };

export const useView = create<ViewState>()(() => initialView);

export function setView(view: ViewId): void {
  useView.setState({ view });
}

export function setColourBy(colourBy: ColourBy): void {
  useView.setState({ colourBy });
}

export function selectNode(selected: number | null): void {
  useView.setState({ selected });
}

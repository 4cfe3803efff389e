import type { ExportKind } from './names';

/** What decides which downloads are possible now (read from the stores). */
export interface ExportSituation {
  readonly hasGraph: boolean;
  readonly loading: boolean;
  readonly task: 'node' | 'graph';
  /** Epochs with a report. */
  readonly epochs: number;
  /** Layer frames kept (node classification). */
  readonly frames: number;
  /** The graph canvas is on screen: the Graph tab is open and the editor is not. */
  readonly graphViewShown: boolean;
  readonly editing: boolean;
  /** Why no PyG script can be written for this config, if it cannot. */
  readonly scriptProblem: string | null;
}

export const exportKinds: readonly ExportKind[] = ['weights-json', 'embeddings-json', 'embeddings-csv', 'curves-csv', 'graph-png', 'layers-png', 'pyg-script'];

export const exportLabels: Record<ExportKind, string> = {
  'weights-json': 'Weights (JSON)',
  'embeddings-json': 'Embeddings (JSON)',
  'embeddings-csv': 'Embeddings (CSV)',
  'curves-csv': 'Curves (CSV)',
  'graph-png': 'Graph (PNG)',
  'layers-png': 'Layer views (PNG)',
  'pyg-script': 'PyG script (.py)',
};

const perNode = new Set<ExportKind>(['embeddings-json', 'embeddings-csv', 'layers-png']);

/** Null where the download can be made now, else why not (shown to the user as it is). */
export function exportReason(kind: ExportKind, s: ExportSituation): string | null {
  if (s.loading) return 'The data set is still loading.';
  if (!s.hasGraph) return 'There is no run yet: pick a data set or load a graph first.';
  if (s.task === 'graph' && perNode.has(kind)) {
    return 'Graph classification exports weights only: its layers run over batches of graphs, not over the nodes drawn.';
  }
  switch (kind) {
    case 'pyg-script': return s.scriptProblem;
    case 'graph-png':
      if (s.editing) return 'The graph editor is open in place of the graph view; the picture needs the graph view.';
      return s.graphViewShown ? null : 'Open the Graph tab to export its picture.';
    case 'layers-png':
      if (s.epochs === 0 || s.frames === 0) return 'No layer embeddings yet: train or step at least one epoch.';
      return null;
    default:
      return s.epochs === 0 ? 'No run yet: train or step at least one epoch.' : null;
  }
}

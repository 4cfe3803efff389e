import { type ViewId, useView } from '../state/viewStore';
import { useDraft } from '../state/draftStore';
import { EditorView } from './editor/EditorView';
import { GraphView } from './GraphView';
import { panelId, tabId } from './ViewTabs';

/** Placeholder text for views whose data are not wired yet. */
function Pending({ what }: { readonly what: string }) {
  return <p className="graph-overlay">{what}</p>;
}

function body(view: ViewId, editing: boolean) {
  switch (view) {
    case 'graph': return editing ? <EditorView /> : <GraphView />;
    case 'layers': return <Pending what="Layer embeddings appear here once training starts." />;
    case 'smoothing': return <Pending what="Over-smoothing measures appear here once training starts." />;
    case 'spectrum': return <Pending what="The spectrum of the graph appears here." />;
  }
}

/** The open view, as the tab panel its tab controls. */
export function ViewPanel() {
  const view = useView((s) => s.view);
  const editing = useDraft((s) => s.editing && s.history !== null);
  return (
    <div className="view-panel" role="tabpanel" id={panelId(view)} aria-labelledby={tabId(view)}>
      {body(view, editing)}
    </div>
  );
}

import { type ViewId, useView } from '../state/viewStore';
import { GraphView } from './GraphView';
import { panelId, tabId } from './ViewTabs';

/** Placeholder text for views whose data are not wired yet. */
function Pending({ what }: { readonly what: string }) {
  return <p className="graph-overlay">{what}</p>;
}

function body(view: ViewId) {
  switch (view) {
    case 'graph': return <GraphView />;
    case 'layers': return <Pending what="Layer embeddings appear here once training starts." />;
    case 'smoothing': return <Pending what="Over-smoothing measures appear here once training starts." />;
    case 'spectrum': return <Pending what="The spectrum of the graph appears here." />;
  }
}

/** The open view, as the tab panel its tab controls. */
export function ViewPanel() {
  const view = useView((s) => s.view);
  return (
    <div className="view-panel" role="tabpanel" id={panelId(view)} aria-labelledby={tabId(view)}>
      {body(view)}
    </div>
  );
}

import { type ViewId, useView } from '../state/viewStore';
import { useDraft } from '../state/draftStore';
import { EditorView } from './editor/EditorView';
import { GraphView } from './GraphView';
import { LayersView } from './layers/LayersView';
import { SmoothingView } from './smoothing/SmoothingView';
import { SpectrumView } from './spectrum/SpectrumView';
import { panelId, tabId } from './ViewTabs';

function body(view: ViewId, editing: boolean) {
  switch (view) {
    case 'graph': return editing ? <EditorView /> : <GraphView />;
    case 'layers': return <LayersView />;
    case 'smoothing': return <SmoothingView />;
    case 'spectrum': return <SpectrumView />;
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

import { type KeyboardEvent, useRef } from 'react';
import { setView, type ViewId, views, useView } from '../state/viewStore';

const labels: Record<ViewId, string> = {
  graph: 'Graph',
  layers: 'Layer embeddings',
  smoothing: 'Over-smoothing',
  spectrum: 'Spectrum',
};

export const tabId = (v: ViewId) => `tab-${v}`;
export const panelId = (v: ViewId) => `panel-${v}`;

/**
 * The centre's views as an ARIA tab list: arrow keys move between tabs (and open them, as
 * there is nothing costly to open), Home and End jump to the ends.
 */
export function ViewTabs() {
  const view = useView((s) => s.view);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent) => {
    const i = views.indexOf(view);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? views.length - 1 : null;
    if (next === null) return;
    // The page's own ArrowRight (one epoch) must not fire while moving between tabs.
    e.preventDefault();
    e.stopPropagation();
    const v = views[(next + views.length) % views.length];
    setView(v);
    refs.current[views.indexOf(v)]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Views" onKeyDown={onKey}>
      {views.map((v, i) => (
        <button key={v} ref={(el) => { refs.current[i] = el; }} type="button" role="tab" id={tabId(v)}
          aria-selected={view === v} aria-controls={panelId(v)} tabIndex={view === v ? 0 : -1}
          data-testid={`tab-${v}`} className={view === v ? 'tab active' : 'tab'} onClick={() => setView(v)}>
          {labels[v]}
        </button>
      ))}
    </div>
  );
}

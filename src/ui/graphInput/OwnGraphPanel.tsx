import { type DragEvent, useId, useRef, useState } from 'react';
import { emptyDraft } from '../../graph/draft';
import { SUPPORTED_FORMATS } from '../../graph/loaders';
import { datasetUrl } from '../../state/client';
import { setEditing, startDraft, useDraft } from '../../state/draftStore';
import { shownConfig, usePlayground } from '../../state/store';
import { setView } from '../../state/viewStore';
import { download, loadFiles } from './loadFiles';
import { GeneratePanel } from './GeneratePanel';

/** Accepts files dropped anywhere on `onDrop`'s element; shared by the panel and the graph view. */
export function useFileDrop(onMessage: (m: { ok: boolean; message: string }) => void) {
  const [over, setOver] = useState(false);
  return {
    over,
    handlers: {
      onDragOver: (e: DragEvent) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (e: DragEvent) => {
        e.preventDefault();
        setOver(false);
        void loadFiles(e.dataTransfer.files).then(onMessage);
      },
    },
  };
}

/** Draw, generate, load and save the user's own graph. */
export function OwnGraphPanel() {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<{ ok: boolean; message: string } | null>(null);
  const hasDraft = useDraft((s) => s.history !== null);
  const editing = useDraft((s) => s.editing);
  const dataset = usePlayground((s) => shownConfig(s).dataset);
  const custom = usePlayground((s) => s.custom);
  const drop = useFileDrop(setMessage);
  const draw = () => {
    startDraft(emptyDraft());
    setView('graph');
  };
  const save = () => {
    if ((dataset === 'custom' || dataset === 'custom-graphs') && custom) {
      download(`${custom.name.replace(/[^\w.-]+/g, '_') || 'graph'}.json`, custom.text);
      return;
    }
    const a = document.createElement('a');
    a.href = datasetUrl(dataset);
    a.download = `${dataset}.json`;
    a.click();
  };
  return (
    <>
      <fieldset className={drop.over ? 'drop-target over' : 'drop-target'} {...drop.handlers} data-testid="own-graph-panel">
        <legend>Your own graph</legend>
        <div className="buttons">
          <button type="button" data-testid="draw-new" onClick={draw}>Draw a graph</button>
          {hasDraft && !editing && (
            <button type="button" data-testid="edit-draft" onClick={() => { setEditing(true); setView('graph'); }}>Edit it</button>
          )}
          <button type="button" data-testid="save-graph" onClick={save} title="Download the graph on screen as gnn-graph-json">Save</button>
        </div>
        <label htmlFor={inputId} className="file-label">Load a file (or drop it here)</label>
        <input id={inputId} ref={input} type="file" multiple data-testid="file-input"
          accept=".json,.csv,.tsv,.txt,.edges,.edgelist,.npz" aria-describedby={`${inputId}-hint`}
          onChange={(e) => {
            const files = e.currentTarget.files;
            if (files) void loadFiles(files).then((m) => { setMessage(m); if (input.current) input.current.value = ''; });
          }} />
        <p className="field-hint" id={`${inputId}-hint`} title={SUPPORTED_FORMATS}>
          gnn-graph-json, an edge list (CSV / TSV, plus a node-label file), TU Dortmund text files, or a gnn-benchmark .npz.
        </p>
        {message && (
          <p className={message.ok ? 'hint' : 'field-error'} role={message.ok ? 'status' : 'alert'} data-testid="load-message">
            {message.message}
          </p>
        )}
      </fieldset>
      <details className="generate">
        <summary>Generate a graph (ring, grid, tree, barbell, karate, block model)</summary>
        <GeneratePanel />
      </details>
    </>
  );
}

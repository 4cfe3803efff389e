import { useState } from 'react';
import { parseGraphJson } from '../../graph/loadGraphJson';
import { draftProblem, takeDraftForTraining, useDraft } from '../../state/draftStore';
import { trainOwnData } from '../../state/client';
import { usePlayground } from '../../state/store';
import { DraftEditor } from './DraftEditor';
import { EditorToolbar } from './EditorToolbar';

/** The editor with its toolbar, and the button that hands the drawing to training. */
export function EditorView() {
  const draft = useDraft((s) => s.history?.present ?? null);
  const [edge, setEdge] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!draft) return null;
  const problem = draftProblem(draft);
  const apply = () => {
    // Parse here first: a drawing the worker would reject must not replace the run on screen.
    const taken = takeDraftForTraining();
    if (!taken) return;
    try {
      parseGraphJson(taken.text);
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    setError(null);
    usePlayground.setState({ error: null });
    trainOwnData(taken.name, taken.text, 'node');
  };
  return (
    <section className="graph-panel" aria-label="Graph editor">
      <div className="graph-head">
        <h2>{draft.name}</h2>
        <p className="graph-meta" data-testid="draft-meta">{draft.nodes.length} nodes · {draft.edges.length} edges · {draft.classNames.length} classes</p>
        <button type="button" className="primary" data-testid="use-draft" disabled={problem !== null} onClick={apply}>
          Use this graph
        </button>
      </div>
      <EditorToolbar draft={draft} selectedEdge={edge} />
      {/* Always there, so the drawing below never shifts as the message comes and goes. */}
      <p className="status editor-status" role="status" data-testid="draft-problem">{error ?? problem ?? 'Ready: press "Use this graph", then Train.'}</p>
      <DraftEditor draft={draft} selectedEdge={edge} onSelectEdge={setEdge} />
      <p className="hint" id="editor-keys">
        Keys: <kbd>N</kbd> new node · <kbd>Tab</kbd> to a node, <kbd>Enter</kbd> selects (<kbd>Shift</kbd> adds) · <kbd>E</kbd> joins
        two selected · <kbd>1</kbd>–<kbd>9</kbd> class · <kbd>T</kbd> / <kbd>V</kbd> / <kbd>X</kbd> train, validation, test ·
        <kbd>Delete</kbd> · arrows move · <kbd>Ctrl</kbd>+<kbd>Z</kbd> / <kbd>Y</kbd> undo, redo
      </p>
    </section>
  );
}

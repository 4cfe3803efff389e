import { type GraphDraft, setClassCount, setEdgeWeight, type SplitCode } from '../../graph/draft';
import {
  edit, redoDraft, setPaintClass, setPaintSplit, setTool, type Tool, undoDraft, useDraft,
} from '../../state/draftStore';
import { NumberField } from '../NumberField';
import { classColor } from '../palette';

const tools: readonly { readonly id: Tool; readonly label: string; readonly help: string }[] = [
  { id: 'draw', label: 'Draw', help: 'click: add a node; drag node to node: add an edge' },
  { id: 'select', label: 'Select', help: 'click or shift-click nodes, drag to move; click an edge to weigh it' },
  { id: 'label', label: 'Paint class', help: 'click a node to give it the chosen class' },
  { id: 'split', label: 'Paint split', help: 'click a node to put it in the chosen split' },
  { id: 'delete', label: 'Delete', help: 'click a node or an edge to remove it' },
];

const splits: readonly { readonly code: SplitCode; readonly label: string }[] = [
  { code: 1, label: 'train' }, { code: 2, label: 'validation' }, { code: 3, label: 'test' }, { code: 0, label: 'none' },
];

/** Tools, the class and split to paint with, undo / redo, and the selected edge's weight. */
export function EditorToolbar({ draft, selectedEdge }: { readonly draft: GraphDraft; readonly selectedEdge: number | null }) {
  const { tool, paintClass, paintSplit, history } = useDraft();
  const edge = selectedEdge !== null ? draft.edges[selectedEdge] : undefined;
  return (
    <div className="editor-toolbar">
      <div className="buttons" role="radiogroup" aria-label="Tool">
        {tools.map((t) => (
          <button key={t.id} type="button" role="radio" aria-checked={tool === t.id} title={t.help}
            data-testid={`tool-${t.id}`} className={tool === t.id ? 'toggle on' : 'toggle'} onClick={() => setTool(t.id)}>
            {t.label}
          </button>
        ))}
        <button type="button" onClick={undoDraft} disabled={!history?.past.length} aria-keyshortcuts="Control+Z" data-testid="undo">Undo</button>
        <button type="button" onClick={redoDraft} disabled={!history?.future.length} aria-keyshortcuts="Control+Y" data-testid="redo">Redo</button>
      </div>
      <p className="hint">{tools.find((t) => t.id === tool)?.help}. Rings: thick = train, dashed = validation, none = test.</p>
      <div className="paint-row">
        <div className="buttons" role="radiogroup" aria-label="Class to paint and to give new nodes">
          {draft.classNames.map((name, c) => (
            <button key={c} type="button" role="radio" aria-checked={paintClass === c} data-testid={`paint-class-${c}`}
              className={paintClass === c ? 'swatch on' : 'swatch'} onClick={() => { setPaintClass(c); if (tool !== 'draw') setTool('label'); }}>
              <span className="dot" style={{ background: classColor(c) }} aria-hidden="true" />{name}
            </button>
          ))}
          <button type="button" aria-label="One class more" disabled={draft.classNames.length >= 9}
            onClick={() => edit((d) => setClassCount(d, d.classNames.length + 1))}>+</button>
          <button type="button" aria-label="One class fewer" disabled={draft.classNames.length <= 1}
            onClick={() => edit((d) => setClassCount(d, d.classNames.length - 1))}>−</button>
        </div>
        <div className="buttons" role="radiogroup" aria-label="Split to paint">
          {splits.map((s) => (
            <button key={s.code} type="button" role="radio" aria-checked={paintSplit === s.code} data-testid={`paint-split-${s.label}`}
              className={paintSplit === s.code ? 'toggle on' : 'toggle'} onClick={() => { setPaintSplit(s.code); setTool('split'); }}>
              {s.label}
            </button>
          ))}
        </div>
      </div>
      {edge && (
        <NumberField label={`Weight of edge ${edge.src}–${edge.dst}`} value={edge.weight ?? 1} min={0.01} max={100} step={0.5}
          onChange={(w) => edit((d) => setEdgeWeight(d, edge.src, edge.dst, w === 1 ? undefined : w))} />
      )}
    </div>
  );
}

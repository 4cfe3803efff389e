import { type KeyboardEvent, type PointerEvent, useRef, useState } from 'react';
import {
  addEdge, addNode, type GraphDraft, moveNode, removeEdge, removeNodes, setLabel, setSplit,
} from '../../graph/draft';
import { edit, redoDraft, setSelection, undoDraft, useDraft } from '../../state/draftStore';
import { classColor } from '../palette';
import { useSize } from '../useSize';
import { type Frame, nodeRadius, segmentDistance, toScreen, toUnit } from './geometry';

type Drag =
  | { readonly kind: 'edge'; readonly from: number; readonly x: number; readonly y: number }
  | { readonly kind: 'move'; readonly node: number; readonly x: number; readonly y: number; readonly moved: boolean };

const splitWords = ['no split', 'train', 'validation', 'test'];

/** Ring style of a node's split: solid for train, dashed for validation, none for test. */
function ringOf(split: number): { dash?: string; width: number } | null {
  if (split === 1) return { width: 3.5 };
  if (split === 2) return { dash: '4 3', width: 2.5 };
  return null;
}

function nodeAt(d: GraphDraft, f: Frame, px: number, py: number): number | null {
  const r = nodeRadius(d.nodes.length) + 4;
  let best: number | null = null, bestD = r;
  d.nodes.forEach((v, i) => {
    const p = toScreen(f, v.x, v.y);
    const dist = Math.hypot(p.x - px, p.y - py);
    if (dist <= bestD) {
      best = i;
      bestD = dist;
    }
  });
  return best;
}

function edgeAt(d: GraphDraft, f: Frame, px: number, py: number): number | null {
  let best: number | null = null, bestD = 6;
  d.edges.forEach((e, k) => {
    const a = toScreen(f, d.nodes[e.src].x, d.nodes[e.src].y), b = toScreen(f, d.nodes[e.dst].x, d.nodes[e.dst].y);
    const dist = segmentDistance(px, py, a.x, a.y, b.x, b.y);
    if (dist < bestD) {
      best = k;
      bestD = dist;
    }
  });
  return best;
}

/**
 * The drawing surface. Draw: click empty space for a node, drag from node to node for an edge.
 * Select: click or shift-click nodes, drag to move. Class / split: click to paint. Delete: click
 * a node or an edge. Keys: Tab through nodes, Enter selects, N adds a node, E joins the two
 * selected nodes, 1-9 set the class, Delete removes, arrows move, Ctrl+Z / Ctrl+Y undo and redo.
 */
export function DraftEditor({ draft, selectedEdge, onSelectEdge }: {
  readonly draft: GraphDraft;
  readonly selectedEdge: number | null;
  readonly onSelectEdge: (k: number | null) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const frame = useSize(box);
  const { tool, paintClass, paintSplit, selection } = useDraft();
  const [drag, setDrag] = useState<Drag | null>(null);
  const r = nodeRadius(draft.nodes.length);
  const selected = new Set(selection);

  const local = (e: PointerEvent) => {
    const rect = box.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  const onDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    const p = local(e);
    const node = nodeAt(draft, frame, p.x, p.y);
    e.currentTarget.setPointerCapture(e.pointerId);
    if (node === null) {
      const k = edgeAt(draft, frame, p.x, p.y);
      if (tool === 'delete' && k !== null) {
        const { src, dst } = draft.edges[k];
        edit((d) => removeEdge(d, src, dst));
      } else if (tool === 'select') {
        onSelectEdge(k);
        if (k === null && !e.shiftKey) setSelection([]);
      } else if (tool === 'draw' && k === null) {
        const u = toUnit(frame, p.x, p.y);
        edit((d) => addNode(d, u.x, u.y, Math.min(paintClass, d.classNames.length - 1), 3));
      }
      return;
    }
    if (tool === 'draw') setDrag({ kind: 'edge', from: node, ...p });
    else if (tool === 'select') {
      setSelection(e.shiftKey ? (selected.has(node) ? selection.filter((i) => i !== node) : [...selection, node]) : [node]);
      onSelectEdge(null);
      setDrag({ kind: 'move', node, ...p, moved: false });
    } else if (tool === 'label') edit((d) => setLabel(d, [node], Math.min(paintClass, d.classNames.length - 1)));
    else if (tool === 'split') edit((d) => setSplit(d, [node], paintSplit));
    else if (tool === 'delete') edit((d) => removeNodes(d, [node]));
  };

  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    if (!drag) return;
    const p = local(e);
    if (drag.kind === 'edge') setDrag({ ...drag, ...p });
    else if (drag.moved || Math.hypot(p.x - drag.x, p.y - drag.y) > 3) setDrag({ ...drag, ...p, moved: true });
  };

  const onUp = (e: PointerEvent<SVGSVGElement>) => {
    if (!drag) return;
    const p = local(e);
    setDrag(null);
    if (drag.kind === 'edge') {
      const to = nodeAt(draft, frame, p.x, p.y);
      if (to !== null && to !== drag.from) edit((d) => addEdge(d, drag.from, to));
    } else if (drag.moved) {
      // One history entry per drag, recorded when the node is let go.
      const u = toUnit(frame, p.x, p.y);
      edit((d) => moveNode(d, drag.node, u.x, u.y));
    }
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    let handled = true;
    if (mod && key === 'z' && !e.shiftKey) undoDraft();
    else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) redoDraft();
    else if (mod || e.altKey) handled = false;
    else if (e.key === 'Delete' || e.key === 'Backspace') {
      if (selection.length > 0) edit((d) => removeNodes(d, selection));
      else if (selectedEdge !== null && draft.edges[selectedEdge]) {
        const { src, dst } = draft.edges[selectedEdge];
        edit((d) => removeEdge(d, src, dst));
        onSelectEdge(null);
      }
    } else if (key === 'n') edit((d) => addNode(d, 0.5 + 0.3 * Math.cos(d.nodes.length * 2.4), 0.5 + 0.3 * Math.sin(d.nodes.length * 2.4), Math.min(paintClass, d.classNames.length - 1), 3));
    else if (key === 'e' && selection.length === 2) edit((d) => addEdge(d, selection[0], selection[1]));
    else if (/^[1-9]$/.test(e.key) && selection.length > 0) {
      const c = Number(e.key) - 1;
      if (c < draft.classNames.length) edit((d) => setLabel(d, selection, c));
    } else if (key === 't' && selection.length > 0) edit((d) => setSplit(d, selection, 1));
    else if (key === 'v' && selection.length > 0) edit((d) => setSplit(d, selection, 2));
    else if (key === 'x' && selection.length > 0) edit((d) => setSplit(d, selection, 3));
    else if (e.key === 'Escape') {
      setSelection([]);
      onSelectEdge(null);
    } else if (e.key.startsWith('Arrow') && selection.length > 0) {
      const step = e.shiftKey ? 0.1 : 0.02;
      const dx = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : 0;
      const dy = e.key === 'ArrowUp' ? -step : e.key === 'ArrowDown' ? step : 0;
      const clamp = (v: number) => Math.min(1, Math.max(0, v));
      edit((d) => selection.reduce((acc, i) => moveNode(acc, i, clamp(acc.nodes[i].x + dx), clamp(acc.nodes[i].y + dy)), d));
    } else handled = false;
    if (handled) {
      e.preventDefault();
      // The page's own keys (Space trains, ArrowRight steps) must not fire while drawing.
      e.stopPropagation();
    }
  };

  const pos = (i: number) => {
    if (drag?.kind === 'move' && drag.moved && drag.node === i) return { x: drag.x, y: drag.y };
    return toScreen(frame, draft.nodes[i].x, draft.nodes[i].y);
  };
  const from = drag?.kind === 'edge' ? pos(drag.from) : null;
  return (
    <div className={`editor-box tool-${tool}`} ref={box} onKeyDown={onKey} data-testid="editor" tabIndex={0}
      aria-label="Graph editor" aria-describedby="editor-keys">
      <svg width={frame.width} height={frame.height} role="application" data-testid="editor-svg"
        aria-label={`Graph editor: ${draft.nodes.length} nodes, ${draft.edges.length} edges. Tool: ${tool}.`}
        onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp} onPointerCancel={() => setDrag(null)}>
        <g className="editor-edges">
          {draft.edges.map((e, k) => {
            const a = pos(e.src), b = pos(e.dst);
            return (
              <g key={k}>
                <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} className={k === selectedEdge ? 'edge selected' : 'edge'}
                  strokeWidth={e.weight !== undefined ? Math.min(8, 1 + 1.2 * e.weight) : undefined} />
                {e.weight !== undefined && draft.nodes.length <= 60 && (
                  <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2 - 4} className="edge-weight">{e.weight}</text>
                )}
              </g>
            );
          })}
        </g>
        {from && drag?.kind === 'edge' && <line x1={from.x} y1={from.y} x2={drag.x} y2={drag.y} className="edge rubber" />}
        <g>
          {draft.nodes.map((v, i) => {
            const p = pos(i);
            const ring = ringOf(v.split);
            return (
              <g key={i} className="editor-node" tabIndex={draft.nodes.length <= 200 ? 0 : undefined} role="button"
                aria-pressed={selected.has(i)} data-testid={`draft-node-${i}`}
                aria-label={`Node ${i}, ${draft.classNames[v.label] ?? v.label}, ${splitWords[v.split]}`}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    e.stopPropagation();
                    setSelection(selected.has(i) ? selection.filter((j) => j !== i) : e.shiftKey ? [...selection, i] : [i]);
                  }
                }}>
                <circle cx={p.x} cy={p.y} r={r} fill={classColor(v.label)} />
                {ring && <circle cx={p.x} cy={p.y} r={r + 3} className="split-ring" strokeWidth={ring.width} strokeDasharray={ring.dash} />}
                {selected.has(i) && <circle cx={p.x} cy={p.y} r={r + 7} className="select-ring" />}
                {draft.nodes.length <= 40 && <text x={p.x} y={p.y + 5} className="node-id">{i}</text>}
              </g>
            );
          })}
        </g>
      </svg>
      {draft.nodes.length === 0 && (
        <p className="graph-overlay editor-empty">Click to add a node; drag from one node to another to join them.</p>
      )}
    </div>
  );
}

import { useEffect, useState } from 'react';
import { inspect } from '../../state/client';
import { useInsight } from '../../state/insightStore';
import { shownConfig, usePlayground } from '../../state/store';
import { selectNode, useView } from '../../state/viewStore';
import type { InspectedLayer } from '../../train/protocol';
import { className } from '../ClassLegend';
import { classColor } from '../palette';
import { StepThrough } from './StepThrough';

const SHOWN_DIMS = 4;

/** A vector's first few entries, for reading numbers aloud in class. */
export function vec(v: ArrayLike<number>, from = 0, len = v.length - from): string {
  const n = Math.min(len, SHOWN_DIMS);
  const parts = Array.from({ length: n }, (_, i) => v[from + i].toFixed(3));
  return `[${parts.join(', ')}${len > SHOWN_DIMS ? `, … (${len})` : ''}]`;
}

function LayerTable({ layer }: { readonly layer: InspectedLayer }) {
  const entries = layer.sources.length;
  const rows = Array.from({ length: Math.min(entries, 12) }, (_, k) => k);
  return (
    <table className="inspect-table">
      <thead>
        <tr><th>from</th><th>coefficient{layer.heads > 1 ? ' (head 1)' : ''}</th><th>message</th></tr>
      </thead>
      <tbody>
        {rows.map((k) => (
          <tr key={k}>
            <td>{layer.roles[k] === 'self' ? `self (${layer.sources[k]})` : layer.sources[k]}</td>
            <td>{layer.coefficients[k * layer.heads].toFixed(3)}</td>
            <td className="mono">{layer.messages ? vec(layer.messages, k * layer.messageDim, layer.messageDim) : '—'}</td>
          </tr>
        ))}
        {entries > rows.length && <tr><td colSpan={3} className="muted">… and {entries - rows.length} more</td></tr>}
      </tbody>
    </table>
  );
}

/**
 * The clicked node: its neighbours, each incoming edge's normalization coefficient and message
 * at every layer, its embedding per layer, and its prediction; plus a step-through of one
 * layer's sum with the real numbers.
 */
export function NodeInspector() {
  const node = useView((s) => s.selected);
  const inspection = useInsight((s) => s.inspection);
  const note = useInsight((s) => s.inspectionNote);
  const graph = usePlayground((s) => s.graph);
  const dataset = usePlayground((s) => shownConfig(s).dataset);
  const running = usePlayground((s) => s.running);
  const epochs = usePlayground((s) => s.reports.length);
  const [layer, setLayer] = useState(0);
  // Ask again when the node changes, and as epochs pass while paused (a running loop would be
  // slowed by an inspection every frame; the panel says which epoch it shows).
  useEffect(() => {
    if (node !== null) inspect(node);
  }, [node, running ? -1 : epochs]);
  if (node === null || !graph || graph.graphOf) return null;
  const current = inspection && inspection.node === node ? inspection : null;
  const name = (c: number) => className(graph, dataset, c);
  const l = current?.layers[Math.min(layer, current.layers.length - 1)];
  return (
    <section className="inspector" aria-label={`Node ${node} inspector`} data-testid="inspector">
      <div className="inspector-head">
        <h2>Node {node}</h2>
        <button type="button" onClick={() => selectNode(null)} aria-label="Close the inspector">Close</button>
      </div>
      {!current && <p className="hint">{note ?? 'Reading the node…'}</p>}
      {current && (
        <>
          <p data-testid="inspector-summary">
            True class <b>{name(current.label)}</b>; predicted <b style={{ color: classColor(current.predicted) }}>{name(current.predicted)}</b>{' '}
            after epoch {current.epoch}. {current.neighbours.length} neighbour{current.neighbours.length === 1 ? '' : 's'}:{' '}
            {Array.from(current.neighbours.slice(0, 12)).join(', ')}{current.neighbours.length > 12 ? ', …' : ''}.
          </p>
          <ul className="probabilities" aria-label="Predicted probability of each class">
            {Array.from(current.probabilities, (p, c) => (
              <li key={c}>
                <span className="prob-name">{name(c)}</span>
                <span className="prob-bar"><span style={{ width: `${(p * 100).toFixed(1)}%`, background: classColor(c) }} /></span>
                <span className="prob-value">{(p * 100).toFixed(1)}%</span>
              </li>
            ))}
          </ul>
          <div className="buttons" role="tablist" aria-label="Layer">
            {current.layers.map((x, i) => (
              <button key={i} type="button" role="tab" aria-selected={i === layer} className={i === layer ? 'toggle on' : 'toggle'}
                onClick={() => setLayer(i)}>{x.name}</button>
            ))}
          </div>
          {l && (
            <>
              <p className="hint">{l.note}</p>
              <p className="mono" data-testid="inspector-output">output: {vec(l.output)}</p>
              <LayerTable layer={l} />
              <StepThrough key={`${node}-${layer}-${current.epoch}`} layer={l} />
            </>
          )}
        </>
      )}
    </section>
  );
}

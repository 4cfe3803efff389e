import { useMemo } from 'react';
import { setScrub, shownFrame, useInsight } from '../../state/insightStore';
import { usePlayground } from '../../state/store';
import { useView } from '../../state/viewStore';
import { num } from '../format';
import { type PointColour, Scatter } from './Scatter';

/**
 * Every layer's output as a 2-D PCA projection, side by side, coloured as the graph is; the
 * scrubber walks back through the epochs kept. Depth shows here: in a deep GCN the later panels
 * collapse towards a point or a line (over-smoothing).
 */
export function LayersView() {
  const frames = useInsight((s) => s.frames);
  const scrub = useInsight((s) => s.scrub);
  const frame = useInsight(shownFrame);
  const graph = usePlayground((s) => s.graph);
  const predictions = usePlayground((s) => s.predictions);
  const colourBy = useView((s) => s.colourBy);
  const colours = useMemo<PointColour[]>(() => {
    if (!graph) return [];
    return Array.from(graph.labels, (label, i) => {
      const p = predictions?.[i] ?? -1;
      if (colourBy === 'true') return label;
      if (colourBy === 'correct') return p < 0 ? -1 : p === label ? 'right' : 'wrong';
      return p;
    });
  }, [graph, predictions, colourBy]);

  if (graph?.graphOf) return <p className="graph-overlay">Layer embeddings are shown for node classification.</p>;
  if (!frame) {
    return <p className="graph-overlay" data-testid="layers-empty">Each layer's node embeddings appear here once training starts: press Train or Step.</p>;
  }
  const index = scrub ?? frames.length - 1;
  const following = scrub === null;
  return (
    <section className="layers-view" aria-label="Layer embeddings">
      <div className="scrubber">
        <label htmlFor="epoch-scrubber">Epoch <b data-testid="scrub-epoch">{frame.epoch}</b></label>
        <input id="epoch-scrubber" type="range" min={0} max={frames.length - 1} value={index} data-testid="epoch-scrubber"
          aria-valuetext={`epoch ${frame.epoch}`}
          onChange={(e) => {
            const i = Number(e.target.value);
            setScrub(i === frames.length - 1 ? null : i);
          }}
          onKeyDown={(e) => e.stopPropagation()} />
        <button type="button" disabled={following} onClick={() => setScrub(null)}>Follow training</button>
      </div>
      <p className="hint">
        Each panel: one layer's output for every node, on its two main directions (PCA), coloured like the graph.
        Energy (Dirichlet) and MAD near 0 mean the nodes have become alike: over-smoothing.
      </p>
      <div className="multiples" data-testid="layer-multiples">
        {frame.layers.map((l, i) => (
          <figure key={`${l.name}-${i}`} className="multiple">
            <figcaption>
              <b>{l.name}</b> · {l.dim} dims
              <br />
              <span className="muted">energy {num(l.energy)} · MAD {num(l.mad)}</span>
            </figcaption>
            <Scatter coords={l.coords} colours={colours} testId={`layer-scatter-${i}`}
              label={`${l.name} at epoch ${frame.epoch}: ${l.dim} dimensions projected to 2, explaining ${(100 * (l.explained[0] + l.explained[1])).toFixed(0)}% of the variance; Dirichlet energy ${num(l.energy)}, MAD ${num(l.mad)}`} />
          </figure>
        ))}
      </div>
    </section>
  );
}

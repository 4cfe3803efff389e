import { shownFrame, useInsight } from '../../state/insightStore';
import { usePlayground } from '../../state/store';
import { LineChart } from '../LineChart';
import { num } from '../format';
import { seriesColors } from '../palette';
import { DepthSweep } from './DepthSweep';
import { energyShares, layerColour, perLayerOverEpochs } from './series';

/**
 * Over-smoothing, measured: Dirichlet energy and MAD of every layer of the current model, by depth
 * (at the epoch the scrubber shows) and over the epochs; then the depth sweep, which trains the
 * same model deeper and deeper.
 */
export function SmoothingView() {
  const frames = useInsight((s) => s.frames);
  const frame = useInsight(shownFrame);
  const graph = usePlayground((s) => s.graph);
  if (graph?.graphOf) return <p className="graph-overlay">Over-smoothing is measured for node classification.</p>;
  const layers = frame?.layers ?? [];
  const xs = layers.map((_, i) => i);
  const mads = perLayerOverEpochs(frames, (f, i) => f.layers[i]?.mad);
  const maxMad = Math.max(1, ...layers.map((l) => l.mad));
  return (
    <section className="smoothing-view" aria-label="Over-smoothing">
      {!frame && <p className="hint" data-testid="smoothing-empty">Press Train or Step: each layer's energy and MAD appear here.</p>}
      {frame && (
        <div className="chart-row">
          <LineChart title={`By layer, epoch ${frame.epoch}`} testId="smoothing-depth-chart" xs={xs} xMax={Math.max(1, xs.length - 1)}
            xTicks={xs} xFormat={(x) => (layers[x]?.name ?? '').replace('layer ', 'L')} xLabel="layer"
            yMax={maxMad} yFormat={(y) => y.toFixed(2)} valueFormat={(y) => num(y)}
            series={[
              { label: 'MAD', color: seriesColors.train, ys: layers.map((l) => l.mad) },
              { label: 'energy (share of largest)', color: seriesColors.loss, ys: energyShares(frame), dashed: true },
            ]} />
          <LineChart title="MAD of each layer over epochs" testId="smoothing-epoch-chart" xs={frames.map((f) => f.epoch)}
            xMax={Math.max(1, frames[frames.length - 1]?.epoch ?? 1)} yMax={Math.max(1, ...mads.ys.flat().filter(Number.isFinite))}
            yFormat={(y) => y.toFixed(2)} valueFormat={(y) => num(y)}
            series={mads.names.map((name, i) => ({ label: name, ys: mads.ys[i], ...layerColour(i) }))} />
        </div>
      )}
      <p className="hint">
        MAD is the mean cosine distance between nodes' embeddings; Dirichlet energy sums the squared differences across
        edges. Both fall towards 0 when message passing has made every node look like its neighbours.
      </p>
      <DepthSweep />
    </section>
  );
}

import { useInsight } from '../state/insightStore';
import { LineChart } from './LineChart';
import { num } from './format';
import { layerColour, perLayerOverEpochs } from './smoothing/series';

/**
 * Each layer's gradient norm per epoch: in a deep plain GCN the first layers' lines lie flat
 * near zero (vanishing gradients), while residual connections keep them up.
 */
export function GradNormChart() {
  const frames = useInsight((s) => s.frames);
  const last = frames[frames.length - 1];
  const offset = last ? last.layers.length - last.gradNorms.length : 0;
  const { names, ys } = perLayerOverEpochs(frames, (f, i) => f.gradNorms[i - (f.layers.length - f.gradNorms.length)]);
  const series = names.slice(offset).map((name, i) => ({ label: name, ys: ys[i + offset], ...layerColour(i) }));
  const values = series.flatMap((s) => s.ys.filter(Number.isFinite));
  const yMax = values.length > 0 ? Math.max(1e-9, ...values) : 1;
  return (
    <LineChart title="Gradient norm per layer" testId="gradnorm-chart" xs={frames.map((f) => f.epoch)}
      xMax={Math.max(1, last?.epoch ?? 1)} yMax={yMax} yFormat={(y) => num(y, 2)} valueFormat={(y) => num(y)}
      series={series} />
  );
}

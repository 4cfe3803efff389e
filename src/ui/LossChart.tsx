import { useMemo } from 'react';
import { usePlayground } from '../state/store';
import { LineChart, niceStep } from './LineChart';
import { seriesColors } from './palette';

export function LossChart() {
  const reports = usePlayground((s) => s.reports);
  const epochs = usePlayground((s) => s.appliedConfig?.epochs ?? s.config.epochs);
  const { xs, ys, yMax } = useMemo(() => {
    const ys = reports.map((r) => r.loss);
    const max = ys.reduce((m, y) => (Number.isFinite(y) ? Math.max(m, y) : m), 0);
    const top = max > 0 ? max : 1;
    // Round the top up to a whole tick so the first, highest loss is never clipped.
    const unit = niceStep(top, 4);
    return { xs: reports.map((r) => r.epoch), ys, yMax: Math.ceil(top / unit - 1e-9) * unit };
  }, [reports]);
  return (
    <LineChart title="Training loss" testId="loss-chart" xs={xs} xMax={epochs} yMax={yMax}
      yFormat={(y) => (yMax < 0.1 ? y.toFixed(3) : y.toFixed(2))}
      series={[{ label: 'loss', color: seriesColors.loss, ys }]} />
  );
}

import { useMemo } from 'react';
import { usePlayground } from '../state/store';
import { LineChart } from './LineChart';
import { num } from './format';
import { seriesColors } from './palette';

export function LossChart() {
  const reports = usePlayground((s) => s.reports);
  const epochs = usePlayground((s) => s.appliedConfig?.epochs ?? s.config.epochs);
  const { xs, ys, yMax } = useMemo(() => {
    const ys = reports.map((r) => r.loss);
    const max = ys.reduce((m, y) => (Number.isFinite(y) ? Math.max(m, y) : m), 0);
    return { xs: reports.map((r) => r.epoch), ys, yMax: max > 0 ? max : 1 };
  }, [reports]);
  return (
    <LineChart title="Training loss" testId="loss-chart" xs={xs} xMax={epochs} yMax={yMax}
      yFormat={(y) => (yMax < 0.1 ? y.toFixed(3) : y.toFixed(2))} valueFormat={(y) => num(y)}
      series={[{ label: 'loss', color: seriesColors.loss, ys }]} />
  );
}

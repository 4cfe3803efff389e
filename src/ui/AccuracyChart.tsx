import { useMemo } from 'react';
import { hasValidation, shownTask, usePlayground } from '../state/store';
import { LineChart } from './LineChart';
import { seriesColors } from './palette';

const percent = (y: number) => `${Math.round(y * 100)}%`;

export function AccuracyChart() {
  const reports = usePlayground((s) => s.reports);
  const epochs = usePlayground((s) => s.appliedConfig?.epochs ?? s.config.epochs);
  // Karate has no validation nodes: a flat "val 0%" line would mislead, so leave it out.
  const hasVal = usePlayground(hasValidation);
  const unit = usePlayground(shownTask) === 'graph' ? 'graphs' : 'nodes';
  const data = useMemo(() => ({
    xs: reports.map((r) => r.epoch),
    train: reports.map((r) => r.trainAcc),
    val: reports.map((r) => r.valAcc),
    test: reports.map((r) => r.testAcc),
  }), [reports]);
  return (
    <LineChart title={`Accuracy over ${unit}`} testId="accuracy-chart" xs={data.xs} xMax={epochs} yMax={1} yFormat={percent}
      series={[
        { label: 'train', color: seriesColors.train, ys: data.train },
        ...(hasVal ? [{ label: 'val', color: seriesColors.val, ys: data.val, dashed: true }] : []),
        { label: 'test', color: seriesColors.test, ys: data.test },
      ]} />
  );
}

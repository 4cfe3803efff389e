import { useState } from 'react';
import { cancelSweep, sweep } from '../../state/client';
import { useInsight } from '../../state/insightStore';
import { shownConfig, usePlayground } from '../../state/store';
import { defaultSweepDepths, type SweepVariant, sweepVariants } from '../../train/protocol';
import { LineChart } from '../LineChart';
import { NumberField } from '../NumberField';
import { num } from '../format';

const variantNames: Record<SweepVariant, string> = { plain: 'plain', residual: 'residual', pairnorm: 'PairNorm' };
const variantColours: Record<SweepVariant, string> = { plain: '#b91c1c', residual: '#1d4ed8', pairnorm: '#15803d' };

/**
 * Trains the current model at depths 1 to 32, plain, with residual connections and with
 * PairNorm, and plots test accuracy and the last layer's MAD and Dirichlet energy against
 * depth (log scale: x is log2 of the depth).
 */
export function DepthSweep() {
  const result = useInsight((s) => s.sweep);
  const ready = usePlayground((s) => s.graph !== null && !s.loading && !s.graph.graphOf);
  const model = usePlayground((s) => shownConfig(s).model);
  const [epochs, setEpochs] = useState(100);
  const depths = defaultSweepDepths;
  const xs = depths.map((d) => Math.log2(d));
  const series = (pick: 'testAcc' | 'mad' | 'energy') => sweepVariants.map((v) => ({
    label: variantNames[v],
    color: variantColours[v],
    dashed: v !== 'plain',
    ys: depths.map((d) => result?.points.find((p) => p.depth === d && p.variant === v)?.[pick] ?? NaN),
  }));
  const running = result?.running ?? false;
  return (
    <fieldset className="sweep" data-testid="depth-sweep">
      <legend>Depth sweep</legend>
      <p className="hint">
        Trains this {model.toUpperCase()} with 1, 2, 4, 8, 16 and 32 layers, plain, with residual connections and with
        PairNorm ({depths.length * sweepVariants.length} runs, same seed): watch accuracy fall and MAD collapse as depth grows.
      </p>
      <div className="sweep-controls">
        <NumberField label="Epochs per run" value={epochs} min={1} max={1000} step={10} integer onChange={setEpochs} />
        {running
          ? <button type="button" data-testid="sweep-cancel" onClick={cancelSweep}>Stop sweep</button>
          : <button type="button" data-testid="sweep-start" disabled={!ready || model === 'sgc'} onClick={() => sweep(depths, sweepVariants, epochs)}>Run depth sweep</button>}
        {result && (
          <span role="status" data-testid="sweep-status">
            {result.completed} of {result.total} runs{result.running ? '…' : ' done'}{result.error ? ` (${result.error})` : ''}
          </span>
        )}
      </div>
      {model === 'sgc' && <p className="hint">SGC has no layer stack to deepen; pick another model.</p>}
      {result && result.points.length > 0 && (
        <>
          <div className="chart-row">
            <LineChart title="Test accuracy by depth" testId="sweep-acc-chart" xs={xs} xMax={5} xTicks={xs} xFormat={(x) => String(2 ** x)}
              xLabel="layers" yMax={1} yFormat={(y) => `${Math.round(y * 100)}%`} valueFormat={(y) => `${(y * 100).toFixed(1)}%`}
              series={series('testAcc')} />
            <LineChart title="MAD of the last layer by depth" testId="sweep-mad-chart" xs={xs} xMax={5} xTicks={xs} xFormat={(x) => String(2 ** x)}
              xLabel="layers" yMax={Math.max(1, ...result.points.map((p) => p.mad))} yFormat={(y) => y.toFixed(2)} valueFormat={(y) => num(y)}
              series={series('mad')} />
            <LineChart title="Dirichlet energy of the last layer by depth" testId="sweep-energy-chart" xs={xs} xMax={5} xTicks={xs}
              xFormat={(x) => String(2 ** x)} xLabel="layers" yMax={Math.max(1e-9, ...result.points.map((p) => p.energy).filter(Number.isFinite))}
              yFormat={(y) => num(y, 2)} valueFormat={(y) => num(y)} series={series('energy')} />
          </div>
          <table className="sweep-table" data-testid="sweep-table">
            <caption className="muted">Every finished run (test accuracy at the reported epoch; energy and MAD of the last layer)</caption>
            <thead><tr><th>layers</th><th>variant</th><th>test acc.</th><th>train acc.</th><th>energy</th><th>MAD</th></tr></thead>
            <tbody>
              {result.points.map((p) => (
                <tr key={`${p.depth}-${p.variant}`}>
                  <td>{p.depth}</td><td>{variantNames[p.variant]}</td><td>{(p.testAcc * 100).toFixed(1)}%</td>
                  <td>{(p.trainAcc * 100).toFixed(1)}%</td><td>{num(p.energy)}</td><td>{num(p.mad)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </fieldset>
  );
}

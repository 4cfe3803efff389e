import { useId } from 'react';
import { chooseDataset, reset, step, togglePlay } from '../state/client';
import { resetPending, setConfig, usePlayground } from '../state/store';
import type { DatasetId } from '../train/protocol';
import { NumberField } from './NumberField';

const datasets: readonly { id: DatasetId; label: string }[] = [
  { id: 'karate', label: "Zachary's Karate Club" },
  { id: 'cora', label: 'Cora (citations)' },
  { id: 'citeseer', label: 'CiteSeer (citations)' },
];

export function Controls() {
  const datasetId = useId();
  const config = usePlayground((s) => s.config);
  const running = usePlayground((s) => s.running);
  const done = usePlayground((s) => s.done);
  const ready = usePlayground((s) => s.graph !== null && !s.loading);
  const started = usePlayground((s) => s.reports.length > 0);
  const pending = usePlayground(resetPending);
  const canTrain = ready && !done;

  return (
    <section className="controls" aria-label="Controls">
      <div className="field">
        <label htmlFor={datasetId}>Data set</label>
        <select id={datasetId} value={config.dataset}
          onChange={(e) => chooseDataset(e.target.value as DatasetId)}>
          {datasets.map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
        </select>
      </div>

      <div className="buttons">
        <button type="button" className="primary" data-testid="train-button" disabled={!canTrain}
          aria-keyshortcuts="Space" onClick={togglePlay}>
          {running ? 'Pause' : done ? 'Done' : started ? 'Continue' : 'Train'}
        </button>
        <button type="button" data-testid="step-button" disabled={!canTrain || running}
          aria-keyshortcuts="ArrowRight" onClick={step}>
          Step 1 epoch
        </button>
        <button type="button" data-testid="reset-button" className={pending ? 'attention' : undefined}
          onClick={reset}>
          Reset
        </button>
      </div>
      <p className="hint">
        Keys: <kbd>Space</kbd> train / pause, <kbd>→</kbd> one epoch
      </p>
      {done && <p className="status" role="status">All epochs done. Press Reset to train again.</p>}

      <fieldset disabled={running}>
        <legend>Model and training</legend>
        <NumberField label="Hidden units" value={config.hidden} min={1} max={256} step={1} integer
          onChange={(hidden) => setConfig({ hidden })} />
        <NumberField label="Learning rate" value={config.lr} min={0.0001} max={1} step={0.005}
          onChange={(lr) => setConfig({ lr })} />
        <NumberField label="Epochs" value={config.epochs} min={1} max={5000} step={50} integer
          onChange={(epochs) => setConfig({ epochs })} />
        <NumberField label="Random seed" value={config.seed} min={0} max={2 ** 31 - 1} step={1} integer
          onChange={(seed) => setConfig({ seed })} />
        {pending && <p className="status" role="status">Changed: press Reset to apply.</p>}
        {running && <p className="hint">Pause to change these.</p>}
      </fieldset>
    </section>
  );
}

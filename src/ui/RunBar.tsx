import { reset, step, togglePlay } from '../state/client';
import { pendingChanges, usePlayground } from '../state/store';
import { fieldNames } from './catalog';

/** Train / step / reset, the keys, and what the run is waiting for; stays in view as the side scrolls. */
export function RunBar() {
  const running = usePlayground((s) => s.running);
  const done = usePlayground((s) => s.done);
  const ready = usePlayground((s) => s.graph !== null && !s.loading);
  const started = usePlayground((s) => s.reports.length > 0);
  // A string, not an array, so the selector's result compares equal between renders.
  const pending = usePlayground((s) => pendingChanges(s).map((k) => fieldNames[k] ?? k).join(', '));
  const canTrain = ready && !done;
  return (
    <div className="run-bar">
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
      <div role="status" className="run-status">
        {pending && <p className="status" data-testid="reset-notice">Changed {pending}: press Reset to apply.</p>}
        {done && <p className="status">All epochs done. Press Reset to train again.</p>}
        {running && <p className="hint">Pause to change the settings.</p>}
      </div>
    </div>
  );
}

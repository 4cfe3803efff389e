import { usePlayground } from '../state/store';
import { taskOf } from '../train/protocol';
import { DeepFields, ModelFields } from './ModelFields';
import { LayerFormula } from './formula/LayerFormula';
import { ExerciseNote } from './share/ExerciseNote';
import { Lockable } from './Lockable';
import { Pickers } from './Pickers';
import { OwnGraphPanel } from './graphInput/OwnGraphPanel';
import { RunBar } from './RunBar';
import { TrainingFields } from './TrainingFields';

/** The side panel: what to train, the run buttons, then every setting a Reset applies. */
export function Controls() {
  const config = usePlayground((s) => s.config);
  const running = usePlayground((s) => s.running);
  const task = taskOf(config.dataset);
  return (
    <section className="controls" aria-label="Controls">
      <Pickers config={config} />
      <RunBar />
      <ExerciseNote />
      <Lockable k="graph"><OwnGraphPanel /></Lockable>
      <details className="formula-box" open>
        <summary>Formula</summary>
        <LayerFormula config={config} compact />
      </details>
      {/* One outer fieldset so a running model's settings are all locked at once. */}
      <fieldset className="settings" disabled={running} aria-label="Settings">
        <ModelFields config={config} task={task} />
        <TrainingFields config={config} task={task} />
        <DeepFields config={config} />
      </fieldset>
    </section>
  );
}

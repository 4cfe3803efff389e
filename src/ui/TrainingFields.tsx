import { setConfig } from '../state/store';
import { Lockable } from './Lockable';
import type { TrainConfig } from '../train/protocol';
import { NumberField } from './NumberField';
import { SelectField } from './SelectField';

interface Props {
  readonly config: TrainConfig;
  readonly task: 'node' | 'graph';
}

/** The optimizer and schedule; for graph sets also mini-batches and the cross-validation fold. */
export function TrainingFields({ config: c, task }: Props) {
  const folds = Array.from({ length: c.folds }, (_, i) => ({ value: i, label: `${i + 1} of ${c.folds}` }));
  return (
    <fieldset>
      <legend>Training</legend>
      <Lockable k="epochs">
        <NumberField label="Epochs" value={c.epochs} min={1} max={5000} step={10} integer onChange={(epochs) => setConfig({ epochs })} />
      </Lockable>
      <Lockable k="lr">
        <NumberField label="Learning rate" value={c.lr} min={0.0001} max={1} step={0.005} onChange={(lr) => setConfig({ lr })} />
      </Lockable>
      <Lockable k="lrStep">
        <NumberField label="Halve learning rate every N epochs (0: never)" value={c.lrStep} min={0} max={5000} step={10} integer
          onChange={(lrStep) => setConfig({ lrStep })} />
      </Lockable>
      <Lockable k="weightDecay">
        <NumberField label="Weight decay" value={c.weightDecay} min={0} max={0.1} step={0.0005}
          onChange={(weightDecay) => setConfig({ weightDecay })} />
      </Lockable>
      {c.model !== 'sgc' && (
        <Lockable k="dropout">
          <NumberField label="Dropout" value={c.dropout} min={0} max={0.95} step={0.05} onChange={(dropout) => setConfig({ dropout })} />
        </Lockable>
      )}
      {task === 'graph' && (
        <>
          <Lockable k="batchSize">
            <NumberField label="Batch size (graphs)" value={c.batchSize} min={1} max={1024} step={8} integer
              onChange={(batchSize) => setConfig({ batchSize })} />
          </Lockable>
          <Lockable k="fold">
            <SelectField label="Test fold" value={c.fold} options={folds} onChange={(fold) => setConfig({ fold })}
              hint={`${c.folds}-fold cross-validation: this fold is the test set.`} />
          </Lockable>
        </>
      )}
      <Lockable k="seed">
        <NumberField label="Random seed" value={c.seed} min={0} max={2 ** 31 - 1} step={1} integer onChange={(seed) => setConfig({ seed })} />
      </Lockable>
    </fieldset>
  );
}

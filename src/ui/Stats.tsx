import { hasValidation, latestReport, shownConfig, shownTask, usePlayground } from '../state/store';
import { num, pct } from './format';

interface ItemProps {
  readonly label: string;
  readonly value: string;
  readonly id: string;
  readonly title?: string;
}

function Item({ label, value, id, title }: ItemProps) {
  return (
    <div className="stat" title={title}>
      <dt>{label}</dt>
      <dd data-testid={`stat-${id}`}>{value}</dd>
    </div>
  );
}

/** The current epoch in numbers; updates with every progress batch. */
export function Stats() {
  const r = usePlayground(latestReport);
  const config = usePlayground(shownConfig);
  const graphTask = usePlayground(shownTask) === 'graph';
  const hasVal = usePlayground(hasValidation);
  const best = usePlayground((s) => (s.bestEpoch >= 0 ? `${pct(s.bestTestAcc)} (epoch ${s.bestEpoch})` : '—'));
  // With no validation set, or a recipe that reports the last epoch (SGC), "best" is the latest.
  const bestByVal = hasVal && config.selection !== 'last';
  const unit = graphTask ? 'graphs' : 'nodes';
  const over = (set: string) => `Share of the ${set} ${unit} classified correctly`;
  return (
    <dl className="stats" aria-label={`Current epoch; accuracy is over ${unit}`}>
      <Item id="epoch" label="Epoch" value={`${r?.epoch ?? 0} / ${config.epochs}`} />
      <Item id="loss" label="Loss" value={num(r?.loss)} title={graphTask ? 'Mean training loss over the epoch\u2019s mini-batches' : 'Training loss'} />
      <Item id="train" label="Train acc" value={pct(r?.trainAcc)} title={over('training')} />
      <Item id="val" label="Val acc" value={hasVal ? pct(r?.valAcc) : 'n/a'} title={over('validation')} />
      <Item id="test" label="Test acc" value={pct(r?.testAcc)} title={over('test')} />
      {bestByVal && <Item id="best" label="Test acc at best val" value={best} />}
      {graphTask && <Item id="fold" label="Test fold" value={`${config.fold + 1} of ${config.folds}`} />}
      <Item id="ms" label="ms / epoch" value={r ? r.ms.toFixed(r.ms < 10 ? 2 : 1) : '—'} />
    </dl>
  );
}

import { latestReport, usePlayground } from '../state/store';
import { num, pct } from './format';

interface ItemProps {
  readonly label: string;
  readonly value: string;
  readonly id: string;
}

function Item({ label, value, id }: ItemProps) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd data-testid={`stat-${id}`}>{value}</dd>
    </div>
  );
}

/** The current epoch in numbers; updates with every progress batch. */
export function Stats() {
  const r = usePlayground(latestReport);
  const total = usePlayground((s) => s.appliedConfig?.epochs ?? s.config.epochs);
  const hasVal = usePlayground((s) => s.graph?.splitOf.includes(2) ?? true);
  const best = usePlayground((s) => (s.bestEpoch >= 0 ? `${pct(s.bestTestAcc)} (epoch ${s.bestEpoch})` : '—'));
  return (
    <dl className="stats">
      <Item id="epoch" label="Epoch" value={`${r?.epoch ?? 0} / ${total}`} />
      <Item id="loss" label="Loss" value={num(r?.loss)} />
      <Item id="train" label="Train acc" value={pct(r?.trainAcc)} />
      <Item id="val" label="Val acc" value={hasVal ? pct(r?.valAcc) : 'n/a'} />
      <Item id="test" label="Test acc" value={pct(r?.testAcc)} />
      <Item id="best" label="Test acc at best val" value={best} />
      <Item id="ms" label="ms / epoch" value={r ? r.ms.toFixed(r.ms < 10 ? 2 : 1) : '—'} />
    </dl>
  );
}

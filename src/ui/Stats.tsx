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

const mib = (b: number) => `${(b / 2 ** 20).toFixed(b < 10 * 2 ** 20 ? 1 : 0)} MiB`;

/** In use once training has allocated; the estimate before (and on the CPU, what a GPU would need). */
function memoryStat(m: { estimated: number | null; inUse: number | null }, kind: 'webgpu' | 'cpu' | undefined) {
  if (m.inUse !== null && kind === 'webgpu') return { value: mib(m.inUse), title: `GPU buffers held now${m.estimated !== null ? `; estimated need ${mib(m.estimated)}` : ''}` };
  if (m.estimated !== null) return { value: `≈ ${mib(m.estimated)}`, title: kind === 'cpu' ? 'What this run would need on a GPU (training runs on the CPU)' : 'Estimated before the run was built' };
  return null;
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
  const mem = usePlayground((s) => s.memory);
  const kind = usePlayground((s) => s.backend?.kind);
  const memory = memoryStat(mem, kind);
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
      {memory && <Item id="memory" label="GPU memory" value={memory.value} title={memory.title} />}
    </dl>
  );
}

import { setConfig } from '../state/store';
import { Lockable } from './Lockable';
import { layerKinds, type ModelKind, stackKinds } from '../models/spec';
import type { TrainConfig } from '../train/protocol';
import { activationNames, modelInfo } from './catalog';
import { CheckboxField } from './CheckboxField';
import { NumberField } from './NumberField';
import { type Option, SelectField } from './SelectField';

interface Props {
  readonly config: TrainConfig;
  readonly task: 'node' | 'graph';
}

const options = <T extends string>(labels: Record<T, string>): Option<T>[] =>
  (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value] }));

const activations = options(activationNames);
const norms = options<TrainConfig['norm']>({ sym: 'symmetric', row: 'row (mean)' });
const aggregators = options<TrainConfig['aggr']>({ mean: 'mean', max: 'max', sum: 'sum' });
const reducers = options<TrainConfig['cross']>({ sum: 'sum', mean: 'mean', max: 'max', min: 'min', stack: 'stack (concat)' });
const pools = options<TrainConfig['pool']>({ sum: 'sum', mean: 'mean', max: 'max' });
const jks = options<TrainConfig['jk']>({ none: 'none', cat: 'concatenate', max: 'max' });

/** The options only one model has. */
function OwnFields({ config: c, task }: Props) {
  switch (c.model) {
    case 'gcn':
      return (
        <>
          <Lockable k="selfLoops">
            <CheckboxField label="Self loops" checked={c.selfLoops} onChange={(selfLoops) => setConfig({ selfLoops })} />
          </Lockable>
          <Lockable k="norm">
            <SelectField label="Normalization" value={c.norm} options={norms} onChange={(norm) => setConfig({ norm })} />
          </Lockable>
        </>
      );
    case 'sage':
      return <Lockable k="aggr"><SelectField label="Aggregator" value={c.aggr} options={aggregators} onChange={(aggr) => setConfig({ aggr })} /></Lockable>;
    case 'gat':
      return (
        <>
          <Lockable k="heads">
            <NumberField label="Heads" value={c.heads} min={1} max={16} step={1} integer onChange={(heads) => setConfig({ heads })} />
          </Lockable>
          {/* Graph classification pools hidden layers only: there is no output attention layer. */}
          {task === 'node' && (
            <Lockable k="outHeads">
              <NumberField label="Output heads" value={c.outHeads} min={1} max={16} step={1} integer
                onChange={(outHeads) => setConfig({ outHeads })} />
            </Lockable>
          )}
          <Lockable k="attnDropout">
            <NumberField label="Attention dropout" value={c.attnDropout} min={0} max={0.95} step={0.05}
              onChange={(attnDropout) => setConfig({ attnDropout })} />
          </Lockable>
        </>
      );
    case 'gin':
      return (
        <>
          <Lockable k="trainEps">
            <CheckboxField label="Learnable ε" checked={c.trainEps} onChange={(trainEps) => setConfig({ trainEps })} />
          </Lockable>
          <Lockable k="batchNorm">
            <CheckboxField label="Batch norm in MLP" checked={c.batchNorm} onChange={(batchNorm) => setConfig({ batchNorm })} />
          </Lockable>
        </>
      );
    case 'sgc':
      return <Lockable k="k"><NumberField label="K (propagation steps)" value={c.k} min={1} max={10} step={1} integer onChange={(k) => setConfig({ k })} /></Lockable>;
    case 'cheb':
      return <Lockable k="k"><NumberField label="K (Chebyshev terms)" value={c.k} min={1} max={6} step={1} integer onChange={(k) => setConfig({ k })} /></Lockable>;
    case 'rgcn':
      return <Lockable k="cross"><SelectField label="Relation reducer" value={c.cross} options={reducers} onChange={(cross) => setConfig({ cross })} /></Lockable>;
  }
}

/** The type of each layer; by default every layer is of the chosen model's type. */
function StackFields({ config: c }: { readonly config: TrainConfig }) {
  let kinds: ModelKind[];
  try {
    kinds = layerKinds(c);
  } catch {
    kinds = Array.from({ length: c.layers }, () => c.model);
  }
  const options = stackKinds.map((k) => ({ value: k, label: modelInfo[k].name }));
  const set = (l: number, kind: ModelKind) => {
    const next = kinds.map((k, i) => (i === l ? kind : k));
    setConfig({ stack: next.every((k) => k === c.model) ? '' : next.join(',') });
  };
  return (
    <details className="stack-fields" open={c.stack !== '' ? true : undefined}>
      <summary>Layer types{c.stack !== '' ? ' (mixed)' : ''}</summary>
      <div className="stack-grid">
        {kinds.map((k, l) => (
          <SelectField key={l} label={`Layer ${l + 1}`} value={k} options={options} onChange={(kind) => set(l, kind)} />
        ))}
      </div>
    </details>
  );
}

/** The network's shape: depth, width, activation, the chosen model's own options, readout. */
export function ModelFields({ config: c, task }: Props) {
  const layered = c.model !== 'sgc';
  return (
    <fieldset>
      <legend>{modelInfo[c.model].name} network</legend>
      {layered && (
        <>
          <Lockable k="layers">
            <NumberField label="Layers" value={c.layers} min={1} max={32} step={1} integer onChange={(layers) => setConfig({ layers })} />
          </Lockable>
          <Lockable k="stack"><StackFields config={c} /></Lockable>
          <Lockable k="hidden">
            <NumberField label={c.model === 'gat' ? 'Hidden units per head' : 'Hidden units'} value={c.hidden}
              min={1} max={256} step={1} integer onChange={(hidden) => setConfig({ hidden })} />
          </Lockable>
          <Lockable k="activation">
            <SelectField label="Activation" value={c.activation} options={activations} onChange={(activation) => setConfig({ activation })} />
          </Lockable>
        </>
      )}
      <OwnFields config={c} task={task} />
      {task === 'graph' && (
        <Lockable k="pool">
          <SelectField label="Pooling" value={c.pool} options={pools} onChange={(pool) => setConfig({ pool })}
            hint="How each graph's node vectors become one." />
        </Lockable>
      )}
    </fieldset>
  );
}

/** Options that help deep stacks train (try 8 layers with and without them). */
export function DeepFields({ config: c }: Pick<Props, 'config'>) {
  if (c.model === 'sgc') return null;
  return (
    <fieldset>
      <legend>Deep models</legend>
      <Lockable k="residual">
        <CheckboxField label="Residual connections" checked={c.residual} onChange={(residual) => setConfig({ residual })} />
      </Lockable>
      <Lockable k="pairNorm">
        <CheckboxField label="PairNorm" checked={c.pairNorm} onChange={(pairNorm) => setConfig({ pairNorm })} />
      </Lockable>
      <Lockable k="jk">
        <SelectField label="Jumping knowledge" value={c.jk} options={jks} onChange={(jk) => setConfig({ jk })} />
      </Lockable>
      <p className="hint">Help deep stacks: try 8 layers with and without them.</p>
    </fieldset>
  );
}

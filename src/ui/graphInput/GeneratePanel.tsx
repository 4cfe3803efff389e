import { useState } from 'react';
import { type FeatureKind, type GraphDraft, setFeatures } from '../../graph/draft';
import { draftToGraphJson } from '../../graph/draftJson';
import { barbell, edgeHomophily, grid, karate, ring, sbm, tree } from '../../graph/generators';
import { trainOwnData } from '../../state/client';
import { startDraft, setEditing, takeDraftForTraining } from '../../state/draftStore';
import { NumberField } from '../NumberField';
import { SelectField } from '../SelectField';

type Kind = 'sbm' | 'ring' | 'grid' | 'tree' | 'barbell' | 'karate';

interface Params {
  readonly kind: Kind;
  readonly nodes: number;
  readonly classes: number;
  readonly pIn: number;
  readonly pOut: number;
  readonly rows: number;
  readonly cols: number;
  readonly branching: number;
  readonly depth: number;
  readonly clique: number;
  readonly path: number;
  readonly features: FeatureKind;
  readonly dim: number;
  readonly noise: number;
  readonly seed: number;
}

const initial: Params = {
  kind: 'sbm', nodes: 120, classes: 3, pIn: 0.15, pOut: 0.01, rows: 6, cols: 8, branching: 2, depth: 4,
  clique: 6, path: 3, features: 'signal', dim: 8, noise: 1, seed: 1,
};

const kinds: readonly { value: Kind; label: string }[] = [
  { value: 'sbm', label: 'Stochastic block model' },
  { value: 'ring', label: 'Ring' },
  { value: 'grid', label: 'Grid' },
  { value: 'tree', label: 'Tree' },
  { value: 'barbell', label: 'Barbell' },
  { value: 'karate', label: "Zachary's karate club" },
];

const featureKinds: readonly { value: FeatureKind; label: string }[] = [
  { value: 'identity', label: 'one-hot identity' },
  { value: 'degree', label: 'degree (one-hot)' },
  { value: 'random', label: 'random' },
  { value: 'signal', label: "the block's noisy signal" },
];

/** Builds the draft the parameters describe; generators throw RangeErrors with readable text. */
export function generate(p: Params): GraphDraft {
  const opts = { seed: p.seed };
  const base = p.kind === 'sbm' ? sbm({ classes: p.classes, nodes: p.nodes, pIn: p.pIn, pOut: p.pOut, seed: p.seed, noise: p.noise })
    : p.kind === 'ring' ? ring(p.nodes, p.classes, opts)
      : p.kind === 'grid' ? grid(p.rows, p.cols, { ...opts, classes: Math.min(p.classes, p.cols) })
        : p.kind === 'tree' ? tree(p.branching, p.depth, opts)
          : p.kind === 'barbell' ? barbell(p.clique, p.path, opts)
            : karate(opts);
  return setFeatures(base, { kind: p.features, dim: p.dim, noise: p.noise, seed: p.seed });
}

/**
 * Generators with their knobs. The SBM's in-class against cross-class edge probability is the
 * homophily knob: the panel shows the edge homophily it produced, so students can see where GCN
 * stops working (heterophilous graphs, homophily well under 0.5).
 */
export function GeneratePanel() {
  const [p, setP] = useState<Params>(initial);
  const [message, setMessage] = useState<string | null>(null);
  const set = (patch: Partial<Params>) => setP((q) => ({ ...q, ...patch }));
  const run = (edit: boolean) => {
    let d: GraphDraft;
    try {
      d = generate(p);
      draftToGraphJson(d);
    } catch (e) {
      setMessage((e as Error).message);
      return;
    }
    const h = d.edges.length > 0 ? edgeHomophily(d) : NaN;
    setMessage(`${d.nodes.length} nodes, ${d.edges.length} edges${Number.isFinite(h) ? `, edge homophily ${h.toFixed(2)}` : ''}.`);
    startDraft(d);
    if (edit) return;
    setEditing(false);
    const taken = takeDraftForTraining();
    if (taken) trainOwnData(taken.name, taken.text, 'node');
  };
  const k = p.kind;
  return (
    <fieldset data-testid="generate-panel">
      <legend>Generate a graph</legend>
      <SelectField<Kind> label="Kind" value={k} options={kinds} onChange={(kind) => set({ kind })} testId="generator-select" />
      {(k === 'sbm' || k === 'ring') && (
        <NumberField label="Nodes" value={p.nodes} min={2} max={5000} step={10} integer onChange={(nodes) => set({ nodes })} />
      )}
      {(k === 'sbm' || k === 'ring' || k === 'grid') && (
        <NumberField label="Classes" value={p.classes} min={1} max={9} step={1} integer onChange={(classes) => set({ classes })} />
      )}
      {k === 'sbm' && (
        <>
          <NumberField label="Edge probability inside a class" value={p.pIn} min={0} max={1} step={0.01} onChange={(pIn) => set({ pIn })} />
          <NumberField label="Edge probability across classes" value={p.pOut} min={0} max={1} step={0.01} onChange={(pOut) => set({ pOut })} />
        </>
      )}
      {k === 'grid' && (
        <>
          <NumberField label="Rows" value={p.rows} min={1} max={70} step={1} integer onChange={(rows) => set({ rows })} />
          <NumberField label="Columns" value={p.cols} min={1} max={70} step={1} integer onChange={(cols) => set({ cols })} />
        </>
      )}
      {k === 'tree' && (
        <>
          <NumberField label="Children per node" value={p.branching} min={1} max={10} step={1} integer onChange={(branching) => set({ branching })} />
          <NumberField label="Depth" value={p.depth} min={0} max={12} step={1} integer onChange={(depth) => set({ depth })} />
        </>
      )}
      {k === 'barbell' && (
        <>
          <NumberField label="Clique size" value={p.clique} min={1} max={200} step={1} integer onChange={(clique) => set({ clique })} />
          <NumberField label="Path length" value={p.path} min={0} max={500} step={1} integer onChange={(path) => set({ path })} />
        </>
      )}
      <SelectField<FeatureKind> label="Node features" value={p.features} options={featureKinds} onChange={(features) => set({ features })} testId="features-select" />
      {(p.features === 'random' || p.features === 'degree' || p.features === 'signal') && (
        <NumberField label="Feature columns" value={p.dim} min={1} max={512} step={1} integer onChange={(dim) => set({ dim })} />
      )}
      {p.features === 'signal' && (
        <NumberField label="Noise (std)" value={p.noise} min={0} max={10} step={0.25} onChange={(noise) => set({ noise })} />
      )}
      <NumberField label="Seed" value={p.seed} min={0} max={2 ** 31 - 1} step={1} integer onChange={(seed) => set({ seed })} />
      <div className="buttons">
        <button type="button" data-testid="generate" onClick={() => run(false)}>Generate and use</button>
        <button type="button" data-testid="generate-edit" onClick={() => run(true)}>Generate and edit</button>
      </div>
      {message && <p className="hint" role="status" data-testid="generate-message">{message}</p>}
    </fieldset>
  );
}

import { useEffect, useMemo, useReducer, useState } from 'react';
import { SPECTRAL_MAX_NODES } from '../../metrics/spectral';
import { shownConfig, usePlayground } from '../../state/store';
import type { GraphSummary, TrainConfig } from '../../train/protocol';
import type { Size } from '../useSize';
import { modelInfo } from '../catalog';
import { lambdaSymbol, modelFilter, stackKindsOf, type ModelFilterInfo } from './modelFilter';
import { EigenvaluePlot, EigenvectorGraph, ResponsePlot } from './Plots';
import { frequencyWord, type Layout, type SpectralSubject, type SpectrumResult } from './spectralData';
import { entryOf, layoutOf, spectrumOf } from './spectrumClient';
import './spectrum.css';

/** "2-layer GCN", "SGC with K = 2", "2-layer ChebNet with K = 3 terms", "3-layer stack of GCN → GAT → GCN". */
export function modelName(c: TrainConfig): string {
  const name = modelInfo[c.model].name;
  if (c.model === 'sgc') return `SGC with K = ${c.k}`;
  const kinds = stackKindsOf(c);
  if (new Set(kinds).size > 1) return `${kinds.length}-layer stack of ${kinds.map((k) => modelInfo[k].name).join(' \u2192 ')}`;
  if (c.model === 'cheb') return `${c.layers}-layer ChebNet with K = ${c.k} terms`;
  return `${c.layers}-layer ${name}`;
}

function laplacianName(renormalized: boolean): string {
  return renormalized
    ? 'L\u0303 = I \u2212 D\u0303\u207b\u00bd(A + I)D\u0303\u207b\u00bd (GCN\u2019s, with self loops)'
    : 'L = I \u2212 D\u207b\u00bdAD\u207b\u00bd (normalized Laplacian)';
}

export interface SpectrumPanelProps {
  readonly summary: GraphSummary;
  readonly subject: SpectralSubject;
  readonly info: ModelFilterInfo;
  readonly modelName: string;
  readonly spectrum: SpectrumResult | null;
  readonly layout: Layout | null;
  readonly error?: string | null;
  /** The eigenvector shown; clamped to the graph. */
  readonly k: number;
  readonly onSelect: (k: number) => void;
  /** Fixed drawing sizes instead of measuring (static rendering in tests). */
  readonly sizes?: { readonly graph: Size; readonly plot: Size };
}

/** Everything the view shows, from data already computed: no store, no worker. */
export function SpectrumPanel({ summary, subject, info, modelName: model, spectrum, layout, error, k: wanted, onSelect, sizes }: SpectrumPanelProps) {
  const setNote = summary.graphOf && subject.kind !== 'empty'
    ? `A spectrum belongs to one graph: this is graph ${subject.kind === 'ok' ? subject.graph.graphIndex : subject.graphIndex} of the set, the first one drawn`
      + (subject.kind === 'ok' ? ` (${subject.graph.n} nodes, ${subject.graph.src.length} edges).` : '.')
    : null;
  const head = (
    <div className="graph-head">
      <h2>Spectrum of {summary.name}</h2>
      {subject.kind === 'ok' && (
        <p className="graph-meta" data-testid="spectrum-laplacian">{laplacianName(info.renormalized)} &middot; {subject.graph.n} eigenvalues</p>
      )}
      {setNote && <p className="graph-meta spectrum-set-note" data-testid="spectrum-set-note">{setNote}</p>}
    </div>
  );
  if (subject.kind !== 'ok') {
    const n = subject.kind === 'too-big' ? subject.n : 0;
    return (
      <section className="spectrum" aria-label="Spectrum" data-testid="spectrum-view">
        {head}
        <p className="spectrum-message" data-testid="spectrum-message">
          {subject.kind === 'too-big'
            ? `The spectral view is for small graphs: ${summary.graphOf ? 'this graph' : summary.name} has ${n.toLocaleString('en')} nodes, above the cap of ${SPECTRAL_MAX_NODES}. `
              + 'Every eigenvector is computed by a dense eigendecomposition, whose cost grows as n\u00b3. Try Karate, a molecule set, or a graph of your own.'
            : 'This graph has no nodes.'}
        </p>
      </section>
    );
  }
  const g = subject.graph;
  const k = Math.max(0, Math.min(g.n - 1, wanted));
  const l = lambdaSymbol(info.renormalized);
  const lambda = spectrum?.eigenvalues[k] ?? 0;
  const word = frequencyWord(lambda);
  return (
    <section className="spectrum" aria-label="Spectrum" data-testid="spectrum-view">
      {head}
      {error && <p className="spectrum-message" role="alert">Could not compute the spectrum: {error}</p>}
      <div className="spectrum-picker">
        <label htmlFor="spectrum-k" title="Each eigenvector is a signal on the nodes; k = 0 is the smoothest (low frequency), the last the roughest (high frequency).">Eigenvector k</label>
        <button type="button" aria-label="Previous eigenvector (smoother)" disabled={k <= 0} onClick={() => onSelect(k - 1)}>&larr;</button>
        <input id="spectrum-k" type="range" min={0} max={Math.max(0, g.n - 1)} step={1} value={k} data-testid="spectrum-k"
          aria-valuetext={spectrum ? `k = ${k}, ${l} = ${lambda.toFixed(3)}, ${word} frequency` : `k = ${k}`}
          onChange={(e) => onSelect(Number(e.currentTarget.value))} />
        <button type="button" aria-label="Next eigenvector (rougher)" disabled={k >= g.n - 1} onClick={() => onSelect(k + 1)}>&rarr;</button>
        <output htmlFor="spectrum-k" data-testid="spectrum-k-value">k = {k} of {g.n - 1}</output>
      </div>
      <div className="spectrum-grid">
        {spectrum ? (
          <EigenvectorGraph graph={g} layout={layout} vector={spectrum.eigenvectors.subarray(k * g.n, (k + 1) * g.n)} k={k}
            lambda={lambda} renormalized={info.renormalized} size={sizes?.graph} />
        ) : (
          <figure className="chart spectrum-fig spectrum-graph"><p className="graph-overlay">Computing the spectrum&hellip;</p></figure>
        )}
        {spectrum ? (
          <>
            <EigenvaluePlot eigenvalues={spectrum.eigenvalues} renormalized={info.renormalized} selected={k} onSelect={onSelect} size={sizes?.plot} />
            <ResponsePlot info={info} eigenvalues={spectrum.eigenvalues} selected={k} modelName={model} size={sizes?.plot} />
          </>
        ) : (
          <>
            <figure className="chart spectrum-fig spectrum-values" />
            <figure className="chart spectrum-fig spectrum-response" />
          </>
        )}
      </div>
    </section>
  );
}

/**
 * The spectral view of the graph on screen and the running model's filter, read from the store.
 * The eigendecomposition and the layout run in spectrum.worker.ts (about a second at 600 nodes)
 * and are cached per graph, so opening the view never blocks a frame.
 */
export function SpectrumView() {
  const summary = usePlayground((s) => s.graph);
  const loading = usePlayground((s) => s.loading);
  const config = usePlayground(shownConfig);
  const info = useMemo(() => modelFilter(config), [config]);
  const entry = useMemo(() => (summary ? entryOf(summary) : null), [summary]);
  const [k, setK] = useState(1);
  const [, redraw] = useReducer((x: number) => x + 1, 0);

  const ok = entry?.subject.kind === 'ok';
  useEffect(() => {
    if (!entry || !ok) return;
    let live = true;
    const again = () => { if (live) redraw(); };
    spectrumOf(entry, info.renormalized).promise.then(again, again);
    layoutOf(entry).promise.then(again, again);
    return () => { live = false; };
  }, [entry, ok, info.renormalized]);
  // A new graph starts at the Fiedler vector (k = 1): the first one that is not constant.
  useEffect(() => setK(1), [summary]);

  if (!summary || !entry) {
    return (
      <section className="spectrum" aria-label="Spectrum" data-testid="spectrum-view">
        <p className="spectrum-message" data-testid="spectrum-message">{loading ? 'Loading data set\u2026' : 'No graph loaded.'}</p>
      </section>
    );
  }
  // Read what is done; the effect above starts the work.
  const s = entry.spectra[info.renormalized ? 1 : 0];
  const lay = entry.layout;
  return (
    <SpectrumPanel summary={summary} subject={entry.subject} info={info} modelName={modelName(config)}
      spectrum={s?.value ?? null} layout={lay?.value ?? null} error={s?.error ?? lay?.error ?? null} k={k} onSelect={setK} />
  );
}

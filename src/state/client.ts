import type { ModelKind } from '../models/spec';
import type { DataSource, DatasetId, FromWorker, SweepVariant, ToWorker, TrainConfig } from '../train/protocol';
import { startSweep } from './insightStore';
import { expectExport, type ExportedMessage } from './exportStore';
import { emptyDraft } from '../graph/draft';
import { choiceConfig } from './choices';
import { startDraft } from './draftStore';
import { setView } from './viewStore';
import { applyMessage, beginInit, setConfig, setRunning, usePlayground } from './store';

/**
 * The page's only link to the training worker. One worker lives for the whole page: Reset and
 * dataset changes post `init` again instead of terminating it, so the GPU device stays warm.
 */
let worker: Worker | null = null;

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('../train/worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<FromWorker>) => applyMessage(e.data);
  // A worker that fails to load or throws outside its own try/catch only shows up here.
  w.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    applyMessage({ type: 'error', message: `Training worker failed: ${e.message || 'could not start'}` });
  };
  w.onmessageerror = () => applyMessage({ type: 'error', message: 'A worker message could not be read.' });
  worker = w;
  return w;
}

function post(msg: ToWorker): void {
  getWorker().postMessage(msg);
}

export function datasetUrl(id: DatasetId): string {
  // Relative to the page, so the site works from any sub-path (vite base is './').
  return new URL(`datasets/${id}.json`, document.baseURI).href;
}

/** The user's own graph travels as text; a shipped one is downloaded by the worker. */
function sourceOf(config: TrainConfig): DataSource | null {
  if (config.dataset !== 'custom' && config.dataset !== 'custom-graphs') return { kind: 'url', url: datasetUrl(config.dataset) };
  const custom = usePlayground.getState().custom;
  return custom ? { kind: 'text', text: custom.text } : null;
}

export function reset(): void {
  const { config } = usePlayground.getState();
  const source = sourceOf(config);
  beginInit(config);
  if (!source) {
    applyMessage({ type: 'error', message: 'There is no graph of your own yet: draw, generate or load one first.' });
    return;
  }
  post({ type: 'init', config, source });
}

/** A new data set or model starts over at once, from that model's published settings. */
function choose(dataset: DatasetId, model: ModelKind): void {
  setConfig(choiceConfig(usePlayground.getState().config, dataset, model));
  reset();
}

/**
 * Trains the user's own graph (kind 'node') or set of graphs ('graphs'), given as the text the
 * worker parses. The caller has already validated it, so a bad file never replaces a good run.
 */
export function trainOwnData(name: string, text: string, kind: 'node' | 'graphs'): void {
  usePlayground.setState({ custom: { name, text } });
  choose(kind === 'node' ? 'custom' : 'custom-graphs', usePlayground.getState().config.model);
}

export function chooseDataset(dataset: DatasetId): void {
  // Picking "your graph" before there is one opens an empty drawing instead.
  if (dataset === 'custom' && !usePlayground.getState().custom) {
    startDraft(emptyDraft());
    setView('graph');
    return;
  }
  choose(dataset, usePlayground.getState().config.model);
}

export function chooseModel(model: ModelKind): void {
  choose(usePlayground.getState().config.dataset, model);
}

function canTrain(): boolean {
  const s = usePlayground.getState();
  return s.graph !== null && !s.loading && !s.done;
}

export function play(): void {
  if (!canTrain()) return;
  // Flip the flag now so the button answers at once; the worker's progress confirms it.
  setRunning(true);
  post({ type: 'play' });
}

export function pause(): void {
  setRunning(false);
  post({ type: 'pause' });
}

export function togglePlay(): void {
  if (usePlayground.getState().running) pause();
  else play();
}

/** Asks the worker how `node` computes its embedding at the newest epoch. */
export function inspect(node: number): void {
  const s = usePlayground.getState();
  if (!s.graph || s.loading || s.graph.graphOf) return;
  post({ type: 'inspect', node });
}

/** Asks the worker for the run's weights (and layer outputs) at its newest epoch; resolves with the answer. */
export function requestExport(): Promise<ExportedMessage> {
  const s = usePlayground.getState();
  if (!s.graph || s.loading) return Promise.resolve({ type: 'exported', run: null, reason: 'There is no run yet.' });
  const answer = expectExport();
  post({ type: 'export' });
  return answer;
}

/** Trains the current model at each depth, plain and with residual connections or PairNorm. */
export function sweep(depths: readonly number[], variants: readonly SweepVariant[], epochs: number): void {
  const s = usePlayground.getState();
  if (!s.graph || s.loading || s.graph.graphOf) return;
  startSweep(depths.length * variants.length, epochs);
  post({ type: 'sweep', depths, variants, epochs });
}

export function cancelSweep(): void {
  post({ type: 'sweepCancel' });
}

export function step(): void {
  if (!canTrain() || usePlayground.getState().running) return;
  post({ type: 'step' });
}

import { create } from 'zustand';
import {
  defaultConfig,
  taskOf,
  type BackendInfo,
  type EpochReport,
  type FromWorker,
  type GraphSummary,
  type TrainConfig,
} from '../train/protocol';
import { addFrame, addSweepPoint, clearRunInsight, endSweep, setInspection } from './insightStore';
import { receiveExport } from './exportStore';

/**
 * Everything the page shows, fed only by worker messages (see client.ts). Kept free of React
 * components so it can be driven and inspected without rendering anything.
 */
export interface PlaygroundState {
  /** What the next init (Reset, dataset change) will use. */
  readonly config: TrainConfig;
  /** What the current run was started with, to tell the user when a Reset is pending. */
  readonly appliedConfig: TrainConfig | null;
  readonly backend: BackendInfo | null;
  readonly graph: GraphSummary | null;
  readonly reports: readonly EpochReport[];
  readonly predictions: Int32Array | null;
  readonly loading: boolean;
  readonly running: boolean;
  readonly done: boolean;
  readonly error: string | null;
  readonly bestTestAcc: number;
  readonly bestEpoch: number;
  /**
   * The user's own graph (dataset 'custom') or graph set ('custom-graphs') as the gnn-graph-json
   * or gnn-graphset-json text the worker parses; kept across runs so Reset retrains it.
   */
  readonly custom: { readonly name: string; readonly text: string } | null;
  /** GPU memory: the run's estimate (before it is built) and what the backend holds now. */
  readonly memory: { readonly estimated: number | null; readonly inUse: number | null };
}

export const initialState: PlaygroundState = {
  config: defaultConfig,
  appliedConfig: null,
  backend: null,
  graph: null,
  reports: [],
  predictions: null,
  loading: false,
  running: false,
  done: false,
  error: null,
  bestTestAcc: 0,
  bestEpoch: -1,
  custom: null,
  memory: { estimated: null, inUse: null },
};

export const usePlayground = create<PlaygroundState>()(() => initialState);

export function setConfig(patch: Partial<TrainConfig>): void {
  usePlayground.setState((s) => ({ config: { ...s.config, ...patch } }));
}

export function clearError(): void {
  usePlayground.setState({ error: null });
}

/** A fresh run is starting: forget everything from the previous one except the backend. */
export function beginInit(config: TrainConfig): void {
  clearRunInsight();
  usePlayground.setState((s) => ({
    ...initialState,
    config: s.config,
    backend: s.backend,
    custom: s.custom,
    appliedConfig: config,
    // Keep the old graph only if the dataset is the same, so Reset does not flash an empty canvas.
    graph: s.graph && s.appliedConfig?.dataset === config.dataset ? s.graph : null,
    loading: true,
  }));
}

export function setRunning(running: boolean): void {
  usePlayground.setState({ running });
}

export function applyMessage(msg: FromWorker): void {
  // Progress still in flight from the run before an init belongs to a run the user threw away;
  // the worker answers every init with `graph` before any new progress.
  const stale = msg.type === 'progress' || msg.type === 'done' || msg.type === 'layers' || msg.type === 'inspection';
  if (stale && usePlayground.getState().loading) return;
  switch (msg.type) {
    case 'memory':
      usePlayground.setState({ memory: { estimated: msg.estimatedBytes, inUse: null } });
      return;
    case 'layers':
      addFrame({ epoch: msg.epoch, layers: msg.layers, gradNorms: msg.gradNorms });
      return;
    case 'inspection':
      setInspection(msg.inspection, msg.inspection ? null : (msg.reason ?? 'Nothing to inspect.'));
      return;
    case 'sweepProgress':
      addSweepPoint({ depth: msg.depth, variant: msg.variant, testAcc: msg.testAcc, trainAcc: msg.trainAcc, energy: msg.energy, mad: msg.mad }, msg.completed, msg.total);
      return;
    case 'sweepDone':
      endSweep(msg.error ?? (msg.cancelled ? 'Stopped.' : null));
      return;
    case 'exported':
      receiveExport(msg);
      return;
    case 'backend':
      usePlayground.setState({ backend: msg.info });
      return;
    case 'graph':
      usePlayground.setState({ graph: msg.graph, loading: false, predictions: null });
      return;
    case 'progress':
      usePlayground.setState((s) => ({
        reports: s.reports.concat(msg.reports),
        predictions: msg.predictions,
        running: msg.running,
        bestTestAcc: msg.bestTestAcc,
        bestEpoch: msg.bestEpoch,
        memory: msg.memoryBytes !== undefined ? { ...s.memory, inUse: msg.memoryBytes } : s.memory,
      }));
      return;
    case 'done':
      usePlayground.setState({ running: false, done: true });
      return;
    case 'error':
      usePlayground.setState({ error: msg.message, running: false, loading: false });
      return;
  }
}

export function latestReport(s: PlaygroundState): EpochReport | null {
  return s.reports.length > 0 ? s.reports[s.reports.length - 1] : null;
}

/**
 * The config fields the inputs changed since the running config was applied. Data set and model
 * changes re-init at once, so in practice these are the fields only a Reset applies.
 */
export function pendingChanges(s: PlaygroundState): (keyof TrainConfig)[] {
  const a = s.appliedConfig;
  if (!a) return [];
  const c = s.config;
  return (Object.keys(c) as (keyof TrainConfig)[]).filter((k) => !Object.is(a[k], c[k]));
}

/** True when the inputs differ from the running config in a way only a Reset applies. */
export function resetPending(s: PlaygroundState): boolean {
  return pendingChanges(s).length > 0;
}

/** The config of the run on screen (the inputs until a run has started). */
export function shownConfig(s: PlaygroundState): TrainConfig {
  return s.appliedConfig ?? s.config;
}

/** Node or graph classification, for the run on screen. */
export function shownTask(s: PlaygroundState): 'node' | 'graph' {
  return taskOf(shownConfig(s).dataset);
}

/**
 * Whether the run has a validation set: graph sets always hold one back; Karate's split has no
 * validation nodes, and a flat "val 0%" would mislead.
 */
export function hasValidation(s: PlaygroundState): boolean {
  return shownTask(s) === 'graph' || (s.graph?.splitOf.includes(2) ?? true);
}

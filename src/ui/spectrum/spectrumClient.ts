import type { GraphSummary } from '../../train/protocol';
import type { SpectrumReply, SpectrumRequest } from './protocol';
import { computeSpectrum, forceLayout, spectralSubject, type Layout, type SpectralSubject, type SpectrumResult } from './spectralData';

/**
 * The page's side of spectrum.worker.ts, with a cache per graph summary so that reopening the
 * view or switching back to a model shows the earlier result at once. Where no worker can be
 * started, the same functions run on the page after a macrotask (the view says "Computing…" first).
 */

interface Pending<T> {
  readonly promise: Promise<T>;
  value?: T;
  error?: string;
}

export interface SpectralEntry {
  readonly subject: SpectralSubject;
  /** Index 0: plain Laplacian, 1: renormalized. */
  readonly spectra: [Pending<SpectrumResult> | null, Pending<SpectrumResult> | null];
  layout: Pending<Layout> | null;
}

const entries = new WeakMap<GraphSummary, SpectralEntry>();

export function entryOf(summary: GraphSummary): SpectralEntry {
  let e = entries.get(summary);
  if (!e) entries.set(summary, (e = { subject: spectralSubject(summary), spectra: [null, null], layout: null }));
  return e;
}

type Job = { kind: 'spectrum'; renormalized: boolean } | { kind: 'layout' };
type Result<J extends Job> = J extends { kind: 'spectrum' } ? SpectrumResult : Layout;

let worker: Worker | null | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve: (r: SpectrumReply) => void; reject: (e: Error) => void }>();

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  if (typeof Worker === 'undefined') return (worker = null);
  try {
    const w = new Worker(new URL('./spectrum.worker.ts', import.meta.url), { type: 'module', name: 'spectrum' });
    w.onmessage = (ev: MessageEvent<SpectrumReply>) => {
      const at = waiting.get(ev.data.id);
      waiting.delete(ev.data.id);
      at?.resolve(ev.data);
    };
    // A worker script that cannot load (offline before it was cached, say): finish on the page.
    w.onerror = (ev) => {
      ev.preventDefault();
      worker = null;
      w.terminate();
      for (const [, at] of waiting) at.reject(new Error('spectrum worker failed'));
      waiting.clear();
    };
    return (worker = w);
  } catch {
    return (worker = null);
  }
}

function onPage<J extends Job>(entry: SpectralEntry, job: J): Promise<Result<J>> {
  const subject = entry.subject;
  if (subject.kind !== 'ok') return Promise.reject(new Error('no graph to compute'));
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      try {
        resolve((job.kind === 'spectrum' ? computeSpectrum(subject.graph, job.renormalized) : forceLayout(subject.graph)) as Result<J>);
      } catch (e) {
        reject(e as Error);
      }
    }, 0);
  });
}

async function run<J extends Job>(entry: SpectralEntry, job: J): Promise<Result<J>> {
  const subject = entry.subject;
  if (subject.kind !== 'ok') throw new Error('no graph to compute');
  const w = getWorker();
  if (!w) return onPage(entry, job);
  const id = nextId++;
  const req: SpectrumRequest = job.kind === 'spectrum'
    ? { id, kind: 'spectrum', graph: subject.graph, renormalized: job.renormalized }
    : { id, kind: 'layout', graph: subject.graph };
  let reply: SpectrumReply;
  try {
    reply = await new Promise<SpectrumReply>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      w.postMessage(req);
    });
  } catch {
    return onPage(entry, job);
  }
  if (reply.kind === 'error') throw new Error(reply.message);
  return reply.result as Result<J>;
}

function track<T>(promise: Promise<T>): Pending<T> {
  const p: Pending<T> = { promise };
  promise.then((v) => { p.value = v; }, (e: Error) => { p.error = e.message; });
  return p;
}

/** The spectrum of the entry's graph, computed once per Laplacian. */
export function spectrumOf(entry: SpectralEntry, renormalized: boolean): Pending<SpectrumResult> {
  const i = renormalized ? 1 : 0;
  return (entry.spectra[i] ??= track(run(entry, { kind: 'spectrum', renormalized })));
}

/** The entry's force layout, computed once. */
export function layoutOf(entry: SpectralEntry): Pending<Layout> {
  return (entry.layout ??= track(run(entry, { kind: 'layout' })));
}

import { create } from 'zustand';
import type { FromWorker } from '../train/protocol';

export type ExportedMessage = Extract<FromWorker, { type: 'exported' }>;

/**
 * The worker's answers to `export` (client.ts `requestExport`). Each request waits for the next
 * answer in order; the newest answer is kept for the page to read.
 */
export interface ExportState {
  /** Requests sent and not answered yet. */
  readonly pending: number;
  readonly last: ExportedMessage | null;
}

export const initialExport: ExportState = { pending: 0, last: null };

export const useExport = create<ExportState>()(() => initialExport);

const waiting: ((m: ExportedMessage) => void)[] = [];

/** Registers a request about to be posted; resolves with its answer. */
export function expectExport(): Promise<ExportedMessage> {
  useExport.setState((s) => ({ pending: s.pending + 1 }));
  return new Promise((resolve) => waiting.push(resolve));
}

/** The worker answered: the oldest waiting request gets it. */
export function receiveExport(m: ExportedMessage): void {
  useExport.setState((s) => ({ pending: Math.max(0, s.pending - 1), last: m }));
  waiting.shift()?.(m);
}

import { create } from 'zustand';
import type { LayerFrame, NodeInspection, SweepVariant } from '../train/protocol';

/** One epoch's picture of every layer, as the worker sent it. */
export interface Frame {
  readonly epoch: number;
  readonly layers: readonly LayerFrame[];
  readonly gradNorms: readonly number[];
}

export interface SweepPoint {
  readonly depth: number;
  readonly variant: SweepVariant;
  readonly testAcc: number;
  readonly trainAcc: number;
  readonly energy: number;
  readonly mad: number;
}

export interface SweepState {
  readonly running: boolean;
  readonly points: readonly SweepPoint[];
  readonly completed: number;
  readonly total: number;
  readonly epochs: number;
  readonly error: string | null;
}

/**
 * What the views show beyond the training curves: the per-layer frames (the history the epoch
 * scrubber walks), the node inspector's answer and the depth sweep. Fed by worker messages.
 */
export interface InsightState {
  readonly frames: readonly Frame[];
  /** Index into `frames` the scrubber holds, or null to follow the newest. */
  readonly scrub: number | null;
  readonly inspection: NodeInspection | null;
  readonly inspectionNote: string | null;
  readonly sweep: SweepState | null;
}

export const initialInsight: InsightState = { frames: [], scrub: null, inspection: null, inspectionNote: null, sweep: null };

export const useInsight = create<InsightState>()(() => initialInsight);

/**
 * Frames kept for the scrubber are bounded in bytes (PubMed's 19,717 nodes make ~0.5 MB a
 * frame): past the budget every other old frame is dropped, so the history thins out evenly
 * instead of forgetting its start.
 */
export const FRAME_BUDGET_BYTES = 64 * 2 ** 20;

function frameBytes(f: Frame): number {
  return f.layers.reduce((s, l) => s + l.coords.byteLength, 0);
}

export function addFrame(f: Frame): void {
  useInsight.setState((s) => {
    let frames = [...s.frames, f];
    const total = frames.reduce((t, x) => t + frameBytes(x), 0);
    if (total > FRAME_BUDGET_BYTES && frames.length > 2) {
      const last = frames[frames.length - 1];
      frames = frames.slice(0, -1).filter((_, i) => i % 2 === 0).concat(last);
    }
    const scrub = s.scrub === null ? null : Math.min(s.scrub, frames.length - 1);
    return { frames, scrub };
  });
}

export function setScrub(scrub: number | null): void {
  useInsight.setState({ scrub });
}

export function shownFrame(s: InsightState): Frame | null {
  if (s.frames.length === 0) return null;
  return s.frames[s.scrub ?? s.frames.length - 1];
}

export function setInspection(inspection: NodeInspection | null, note: string | null): void {
  useInsight.setState({ inspection, inspectionNote: note });
}

export function startSweep(total: number, epochs: number): void {
  useInsight.setState({ sweep: { running: true, points: [], completed: 0, total, epochs, error: null } });
}

export function addSweepPoint(p: SweepPoint, completed: number, total: number): void {
  useInsight.setState((s) => ({
    sweep: { ...(s.sweep ?? { running: true, epochs: 0, error: null }), points: [...(s.sweep?.points ?? []), p], completed, total },
  }));
}

export function endSweep(error: string | null): void {
  useInsight.setState((s) => (s.sweep ? { sweep: { ...s.sweep, running: false, error } } : {}));
}

/** A new run: frames and the inspection belong to the old one. The sweep result stays up. */
export function clearRunInsight(): void {
  useInsight.setState({ frames: [], scrub: null, inspection: null, inspectionNote: null });
}

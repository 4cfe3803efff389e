import type { Frame } from '../../state/insightStore';

/** Distinct colours for a handful of layers; deeper stacks reuse them, dashed. */
const layerColours = ['#1d4ed8', '#b91c1c', '#15803d', '#7c3aed', '#c2410c', '#0e7490', '#a16207', '#be185d'];

export function layerColour(i: number): { color: string; dashed: boolean } {
  return { color: layerColours[i % layerColours.length], dashed: i >= layerColours.length };
}

/** Energy as a share of the largest layer's, so layers of very different scale share an axis. */
export function energyShares(frame: Frame): number[] {
  const max = Math.max(...frame.layers.map((l) => l.energy), 0);
  return frame.layers.map((l) => (max > 0 ? l.energy / max : 0));
}

/** One series per layer of `pick` over the kept frames (layer count may differ: NaN breaks the line). */
export function perLayerOverEpochs(frames: readonly Frame[], pick: (f: Frame, layer: number) => number | undefined): { names: string[]; ys: number[][] } {
  const last = frames[frames.length - 1];
  const names = last ? last.layers.map((l) => l.name) : [];
  const ys = names.map((_, i) => frames.map((f) => pick(f, i) ?? NaN));
  return { names, ys };
}

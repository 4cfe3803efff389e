import { IDENTITY_FEATURES, type DraftEdge, type DraftNode, type FeatureSpec, type GraphDraft, type SplitCode } from '../draft';
import { DEFAULT_SPLIT_SEED, stratifiedSplitCodes } from '../split';

/** Every generator takes a seed for its split (and, for SBM, its edges and jitter). */
export interface GeneratorOptions {
  readonly seed?: number;
}

// Generators build whole drafts in memory for a page to draw; past this they would stall it.
export const MAX_GENERATED_NODES = 5000;
export const MAX_GENERATED_EDGES = 500_000;

export function checkCount(what: string, v: number, min: number, max = MAX_GENERATED_NODES): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${what} must be a whole number in ${min}..${max}, got ${v}`);
}

/** Assembles a draft with the default stratified split (src/graph/split.ts) under `seed`. */
export function finishDraft(p: {
  name: string;
  classNames: readonly string[];
  labels: ArrayLike<number>;
  edges: DraftEdge[];
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  seed?: number;
  features?: FeatureSpec;
}): GraphDraft {
  const n = p.labels.length;
  if (n > MAX_GENERATED_NODES) throw new RangeError(`${p.name}: ${n} nodes is more than the ${MAX_GENERATED_NODES} a generator makes`);
  if (p.edges.length > MAX_GENERATED_EDGES) throw new RangeError(`${p.name}: ${p.edges.length} edges is more than the ${MAX_GENERATED_EDGES} a generator makes`);
  const codes = stratifiedSplitCodes(p.labels, p.classNames.length, p.seed ?? DEFAULT_SPLIT_SEED);
  const nodes: DraftNode[] = Array.from({ length: n }, (_, i) => ({ x: p.x[i], y: p.y[i], label: p.labels[i], split: codes[i] as SplitCode }));
  return { name: p.name, classNames: [...p.classNames], nodes, edges: p.edges, features: p.features ?? IDENTITY_FEATURES };
}

export function names(prefix: string, k: number): string[] {
  return Array.from({ length: k }, (_, i) => `${prefix} ${i}`);
}

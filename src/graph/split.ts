import { mulberry32 } from './folds';
import type { Split } from './types';

/** Per-class caps of the default split; see `stratifiedSplitCodes`. */
export interface SplitRule {
  readonly trainPerClass?: number;
  readonly valPerClass?: number;
  readonly maxFraction?: number;
}

export const DEFAULT_SPLIT_SEED = 0;

/**
 * The default node split of every generated or user-loaded graph, as a split code per node
 * (1 = train, 2 = val, 3 = test; this rule leaves no node out). Per class (classes ascending,
 * one seeded mulberry32 stream for all of them), the class's nodes are shuffled, then the first
 * `train` go to train, the next `val` to val and the rest to test, where for a class of s nodes
 *
 *   train = min(trainPerClass, max(1, floor(s * maxFraction)), s)
 *   val   = min(valPerClass, floor(s * maxFraction), s - train)
 *
 * With the defaults (20, 30, 0.2) a class of 150 nodes or more gets gnn-benchmark's 20 train
 * and 30 val (Shchur et al. 2018), a smaller one about a fifth of its nodes in each, but always
 * one train node, so every class is seen in training. Only exactly rounded arithmetic (no Math.log
 * or the like), so a seed gives the same split in every JavaScript engine.
 */
export function stratifiedSplitCodes(
  labels: ArrayLike<number>,
  numClasses: number,
  seed: number,
  rule: SplitRule = {},
): Uint8Array {
  const trainPerClass = rule.trainPerClass ?? 20;
  const valPerClass = rule.valPerClass ?? 30;
  const maxFraction = rule.maxFraction ?? 0.2;
  const members = Array.from({ length: numClasses }, () => [] as number[]);
  for (let i = 0; i < labels.length; i++) members[labels[i]].push(i);

  const next = mulberry32(seed);
  const codes = new Uint8Array(labels.length);
  for (const ids of members) {
    const s = ids.length;
    const cap = Math.floor(s * maxFraction);
    const train = Math.min(trainPerClass, Math.max(1, cap), s);
    const val = Math.min(valPerClass, cap, s - train);
    // Fisher-Yates; j = floor(u / 2^32 * (i + 1)) is exact in float64.
    for (let i = s - 1; i > 0; i--) {
      const j = Math.floor((next() / 2 ** 32) * (i + 1));
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    ids.forEach((node, p) => (codes[node] = p < train ? 1 : p < train + val ? 2 : 3));
  }
  return codes;
}

/** The node ids of each split code, ascending. */
export function splitFromCodes(codes: ArrayLike<number>): Split {
  const lists: number[][] = [[], [], [], []];
  for (let i = 0; i < codes.length; i++) lists[codes[i]].push(i);
  return { train: Uint32Array.from(lists[1]), val: Uint32Array.from(lists[2]), test: Uint32Array.from(lists[3]) };
}

/** The split code of every node (0 where a node is in no list). */
export function codesFromSplit(split: Split, n: number): Uint8Array {
  const codes = new Uint8Array(n);
  split.train.forEach((i) => (codes[i] = 1));
  split.val.forEach((i) => (codes[i] = 2));
  split.test.forEach((i) => (codes[i] = 3));
  return codes;
}

export function stratifiedSplit(labels: ArrayLike<number>, numClasses: number, seed: number, rule: SplitRule = {}): Split {
  return splitFromCodes(stratifiedSplitCodes(labels, numClasses, seed, rule));
}

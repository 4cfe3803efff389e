import type { Split } from './types';

/**
 * Cross-validation for graph classification, the protocol of the TU benchmarks (Xu et al., GIN,
 * ICLR 2019; Errica et al., "A fair comparison of graph neural networks", ICLR 2020): the graphs
 * are split into k stratified folds; run `fold` tests on fold `fold`, selects its model on a
 * stratified `valFraction` of the other k-1 folds, and trains on the rest. Report the mean and
 * std of test accuracy over the k runs.
 *
 * Folds: each class's graphs are shuffled (classes in ascending label order, one seeded stream),
 * the shuffled classes are laid end to end and dealt round robin, position p to fold p % k. So
 * every class's count per fold differs by at most 1 across folds, and so do the fold sizes.
 * The PRNG uses 32-bit integer arithmetic only, so a seed gives the same folds in every engine.
 * Every returned index list is sorted ascending.
 */
export function stratifiedKFold(labels: Int32Array, k: number, seed: number): Uint32Array[] {
  if (!Number.isInteger(k) || k < 2 || k > labels.length) {
    throw new RangeError(`stratifiedKFold: k must be a whole number in 2..${labels.length} (the number of graphs), got ${k}`);
  }
  const next = mulberry32(seed);
  const order = byClass(labels).flatMap((members) => shuffle(members, next));
  const folds = Array.from({ length: k }, () => [] as number[]);
  order.forEach((g, p) => folds[p % k].push(g));
  return folds.map(sorted);
}

/**
 * Run `fold` of k-fold cross-validation: test = that fold, val = a stratified `valFraction` of the
 * remaining graphs (rounded; per-class shares by largest remainder, ties to the lower class),
 * train = the rest. The three lists partition 0..labels.length-1.
 */
export function cvSplit(labels: Int32Array, k: number, fold: number, seed: number, valFraction = 0.1): Split {
  const folds = stratifiedKFold(labels, k, seed);
  if (!Number.isInteger(fold) || fold < 0 || fold >= k) throw new RangeError(`cvSplit: fold must be in 0..${k - 1}, got ${fold}`);
  if (!(valFraction >= 0 && valFraction < 1)) throw new RangeError(`cvSplit: valFraction must be in [0, 1), got ${valFraction}`);

  const test = folds[fold];
  const inTest = new Uint8Array(labels.length);
  for (const g of test) inTest[g] = 1;
  const restByClass = byClass(labels).map((members) => members.filter((g) => !inTest[g]));
  const rest = labels.length - test.length;
  const numVal = Math.round(valFraction * rest);

  // Largest remainder, in integers: class c's exact share is numVal * size_c / rest.
  const quota = restByClass.map((m) => Math.floor((numVal * m.length) / rest));
  const leftover = numVal - quota.reduce((a, b) => a + b, 0);
  const byRemainder = restByClass
    .map((m, c) => ({ c, r: numVal * m.length - quota[c] * rest }))
    .sort((a, b) => b.r - a.r || a.c - b.c);
  for (let i = 0; i < leftover; i++) quota[byRemainder[i].c]++;

  // A stream of its own per fold, so changing valFraction never changes the folds.
  const next = mulberry32(Math.imul(seed >>> 0, 0x9e3779b1) ^ (fold + 1));
  const val: number[] = [];
  const train: number[] = [];
  restByClass.forEach((members, c) => {
    const mixed = shuffle(members, next);
    val.push(...mixed.slice(0, quota[c]));
    train.push(...mixed.slice(quota[c]));
  });
  return { train: sorted(train), val: sorted(val), test };
}

/** mulberry32 (Tommy Ettinger): a small, well-mixed 32-bit PRNG; returns uint32s. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Graph ids per distinct label, labels ascending, ids ascending within a class. */
function byClass(labels: Int32Array): number[][] {
  const groups = new Map<number, number[]>();
  labels.forEach((y, g) => {
    if (!groups.has(y)) groups.set(y, []);
    groups.get(y)!.push(g);
  });
  return [...groups.keys()].sort((a, b) => a - b).map((y) => groups.get(y)!);
}

/** Fisher-Yates on a copy; j = floor(u / 2^32 * (i + 1)) is exact in float64. */
function shuffle(items: number[], next: () => number): number[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor((next() / 2 ** 32) * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function sorted(ids: number[]): Uint32Array {
  return Uint32Array.from(ids).sort();
}

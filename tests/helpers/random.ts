import { csrFromCoo } from '../../src/graph/csr';
import type { Csr } from '../../src/graph/types';

/** A small seeded generator (mulberry32) for test inputs, independent of the engine's RNG. */
export class TestRng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  floats(n: number, lo = -1, hi = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform(lo, hi);
    return out;
  }
}

/**
 * A random sparse matrix: each row draws its entry count from [0, maxPerRow] (so some rows are
 * empty), columns uniform (repeats allowed, as a multigraph has), values in [lo, hi) if wanted.
 */
export function randomCsr(
  rng: TestRng, rows: number, cols: number,
  opts: { maxPerRow?: number; values?: boolean; lo?: number; hi?: number; emptyRows?: readonly number[] } = {},
): Csr {
  const maxPerRow = opts.maxPerRow ?? 4;
  const empty = new Set(opts.emptyRows ?? []);
  const r: number[] = [], c: number[] = [], v: number[] = [];
  for (let i = 0; i < rows; i++) {
    if (empty.has(i) || cols === 0) continue;
    const n = rng.int(maxPerRow + 1);
    for (let k = 0; k < n; k++) {
      r.push(i);
      c.push(rng.int(cols));
      v.push(rng.uniform(opts.lo ?? -1, opts.hi ?? 1));
    }
  }
  return csrFromCoo(rows, cols, r, c, opts.values === false ? undefined : v);
}

/** A CSR from explicit (row, col, value) triples. */
export function csrOf(rows: number, cols: number, entries: readonly (readonly [number, number, number])[]): Csr {
  return csrFromCoo(rows, cols, entries.map((e) => e[0]), entries.map((e) => e[1]), entries.map((e) => e[2]));
}

import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { dropoutKey, glorot, pcg, uniformAt } from '../../src/engine/rng';

/** The same PCG hash with BigInt arithmetic mod 2^32: an independent check of the imul version. */
function pcgBig(v: number): number {
  const M = (1n << 32n) - 1n;
  const s = (BigInt(v >>> 0) * 747796405n + 2891336453n) & M;
  const w = (((s >> ((s >> 28n) + 4n)) ^ s) * 277803737n) & M;
  return Number(((w >> 22n) ^ w) & M);
}

describe('pcg', () => {
  it('gives the values recorded when these tests were written', () => {
    // Changing any of these changes every dropout mask and initialization (and breaks replay of
    // old runs from their seed): these must never move.
    expect([0, 1, 2, 42, 0xdeadbeef, 0xffffffff, 123456789].map(pcg)).toEqual([
      129708002, 2831084092, 2055130248, 1223963391, 1730779506, 3861530882, 4272394698,
    ]);
    expect([dropoutKey(0, 0), dropoutKey(1, 0), dropoutKey(1, 1), dropoutKey(1, 1000), dropoutKey(42, 7)]).toEqual([
      817759070, 3911864714, 2979142878, 155843690, 3595368522,
    ]);
    const k = dropoutKey(1, 1000);
    expect([0, 1, 2, 3, 1000].map((i) => uniformAt(k, i))).toEqual([
      0.7665477991104126, 0.2501400113105774, 0.18948888778686523, 0.42784714698791504, 0.21980887651443481,
    ]);
  });

  it('agrees with an exact 32-bit (BigInt) evaluation and stays an unsigned 32-bit integer', () => {
    let v = 12345;
    for (let i = 0; i < 2000; i++) {
      const h = pcg(v);
      expect(h).toBe(pcgBig(v));
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
      v = (h ^ (i * 2654435761)) >>> 0;
    }
    // Negative and out-of-range inputs are taken mod 2^32 (as a u32 in WGSL would be).
    expect(pcg(-1)).toBe(pcg(0xffffffff));
    expect(pcg(2 ** 32 + 5)).toBe(pcg(5));
  });

  it('keys differ between seeds and between streams', () => {
    const keys = new Set<number>();
    for (let seed = 0; seed < 20; seed++) for (let stream = 0; stream < 50; stream++) keys.add(dropoutKey(seed, stream));
    expect(keys.size).toBe(1000);
  });
});

describe('uniformAt', () => {
  it('lies in [0, 1) on a multiple of 2^-24 (exact in f32), with mean about 1/2', () => {
    let min = 1, max = 0, sum = 0;
    const n = 100_000;
    for (const key of [0, 1, 0xffffffff, dropoutKey(3, 9)]) {
      for (let i = 0; i < n; i++) {
        const u = uniformAt(key, i);
        if (!(u >= 0 && u < 1)) throw new Error(`uniformAt(${key}, ${i}) = ${u}`);
        if (!Number.isInteger(u * 16777216)) throw new Error(`uniformAt(${key}, ${i}) = ${u} is not k / 2^24`);
        if (Math.fround(u) !== u) throw new Error(`uniformAt(${key}, ${i}) = ${u} is not an f32`);
        min = Math.min(min, u);
        max = Math.max(max, u);
        sum += u;
      }
    }
    expect(min).toBeLessThan(1e-4);
    expect(max).toBeGreaterThan(1 - 1e-4);
    expect(Math.abs(sum / (4 * n) - 0.5)).toBeLessThan(0.003);
  });

  it('is the top 24 bits of the hash, so the largest hash maps below 1', () => {
    // pcg(pcg(i) ^ key) >>> 8 divided by 2^24: check one value by hand.
    const key = 77, i = 5;
    expect(uniformAt(key, i)).toBe((pcg((pcg(i) ^ key) >>> 0) >>> 8) / 2 ** 24);
    expect(0xffffff / 2 ** 24).toBeLessThan(1);
  });
});

describe('dropout masks', () => {
  const n = 100_000;
  for (const p of [0.1, 0.5, 0.9]) {
    it(`keep about 1 - p of ${n} entries at p = ${p}, scaled by 1 / (1 - p)`, async () => {
      const be = new CpuBackend();
      const x = be.tensor(n, 1, new Float32Array(n).fill(1));
      const out = be.tensor(n, 1);
      be.dropout(x, p, dropoutKey(7, 1234), out);
      const o = await be.read(out);
      let kept = 0;
      const scale = Math.fround(1 / (1 - p));
      for (let i = 0; i < n; i++) {
        if (o[i] !== 0) {
          kept++;
          if (o[i] !== scale) throw new Error(`kept entry ${i} is ${o[i]}, expected ${scale}`);
        }
      }
      // Binomial standard deviation sqrt(p (1 - p) / n) <= 0.0016: allow five of them.
      const sd = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(kept / n - (1 - p))).toBeLessThan(5 * sd);
    });
  }

  it('a mask depends only on (key, index): the same key gives the same mask, another key another', async () => {
    const be = new CpuBackend();
    const n = 10_000;
    const x = be.tensor(n, 1, new Float32Array(n).fill(1));
    const [a, b, c] = [be.tensor(n, 1), be.tensor(n, 1), be.tensor(n, 1)];
    const k1 = dropoutKey(1, 1000), k2 = dropoutKey(1, 1001);
    be.dropout(x, 0.5, k1, a);
    be.dropout(x, 0.5, k1, b);
    be.dropout(x, 0.5, k2, c);
    const [A, B, C] = [await be.read(a), await be.read(b), await be.read(c)];
    expect(B).toEqual(A);
    let same = 0;
    for (let i = 0; i < n; i++) if ((A[i] === 0) === (C[i] === 0)) same++;
    // Independent masks agree on about half the entries (sd 0.005).
    expect(Math.abs(same / n - 0.5)).toBeLessThan(0.03);
  });
});

describe('glorot', () => {
  it('gives the values recorded when these tests were written', () => {
    expect(Array.from(glorot(2, 3, 1, 1))).toEqual([
      1.0080689191818237, 0.3682844638824463, 0.8165053129196167, 0.5774295926094055, 0.8353744745254517,
      -0.9034895896911621,
    ]);
  });

  for (const [rows, cols] of [[1433, 16], [16, 7], [34, 2], [1, 1]] as const) {
    it(`stays within +-sqrt(6 / (fanIn + fanOut)) and fills it evenly for ${rows} x ${cols}`, () => {
      const a = Math.sqrt(6 / (rows + cols));
      const w = glorot(rows, cols, 3, 1);
      expect(w.length).toBe(rows * cols);
      let min = Infinity, max = -Infinity, sum = 0, sq = 0;
      for (const x of w) {
        min = Math.min(min, x);
        max = Math.max(max, x);
        sum += x;
        sq += x * x;
      }
      expect(min).toBeGreaterThanOrEqual(-a);
      expect(max).toBeLessThanOrEqual(a);
      if (w.length >= 1000) {
        // U(-a, a): mean 0, variance a^2 / 3, range close to the bounds.
        expect(min).toBeLessThan(-0.99 * a);
        expect(max).toBeGreaterThan(0.99 * a);
        expect(Math.abs(sum / w.length)).toBeLessThan(0.05 * a);
        expect(sq / w.length / ((a * a) / 3)).toBeCloseTo(1, 1);
      }
    });
  }

  it('is a pure function of (seed, stream): equal for equal arguments, different otherwise', () => {
    expect(glorot(20, 10, 5, 1)).toEqual(glorot(20, 10, 5, 1));
    expect(glorot(20, 10, 5, 1)).not.toEqual(glorot(20, 10, 5, 2));
    expect(glorot(20, 10, 5, 1)).not.toEqual(glorot(20, 10, 6, 1));
  });
});

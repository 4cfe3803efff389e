/** The g-SpMM schedule choice and the balanced schedule's chunk plan (pure, in Node). */
import { describe, expect, it } from 'vitest';
import {
  balancedChunk, chooseGspmmSchedule, chunkPlan, degreeStats, PLAN_OUT, rowsLayout, rowsPerGroup, ROWS_TILE, ROWS_WG, scheduleName,
  scheduleThresholds,
} from '../../src/gpu/spmmSchedule';

const indptrOf = (lengths: number[]): Uint32Array => {
  const out = new Uint32Array(lengths.length + 1);
  lengths.forEach((d, r) => (out[r + 1] = out[r] + d));
  return out;
};

const sw = { software: true }, hw = { software: false };

describe('degreeStats', () => {
  it('max, mean and coefficient of variation of the row lengths', () => {
    const s = degreeStats(indptrOf([2, 2, 2, 2]));
    expect(s).toEqual({ rows: 4, nnz: 8, maxDeg: 2, meanDeg: 2, cv: 0 });
    const t = degreeStats(indptrOf([0, 4, 0, 0]));
    expect(t.maxDeg).toBe(4);
    expect(t.meanDeg).toBe(1);
    expect(t.cv).toBeCloseTo(Math.sqrt(3), 12); // std of (0, 4, 0, 0) is sqrt(3), mean 1
  });

  it('empty structures: no rows, or rows without entries', () => {
    expect(degreeStats(new Uint32Array([0]))).toEqual({ rows: 0, nnz: 0, maxDeg: 0, meanDeg: 0, cv: 0 });
    expect(degreeStats(indptrOf([0, 0, 0]))).toEqual({ rows: 3, nnz: 0, maxDeg: 0, meanDeg: 0, cv: 0 });
  });
});

describe('chooseGspmmSchedule', () => {
  const uniform = (rows: number, deg: number) => degreeStats(indptrOf(Array.from({ length: rows }, () => deg)));
  /** `rows` rows of `deg` entries and one row of `hub` entries. */
  const withHub = (rows: number, deg: number, hub: number) => degreeStats(indptrOf([...Array.from({ length: rows }, () => deg), hub]));

  it('empty, narrow and small problems keep the per-element kernel', () => {
    expect(chooseGspmmSchedule(degreeStats(indptrOf([0, 0])), 64, hw)).toEqual({ kind: 'element' });
    for (const w of [1, 2, 3]) expect(chooseGspmmSchedule(uniform(1e5, 10), w, hw).kind).toBe('element');
    // Karate sized: below minWork.
    expect(chooseGspmmSchedule(uniform(34, 5), 16, hw).kind).toBe('element');
    expect(uniform(34, 5).nnz * 16).toBeLessThan(scheduleThresholds.gpu.minWork);
  });

  it('uniform graphs take the row schedule on a GPU, vec4 lanes exactly when the width is a multiple of 4', () => {
    const s = uniform(100_000, 10);
    for (const [w, vec4] of [[4, true], [5, false], [16, true], [17, false], [64, true], [128, true]] as const) {
      const c = chooseGspmmSchedule(s, w, hw);
      expect(c).toEqual({ kind: 'row', vec4, rowsPerGroup: rowsPerGroup(s, rowsLayout(w, vec4).tile, scheduleThresholds.gpu.minGroups) });
    }
    // Cora sized (2708 rows, 13k entries) at width 16: row, one row per group to keep groups in flight.
    expect(chooseGspmmSchedule(uniform(2708, 5), 16, hw)).toEqual({ kind: 'row', vec4: true, rowsPerGroup: 1 });
  });

  it('a software adapter keeps the per-element kernel on uniform graphs, at every size and width', () => {
    for (const w of [4, 16, 64, 128, 256]) expect(chooseGspmmSchedule(uniform(1_000_000, 16), w, sw)).toEqual({ kind: 'element' });
  });

  it('a hub row holding most entries takes the balanced schedule', () => {
    const s = withHub(100_000, 4, 400_000);
    expect(s.maxDeg / s.nnz).toBeGreaterThan(0.4);
    const tile = rowsLayout(64, true).tile;
    expect(chooseGspmmSchedule(s, 64, hw)).toEqual({ kind: 'balanced', vec4: true, chunk: balancedChunk(400_000, tile), block: tile });
    expect(chooseGspmmSchedule(s, 17, hw)).toMatchObject({ kind: 'balanced', vec4: false });
    // On a software adapter only from width 64 and 2^25 entries x width.
    expect(chooseGspmmSchedule(s, 16, sw).kind).toBe('element');
    expect(chooseGspmmSchedule(withHub(20_000, 4, 80_000), 64, sw).kind).toBe('element'); // 160 000 x 64 < 2^25
    expect(chooseGspmmSchedule(s, 64, sw)).toMatchObject({ kind: 'balanced', vec4: true }); // 800 000 x 64
  });

  it('a modest hub (1% of the entries) is balanced on a GPU; a much shorter one is not', () => {
    expect(chooseGspmmSchedule(withHub(100_000, 10, 10_000), 64, hw).kind).toBe('balanced');
    // 0.1% of the entries: under hubShare, and the spread is small (cv well under 4).
    const small = withHub(1_000_000, 10, 10_000);
    expect(small.cv).toBeLessThan(4);
    expect(chooseGspmmSchedule(small, 64, hw).kind).toBe('row');
  });

  it('a long row that is not much longer than the mean, or shorter than minHub, is not a hub', () => {
    expect(chooseGspmmSchedule(withHub(1000, 3000, 6000), 64, hw).kind).toBe('row'); // twice the mean
    expect(chooseGspmmSchedule(withHub(1000, 50, 2000), 64, hw).kind).toBe('row'); // 40x the mean, under 2048
  });

  it('a heavy tail (cv > 4) with no dominant hub is balanced', () => {
    // 2 million rows of 1 and 500 of 3000: the longest holds 0.09% of the entries (under
    // hubShare), but the spread is huge.
    const lengths = [...Array.from({ length: 2_000_000 }, () => 1), ...Array.from({ length: 500 }, () => 3000)];
    const s = degreeStats(indptrOf(lengths));
    expect(s.maxDeg / s.nnz).toBeLessThan(scheduleThresholds.gpu.hubShare);
    expect(s.cv).toBeGreaterThan(4);
    expect(chooseGspmmSchedule(s, 16, hw).kind).toBe('balanced');
  });

  it('is a pure function of its inputs (the same structure always gets the same schedule)', () => {
    const s = withHub(50_000, 6, 70_000);
    const first = chooseGspmmSchedule(s, 32, hw);
    for (let i = 0; i < 5; i++) expect(chooseGspmmSchedule({ ...s }, 32, hw)).toEqual(first);
  });
});

describe('rowsPerGroup', () => {
  it('about a tile of entries per group, 1 to 64 rows, fewer where groups would run short', () => {
    const s = degreeStats(indptrOf(Array.from({ length: 1_000_000 }, () => 8)));
    expect(rowsPerGroup(s, 128, 4096)).toBe(16);
    expect(rowsPerGroup(s, 512, 16)).toBe(64);
    expect(rowsPerGroup(s, 4, 16)).toBe(1);
    expect(rowsPerGroup(degreeStats(indptrOf(Array.from({ length: 8192 }, () => 8))), 128, 4096)).toBe(2);
    expect(rowsPerGroup(degreeStats(indptrOf([0, 0, 0])), 128, 1)).toBe(3); // empty rows count as 1
  });
});

describe('balancedChunk', () => {
  it('about the square root of the longest row, a power of two in [256, 4096], at least the tile', () => {
    expect(balancedChunk(0)).toBe(256);
    expect(balancedChunk(65_536)).toBe(256);
    expect(balancedChunk(65_537)).toBe(512);
    expect(balancedChunk(1_000_000)).toBe(1024);
    expect(balancedChunk(1e9)).toBe(4096);
    expect(balancedChunk(100, 512)).toBe(512);
  });
});

describe('rowsLayout', () => {
  it('lanes per group, groups per workgroup, staged entries per group', () => {
    expect(rowsLayout(1, false)).toEqual({ lanes: 1, groups: 64, tile: 8 });
    expect(rowsLayout(5, false)).toEqual({ lanes: 5, groups: 12, tile: 42 });
    expect(rowsLayout(16, false)).toEqual({ lanes: 16, groups: 4, tile: 128 });
    expect(rowsLayout(16, true)).toEqual({ lanes: 4, groups: 16, tile: 32 });
    expect(rowsLayout(64, true)).toEqual({ lanes: 16, groups: 4, tile: 128 });
    expect(rowsLayout(100, false)).toEqual({ lanes: 64, groups: 1, tile: 512 });
    expect(rowsLayout(1024, true)).toEqual({ lanes: 64, groups: 1, tile: 512 });
  });

  it('never stages more than the kernels\' tile or uses more than their lanes', () => {
    for (let w = 1; w <= 300; w++) {
      for (const vec4 of w % 4 === 0 ? [false, true] : [false]) {
        const l = rowsLayout(w, vec4);
        expect(l.lanes * l.groups).toBeLessThanOrEqual(ROWS_WG);
        expect(l.groups * l.tile).toBeLessThanOrEqual(ROWS_TILE);
        expect(l.tile).toBeGreaterThanOrEqual(1);
      }
    }
  });
});

describe('chunkPlan', () => {
  const OUT = PLAN_OUT;
  it('covers every row in order: runs of short rows within the block, long rows in chunks with slots counting up', () => {
    // Rows of 3, 0, 10, 4, 5, 1 entries; chunk 4, block 4: rows 2 (3 chunks) and 4 (2 chunks) split.
    const plan = chunkPlan(indptrOf([3, 0, 10, 4, 5, 1]), 4, 4);
    expect(plan.slots).toBe(5);
    expect(Array.from(plan.items)).toEqual([
      0, 2, 0, 3, OUT, // rows 0 and 1 (3 entries)
      2, 3, 3, 7, 0,
      2, 3, 7, 11, 1,
      2, 3, 11, 13, 2,
      3, 4, 13, 17, OUT, // row 3 (4 entries: the block is full)
      4, 5, 17, 21, 3,
      4, 5, 21, 22, 4,
      5, 6, 22, 23, OUT,
    ]);
    expect(Array.from(plan.longRows)).toEqual([2, 0, 3, 10, 4, 3, 2, 5]);
  });

  it('a run closes before it would pass `block` entries or `block` rows', () => {
    const plan = chunkPlan(indptrOf([1, 1, 1, 0, 0, 0, 0, 2, 2]), 100, 3);
    const runs = [];
    for (let i = 0; i < plan.items.length; i += 5) runs.push([plan.items[i], plan.items[i + 1]]);
    // rows 0-2 (3 entries), 3-5 (3 rows), 6-7 (2 entries; adding row 8 would make 4), 8.
    expect(runs).toEqual([[0, 3], [3, 6], [6, 8], [8, 9]]);
    expect(plan.slots).toBe(0);
  });

  it('items tile the rows and the entries exactly once; chunks hold at most `chunk` entries', () => {
    const lengths = [0, 1, 255, 256, 257, 512, 513, 1000, 3, 0, 0, 7];
    const indptr = indptrOf(lengths);
    const plan = chunkPlan(indptr, 256, 64);
    let row = 0, entry = 0, slot = 0;
    for (let i = 0; i < plan.items.length; i += 5) {
      const [r0, r1, k0, k1, s] = plan.items.subarray(i, i + 5);
      expect(k0).toBe(entry);
      entry = k1;
      if (s === OUT) {
        expect(r0).toBe(row);
        expect([k0, k1]).toEqual([indptr[r0], indptr[r1]]);
        for (let r = r0; r < r1; r++) expect(lengths[r]).toBeLessThanOrEqual(256);
        row = r1;
      } else {
        expect(s).toBe(slot++);
        expect(r1).toBe(r0 + 1);
        expect(lengths[r0]).toBeGreaterThan(256);
        expect(k1 - k0).toBeLessThanOrEqual(256);
        if (k1 === indptr[r0 + 1]) row = r0 + 1;
      }
    }
    expect(row).toBe(lengths.length);
    expect(entry).toBe(indptr[lengths.length]);
    expect(slot).toBe(plan.slots);
    for (let j = 0; j < plan.longRows.length; j += 4) {
      const [r, first, n, count] = plan.longRows.subarray(j, j + 4);
      expect(count).toBe(lengths[r]);
      expect(n).toBe(Math.ceil(lengths[r] / 256));
      expect(plan.items[5 * Array.from({ length: plan.items.length / 5 }, (_, i) => i).find((i) => plan.items[5 * i + 4] === first)!]).toBe(r);
    }
  });

  it('no long rows: no slots; no rows: no items; a chunk below 1 is refused', () => {
    expect(chunkPlan(indptrOf([3, 4]), 4).slots).toBe(0);
    expect(chunkPlan(new Uint32Array([0]), 4).items.length).toBe(0);
    expect(() => chunkPlan(indptrOf([3]), 0)).toThrow();
  });
});

describe('scheduleName', () => {
  it('short names for the tables', () => {
    expect(scheduleName({ kind: 'element' })).toBe('element');
    expect(scheduleName({ kind: 'row', vec4: false, rowsPerGroup: 1 })).toBe('rowx1');
    expect(scheduleName({ kind: 'row', vec4: true, rowsPerGroup: 8 })).toBe('row4x8');
    expect(scheduleName({ kind: 'balanced', vec4: true, chunk: 1024, block: 64 })).toBe('balanced4/1024');
  });
});

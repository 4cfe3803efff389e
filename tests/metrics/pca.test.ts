import { describe, expect, it } from 'vitest';
import { pca2 } from '../../src/metrics/pca';
import { symmetricEigen } from '../../src/metrics/symEig';
import { TestRng } from '../helpers/random';

/** `count` orthonormal random directions in R^cols (Gram-Schmidt on random vectors). */
function orthonormal(rng: TestRng, cols: number, count: number): Float64Array[] {
  const out: Float64Array[] = [];
  while (out.length < count) {
    const v = Float64Array.from({ length: cols }, () => rng.uniform(-1, 1));
    for (const u of out) {
      const d = dot(u, v);
      for (let j = 0; j < cols; j++) v[j] -= d * u[j];
    }
    const n = Math.sqrt(dot(v, v));
    out.push(v.map((x) => x / n));
  }
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Rows t1 s1 d1 + t2 s2 d2 + ... + offset over a full factorial design t in {-1, 1}^k (repeated):
 * the t columns are exactly uncorrelated with mean 0 and variance 1, so the sample covariance is
 * exactly sum s_k^2 d_k d_k^T and the principal directions and variance shares are known in closed form.
 */
function factorial(dirs: readonly Float64Array[], scales: readonly number[], repeats: number, offset?: Float64Array) {
  const cols = dirs[0].length;
  const k = dirs.length;
  const rows = (1 << k) * repeats;
  const x = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const pattern = r % (1 << k);
    for (let j = 0; j < cols; j++) {
      let v = offset ? offset[j] : 0;
      for (let a = 0; a < k; a++) v += (pattern & (1 << a) ? 1 : -1) * scales[a] * dirs[a][j];
      x[r * cols + j] = v;
    }
  }
  return { x, rows, cols };
}

function component(c: Float32Array, k: number): Float64Array {
  return Float64Array.from({ length: c.length / 2 }, (_, j) => c[j * 2 + k]);
}

function expectUnit(v: Float64Array, tol = 1e-5) {
  expect(Math.abs(Math.sqrt(dot(v, v)) - 1)).toBeLessThan(tol);
}

/** coords must be exactly (X - mean) components, for every row. */
function expectProjection(x: Float32Array, rows: number, cols: number, out: ReturnType<typeof pca2>, tol: number) {
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j] += x[r * cols + j] / rows;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < 2; k++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += (x[r * cols + j] - mean[j]) * out.components[j * 2 + k];
      expect(Math.abs(out.coords[r * 2 + k] - s)).toBeLessThan(tol);
    }
  }
}

/** Scales 3, 1, 0.5: covariance eigenvalues 9, 1, 0.25 of a total 10.25. */
const SCALES = [3, 1, 0.5];

describe('pca2 on data with a known covariance', () => {
  // 5 columns: the covariance path; 300 dense: block Krylov on Xc; 500 mostly zero: the sparse products.
  for (const [label, cols, sparse] of [['narrow', 5, false], ['wide dense', 300, false], ['wide sparse', 500, true]] as const) {
    it(`${label}: the leading directions, their variance shares and the projection`, () => {
      const rng = new TestRng(cols);
      let dirs: Float64Array[];
      let offset: Float64Array;
      if (sparse) {
        const e = (entries: [number, number][]) => {
          const v = new Float64Array(cols);
          for (const [j, w] of entries) v[j] = w;
          return v;
        };
        dirs = [e([[3, 0.6], [40, 0.8]]), e([[10, Math.SQRT1_2], [20, -Math.SQRT1_2]]), e([[77, 1]])];
        offset = e([[7, 5], [3, 1]]);
      } else {
        dirs = orthonormal(rng, cols, 3);
        offset = Float64Array.from({ length: cols }, () => rng.uniform(-10, 10));
      }
      const { x, rows } = factorial(dirs, SCALES, 40, offset);
      const out = pca2(x, rows, cols);
      expect(out.coords.length).toBe(rows * 2);
      expect(out.components.length).toBe(cols * 2);
      for (let k = 0; k < 2; k++) {
        const c = component(out.components, k);
        expectUnit(c);
        expect(Math.abs(dot(c, dirs[k]))).toBeGreaterThan(1 - 1e-6);
      }
      expect(out.explained[0]).toBeCloseTo(9 / 10.25, 6);
      expect(out.explained[1]).toBeCloseTo(1 / 10.25, 6);
      expectProjection(x, rows, cols, out, 1e-4);
      // Coordinates are the design's t values times the scales (the offset is centred away).
      for (let r = 0; r < rows; r++) expect(Math.abs(out.coords[r * 2])).toBeCloseTo(3, 4);
    });
  }

  it('the Krylov path agrees with a full eigendecomposition of the covariance on random low-rank data', () => {
    const rng = new TestRng(11);
    const rows = 400, cols = 120;
    const dirs = orthonormal(rng, cols, 6);
    const x = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const w = [5, 3, 2, 1.5, 1, 0.5].map((s) => s * rng.uniform(-1, 1));
      for (let j = 0; j < cols; j++) {
        let v = 0.01 * rng.uniform(-1, 1);
        for (let a = 0; a < 6; a++) v += w[a] * dirs[a][j];
        x[r * cols + j] = v;
      }
    }
    const mean = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j] += x[r * cols + j] / rows;
    const cov = new Float64Array(cols * cols);
    for (let r = 0; r < rows; r++) {
      for (let a = 0; a < cols; a++) {
        for (let b = 0; b < cols; b++) cov[a * cols + b] += ((x[r * cols + a] - mean[a]) * (x[r * cols + b] - mean[b])) / rows;
      }
    }
    const ref = symmetricEigen(cov, cols);
    let trace = 0;
    for (let a = 0; a < cols; a++) trace += cov[a * cols + a];

    const out = pca2(x, rows, cols);
    for (let k = 0; k < 2; k++) {
      const idx = cols - 1 - k;
      const expected = ref.vectors!.subarray(idx * cols, (idx + 1) * cols);
      expect(Math.abs(dot(component(out.components, k), expected))).toBeGreaterThan(1 - 1e-6);
      expect(out.explained[k]).toBeCloseTo(ref.values[idx] / trace, 6);
    }
    expectProjection(x, rows, cols, out, 1e-4);
  });

  it('two equal leading variances: the components span their plane', () => {
    for (const cols of [4, 150]) {
      const rng = new TestRng(5);
      const dirs = orthonormal(rng, cols, 3);
      const { x, rows } = factorial(dirs, [2, 2, 1], 30);
      const out = pca2(x, rows, cols);
      for (let k = 0; k < 2; k++) {
        const c = component(out.components, k);
        expectUnit(c);
        expect(dot(c, dirs[0]) ** 2 + dot(c, dirs[1]) ** 2).toBeGreaterThan(1 - 1e-6);
      }
      expect(Math.abs(dot(component(out.components, 0), component(out.components, 1)))).toBeLessThan(1e-6);
      expect(out.explained[0]).toBeCloseTo(4 / 9, 6);
      expect(out.explained[1]).toBeCloseTo(4 / 9, 6);
    }
  });
});

describe('pca2 frames stay aligned', () => {
  /** Random data with clearly separated variances along random directions, plus noise. */
  function frame(rng: TestRng, dirs: Float64Array[], rows: number, noise: number, scales = [3, 2, 0.5]) {
    const cols = dirs[0].length;
    const x = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const w = scales.map((s) => s * rng.uniform(-1, 1));
      for (let j = 0; j < cols; j++) {
        let v = noise * rng.uniform(-1, 1);
        for (let a = 0; a < w.length; a++) v += w[a] * dirs[a][j];
        x[r * cols + j] = v;
      }
    }
    return x;
  }

  it('without `previous`, each component has its largest-magnitude entry positive', () => {
    const rng = new TestRng(2);
    const dirs = orthonormal(rng, 8, 3);
    const out = pca2(frame(rng, dirs, 200, 0.05), 200, 8);
    for (let k = 0; k < 2; k++) {
      const c = component(out.components, k);
      const at = c.reduce((best, v, j) => (Math.abs(v) > Math.abs(c[best]) ? j : best), 0);
      expect(c[at]).toBeGreaterThan(0);
    }
  });

  for (const cols of [8, 200]) {
    it(`perturbed frames never flip (${cols} columns)`, () => {
      const rng = new TestRng(3);
      const rows = 300;
      const base = frame(rng, orthonormal(rng, cols, 3), rows, 0.05);
      let previous: Float32Array | undefined;
      let previousCoords: Float32Array | undefined;
      const mirrored = (epoch: number) => epoch >= 4 && epoch < 8;
      for (let epoch = 0; epoch < 12; epoch++) {
        // Each frame: the same points moved a little, and the whole cloud drifting.
        const x = base.map((v, i) => v + 0.05 * rng.uniform(-1, 1) + 0.01 * epoch * (i % cols));
        // A mirrored cloud (-x) has the same components up to sign: alignment must keep the
        // components, so that the points, not the axes, mirror.
        const data = mirrored(epoch) ? x.map((v) => -v) : x;
        const out = pca2(data, rows, cols, { previous });
        if (previous) {
          for (let k = 0; k < 2; k++) {
            expect(dot(component(out.components, k), component(previous, k))).toBeGreaterThan(0.95);
            const c = dot(
              Float64Array.from({ length: rows }, (_, r) => out.coords[r * 2 + k]),
              Float64Array.from({ length: rows }, (_, r) => previousCoords![r * 2 + k]),
            );
            expect(mirrored(epoch) === mirrored(epoch - 1) ? c : -c).toBeGreaterThan(0);
          }
        }
        previous = out.components;
        previousCoords = out.coords;
      }
    });
  }

  it('follows the previous frame through a crossing of the two variances (order) and its signs', () => {
    for (const cols of [6, 120]) {
      const rng = new TestRng(4);
      const dirs = orthonormal(rng, cols, 3);
      const a = factorial(dirs, [2, 1.9, 0.5], 20);
      const b = factorial(dirs, [1.9, 2, 0.5], 20);
      const first = pca2(a.x, a.rows, cols);
      expect(Math.abs(dot(component(first.components, 0), dirs[0]))).toBeGreaterThan(1 - 1e-6);

      const alone = pca2(b.x, b.rows, cols);
      expect(Math.abs(dot(component(alone.components, 0), dirs[1]))).toBeGreaterThan(1 - 1e-6);
      expect(alone.explained[0]).toBeGreaterThan(alone.explained[1]);

      const followed = pca2(b.x, b.rows, cols, { previous: first.components });
      for (let k = 0; k < 2; k++) {
        expect(dot(component(followed.components, k), component(first.components, k))).toBeGreaterThan(1 - 1e-6);
      }
      expect(followed.explained[0]).toBeCloseTo(1.9 ** 2 / (1.9 ** 2 + 4 + 0.25), 6);
      expect(followed.explained[1]).toBeCloseTo(4 / (1.9 ** 2 + 4 + 0.25), 6);

      const negated = first.components.map((v) => -v);
      const flipped = pca2(a.x, a.rows, cols, { previous: negated });
      for (let i = 0; i < flipped.components.length; i++) expect(flipped.components[i]).toBeCloseTo(-first.components[i], 5);
      for (let i = 0; i < flipped.coords.length; i++) expect(flipped.coords[i]).toBeCloseTo(-first.coords[i], 4);
    }
  });
});

describe('pca2 on degenerate input', () => {
  const finite = (a: Float32Array) => a.every((v) => Number.isFinite(v));

  it('all rows equal: zero coordinates, zero components, nothing explained', () => {
    for (const cols of [1, 3, 100]) {
      const rows = 50;
      const x = new Float32Array(rows * cols).map((_, i) => 0.3 + (i % cols));
      for (const previous of [undefined, new Float32Array(cols * 2).fill(0.5)]) {
        const out = pca2(x, rows, cols, { previous });
        expect(Array.from(out.coords)).toEqual(new Array(rows * 2).fill(0));
        expect(Array.from(out.components)).toEqual(new Array(cols * 2).fill(0));
        expect(out.explained).toEqual([0, 0]);
      }
    }
  });

  it('rank 1: the second coordinate is exactly 0', () => {
    for (const cols of [2, 7, 300]) {
      const rng = new TestRng(cols);
      const [d] = orthonormal(rng, cols, 1);
      const rows = 120;
      const t = Float64Array.from({ length: rows }, () => rng.uniform(-3, 3));
      const x = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) x[r * cols + j] = 1 + t[r] * d[j];
      const out = pca2(x, rows, cols);
      expect(finite(out.coords) && finite(out.components)).toBe(true);
      expect(Math.abs(dot(component(out.components, 0), d))).toBeGreaterThan(1 - 1e-6);
      expect(out.explained[0]).toBeCloseTo(1, 6);
      expect(out.explained[1]).toBe(0);
      for (let r = 0; r < rows; r++) expect(out.coords[r * 2 + 1]).toBe(0);
      expect(Array.from(component(out.components, 1))).toEqual(new Array(cols).fill(0));
    }
  });

  it('one column: the second coordinate is 0 and the first is the centred value', () => {
    const x = Float32Array.from([1, 2, 3, 6]);
    const out = pca2(x, 4, 1);
    expect(Array.from(out.components)).toEqual([1, 0]);
    expect(Array.from(out.coords)).toEqual([-2, 0, -1, 0, 0, 0, 3, 0]);
    expect(out.explained).toEqual([1, 0]);
  });

  it('empty and single-row input', () => {
    expect(pca2(new Float32Array(0), 0, 4)).toEqual({ coords: new Float32Array(0), components: new Float32Array(8), explained: [0, 0] });
    expect(pca2(new Float32Array(0), 3, 0)).toEqual({ coords: new Float32Array(6), components: new Float32Array(0), explained: [0, 0] });
    expect(pca2(Float32Array.from([1, 2, 3]), 1, 3)).toEqual({ coords: new Float32Array(2), components: new Float32Array(6), explained: [0, 0] });
  });

  it('throws on NaN or Inf, in fitted rows or only in projected ones, and on mismatched sizes', () => {
    const x = new Float32Array(40).map((_, i) => Math.sin(i));
    const bad = x.slice();
    bad[13] = NaN;
    expect(() => pca2(bad, 10, 4)).toThrow(/NaN or Inf/);
    bad[13] = Infinity;
    expect(() => pca2(bad, 10, 4)).toThrow(/NaN or Inf/);
    // With maxRows 1, most rows are only projected.
    const late = x.slice();
    for (let r = 0; r < 10; r++) late[r * 4] = r === 0 ? 0 : NaN;
    expect(() => pca2(late, 10, 4, { maxRows: 1 })).toThrow(/NaN or Inf/);
    expect(() => pca2(x, 10, 5)).toThrow(/expected 50 values/);
    expect(() => pca2(x, 10, 4, { previous: new Float32Array(4) })).toThrow(/cols \* 2 = 8/);
    expect(() => pca2(x, 10, 4, { maxRows: 0 })).toThrow(/maxRows/);
  });
});

describe('pca2 subsampling', () => {
  it('fits on a seeded sample, projects and centres every row, and is deterministic', () => {
    const rng = new TestRng(9);
    const cols = 6;
    const dirs = orthonormal(rng, cols, 3);
    const { x, rows } = factorial(dirs, SCALES, 400); // 3200 rows
    const a = pca2(x, rows, cols, { maxRows: 500, seed: 1 });
    const again = pca2(x, rows, cols, { maxRows: 500, seed: 1 });
    expect(again).toEqual(a);
    expect(a.coords.length).toBe(rows * 2);
    expect(Math.abs(dot(component(a.components, 0), dirs[0]))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(component(a.components, 1), dirs[1]))).toBeGreaterThan(0.99);
    for (let k = 0; k < 2; k++) {
      let mean = 0;
      for (let r = 0; r < rows; r++) mean += a.coords[r * 2 + k] / rows;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
    }
    expectProjection(x, rows, cols, a, 1e-4);
    const other = pca2(x, rows, cols, { maxRows: 500, seed: 2 });
    expect(Math.abs(dot(component(other.components, 0), component(a.components, 0)))).toBeGreaterThan(0.999);
  });
});

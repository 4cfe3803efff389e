import type { Csr } from '../graph/types';

/**
 * Over-smoothing measures of node embeddings: `x` is row-major, one row per node of the in-edge
 * CSR `a` (row i lists the sources of i's incoming edges). Sums run in float64 over the float32
 * values. Edge weights (`a.values`) are ignored: these measure how far the embeddings are from
 * constant over the graph's structure, not through any one model's propagation matrix.
 */

export interface EnergyOptions {
  /**
   * Divide each row by sqrt(1 + d_i) first (default true): the Dirichlet energy of Cai and Wang
   * (2020), tr(X^T (I - D~^-1/2 A~ D~^-1/2) X) with A~ = A + I, the Laplacian whose spectrum GCN
   * filters. false gives the plain form of Rusch, Bronstein and Mishra's survey (2023).
   */
  readonly normalized?: boolean;
}

/**
 * E(X) = (1/N) sum_i sum_{j in N(i)} || x_i / sqrt(1 + d_i) - x_j / sqrt(1 + d_j) ||^2,
 * N(i) the sources of i's in-edges other than i itself and d_i their count (a self loop adds
 * nothing to the sum, so it is not a neighbour). An undirected edge is listed both ways and so
 * counts twice, which makes E = (2 / N) tr(X^T L~ X) on a symmetric graph.
 *
 * Why 1 + d rather than d: the renormalized degrees are never 0, so isolated nodes (degree 0)
 * contribute nothing instead of dividing by zero, and the vector GCN's propagation converges to
 * as depth grows (proportional to sqrt(1 + d_i)) has energy exactly 0, so E -> 0 is
 * over-smoothing in the sense of Cai and Wang's theorem. Constant embeddings have energy 0 only
 * on regular graphs in this form; the plain form (normalized: false) is 0 for any constant X.
 * The energy scales with ||X||^2, as both papers define it. Cost: O(nnz * cols).
 */
export function dirichletEnergy(a: Csr, x: Float32Array, cols: number, options: EnergyOptions = {}): number {
  const n = a.rows;
  if (a.cols !== n) throw new Error(`dirichletEnergy: the adjacency must be square, got ${a.rows} x ${a.cols}`);
  if (x.length !== n * cols) throw new Error(`dirichletEnergy: expected ${n * cols} values for ${n} x ${cols}, got ${x.length}`);
  if (n === 0) return 0;
  const { indptr, indices } = a;
  const scale = new Float64Array(n).fill(1);
  if (options.normalized ?? true) {
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let k = indptr[i]; k < indptr[i + 1]; k++) if (indices[k] !== i) d++;
      scale[i] = 1 / Math.sqrt(1 + d);
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const si = scale[i], bi = i * cols;
    for (let k = indptr[i]; k < indptr[i + 1]; k++) {
      const j = indices[k];
      if (j === i) continue;
      const sj = scale[j], bj = j * cols;
      for (let c = 0; c < cols; c++) {
        const diff = x[bi + c] * si - x[bj + c] * sj;
        total += diff * diff;
      }
    }
  }
  return total / n;
}

/**
 * Unit rows in float64, and which rows are zero. Cosine distance needs a direction; a row of
 * exact zeros (a dead ReLU unit everywhere, common deep in a plain GCN) has none, so by our
 * convention two zero rows are at distance 0 (they are the same point: collapse) and a zero row
 * is at distance 1 from any other row (as if orthogonal). scikit-learn, which Chen et al.'s code
 * uses, puts two zero rows at distance 1, which would call a fully collapsed layer spread out.
 */
function unitRows(x: Float32Array, rows: number, cols: number): { unit: Float64Array; zero: Uint8Array } {
  if (x.length !== rows * cols) throw new Error(`mad: expected ${rows * cols} values for ${rows} x ${cols}, got ${x.length}`);
  const unit = new Float64Array(rows * cols);
  const zero = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    let sq = 0;
    for (let c = 0; c < cols; c++) sq += x[b + c] * x[b + c];
    if (sq === 0) {
      zero[r] = 1;
      continue;
    }
    const inv = 1 / Math.sqrt(sq);
    for (let c = 0; c < cols; c++) unit[b + c] = x[b + c] * inv;
  }
  return { unit, zero };
}

function cosineDistance(unit: Float64Array, zero: Uint8Array, cols: number, i: number, j: number): number {
  if (zero[i] || zero[j]) return zero[i] && zero[j] ? 0 : 1;
  let dot = 0;
  for (let c = 0; c < cols; c++) dot += unit[i * cols + c] * unit[j * cols + c];
  return 1 - dot;
}

/**
 * Global MAD (Chen et al., AAAI 2020): the mean over nodes of each node's mean cosine distance
 * 1 - cos(x_i, x_j) to the N - 1 other nodes; 0 when every row points the same way, 1 for
 * orthogonal rows, at most 2. Zero rows: see `unitRows`.
 *
 * Exact, and O(N * cols) rather than O(N^2 * cols), so no row sample is needed at any size: the
 * cosine of unit rows is a dot product, and the sum of u_i . u_j over all pairs is ||sum u||^2.
 * With z zero rows and m = N - z others, the sum over ordered pairs i != j of the distance is
 * m (N - 1) + sum ||u_i||^2 - ||sum u_i||^2 + z m (the zero rows' distance 1 to the m others).
 *
 * Chen et al.'s code divides each node's sum by its count of nonzero distances, so identical
 * pairs are left out of the mean; here they count as 0, which is what collapse looks like.
 */
export function madGlobal(x: Float32Array, rows: number, cols: number): number {
  const { unit, zero } = unitRows(x, rows, cols);
  if (rows < 2) return 0;
  const sum = new Float64Array(cols);
  let z = 0, squares = 0;
  for (let r = 0; r < rows; r++) {
    if (zero[r]) {
      z++;
      continue;
    }
    for (let c = 0; c < cols; c++) {
      const u = unit[r * cols + c];
      sum[c] += u;
      squares += u * u;
    }
  }
  let norm2 = 0;
  for (let c = 0; c < cols; c++) norm2 += sum[c] * sum[c];
  const m = rows - z;
  const pairs = m * (rows - 1) + squares - norm2 + z * m;
  return Math.max(0, pairs) / (rows * (rows - 1));
}

/**
 * MAD masked to neighbours (Chen et al.'s MAD with the 1-hop mask): each node's mean cosine
 * distance to the sources of its in-edges (self loops left out, repeated edges counted as
 * listed), averaged over the nodes that have any; nodes without neighbours have no mean and are
 * left out, as in Chen et al. 0 for a graph without edges. Cost: O(nnz * cols).
 */
export function madNeighbours(a: Csr, x: Float32Array, cols: number): number {
  const n = a.rows;
  if (a.cols !== n) throw new Error(`madNeighbours: the adjacency must be square, got ${a.rows} x ${a.cols}`);
  const { unit, zero } = unitRows(x, n, cols);
  let total = 0, counted = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0, deg = 0;
    for (let k = a.indptr[i]; k < a.indptr[i + 1]; k++) {
      const j = a.indices[k];
      if (j === i) continue;
      sum += cosineDistance(unit, zero, cols, i, j);
      deg++;
    }
    if (deg > 0) {
      total += Math.max(0, sum / deg);
      counted++;
    }
  }
  return counted > 0 ? total / counted : 0;
}

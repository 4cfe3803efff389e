import type { Csr } from '../graph/types';
import { symmetricEigen } from './symEig';

/**
 * The largest graph whose spectrum is computed. A dense n x n eigendecomposition costs O(n^3):
 * about half a second at 600 nodes here, and it grows eightfold per doubling. Karate (34) and
 * single molecules fit; Cora (2708) does not.
 */
export const SPECTRAL_MAX_NODES = 600;

export interface LaplacianOptions {
  /**
   * The Laplacian of GCN's renormalized adjacency (Kipf and Welling's "renormalization trick"):
   * I - D~^-1/2 (A + I) D~^-1/2, the matrix whose eigenvalues lambda~ GCN and SGC filter.
   * Default false: the symmetric normalized Laplacian I - D^-1/2 A D^-1/2 (ChebNet's).
   */
  readonly renormalized?: boolean;
}

export interface Laplacian {
  readonly n: number;
  readonly renormalized: boolean;
  /** Row-major n x n. */
  readonly matrix: Float64Array;
  /** The input was not symmetric and (A + A^T) / 2 was used instead. */
  readonly symmetrized: boolean;
}

export interface Spectrum extends Laplacian {
  /** Ascending, clamped to [0, 2] (rounding can put an exact 0 at -1e-16). */
  readonly eigenvalues: Float64Array;
  /**
   * Row k (`eigenvectors[k * n + i]`, see `eigenvector`) is the unit eigenvector of eigenvalues[k],
   * signed so its largest-magnitude entry (the first, among ties) is positive, so that a graph
   * always shows the same picture. Within a repeated eigenvalue the basis is the solver's choice.
   */
  readonly eigenvectors: Float64Array;
}

/**
 * The symmetric normalized Laplacian of the graph `a` (rows = destinations as in `Graph.inCsr`;
 * `values` are edge weights, 1 where absent; repeated entries add up), built densely in float64.
 *
 * It follows the normalizations the models use (src/graph/normalize.ts), so the spectrum shown is
 * the one they filter:
 * - plain (ChebConv, PyG's get_laplacian): self loops are dropped first;
 * - renormalized (GCNConv's gcnNorm): a node's existing self loop keeps its weight (the last one,
 *   if stored twice), every other node gets a loop of weight 1.
 * A node with no edges has degree 0, and D^-1/2 is taken as 0 there (PyG's inf -> 0), so its row of
 * D^-1/2 A D^-1/2 is zero: in the plain Laplacian it is a row of the identity (eigenvalue 1, a
 * signal no neighbour averages), in the renormalized one its loop makes it 0 (eigenvalue 0, GCN
 * passes its features through unchanged). So the multiplicity of eigenvalue 0 counts the connected
 * components with at least one edge (plain), or all of them (renormalized).
 */
export function normalizedLaplacian(a: Csr, options: LaplacianOptions = {}): Laplacian {
  const renormalized = options.renormalized ?? false;
  const n = a.rows;
  if (a.cols !== n) throw new Error(`normalizedLaplacian: the adjacency must be square, got ${a.rows} x ${a.cols}`);
  if (n > SPECTRAL_MAX_NODES) {
    throw new Error(`normalizedLaplacian: ${n} nodes is above the ${SPECTRAL_MAX_NODES} the dense eigensolver allows (its cost grows as n^3)`);
  }
  const adj = new Float64Array(n * n);
  const loop = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    for (let k = a.indptr[i]; k < a.indptr[i + 1]; k++) {
      const j = a.indices[k];
      const w = a.values ? a.values[k] : 1;
      if (j >= n) throw new Error(`normalizedLaplacian: row ${i} names node ${j}, but the graph has ${n}`);
      if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`normalizedLaplacian: edge ${j} -> ${i} has weight ${w}; weights must be finite and nonnegative`);
      if (j === i) loop[i] = w;
      else adj[i * n + j] += w;
    }
  }

  let symmetrized = false;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const x = adj[i * n + j];
      const y = adj[j * n + i];
      if (x !== y) {
        symmetrized = true;
        adj[i * n + j] = adj[j * n + i] = (x + y) / 2;
      }
    }
    if (renormalized) adj[i * n + i] = loop[i];
  }

  const dis = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let j = 0; j < n; j++) d += adj[i * n + j];
    dis[i] = d > 0 ? 1 / Math.sqrt(d) : 0;
  }
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) matrix[i * n + j] = (i === j ? 1 : 0) - dis[i] * adj[i * n + j] * dis[j];
  }
  return { n, renormalized, matrix, symmetrized };
}

/** Every eigenvalue and eigenvector of `normalizedLaplacian(a, options)`. */
export function laplacianSpectrum(a: Csr, options: LaplacianOptions = {}): Spectrum {
  const lap = normalizedLaplacian(a, options);
  const { n } = lap;
  const { values, vectors } = symmetricEigen(lap.matrix, n);
  const eigenvectors = vectors!;
  for (let k = 0; k < n; k++) {
    values[k] = Math.min(2, Math.max(0, values[k]));
    const v = eigenvectors.subarray(k * n, (k + 1) * n);
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(v[i]));
    // Ties to within rounding (a ring's eigenvectors have many) go to the first such entry.
    let at = 0;
    while (at < n - 1 && Math.abs(v[at]) < max - 1e-12) at++;
    if (v[at] < 0) for (let i = 0; i < n; i++) v[i] = -v[i];
  }
  return { ...lap, eigenvalues: values, eigenvectors };
}

/** Eigenvector k of a spectrum, one value per node (a view, not a copy). */
export function eigenvector(s: Spectrum, k: number): Float64Array {
  if (!Number.isInteger(k) || k < 0 || k >= s.n) throw new Error(`eigenvector: index ${k} is outside 0..${s.n - 1}`);
  return s.eigenvectors.subarray(k * s.n, (k + 1) * s.n);
}

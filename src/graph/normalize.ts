import { csrToDense, csrValue } from './csr';
import type { Csr, Features } from './types';

/**
 * PyTorch Geometric's `gcn_norm` on an in-edge CSR (row = destination, entries = sources):
 * `add_remaining_self_loops` with fill value 1 (a node's existing self loop keeps its weight,
 * the last one if it has several), deg[i] = total weight into i, and entry src -> dst becomes
 * deg^-1/2[src] * w * deg^-1/2[dst], with deg 0 giving 0 like PyG's inf -> 0 mask.
 * Each row of the result lists its sources in ascending order (the self loop among them) and
 * has its own values and no `perm`. Float64 arithmetic, so only the final float32 store rounds.
 */
export function gcnNorm(inCsr: Csr, opts: { addSelfLoops?: boolean; norm?: 'sym' | 'row' } = {}): Csr {
  const addSelfLoops = opts.addSelfLoops ?? true;
  const row = opts.norm === 'row';
  const { rows: n, cols, indptr: ip, indices: src } = inCsr;
  if (addSelfLoops && n !== cols) throw new Error(`gcnNorm: self loops need a square matrix, got ${n} x ${cols}`);

  const loop = new Float64Array(addSelfLoops ? n : 0).fill(1);
  const indptr = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let kept = addSelfLoops ? 1 : 0;
    for (let k = ip[i]; k < ip[i + 1]; k++) {
      if (addSelfLoops && src[k] === i) loop[i] = csrValue(inCsr, k);
      else kept++;
    }
    indptr[i + 1] = indptr[i] + kept;
  }

  const nnz = indptr[n];
  const indices = new Uint32Array(nnz);
  const w = new Float64Array(nnz);
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const entries: { s: number; w: number }[] = [];
    for (let k = ip[i]; k < ip[i + 1]; k++) {
      if (!(addSelfLoops && src[k] === i)) entries.push({ s: src[k], w: csrValue(inCsr, k) });
    }
    if (addSelfLoops) entries.push({ s: i, w: loop[i] });
    entries.sort((a, b) => a.s - b.s); // stable, so repeated sources keep their order
    entries.forEach((en, j) => {
      indices[indptr[i] + j] = en.s;
      w[indptr[i] + j] = en.w;
      deg[i] += en.w;
    });
  }

  const dis = deg.map((d) => (d === 0 ? 0 : 1 / Math.sqrt(d)));
  const values = new Float32Array(nnz);
  for (let i = 0; i < n; i++) {
    for (let k = indptr[i]; k < indptr[i + 1]; k++) {
      // Row normalization (a mean over in-edges, D^-1 A) weighs by the destination's degree only.
      values[k] = row ? (deg[i] === 0 ? 0 : w[k] / deg[i]) : dis[indices[k]] * w[k] * dis[i];
    }
  }
  return { rows: n, cols, indptr, indices, values };
}

/** The CSR without entries from a node to itself (PyG's `remove_self_loops`); values kept. */
export function removeSelfLoops(a: Csr): Csr {
  const indptr = new Uint32Array(a.rows + 1);
  const indices: number[] = [], values: number[] = [];
  for (let r = 0; r < a.rows; r++) {
    for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) {
      if (a.indices[k] === r) continue;
      indices.push(a.indices[k]);
      values.push(csrValue(a, k));
    }
    indptr[r + 1] = indices.length;
  }
  return { rows: a.rows, cols: a.cols, indptr, indices: Uint32Array.from(indices), values: a.values ? Float32Array.from(values) : undefined };
}

/**
 * GATConv's structure: `remove_self_loops` then `add_self_loops`, each node's loop last in its
 * row (PyG appends the loops after the edges; a softmax does not care where they sit).
 */
export function withSelfLoops(a: Csr): Csr {
  const b = removeSelfLoops({ ...a, values: undefined });
  const indptr = new Uint32Array(a.rows + 1);
  const indices = new Uint32Array(b.indices.length + a.rows);
  for (let r = 0; r < a.rows; r++) {
    const start = indptr[r];
    const len = b.indptr[r + 1] - b.indptr[r];
    indices.set(b.indices.subarray(b.indptr[r], b.indptr[r + 1]), start);
    indices[start + len] = r;
    indptr[r + 1] = start + len + 1;
  }
  return { rows: a.rows, cols: a.cols, indptr, indices };
}

/**
 * ChebConv's scaled Laplacian with lambda_max = 2 (PyG's default for symmetric normalization):
 * 2L/2 - I = -D^-1/2 A D^-1/2, self loops removed first so the diagonal is 0.
 */
export function chebNorm(inCsr: Csr): Csr {
  const a = gcnNorm(removeSelfLoops(inCsr), { addSelfLoops: false });
  return { ...a, values: a.values!.map((v) => -v) };
}

/**
 * PyG's `T.NormalizeFeatures()`: subtract the global minimum, then divide each row by its sum
 * clamped below at 1 (so all-zero rows stay zero, and so do rows summing to less than 1, as in
 * PyG). For nonnegative sparse features (every dataset here) the shift is a no-op and the
 * result stays sparse with the same structure; a negative entry would make every implicit zero
 * positive, so that case comes back dense.
 */
export function rowNormalize(f: Features): Features {
  if (f.kind === 'dense') return { ...f, data: normalizeRows(f.data, f.rows, f.cols) };
  const a = f.csr;
  const nnz = a.indices.length;
  if (a.rows * a.cols === 0) return f;
  let min = nnz < a.rows * a.cols ? 0 : Infinity;
  for (let k = 0; k < nnz; k++) min = Math.min(min, csrValue(a, k));
  if (min < 0) return { kind: 'dense', rows: a.rows, cols: a.cols, data: normalizeRows(csrToDense(a), a.rows, a.cols) };

  const values = new Float32Array(nnz);
  for (let r = 0; r < a.rows; r++) {
    let sum = 0;
    for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) sum += csrValue(a, k) - min;
    const denom = Math.max(sum, 1);
    for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) values[k] = (csrValue(a, k) - min) / denom;
  }
  return { kind: 'sparse', csr: { rows: a.rows, cols: a.cols, indptr: a.indptr, indices: a.indices, values } };
}

function normalizeRows(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  if (data.length === 0) return out;
  const min = data.reduce((m, x) => Math.min(m, x), Infinity);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += data[r * cols + c] - min;
    const denom = Math.max(sum, 1);
    for (let c = 0; c < cols; c++) out[r * cols + c] = (data[r * cols + c] - min) / denom;
  }
  return out;
}

import type { Csr, Features } from './types';

/**
 * Row edits on a feature matrix, so a draft's 'given' features follow its nodes when nodes are
 * added or removed. Both return new matrices; the input is never written.
 */

/** The matrix with one more row, all zeros (a node drawn by hand has no known features). */
export function appendZeroRow(f: Features): Features {
  if (f.kind === 'dense') {
    const data = new Float32Array((f.rows + 1) * f.cols);
    data.set(f.data);
    return { kind: 'dense', rows: f.rows + 1, cols: f.cols, data };
  }
  const a = f.csr;
  const indptr = new Uint32Array(a.rows + 2);
  indptr.set(a.indptr);
  indptr[a.rows + 1] = a.indptr[a.rows];
  return { kind: 'sparse', csr: { ...plain(a), rows: a.rows + 1, indptr } };
}

/** Only the rows where `keep[r]` is set, in their order. */
export function keepRows(f: Features, keep: ArrayLike<boolean | number>): Features {
  const rows: number[] = [];
  for (let r = 0; r < keep.length; r++) if (keep[r]) rows.push(r);
  if (f.kind === 'dense') {
    const data = new Float32Array(rows.length * f.cols);
    rows.forEach((r, i) => data.set(f.data.subarray(r * f.cols, (r + 1) * f.cols), i * f.cols));
    return { kind: 'dense', rows: rows.length, cols: f.cols, data };
  }
  const a = f.csr;
  const indptr = new Uint32Array(rows.length + 1);
  rows.forEach((r, i) => (indptr[i + 1] = indptr[i] + a.indptr[r + 1] - a.indptr[r]));
  const nnz = indptr[rows.length];
  const indices = new Uint32Array(nnz);
  const values = a.values ? new Float32Array(nnz) : undefined;
  rows.forEach((r, i) => {
    const from = a.indptr[r];
    const to = a.indptr[r + 1];
    indices.set(a.indices.subarray(from, to), indptr[i]);
    if (values) for (let k = from; k < to; k++) values[indptr[i] + k - from] = a.values![a.perm ? a.perm[k] : k];
  });
  return { kind: 'sparse', csr: { rows: rows.length, cols: a.cols, indptr, indices, ...(values ? { values } : {}) } };
}

export function featureRows(f: Features): number {
  return f.kind === 'dense' ? f.rows : f.csr.rows;
}

/** A CSR that owns its values (no `perm` into another matrix's values). */
function plain(a: Csr): Csr {
  if (!a.perm || !a.values) return { rows: a.rows, cols: a.cols, indptr: a.indptr, indices: a.indices, ...(a.values ? { values: a.values } : {}) };
  const values = Float32Array.from(a.perm, (p) => a.values![p]);
  return { rows: a.rows, cols: a.cols, indptr: a.indptr, indices: a.indices, values };
}

import type { Csr } from './types';

/**
 * Builds a CSR with one row per `rowOf[k]` from coordinate lists. Entries keep their input order
 * within a row (a stable counting sort), so a list already sorted by (row, col) stays as it is.
 */
export function csrFromCoo(
  rows: number,
  cols: number,
  rowOf: ArrayLike<number>,
  colOf: ArrayLike<number>,
  values?: ArrayLike<number>,
): Csr {
  const nnz = rowOf.length;
  const indptr = new Uint32Array(rows + 1);
  for (let k = 0; k < nnz; k++) indptr[rowOf[k] + 1]++;
  for (let r = 0; r < rows; r++) indptr[r + 1] += indptr[r];
  const next = indptr.slice(0, rows);
  const indices = new Uint32Array(nnz);
  const vals = values ? new Float32Array(nnz) : undefined;
  for (let k = 0; k < nnz; k++) {
    const at = next[rowOf[k]]++;
    indices[at] = colOf[k];
    if (vals) vals[at] = values![k];
  }
  return { rows, cols, indptr, indices, values: vals };
}

/**
 * The transpose, with `perm[k]` = the position in `a` of the entry that became entry k, so the
 * transpose can read `a`'s values (even values rewritten later) without a copy. Rows of the
 * result list their columns in ascending order.
 */
export function transposeCsr(a: Csr): Csr {
  const nnz = a.indices.length;
  const indptr = new Uint32Array(a.cols + 1);
  for (let k = 0; k < nnz; k++) indptr[a.indices[k] + 1]++;
  for (let c = 0; c < a.cols; c++) indptr[c + 1] += indptr[c];
  const next = indptr.slice(0, a.cols);
  const indices = new Uint32Array(nnz);
  const perm = new Uint32Array(nnz);
  for (let r = 0; r < a.rows; r++) {
    for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) {
      const at = next[a.indices[k]]++;
      indices[at] = r;
      perm[at] = a.perm ? a.perm[k] : k;
    }
  }
  return { rows: a.cols, cols: a.rows, indptr, indices, values: a.values, perm };
}

/** The value of stored entry k, following `perm` and treating missing values as 1. */
export function csrValue(a: Csr, k: number): number {
  if (!a.values) return 1;
  return a.values[a.perm ? a.perm[k] : k];
}

export function csrToDense(a: Csr): Float32Array {
  const out = new Float32Array(a.rows * a.cols);
  for (let r = 0; r < a.rows; r++) {
    for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) out[r * a.cols + a.indices[k]] += csrValue(a, k);
  }
  return out;
}

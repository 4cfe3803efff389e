import { transposeCsr } from '../graph/csr';
import type { Csr } from '../graph/types';
import type { Backend } from './backend';
import type { Adjacency } from './graphOps';

/** Uploads a CSR's structure, its transpose and the inverse row counts message passing needs. */
export function uploadAdjacency(backend: Backend, csr: Csr): Adjacency {
  const invDeg = new Float32Array(csr.rows);
  for (let r = 0; r < csr.rows; r++) {
    const d = csr.indptr[r + 1] - csr.indptr[r];
    invDeg[r] = d > 0 ? 1 / d : 0;
  }
  return {
    a: backend.sparse(csr),
    aT: backend.sparse(transposeCsr(csr)),
    invDeg: backend.tensor(csr.rows, 1, invDeg),
  };
}

export function releaseAdjacency(backend: Backend, adj: Adjacency): void {
  backend.releaseSparse(adj.a);
  backend.releaseSparse(adj.aT);
  backend.release(adj.invDeg);
}

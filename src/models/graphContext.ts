import { releaseAdjacency, uploadAdjacency } from '../engine/adjacency';
import type { Backend, Tensor } from '../engine/backend';
import type { Adjacency } from '../engine/graphOps';
import { transposeCsr } from '../graph/csr';
import { chebNorm, gcnNorm, withSelfLoops } from '../graph/normalize';
import type { Csr } from '../graph/types';
import type { SparsePair } from './layer';

/**
 * One graph (or one batch of graphs) on a backend, in every form the layers ask for. Each form
 * is built and uploaded the first time a layer needs it and kept until `release`.
 */
export class GraphContext {
  private readonly cache = new Map<string, Adjacency | SparsePair | Adjacency[] | Tensor>();
  private readonly pairs: SparsePair[] = [];
  private readonly adjs: Adjacency[] = [];
  private readonly tensors: Tensor[] = [];

  /**
   * `relations`: one in-edge CSR per edge type (R-GCN); by default all edges are one type.
   * `pool`: for a batch of graphs, a row per graph listing its nodes (the readout).
   */
  constructor(
    readonly backend: Backend, readonly inCsr: Csr,
    private readonly relationCsrs?: readonly Csr[], private readonly poolCsr?: Csr,
  ) {}

  get numNodes(): number {
    return this.inCsr.rows;
  }

  private memo<T extends Adjacency | SparsePair | Adjacency[] | Tensor>(key: string, make: () => T): T {
    let v = this.cache.get(key) as T | undefined;
    if (!v) {
      v = make();
      this.cache.set(key, v);
    }
    return v;
  }

  private adjacencyOf(csr: Csr): Adjacency {
    const adj = uploadAdjacency(this.backend, csr);
    this.adjs.push(adj);
    return adj;
  }

  private pairOf(csr: Csr): SparsePair {
    const values = this.backend.tensor(csr.indices.length, 1, csr.values);
    const pair = {
      a: { structure: this.backend.sparse(csr), values },
      aT: { structure: this.backend.sparse(transposeCsr(csr)), values },
    };
    this.pairs.push(pair);
    return pair;
  }

  /** The in-edges as they are (SAGE, GIN). */
  adjacency(): Adjacency {
    return this.memo('adj', () => this.adjacencyOf(this.inCsr));
  }

  /** In-edges with exactly one self loop per node (GAT). */
  selfLoops(): Adjacency {
    return this.memo('loops', () => this.adjacencyOf(withSelfLoops(this.inCsr)));
  }

  /** PyG's gcn_norm, or D^-1 A for row normalization (GCN, SGC). */
  gcn(selfLoops: boolean, norm: 'sym' | 'row'): SparsePair {
    return this.memo(`gcn:${selfLoops}:${norm}`, () => this.pairOf(gcnNorm(this.inCsr, { addSelfLoops: selfLoops, norm })));
  }

  /** The scaled Laplacian of ChebConv. */
  cheb(): SparsePair {
    return this.memo('cheb', () => this.pairOf(chebNorm(this.inCsr)));
  }

  relations(): Adjacency[] {
    return this.memo('rel', () => (this.relationCsrs ?? [this.inCsr]).map((c) => this.adjacencyOf(c)));
  }

  /** Graph -> its nodes, for global pooling as a segmented reduction. */
  pooling(): Adjacency {
    if (!this.poolCsr) throw new Error('this graph is not a batch of graphs: no pooling');
    return this.memo('pool', () => this.adjacencyOf(this.poolCsr!));
  }

  /** A tensor computed once per graph (SGC's propagated features). */
  cached(key: string, make: () => Tensor): Tensor {
    return this.memo(`t:${key}`, () => {
      const t = make();
      this.tensors.push(t);
      return t;
    });
  }

  release(): void {
    for (const a of this.adjs) releaseAdjacency(this.backend, a);
    for (const p of this.pairs) {
      this.backend.releaseSparse(p.a.structure);
      this.backend.releaseSparse(p.aT.structure);
      if (p.a.values) this.backend.release(p.a.values);
    }
    for (const t of this.tensors) this.backend.release(t);
    this.adjs.length = this.pairs.length = this.tensors.length = 0;
    this.cache.clear();
  }
}

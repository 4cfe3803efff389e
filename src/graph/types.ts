/**
 * A sparse matrix in compressed sparse row form. `values` absent means every stored entry is 1.
 * `perm`, when present, says which entry of another matrix's `values` each entry stands for:
 * a transpose built by `transposeCsr` keeps it so that values that change every epoch
 * (dropout on features) need to be written only once and are read through `perm`.
 */
export interface Csr {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Uint32Array;
  readonly indices: Uint32Array;
  readonly values?: Float32Array;
  readonly perm?: Uint32Array;
}

export type Features =
  | { readonly kind: 'dense'; readonly rows: number; readonly cols: number; readonly data: Float32Array }
  | { readonly kind: 'sparse'; readonly csr: Csr };

export interface Split {
  readonly train: Uint32Array;
  readonly val: Uint32Array;
  readonly test: Uint32Array;
}

/**
 * One immutable graph. `inCsr` has a row per destination node listing its sources (the
 * direction message passing reduces over); `outCsr` is its transpose, for backward passes.
 * Edge weights, when present, live in `inCsr.values` (and in `outCsr` through its `perm`).
 */
export interface Graph {
  readonly name: string;
  readonly numNodes: number;
  readonly numEdges: number;
  readonly inCsr: Csr;
  readonly outCsr: Csr;
  readonly features: Features;
  readonly labels: Int32Array;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  readonly split: Split;
  readonly citation?: string;
}

export function featureCount(f: Features): number {
  return f.kind === 'dense' ? f.cols : f.csr.cols;
}

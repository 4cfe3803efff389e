import type { Activation } from '../engine/backend';
import { packLayout } from '../engine/packing';
import { layerKinds, needsDenseInput, type ModelKind, type ModelSpec } from '../models/spec';

/**
 * How many bytes of GPU memory node-classification training (`Trainer`) takes, from the model's
 * config and the graph's counts alone, without building anything: a pure function the page can
 * call before it starts a run, and the benchmark prints beside each graph.
 *
 * It replays what the engine allocates, op by op, on shapes only:
 * - features: sparse (values, the CSR and its transpose) or dense, as `DeviceGraph` uploads them;
 * - graph: every adjacency form the layers ask `GraphContext` for (GCN's normalized pair, GAT's
 *   self-looped adjacency, SAGE's and GIN's plain one, ChebNet's Laplacian, R-GCN's relations),
 *   each with its transpose and perm;
 * - parameters, their gradients and their two Adam moments: four packed buffers (Adam's), each
 *   at its exact size with every parameter's window rounded up to 256 bytes;
 * - one epoch's tape: the training forward (activations kept for backward), the backward pass
 *   (activation gradients, parameter gradients where they do not land in the packed buffer, sums
 *   where a tensor feeds several ops) and the
 *   evaluation forward, all alive until the tape is released at the end of the epoch (that is
 *   the high-water mark, every epoch the same);
 * - edge tensors ([edges, heads] scores and coefficients of GAT, the input dropout's values);
 * - the trainer's metrics, predictions, labels and split ids.
 * Tensors come from the GPU backend's pool, which rounds each to a power of two of at least 256
 * bytes (exact size when the power of two would pass maxBufferSize); structures are uploaded at
 * their exact size. `totalBytes` counts the rounded sizes, `exactBytes` the tensors' own.
 *
 * Not counted: pipelines, the uniform arena (64 KiB and up), staging buffers of reads, the
 * 256-byte dummy buffer, and whatever the browser or driver adds. Checked against a counting
 * backend in tests/train/memoryEstimate.test.ts: GCN on Cora, every other model and the stack
 * options give the counted bytes exactly today; the test allows 2% for GCN and 5% for the others.
 */

/** The counts of a graph the estimate needs (`graphCounts` in the bench makes them from a Graph). */
export interface GraphCounts {
  readonly nodes: number;
  /** Directed edges: entries of the in-edge CSR (`Graph.numEdges`). */
  readonly edges: number;
  readonly features: number;
  /** Stored entries when the features are sparse; absent or null for dense features. */
  readonly featureNnz?: number | null;
  readonly classes: number;
  /** Edges from a node to itself already in the graph (GCN and GAT keep one per node). Default 0. */
  readonly selfLoops?: number;
  /** Edge types for R-GCN (node classification uses 1). */
  readonly relations?: number;
}

/** The two limits of a WebGPU adapter that bound one buffer. */
export interface AdapterLimits {
  readonly maxBufferSize: number;
  readonly maxStorageBufferBindingSize: number;
}

/** What WebGPU guarantees everywhere: 256 MiB per buffer, 128 MiB per storage binding. */
export const specDefaultLimits: AdapterLimits = { maxBufferSize: 256 * 2 ** 20, maxStorageBufferBindingSize: 128 * 2 ** 20 };

/** A run's model settings; `epochs` sizes the metrics tensor (default 200). `TrainConfig` is one. */
export type MemoryConfig = ModelSpec & { readonly epochs?: number };

export type MemoryKind =
  | 'features' | 'graph' | 'parameters' | 'adam' | 'gradients' | 'activations' | 'backward' | 'edges' | 'other';

export interface MemoryEstimate {
  /** GPU bytes as the buffer pool allocates them (tensors rounded to their size class). */
  readonly totalBytes: number;
  /** The same without the pool's rounding. */
  readonly exactBytes: number;
  /** The largest single buffer, as allocated, and what it holds. */
  readonly largestBuffer: number;
  readonly largestName: string;
  /** Whether every buffer fits the limits (and the total fits `budgetBytes`, when given). */
  readonly fits: boolean;
  /** One sentence: why it does not fit, or the largest buffer against its limit. */
  readonly reason: string;
  /** `totalBytes` by what the memory holds. */
  readonly byKind: Readonly<Record<MemoryKind, number>>;
}

const POOL_MIN = 256;

/** The GPU pool's size class of a tensor (src/gpu/bufferPool.ts), or its exact size past the limit. */
function pooledSize(bytes: number, maxBufferSize: number): number {
  let s = POOL_MIN;
  while (s < bytes) s *= 2;
  return s > maxBufferSize ? Math.ceil(bytes / 4) * 4 : s;
}

interface SVar {
  readonly rows: number;
  readonly cols: number;
  readonly grad: boolean;
  /**
   * One entry per gradient the tape will accumulate into it, in forward order: true where the op
   * writes it through `Tape.gradFor` (a parameter's may then land in its packed window).
   */
  readonly uses: boolean[];
  readonly param: boolean;
  /** Kept in row blocks past one binding: dense input features that only dropout and x W read. */
  readonly split?: boolean;
}

/** Shapes-only replay of the engine's allocations. */
class Ledger {
  exact = 0;
  total = 0;
  largest = 0;
  largestName = '';
  readonly byKind: Record<MemoryKind, number> = {
    features: 0, graph: 0, parameters: 0, adam: 0, gradients: 0, activations: 0, backward: 0, edges: 0, other: 0,
  };
  train = true;
  private readonly vars: SVar[] = [];
  private readonly paramShapes: [number, number][] = [];

  constructor(readonly maxBufferSize: number, readonly bindingSize = maxBufferSize) {}

  private add(name: string, kind: MemoryKind, exact: number, size: number): void {
    this.exact += exact;
    this.total += size;
    this.byKind[kind] += size;
    if (size > this.largest) {
      this.largest = size;
      this.largestName = name;
    }
  }

  /** A pooled tensor. */
  /**
   * A pooled tensor. With `split`, one past the binding limit is kept as row blocks, each its own
   * pooled buffer, as the GPU backend does (src/gpu/chunked.ts); without, it needs one binding.
   */
  tensor(name: string, kind: MemoryKind, rows: number, cols: number, split = false): void {
    const bytes = Math.max(rows * cols * 4, 4);
    const per = Math.floor(this.bindingSize / Math.max(cols * 4, 4));
    if (!split || bytes <= this.bindingSize || per === 0) {
      this.add(name, kind, bytes, pooledSize(bytes, this.maxBufferSize));
      return;
    }
    for (let r = 0; r < rows; r += per) {
      const block = Math.min(per, rows - r) * cols * 4;
      this.add(`${name} (row block)`, kind, block, pooledSize(block, this.maxBufferSize));
    }
  }

  /** A structure upload: indptr, indices and (for a transpose) perm, each its own exact buffer. */
  structure(name: string, rows: number, nnz: number, perm: boolean): void {
    const b = (n: number) => Math.max(n * 4, 4);
    this.add(`${name} indptr`, 'graph', b(rows + 1), b(rows + 1));
    this.add(`${name} indices`, 'graph', b(nnz), b(nnz));
    if (perm) this.add(`${name} perm`, 'graph', b(nnz), b(nnz));
  }

  /** A parameter: its windows in the packed buffers (made by `packed`). */
  param(_name: string, rows: number, cols: number): SVar {
    this.paramShapes.push([rows, cols]);
    const v: SVar = { rows, cols, grad: true, uses: [], param: true };
    this.vars.push(v);
    return v;
  }

  /** Adam's four packed buffers (src/engine/optim.ts), once every parameter is made. */
  packed(): void {
    if (this.paramShapes.length === 0) return;
    const bytes = packLayout(this.paramShapes).length * 4;
    this.add('parameters', 'parameters', bytes, bytes);
    this.add('parameter gradients', 'gradients', bytes, bytes);
    this.add('Adam m', 'adam', bytes, bytes);
    this.add('Adam v', 'adam', bytes, bytes);
  }

  constant(rows: number, cols: number, split = false): SVar {
    return { rows, cols, grad: false, uses: [], param: false, split };
  }

  /** A forward output on the tape. */
  out(name: string, rows: number, cols: number, grad: boolean, kind: MemoryKind = 'activations', split = false): SVar {
    this.tensor(name, kind, rows, cols, split);
    const v: SVar = { rows, cols, grad: grad && this.train, uses: [], param: false, split };
    this.vars.push(v);
    return v;
  }

  /** A temporary of the backward pass (training only). */
  back(name: string, rows: number, cols: number, kind: MemoryKind = 'backward'): void {
    if (this.train) this.tensor(name, kind, rows, cols);
  }

  /** `v` receives a gradient (the tape sums the second and later ones into a new tensor). */
  use(v: SVar): void {
    if (this.train && v.grad) v.uses.push(false);
  }

  /**
   * A gradient for `v` of this shape made by `Tape.gradFor`: a temp, except that a parameter's
   * is left to `settle`, which knows whether it is the one that gets the packed window.
   */
  target(name: string, v: SVar, rows: number, cols: number, kind: MemoryKind = 'backward'): void {
    if (this.train && v.param && v.grad && rows === v.rows && cols === v.cols) {
      v.uses.push(true);
      return;
    }
    this.back(name, rows, cols, v.param ? 'gradients' : kind);
    this.use(v);
  }

  /**
   * The sums of `Tape.accumulate`, then forget this pass's activations. Backward runs in reverse,
   * so a parameter's window goes to its last use in forward order, if that one writes through
   * `gradFor`; its other `gradFor` gradients are temps.
   */
  settle(): void {
    for (const v of this.vars) {
      const n = v.uses.length;
      const temps = v.uses.filter((t) => t).length - (n > 0 && v.uses[n - 1] ? 1 : 0);
      for (let k = 0; k < temps; k++) this.tensor('parameter gradient', 'gradients', v.rows, v.cols);
      for (let k = 1; k < n; k++) this.tensor('gradient sum', v.param ? 'gradients' : 'backward', v.rows, v.cols);
      v.uses.length = 0;
    }
    this.vars.length = 0;
  }
}

/** The differentiable ops of src/engine/{ops,pointwiseOps,graphOps}.ts, on shapes. */
class Ops {
  constructor(readonly l: Ledger, readonly nodes: number) {}

  /** a x for a sparse a with `rows` rows; x has a row per column of a. */
  spmm(rows: number, x: SVar, kind: MemoryKind = 'activations'): SVar {
    const out = this.l.out('spmm', rows, x.cols, x.grad, kind);
    if (out.grad) {
      this.l.target('spmm grad', x, x.rows, x.cols);
    }
    return out;
  }

  matmul(a: SVar, b: SVar): SVar {
    const out = this.l.out('matmul', a.rows, b.cols, a.grad || b.grad);
    if (out.grad) {
      if (a.grad) {
        this.l.target('matmul grad a', a, a.rows, a.cols);
      }
      if (b.grad) {
        this.l.target('matmul grad b', b, b.rows, b.cols);
      }
    }
    return out;
  }

  /** x W for a dense x, or X W for the sparse features (X is nodes x rows of W). */
  project(x: SVar | 'sparse', w: SVar): SVar {
    return x === 'sparse' ? this.spmm(this.nodes, w) : this.matmul(x, w);
  }

  /** ops.spmmBiasAct (GCN): act(a x + bias) and, with `drop`, its dropout from the same kernel. */
  spmmBiasAct(x: SVar, bias: SVar, act: Activation, drop?: FusedDrop): SVar {
    const y = this.l.out('bias+act', this.nodes, x.cols, true);
    if (drop && this.l.train && drop.p > 0) {
      drop.dropped = this.l.out('dropout', this.nodes, x.cols, true);
      if (drop.used) {
        this.l.back('dropout grad', this.nodes, x.cols);
        this.l.use(y);
      }
    }
    if (act !== 'none') this.l.back('act grad', this.nodes, x.cols);
    this.l.target('bias grad', bias, 1, x.cols);
    if (x.grad) this.l.target('spmm grad', x, x.rows, x.cols);
    return y;
  }

  biasAct(x: SVar, bias: SVar | null, act: Activation): SVar {
    const out = this.l.out('bias+act', x.rows, x.cols, true);
    if (act !== 'none') this.l.back('act grad', x.rows, x.cols);
    if (bias) {
      this.l.target('bias grad', bias, 1, x.cols);
    }
    this.l.use(x);
    return out;
  }

  /** `used`: whether anything downstream reads the output (so that a gradient comes back). */
  dropout(x: SVar, p: number, kind: MemoryKind = 'activations', used = true): SVar {
    if (!this.l.train || p <= 0) return x;
    const out = this.l.out('dropout', x.rows, x.cols, x.grad, kind, x.split);
    if (x.grad && used) {
      this.l.back('dropout grad', x.rows, x.cols, kind === 'edges' ? 'edges' : 'backward');
      this.l.use(x);
    }
    return out;
  }

  activation(x: SVar, act: Activation, kind: MemoryKind = 'activations'): SVar {
    if (act === 'none') return x;
    const out = this.l.out(act, x.rows, x.cols, x.grad, kind);
    if (x.grad) {
      this.l.back(`${act} grad`, x.rows, x.cols, kind === 'edges' ? 'edges' : 'backward');
      this.l.use(x);
    }
    return out;
  }

  /** pointwiseOps' reduceTo: `g` [R, C] summed down to b's shape, the last sum through gradFor. */
  private reduceTo(b: SVar, g: { rows: number; cols: number }): void {
    const colsToo = b.rows === 1 && g.rows !== 1;
    if (b.cols === 1 && g.cols !== 1) {
      if (colsToo) this.l.back('reduce', g.rows, 1);
      else this.l.target('reduce', b, g.rows, 1);
    }
    if (colsToo) this.l.target('reduce', b, 1, b.cols === 1 ? 1 : g.cols);
    else if (!(b.cols === 1 && g.cols !== 1)) this.l.use(b);
  }

  binary(op: 'add' | 'sub' | 'mul' | 'max' | 'min', a: SVar, b: SVar): SVar {
    const out = this.l.out(op, a.rows, a.cols, a.grad || b.grad);
    if (!out.grad) return out;
    const [R, C] = [a.rows, a.cols];
    const same = b.rows === R && b.cols === C;
    const name = `${op} grad`;
    // a's gradient: g itself (add, sub), through gradFor (mul), or a temp after the mask (max, min).
    if (op === 'max' || op === 'min') {
      for (let i = 0; i < 3; i++) this.l.back(name, R, C);
      if (a.grad) this.l.use(a);
      if (b.grad) this.l.use(b);
      return out;
    }
    if (op === 'mul') {
      if (a.grad) this.l.target(name, a, R, C);
    } else if (a.grad) this.l.use(a);
    // b's: g (add) or an [R, C] tensor through gradFor (sub always, mul when b needs it), then summed down.
    const made = op === 'sub' || (op === 'mul' && b.grad);
    if (!b.grad) {
      if (made) this.l.back(name, R, C);
      return out;
    }
    if (same) {
      if (made) this.l.target(name, b, R, C);
      else this.l.use(b);
      return out;
    }
    if (made) this.l.back(name, R, C);
    this.reduceTo(b, { rows: R, cols: C });
    return out;
  }

  unary(x: SVar): SVar {
    const out = this.l.out('unary', x.rows, x.cols, x.grad);
    if (x.grad) {
      this.l.back('unary d', x.rows, x.cols);
      this.l.back('unary grad', x.rows, x.cols);
      this.l.use(x);
    }
    return out;
  }

  scale(x: SVar): SVar {
    const out = this.l.out('scale', x.rows, x.cols, x.grad);
    if (x.grad) {
      this.l.target('scale grad', x, x.rows, x.cols);
    }
    return out;
  }

  sum(x: SVar, axis: 'rows' | 'cols'): SVar {
    const out = axis === 'rows' ? this.l.out('sum', 1, x.cols, x.grad) : this.l.out('sum', x.rows, 1, x.grad);
    if (x.grad) {
      this.l.back('sum zeros', x.rows, x.cols);
      this.l.back('sum grad', x.rows, x.cols);
      this.l.use(x);
    }
    return out;
  }

  concat(xs: SVar[]): SVar {
    const out = this.l.out('concat', xs[0].rows, xs.reduce((w, x) => w + x.cols, 0), xs.some((x) => x.grad));
    for (const x of xs) {
      if (!x.grad) continue;
      this.l.back('concat grad', x.rows, x.cols);
      this.l.use(x);
    }
    return out;
  }

  /** g-SpMM over an adjacency with `nnz` entries into `nodes` rows, sources of `nodes` rows. */
  gspmm(reduce: 'sum' | 'mean' | 'max', x: SVar, e: SVar | null): SVar {
    const out = this.l.out(`gspmm ${reduce}`, this.nodes, x.cols, x.grad || (e?.grad ?? false));
    if (reduce === 'max') this.l.tensor('gspmm arg', 'activations', this.nodes, x.cols);
    if (!out.grad) return out;
    if (reduce === 'max') {
      if (x.grad) {
        this.l.back('gspmm grad', this.nodes, x.cols);
        this.l.use(x);
      }
      return out;
    }
    if (reduce === 'mean') this.l.back('mean grad', this.nodes, x.cols);
    if (x.grad) {
      this.l.back('gspmm grad', x.rows, x.cols);
      this.l.use(x);
    }
    if (e?.grad) {
      this.l.back('gspmm edge grad', e.rows, e.cols, 'edges');
      this.l.use(e);
    }
    return out;
  }

  /** u_add_v over `nnz` edges: [nnz, width]. */
  sddmmAdd(nnz: number, u: SVar, v: SVar): SVar {
    const out = this.l.out('sddmm', nnz, u.cols, u.grad || v.grad, 'edges');
    if (!out.grad) return out;
    for (const side of [u, v]) {
      if (!side.grad) continue;
      this.l.back('sddmm grad', side.rows, side.cols);
      this.l.use(side);
    }
    return out;
  }

  edgeSoftmax(e: SVar): SVar {
    const out = this.l.out('edge softmax', e.rows, e.cols, e.grad, 'edges');
    if (e.grad) {
      this.l.back('edge softmax grad', e.rows, e.cols, 'edges');
      this.l.use(e);
    }
    return out;
  }
}

/** Adjacency forms by GraphContext key, as uploaded once. */
function uploadForms(l: Ledger, spec: ModelSpec, kinds: readonly ModelKind[], g: GraphCounts): number {
  const n = g.nodes, loops = g.selfLoops ?? 0;
  const pair = (name: string, nnz: number) => {
    l.tensor(`${name} values`, 'graph', nnz, 1);
    l.structure(name, n, nnz, false);
    l.structure(`${name} transpose`, n, nnz, true);
  };
  const adjacency = (name: string, nnz: number) => {
    l.structure(name, n, nnz, false);
    l.structure(`${name} transpose`, n, nnz, true);
    l.tensor(`${name} 1/degree`, 'graph', n, 1);
  };
  const set = new Set(kinds);
  const loopNnz = g.edges - loops + n;
  if (spec.model === 'sgc') pair('GCN adjacency', loopNnz);
  if (set.has('gcn')) pair('GCN adjacency', spec.selfLoops ? loopNnz : g.edges);
  if (set.has('cheb')) pair('Chebyshev Laplacian', g.edges - loops);
  if (set.has('sage') || set.has('gin')) adjacency('adjacency', g.edges);
  if (set.has('gat')) adjacency('self-looped adjacency', loopNnz);
  if (set.has('rgcn')) adjacency('relation adjacency', g.edges);
  return loopNnz;
}

/**
 * The GPU bytes node-classification training needs (see the file's comment), checked against
 * an adapter's limits: `fits` is false when some buffer passes maxBufferSize or
 * maxStorageBufferBindingSize (every buffer is bound whole as storage), or when `budgetBytes` is
 * given and the total passes it.
 */
export function estimateTrainingMemory(
  config: MemoryConfig, graph: GraphCounts, limits: AdapterLimits = specDefaultLimits, budgetBytes?: number,
): MemoryEstimate {
  const l = new Ledger(limits.maxBufferSize, Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize));
  const { nodes: n, features: f, classes: c } = graph;
  const spec = config;
  const dense = needsDenseInput(spec) || graph.featureNnz == null;
  const nnzX = graph.featureNnz ?? 0;

  // DeviceGraph and Trainer.
  // Dense features past one binding split into row blocks where the first layer only drops them
  // out and multiplies them by its weight (GCN, GAT); anything else would need them whole.
  const first = spec.model === 'sgc' ? null : layerKinds(spec)[0];
  const split = dense && (first === 'gcn' || first === 'gat') && !(spec.residual && (f === spec.hidden || f === spec.hidden * spec.heads));
  if (dense) l.tensor('dense features', 'features', n, f, split);
  else {
    l.tensor('feature values', 'features', nnzX, 1);
    l.structure('features', n, nnzX, false);
    l.structure('features transpose', f, nnzX, true);
  }
  l.tensor('labels', 'other', n, 1);
  l.tensor('split ids', 'other', n, 1);
  l.tensor('metrics', 'other', Math.max(config.epochs ?? 200, 1), 4);
  l.tensor('predictions', 'other', n, 1);

  const kinds = spec.model === 'sgc' ? [] : layerKinds(spec);
  const loopNnz = uploadForms(l, spec, kinds, graph);
  const ops = new Ops(l, n);

  if (spec.model === 'sgc') {
    // Â^K X kept on the device; making it leaves one more [nodes, features] buffer in the pool.
    l.tensor('propagated features', 'features', n, f);
    if (spec.k >= 2) l.tensor('propagation scratch', 'features', n, f);
    const w = l.param('linear weight', f, c), b = l.param('linear bias', 1, c);
    l.packed();
    for (const train of [true, false]) {
      l.train = train;
      const logits = ops.biasAct(ops.matmul(l.constant(n, f), w), b, 'none');
      if (train) loss(l, logits);
      l.settle();
    }
    return finish(l, limits, budgetBytes);
  }

  const built = buildLayers(l, spec, kinds, f, c, graph.relations ?? 1);
  l.packed();
  for (const train of [true, false]) {
    l.train = train;
    const p = train ? spec.dropout : 0;
    let h: SVar | 'sparse';
    if (dense) h = ops.dropout(l.constant(n, f, split), p);
    else {
      if (train && spec.dropout > 0) l.tensor('input dropout values', 'edges', nnzX, 1);
      h = 'sparse';
    }
    const hidden: SVar[] = [];
    let last: SVar | null = null;
    built.layers.forEach((layer, i) => {
      const isOutput = built.head === null && i === built.layers.length - 1;
      if (isOutput) {
        last = layer(h, 'none', train, loopNnz, graph);
        return;
      }
      // As LayerStack.forward: a conv that fuses its dropout gets it where nothing comes between.
      const residual = spec.residual && h !== 'sparse' && h.cols === built.widths[i];
      if (built.fusesDropout[i] && !spec.pairNorm && !residual && p > 0) {
        const drop: FusedDrop = { p, used: !(built.head && i === built.layers.length - 1) };
        const fy = layer(h, spec.activation, train, loopNnz, graph, drop);
        hidden.push(fy);
        last = fy;
        h = drop.dropped!;
        return;
      }
      let y = layer(h, spec.pairNorm ? 'none' : spec.activation, train, loopNnz, graph);
      if (spec.pairNorm) y = ops.activation(pairNorm(ops, y), spec.activation);
      if (spec.residual && h !== 'sparse' && h.cols === y.cols) y = ops.binary('add', y, h);
      hidden.push(y);
      last = y;
      // With a JK head the last layer's dropout is made but read by nothing (LayerStack.forward).
      h = ops.dropout(y, p, 'activations', !(built.head && i === built.layers.length - 1));
    });
    let logits = last!;
    if (built.head) {
      const readout = spec.jk === 'cat' ? ops.concat(hidden) : hidden.reduce((acc, v) => ops.binary('max', acc, v));
      logits = ops.biasAct(ops.matmul(readout, built.head.w), built.head.b, 'none');
    }
    if (train) loss(l, logits);
    l.settle();
  }
  return finish(l, limits, budgetBytes);
}

function loss(l: Ledger, logits: SVar): void {
  l.tensor('loss gradient', 'backward', logits.rows, logits.cols);
  l.tensor('loss scratch', 'other', logits.rows, 1);
}

function pairNorm(ops: Ops, x: SVar): SVar {
  const centered = ops.binary('sub', x, ops.scale(ops.sum(x, 'rows')));
  const meanSq = ops.scale(ops.sum(ops.sum(ops.unary(centered), 'cols'), 'rows'));
  return ops.binary('mul', centered, ops.scale(ops.unary(meanSq)));
}

/** A dropout a layer fuses into its last kernel; the layer sets `dropped`. */
interface FusedDrop {
  readonly p: number;
  /** Whether anything downstream reads the dropped output. */
  readonly used: boolean;
  dropped?: SVar;
}

type Layer = (x: SVar | 'sparse', act: Activation, train: boolean, loopNnz: number, g: GraphCounts, drop?: FusedDrop) => SVar;

/** Parameters are made once (as the model's constructor does); each layer replays its forward. */
function buildLayers(l: Ledger, spec: ModelSpec, kinds: readonly ModelKind[], inDim: number, classes: number, relations: number) {
  const layers: Layer[] = [];
  const widths: number[] = [];
  const fusesDropout: boolean[] = [];
  const L = kinds.length;
  let width = inDim;
  for (let i = 0; i < L; i++) {
    const output = i === L - 1 && spec.jk === 'none';
    const out = output ? classes : spec.hidden;
    const a = width;
    const name = `layer ${i + 1}`;
    switch (kinds[i]) {
      case 'gcn': {
        const w = l.param(`${name} weight`, a, out), b = l.param(`${name} bias`, 1, out);
        layers.push((x, act, _t, _n, g, drop) => {
          const o = new Ops(l, g.nodes);
          return o.spmmBiasAct(o.project(x, w), b, act, drop);
        });
        fusesDropout[i] = true;
        width = out;
        widths.push(width);
        break;
      }
      case 'sage': {
        const w = l.param(`${name} weight`, a, out), b = l.param(`${name} bias`, 1, out), root = l.param(`${name} root weight`, a, out);
        layers.push((x, act, _t, _n, g) => {
          const o = new Ops(l, g.nodes);
          let neigh: SVar;
          if (spec.aggr === 'max') neigh = o.project(o.gspmm('max', x as SVar, null), w);
          else neigh = o.gspmm(spec.aggr, o.project(x, w), null);
          return o.biasAct(o.binary('add', neigh, o.project(x, root)), b, act);
        });
        width = out;
        widths.push(width);
        break;
      }
      case 'gat': {
        const heads = output ? spec.outHeads : spec.heads;
        const concat = !output;
        const hf = heads * out, outDim = concat ? hf : out;
        const w = l.param(`${name} weight`, a, hf);
        const src = l.param(`${name} att_src`, 1, hf), dst = l.param(`${name} att_dst`, 1, hf);
        const b = l.param(`${name} bias`, 1, outDim);
        l.tensor(`${name} head sum`, 'other', hf, heads);
        const headMean = !concat && heads > 1;
        if (headMean) l.tensor(`${name} head mean`, 'other', hf, out);
        layers.push((x, act, train, loopNnz, g) => {
          const o = new Ops(l, g.nodes);
          const h = o.project(x, w);
          const headSum = l.constant(hf, heads);
          const s = o.matmul(o.binary('mul', h, src), headSum);
          const d = o.matmul(o.binary('mul', h, dst), headSum);
          const e = o.activation(o.sddmmAdd(loopNnz, s, d), 'leaky_relu', 'edges');
          let alpha = o.edgeSoftmax(e);
          if (train) alpha = o.dropout(alpha, spec.attnDropout, 'edges');
          let y = o.gspmm('sum', h, alpha);
          if (headMean) y = o.matmul(y, l.constant(hf, out));
          return o.biasAct(y, b, act);
        });
        width = outDim;
        widths.push(width);
        break;
      }
      case 'gin': {
        const hid = spec.hidden;
        const w0 = l.param(`${name} mlp weight 0`, a, hid), b0 = l.param(`${name} mlp bias 0`, 1, hid);
        const bn = spec.batchNorm ? { gamma: l.param(`${name} norm gamma`, 1, hid), beta: l.param(`${name} norm beta`, 1, hid) } : null;
        if (bn) {
          l.tensor(`${name} running mean`, 'other', 1, hid);
          l.tensor(`${name} running var`, 'other', 1, hid);
        }
        const w1 = l.param(`${name} mlp weight 1`, hid, out), b1 = l.param(`${name} mlp bias 1`, 1, out);
        const eps = spec.trainEps ? l.param(`${name} eps`, 1, 1) : null;
        layers.push((x, act, train, _n, g) => {
          const o = new Ops(l, g.nodes);
          const xd = x as SVar;
          const neigh = o.gspmm('sum', xd, null);
          const self = eps ? o.binary('mul', xd, o.scale(eps)) : xd;
          let y = o.biasAct(o.matmul(o.binary('add', neigh, self), w0), b0, bn ? 'none' : spec.activation);
          if (bn) y = batchNorm(l, o, y, bn.gamma, bn.beta, train, spec.activation);
          return o.biasAct(o.matmul(y, w1), b1, act);
        });
        width = out;
        widths.push(width);
        break;
      }
      case 'cheb': {
        const ws = Array.from({ length: spec.k }, (_, k) => l.param(`${name} weight ${k}`, a, out));
        const b = l.param(`${name} bias`, 1, out);
        layers.push((x, act, _t, _n, g) => {
          const o = new Ops(l, g.nodes);
          const ys = ws.map((w) => o.project(x, w));
          let b1: SVar | null = null, b2: SVar | null = null;
          for (let k = spec.k - 1; k >= 1; k--) {
            let cur = ys[k];
            if (b1) cur = o.binary('add', cur, o.scale(o.spmm(g.nodes, b1)));
            if (b2) cur = o.binary('sub', cur, b2);
            b2 = b1;
            b1 = cur;
          }
          let y = ys[0];
          if (b1) y = o.binary('add', y, o.spmm(g.nodes, b1));
          if (b2) y = o.binary('sub', y, b2);
          return o.biasAct(y, b, act);
        });
        width = out;
        widths.push(width);
        break;
      }
      case 'rgcn': {
        const cross = output ? 'sum' : spec.cross;
        const outDim = cross === 'stack' ? relations * out : out;
        const ws = Array.from({ length: relations }, (_, r) => l.param(`${name} relation ${r} weight`, a, out));
        const root = l.param(`${name} root weight`, a, outDim), b = l.param(`${name} bias`, 1, outDim);
        layers.push((x, act, _t, _n, g) => {
          const o = new Ops(l, g.nodes);
          const per = ws.map((w) => o.gspmm('mean', o.project(x, w), null));
          let combined: SVar;
          if (cross === 'stack') combined = o.concat(per);
          else {
            const op = cross === 'max' ? 'max' : cross === 'min' ? 'min' : 'add';
            combined = per.reduce((acc, v) => o.binary(op, acc, v));
            if (cross === 'mean') combined = o.scale(combined);
          }
          return o.biasAct(o.binary('add', combined, o.project(x, root)), b, act);
        });
        width = outDim;
        widths.push(width);
        break;
      }
      case 'sgc':
        throw new Error('SGC has no message-passing layers');
    }
  }
  let head: { w: SVar; b: SVar } | null = null;
  if (spec.jk !== 'none') {
    // Jumping knowledge: every conv is hidden; a linear head reads the concatenation or the max.
    const readout = spec.jk === 'cat' ? widths.reduce((s, w) => s + w, 0) : width;
    head = { w: l.param('JK head weight', readout, classes), b: l.param('JK head bias', 1, classes) };
  }
  return { layers, head, widths, fusesDropout };
}

function batchNorm(l: Ledger, o: Ops, x: SVar, gamma: SVar, beta: SVar, train: boolean, act: Activation): SVar {
  let y: SVar;
  if (train && x.rows > 1) {
    const mean = o.scale(o.sum(x, 'rows'));
    const centered = o.binary('sub', x, mean);
    const variance = o.scale(o.sum(o.unary(centered), 'rows'));
    y = o.binary('mul', centered, o.unary(o.scale(variance)));
    for (let i = 0; i < 4; i++) l.tensor('running stats update', 'other', 1, x.cols);
  } else {
    l.tensor('running inverse std', 'other', 1, x.cols);
    l.tensor('running inverse std', 'other', 1, x.cols);
    y = o.binary('mul', o.binary('sub', x, l.constant(1, x.cols)), l.constant(1, x.cols));
  }
  return o.biasAct(o.binary('mul', y, gamma), beta, act);
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

function finish(l: Ledger, limits: AdapterLimits, budgetBytes?: number): MemoryEstimate {
  const bind = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const which = limits.maxStorageBufferBindingSize <= limits.maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
  let fits = true;
  let reason: string;
  if (l.largest > bind) {
    fits = false;
    reason = `does not fit: the ${l.largestName} need a ${mib(l.largest)} buffer and this adapter allows ${mib(bind)} (${which})`;
  } else if (budgetBytes !== undefined && l.total > budgetBytes) {
    fits = false;
    reason = `does not fit: ${mib(l.total)} in all is more than the ${mib(budgetBytes)} budget`;
  } else {
    reason = `fits: largest buffer ${mib(l.largest)} (${l.largestName}) of ${mib(bind)} allowed; ${mib(l.total)} in all`;
  }
  return { totalBytes: l.total, exactBytes: l.exact, largestBuffer: l.largest, largestName: l.largestName, fits, reason, byKind: { ...l.byKind } };
}

/** The counts `estimateTrainingMemory` needs, from a loaded graph (one pass over its edges). */
export function graphCounts(g: {
  readonly numNodes: number; readonly numEdges: number; readonly numClasses: number;
  readonly inCsr: { readonly indptr: Uint32Array; readonly indices: Uint32Array };
  readonly features: { readonly kind: 'dense'; readonly cols: number } | { readonly kind: 'sparse'; readonly csr: { readonly cols: number; readonly indices: Uint32Array } };
}): GraphCounts {
  let selfLoops = 0;
  for (let r = 0; r < g.numNodes; r++) {
    for (let k = g.inCsr.indptr[r]; k < g.inCsr.indptr[r + 1]; k++) if (g.inCsr.indices[k] === r) selfLoops++;
  }
  const f = g.features;
  return {
    nodes: g.numNodes,
    edges: g.numEdges,
    features: f.kind === 'dense' ? f.cols : f.csr.cols,
    featureNnz: f.kind === 'sparse' ? f.csr.indices.length : null,
    classes: g.numClasses,
    selfLoops,
  };
}

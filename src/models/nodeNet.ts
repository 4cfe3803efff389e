import type { Backend } from '../engine/backend';
import { dropout } from '../engine/ops';
import type { Parameter } from '../engine/optim';
import { activation, binary, concatCols } from '../engine/pointwiseOps';
import { dropoutKey } from '../engine/rng';
import type { Tape, Var } from '../engine/tape';
import { buildConv } from './convs';
import type { GraphContext } from './graphContext';
import { type Conv, Init, type LayerInput, type RunInfo } from './layer';
import { Linear } from './layers/linear';
import { pairNorm } from './layers/pairNorm';
import { layerKinds, type ModelSpec } from './spec';

/** Dropout streams start here; epoch e's sites use DROPOUT_STREAM + stride * e + site. */
const DROPOUT_STREAM = 1000;

/** A forward pass's logits and the output of each layer on the way (all of them [nodes, width]). */
export interface LayerOutputs {
  readonly logits: Var;
  readonly layers: readonly Var[];
}

export interface NetShape {
  readonly inDim: number;
  readonly classes: number;
  readonly relations: number;
}

/**
 * The layer stack shared by node and graph classification: input dropout, then per layer
 * conv -> (PairNorm) -> activation -> (+ residual) -> dropout, and optionally jumping knowledge
 * over the hidden layers. Dropout site 0 is the input, 1 + l follows layer l, 1 + L + l is
 * layer l's attention.
 */
export class LayerStack {
  readonly convs: Conv[] = [];
  readonly sites: number;

  constructor(readonly init: Init, readonly spec: ModelSpec, inDim: number, classes: number | null, relations: number) {
    const L = Math.max(spec.layers, 1);
    const kinds = layerKinds(spec);
    let width = inDim;
    for (let l = 0; l < L; l++) {
      const output = classes !== null && l === L - 1 && spec.jk === 'none';
      const conv = buildConv(init, spec, kinds[l], width, output ? classes! : spec.hidden, { index: l, output, attnSite: 1 + L + l, relations });
      this.convs.push(conv);
      width = conv.outDim;
    }
    this.sites = kinds.includes('gat') ? 1 + 2 * L : 1 + L;
  }

  /** The per-layer hidden outputs (after activation), and the last layer's output. */
  forward(tape: Tape, ctx: GraphContext, x: LayerInput, run: RunInfo, hasOutputLayer: boolean): { hidden: Var[]; last: Var } {
    const { spec } = this;
    const p = run.training ? spec.dropout : 0;
    let h: LayerInput = 'dense' in x ? { dense: dropout(tape, x.dense, p, run.key(0)) } : x;
    const hidden: Var[] = [];
    let last: Var | null = null;
    this.convs.forEach((conv, l) => {
      const isOutput = hasOutputLayer && l === this.convs.length - 1;
      if (isOutput) {
        last = conv.forward(tape, ctx, h, 'none', run);
        return;
      }
      // Nothing between the conv and the dropout: the conv may fuse them.
      const residual = spec.residual && 'dense' in h && h.dense.value.cols === conv.outDim;
      if (!spec.pairNorm && !residual && p > 0 && conv.forwardDropped) {
        const { y, dropped } = conv.forwardDropped(tape, ctx, h, spec.activation, run, { prob: p, key: run.key(1 + l) });
        if (y.value.cols !== conv.outDim) throw new Error(`layer ${l + 1}: ${y.value.cols} columns, outDim ${conv.outDim}`);
        hidden.push(y);
        last = y;
        h = { dense: dropped };
        return;
      }
      let y = conv.forward(tape, ctx, h, spec.pairNorm ? 'none' : spec.activation, run);
      if (spec.pairNorm) y = activation(tape, pairNorm(tape, y), spec.activation);
      if (spec.residual && 'dense' in h && h.dense.value.cols === y.value.cols) y = binary(tape, 'add', y, h.dense);
      hidden.push(y);
      last = y;
      h = { dense: dropout(tape, y, p, run.key(1 + l)) };
    });
    return { hidden, last: last! };
  }

  get parameters(): Parameter[] {
    return this.convs.flatMap((c) => c.parameters);
  }
}

/**
 * Width of what jumping knowledge hands the head: the concatenation of the layers (and of the
 * input's `inDim` columns when it is read out too), the last layer's width without it, or for max
 * the common width, which needs every layer equally wide (GAT's concatenated heads may not be).
 */
export function readoutWidth(spec: ModelSpec, convs: readonly Conv[], inDim: number): number {
  if (spec.jk === 'cat') return convs.reduce((s, c) => s + c.outDim, inDim);
  const w = convs[convs.length - 1].outDim;
  if (spec.jk === 'max' && convs.some((c) => c.outDim !== w)) {
    throw new Error(`jumping knowledge by max needs every layer equally wide; these are ${convs.map((c) => c.outDim).join(', ')} (use concatenate)`);
  }
  return w;
}

/** Jumping knowledge (Xu et al. 2018): concatenate or take the element-wise max of the layers. */
export function jumpingKnowledge(tape: Tape, spec: ModelSpec, hidden: Var[]): Var {
  if (spec.jk === 'cat') return concatCols(tape, hidden);
  return hidden.reduce((acc, v) => binary(tape, 'max', acc, v));
}

export function runInfo(seed: number, stride: number, training: boolean, epoch: number): RunInfo {
  return { training, key: (site) => dropoutKey(seed, DROPOUT_STREAM + stride * epoch + site) };
}

/** A node classifier: the layer stack ending in a class-wide layer, or JK then a linear head. */
export class NodeNet {
  readonly stack: LayerStack;
  readonly head: Linear | null;

  constructor(backend: Backend, readonly spec: ModelSpec, shape: NetShape, readonly seed: number) {
    const init = new Init(backend, seed);
    this.stack = new LayerStack(init, spec, shape.inDim, spec.jk === 'none' ? shape.classes : null, shape.relations);
    const width = readoutWidth(spec, this.stack.convs, 0);
    this.head = spec.jk === 'none' ? null : new Linear(init, width, shape.classes, { weightDecay: 0 });
  }

  get stride(): number {
    return Math.max(4, this.stack.sites);
  }

  forward(tape: Tape, ctx: GraphContext, x: LayerInput, training: boolean, epoch: number): Var {
    return this.forwardLayers(tape, ctx, x, training, epoch).logits;
  }

  /**
   * The logits and every layer's output on the way (the same ops as `forward`, which is this):
   * each hidden layer after its activation, PairNorm and residual, then the logits, which are
   * the last conv's output, or with jumping knowledge the head's.
   */
  forwardLayers(tape: Tape, ctx: GraphContext, x: LayerInput, training: boolean, epoch: number): LayerOutputs {
    const run = runInfo(this.seed, this.stride, training, epoch);
    const { hidden, last } = this.stack.forward(tape, ctx, x, run, this.head === null);
    if (!this.head) return { logits: last, layers: [...hidden, last] };
    const logits = this.head.forward(tape, { dense: jumpingKnowledge(tape, this.spec, hidden) });
    return { logits, layers: [...hidden, logits] };
  }

  /** A name per entry of `forwardLayers(...).layers`. */
  get layerNames(): string[] {
    const names = this.stack.convs.map((_, l) => `layer ${l + 1}`);
    return this.head ? [...names, `JK ${this.spec.jk} head`] : names;
  }

  /** The parameters of each entry of `forwardLayers(...).layers`, in the same order. */
  get layerParameters(): Parameter[][] {
    const groups = this.stack.convs.map((c) => c.parameters);
    return this.head ? [...groups, this.head.parameters] : groups;
  }

  get parameters(): Parameter[] {
    return [...this.stack.parameters, ...(this.head?.parameters ?? [])];
  }
}

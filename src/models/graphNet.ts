import type { Backend } from '../engine/backend';
import { gspmm } from '../engine/graphOps';
import { dropout } from '../engine/ops';
import type { Parameter } from '../engine/optim';
import type { Tape, Var } from '../engine/tape';
import type { GraphContext } from './graphContext';
import { Init, type LayerInput } from './layer';
import { Mlp } from './layers/mlp';
import { jumpingKnowledge, LayerStack, type NetShape, readoutWidth, runInfo } from './nodeNet';
import type { ModelSpec } from './spec';

/**
 * A graph classifier: message-passing layers (each followed by the activation, no dropout), a
 * global sum / mean / max pooling of each graph's nodes, and a head. With jumping knowledge by
 * concatenation it is Xu et al.'s GIN readout (the input and every layer pooled, dropout, one
 * linear map); otherwise PyG's examples/mutag_gin.py head, an MLP [width, hidden, classes] with
 * dropout before its last layer.
 */
export class GraphNet {
  readonly stack: LayerStack;
  readonly head: Mlp;
  readonly linearReadout: boolean;

  constructor(backend: Backend, readonly spec: ModelSpec, shape: NetShape, readonly seed: number) {
    const init = new Init(backend, seed);
    this.stack = new LayerStack(init, { ...spec, dropout: 0 }, shape.inDim, null, shape.relations);
    // Xu et al.'s readout (eq. 4.2) runs over k = 0..K: with concatenation the input features
    // are read out too (on MUTAG, summed one-hot atom types: the molecule's composition).
    const width = readoutWidth(spec, this.stack.convs, spec.jk === 'cat' ? shape.inDim : 0);
    // Reading out every layer is Xu et al.'s GIN, whose head is one linear map per layer's pooled
    // readout (with dropout), summed: one linear map of their concatenation. Otherwise the head
    // is mutag_gin.py's MLP.
    this.linearReadout = spec.jk === 'cat';
    this.head = new Mlp(init, this.linearReadout ? [width, shape.classes] : [width, spec.hidden, shape.classes], {
      act: 'relu', batchNorm: false, dropout: spec.dropout, dropoutSite: this.stack.sites, weightDecay: spec.weightDecay,
    });
  }

  get stride(): number {
    return Math.max(4, this.stack.sites + 1);
  }

  /** `step` numbers the mini-batch (dropout masks differ per batch, not just per epoch). */
  forward(tape: Tape, ctx: GraphContext, x: LayerInput, training: boolean, step: number): Var {
    const run = runInfo(this.seed, this.stride, training, step);
    const { hidden, last } = this.stack.forward(tape, ctx, x, run, false);
    if (this.spec.jk === 'cat' && !('dense' in x)) throw new Error('a graph readout over every layer needs dense input features');
    const layers = this.spec.jk === 'cat' && 'dense' in x ? [x.dense, ...hidden] : hidden;
    const nodes = this.spec.jk === 'none' ? last : jumpingKnowledge(tape, this.spec, layers);
    const pooled = gspmm(tape, ctx.pooling(), 'copy_u', this.spec.pool, nodes, null);
    const p = this.linearReadout && run.training ? this.spec.dropout : 0;
    return this.head.forward(tape, { dense: p > 0 ? dropout(tape, pooled, p, run.key(this.stack.sites)) : pooled }, run);
  }

  get parameters(): Parameter[] {
    return [...this.stack.parameters, ...this.head.parameters];
  }
}

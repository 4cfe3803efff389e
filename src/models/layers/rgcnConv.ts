import type { Activation } from '../../engine/backend';
import { gspmm } from '../../engine/graphOps';
import { biasAct } from '../../engine/ops';
import { Parameter } from '../../engine/optim';
import { binary, concatCols, scale } from '../../engine/pointwiseOps';
import { glorot } from '../../engine/rng';
import type { Tape, Var } from '../../engine/tape';
import type { GraphContext } from '../graphContext';
import { type Conv, type Init, type LayerInput, project } from '../layer';

/** How the per-relation results combine, as DGL's `multi_update_all` cross reducer. */
export type CrossReducer = 'sum' | 'mean' | 'max' | 'min' | 'stack';

/**
 * PyG's RGCNConv: x'_i = W_root x_i + cross_r mean_{j in N_r(i)} W_r x_j + b, one weight per
 * relation. With `stack` the relations' results are concatenated (width R * out) and the root
 * and bias have that width too.
 */
export class RgcnConv implements Conv {
  readonly weights: Parameter[] = [];
  readonly root: Parameter;
  readonly bias: Parameter;
  readonly outDim: number;

  constructor(init: Init, inDim: number, perRelation: number, readonly relations: number, readonly cross: CrossReducer, weightDecay: number) {
    const { backend, seed } = init;
    for (let r = 0; r < relations; r++) {
      this.weights.push(new Parameter(backend, inDim, perRelation, glorot(inDim, perRelation, seed, init.next()), weightDecay));
    }
    this.outDim = cross === 'stack' ? relations * perRelation : perRelation;
    this.root = new Parameter(backend, inDim, this.outDim, glorot(inDim, this.outDim, seed, init.next()), weightDecay);
    this.bias = new Parameter(backend, 1, this.outDim, new Float32Array(this.outDim), weightDecay);
  }

  forward(tape: Tape, ctx: GraphContext, x: LayerInput, act: Activation): Var {
    const rels = ctx.relations();
    if (rels.length !== this.relations) throw new Error(`R-GCN built for ${this.relations} relations, graph has ${rels.length}`);
    const per = rels.map((adj, r) => gspmm(tape, adj, 'copy_u', 'mean', project(tape, x, this.weights[r]), null));
    let combined: Var;
    if (this.cross === 'stack') {
      combined = concatCols(tape, per);
    } else {
      const op = this.cross === 'max' ? 'max' : this.cross === 'min' ? 'min' : 'add';
      combined = per.reduce((acc, v) => binary(tape, op, acc, v));
      if (this.cross === 'mean') combined = scale(tape, combined, 1 / per.length);
    }
    return biasAct(tape, binary(tape, 'add', combined, project(tape, x, this.root)), this.bias, act);
  }

  get parameters(): Parameter[] {
    return [...this.weights, this.root, this.bias];
  }
}

import type { Backend } from '../engine/backend';
import type { Parameter } from '../engine/optim';
import { dropoutKey } from '../engine/rng';
import type { Tape, Var } from '../engine/tape';
import type { GraphContext } from './graphContext';
import type { LayerInput } from './layer';
import { NodeNet, type NetShape } from './nodeNet';
import { SgcNet } from './sgcNet';
import type { ModelSpec } from './spec';

/** What the node trainer drives: logits from features, and the parameters to update. */
export interface NodeModel {
  forward(tape: Tape, ctx: GraphContext, x: LayerInput, training: boolean, epoch: number): Var;
  /** The key of the input dropout in `epoch` (sparse inputs are dropped by the trainer). */
  inputKey(epoch: number): number;
  readonly parameters: Parameter[];
}

export function nodeModel(backend: Backend, spec: ModelSpec, shape: NetShape, seed: number): NodeModel {
  const net = spec.model === 'sgc' ? new SgcNet(backend, spec, shape, seed) : new NodeNet(backend, spec, shape, seed);
  return {
    forward: (tape, ctx, x, training, epoch) => net.forward(tape, ctx, x, training, epoch),
    inputKey: (epoch) => dropoutKey(seed, 1000 + net.stride * epoch),
    get parameters() {
      return net.parameters;
    },
  };
}

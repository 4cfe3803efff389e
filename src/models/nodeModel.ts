import type { Backend } from '../engine/backend';
import type { Parameter } from '../engine/optim';
import { dropoutKey } from '../engine/rng';
import type { Tape, Var } from '../engine/tape';
import type { GraphContext } from './graphContext';
import type { LayerInput } from './layer';
import { type LayerOutputs, NodeNet, type NetShape } from './nodeNet';
import { SgcNet } from './sgcNet';
import type { ModelSpec } from './spec';

/** What the node trainer drives: logits from features, and the parameters to update. */
export interface NodeModel {
  forward(tape: Tape, ctx: GraphContext, x: LayerInput, training: boolean, epoch: number): Var;
  /** The same pass, also returning each layer's output (see `NodeNet.forwardLayers`). */
  forwardLayers(tape: Tape, ctx: GraphContext, x: LayerInput, training: boolean, epoch: number): LayerOutputs;
  /** Names and parameters of the entries of `forwardLayers(...).layers`. */
  readonly layerNames: readonly string[];
  readonly layerParameters: readonly (readonly Parameter[])[];
  /** The key of the input dropout in `epoch` (sparse inputs are dropped by the trainer). */
  inputKey(epoch: number): number;
  readonly parameters: Parameter[];
  /** The network itself, for the node inspector, which reads each layer's own structure. */
  readonly net: NodeNet | SgcNet;
}

export function nodeModel(backend: Backend, spec: ModelSpec, shape: NetShape, seed: number): NodeModel {
  const net = spec.model === 'sgc' ? new SgcNet(backend, spec, shape, seed) : new NodeNet(backend, spec, shape, seed);
  // SGC has one layer with parameters: its linear map after the fixed propagation.
  const forwardLayers = net instanceof NodeNet
    ? (tape: Tape, ctx: GraphContext, x: LayerInput, training: boolean, epoch: number) => net.forwardLayers(tape, ctx, x, training, epoch)
    : (tape: Tape, ctx: GraphContext, x: LayerInput) => {
      const logits = net.forward(tape, ctx, x);
      return { logits, layers: [logits] };
    };
  return {
    forward: (tape, ctx, x, training, epoch) => forwardLayers(tape, ctx, x, training, epoch).logits,
    forwardLayers,
    layerNames: net instanceof NodeNet ? net.layerNames : ['output'],
    layerParameters: net instanceof NodeNet ? net.layerParameters : [net.parameters],
    inputKey: (epoch) => dropoutKey(seed, 1000 + net.stride * epoch),
    get parameters() {
      return net.parameters;
    },
    net,
  };
}

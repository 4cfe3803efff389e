import type { Backend } from '../engine/backend';
import { dropout } from '../engine/ops';
import type { Parameter } from '../engine/optim';
import { dropoutKey } from '../engine/rng';
import type { Tape, Var } from '../engine/tape';
import { GCNConv, type LayerInput, type SparsePair } from './gcnConv';

export interface GcnOptions {
  readonly inDim: number;
  readonly hidden: number;
  readonly classes: number;
  readonly dropout: number;
  readonly weightDecay: number;
  readonly seed: number;
}

/** Random streams: 1 and 2 initialize the two layers; dropout draws from 1000 + 4 * epoch + site. */
const DROPOUT_STREAM = 1000;

/**
 * The 2-layer GCN of PyG's examples/gcn.py: dropout, GCNConv, ReLU, dropout, GCNConv. Weight decay
 * applies to the first layer only, as there.
 */
export class Gcn {
  readonly conv1: GCNConv;
  readonly conv2: GCNConv;

  constructor(backend: Backend, readonly opts: GcnOptions) {
    this.conv1 = new GCNConv(backend, opts.inDim, opts.hidden, opts.seed, 1, opts.weightDecay);
    this.conv2 = new GCNConv(backend, opts.hidden, opts.classes, opts.seed, 2, 0);
  }

  /**
   * `x` is the input with dropout already applied when training (sparse inputs are dropped on
   * their values by the caller, see `dropInput`); returns the logits.
   */
  forward(tape: Tape, adj: SparsePair, x: LayerInput, training: boolean, epoch: number): Var {
    const p = training ? this.opts.dropout : 0;
    const input = 'dense' in x ? { dense: dropout(tape, x.dense, p, this.key(epoch, 0)) } : x;
    const h = dropout(tape, this.conv1.forward(tape, adj, input, true), p, this.key(epoch, 1));
    return this.conv2.forward(tape, adj, { dense: h }, false);
  }

  key(epoch: number, site: number): number {
    return dropoutKey(this.opts.seed, DROPOUT_STREAM + 4 * epoch + site);
  }

  get parameters(): Parameter[] {
    return [...this.conv1.parameters, ...this.conv2.parameters];
  }
}

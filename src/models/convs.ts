import type { Conv, Init } from './layer';
import { ChebConv } from './layers/chebConv';
import { GatConv } from './layers/gatConv';
import { GcnConv } from './layers/gcnConv';
import { GinConv } from './layers/ginConv';
import { RgcnConv } from './layers/rgcnConv';
import { SageConv } from './layers/sageConv';
import { decaysFirstLayerOnly, type ModelKind, type ModelSpec } from './spec';

export interface ConvPlace {
  readonly index: number;
  /** The layer that produces logits: GAT averages its heads there instead of concatenating. */
  readonly output: boolean;
  /** Dropout site reserved for this layer's attention coefficients. */
  readonly attnSite: number;
  /** Edge types of the graph (R-GCN). */
  readonly relations: number;
}

/** One message-passing layer of type `kind`, `outDim` wide (GAT: per head when concatenating). */
export function buildConv(init: Init, spec: ModelSpec, kind: ModelKind, inDim: number, outDim: number, at: ConvPlace): Conv {
  const wd = !decaysFirstLayerOnly(spec.model) || at.index === 0 ? spec.weightDecay : 0;
  switch (kind) {
    case 'gcn': return new GcnConv(init, inDim, outDim, { selfLoops: spec.selfLoops, norm: spec.norm, weightDecay: wd });
    case 'sage': return new SageConv(init, inDim, outDim, spec.aggr, wd);
    case 'gat': return new GatConv(init, inDim, outDim, {
      heads: at.output ? spec.outHeads : spec.heads, concat: !at.output, attnDropout: spec.attnDropout,
      attnSite: at.attnSite, weightDecay: wd,
    });
    case 'gin': return new GinConv(init, inDim, spec.hidden, outDim, { trainEps: spec.trainEps, batchNorm: spec.batchNorm, act: spec.activation, weightDecay: wd });
    case 'cheb': return new ChebConv(init, inDim, outDim, spec.k, wd);
    case 'rgcn': return new RgcnConv(init, inDim, outDim, at.relations, at.output ? 'sum' : spec.cross, wd);
    case 'sgc': throw new Error('SGC has no message-passing layers (see SgcNet)');
  }
}

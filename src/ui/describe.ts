import { layerKinds } from '../models/spec';
import type { GraphSummary, TrainConfig } from '../train/protocol';
import { taskOf } from '../train/protocol';
import { activationNames, modelInfo } from './catalog';

/** How many whole graphs a graph-set summary draws (they are laid out one after another). */
export function graphsShown(g: GraphSummary): number {
  const of = g.graphOf;
  if (!of || of.length === 0) return 0;
  let n = 1;
  for (let i = 1; i < of.length; i++) if (of[i] !== of[i - 1]) n++;
  return n;
}

/** The details in brackets: width, the model's own options, and the deep-model extras. */
function details(c: TrainConfig, graphTask: boolean): string[] {
  const out: string[] = [];
  if (c.model === 'gat') out.push(`${c.heads} heads \u00d7 ${c.hidden} hidden units`);
  else out.push(`${c.hidden} hidden units`);
  out.push(activationNames[c.activation]);
  switch (c.model) {
    case 'gcn':
      if (!c.selfLoops) out.push('no self loops');
      if (c.norm === 'row') out.push('row normalization');
      break;
    case 'sage': out.push(`${c.aggr} aggregator`); break;
    case 'gat': if (!graphTask && c.outHeads > 1) out.push(`${c.outHeads} output heads`); break;
    case 'gin':
      if (c.trainEps) out.push('learnable \u03b5');
      if (c.batchNorm) out.push('batch norm');
      break;
    case 'cheb': out.push(`K = ${c.k}`); break;
    case 'rgcn': out.push(`${c.cross} over relations`); break;
    default: break;
  }
  if (c.residual) out.push('residual');
  if (c.pairNorm) out.push('PairNorm');
  if (c.jk !== 'none' && !(graphTask && c.jk === 'cat')) out.push(`jumping knowledge (${c.jk === 'cat' ? 'concatenate' : 'max'})`);
  if (graphTask) out.push(c.jk === 'cat' ? `${c.pool} pooling of the input and every layer, linear head` : `${c.pool} pooling, MLP head`);
  return out;
}

/** "2-layer GAT (8 heads × 8 hidden units, ELU)": the model a config builds, in words. */
export function describeModel(c: TrainConfig): string {
  const name = modelInfo[c.model].name;
  if (c.model === 'sgc') return `SGC (K = ${c.k} propagation steps, then one linear layer)`;
  let stack = name;
  try {
    const kinds = layerKinds(c);
    if (kinds.some((k) => k !== c.model)) stack = `stack of ${kinds.map((k) => modelInfo[k].name).join(' → ')}`;
  } catch {
    stack = `${name} (invalid layer types: ${c.stack})`;
  }
  return `${c.layers}-layer ${stack} (${details(c, taskOf(c.dataset) === 'graph').join(', ')})`;
}

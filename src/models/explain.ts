import type { Parameter } from '../engine/optim';
import { chebNorm, gcnNorm, withSelfLoops } from '../graph/normalize';
import type { Csr } from '../graph/types';
import type { Conv } from './layer';
import { ChebConv } from './layers/chebConv';
import { GatConv } from './layers/gatConv';
import { GcnConv } from './layers/gcnConv';
import { GinConv } from './layers/ginConv';
import { RgcnConv } from './layers/rgcnConv';
import { SageConv } from './layers/sageConv';
import type { ModelSpec } from './spec';

/** An entry is an in-edge, or a term of the node itself (self loop, root weight, GIN's (1 + eps) x_i). */
export type EntryRole = 'neighbour' | 'self';

/**
 * How one message-passing layer computed one node's row, recomputed on the host in float64 from
 * the layer's input rows and the parameters' current values, following the layer's own code.
 */
export interface LayerExplanation {
  /** The terms the layer sums for the node, in the layer's order: each one's source node. */
  readonly sources: Uint32Array;
  readonly roles: readonly EntryRole[];
  /** Row-major entries x heads: the weight the layer gives each entry (per head for GAT). */
  readonly coefficients: Float32Array;
  readonly heads: number;
  /** Row-major entries x messageDim: what each entry adds to the sum; null where the layer is no such sum. */
  readonly messages: Float32Array | null;
  readonly messageDim: number;
  /** Added to the sum before the activation; null when there is none or `combine` is not 'sum'. */
  readonly bias: Float32Array | null;
  /**
   * 'sum': output = activation(sum of messages + bias). 'mlp': output = the layer's MLP of the
   * sum (GIN). 'none': the layer mixes more than one hop, so no per-entry message is exact.
   */
  readonly combine: 'sum' | 'mlp' | 'none';
  /** What the coefficients and messages are, for this layer, in words. */
  readonly note: string;
}

/** What an explanation reads, all on the host. */
export interface ExplainContext {
  readonly node: number;
  readonly inCsr: Csr;
  readonly inDim: number;
  /** Node j's row of the layer's input. */
  row(j: number): Float32Array;
  value(p: Parameter): Float32Array;
  /** Normalized structures, built once per inspection. */
  readonly structures: Map<string, Csr>;
}

/** One conv layer of a node classifier (`spec` says how it normalizes). */
export function explainConv(conv: Conv, spec: ModelSpec, c: ExplainContext): LayerExplanation {
  if (conv instanceof GcnConv) return explainGcn(conv, spec, c);
  if (conv instanceof SageConv) return explainSage(conv, c);
  if (conv instanceof GatConv) return explainGat(conv, c);
  if (conv instanceof GinConv) return explainGin(conv, c);
  if (conv instanceof RgcnConv) return explainRgcn(conv, c);
  if (conv instanceof ChebConv) return explainCheb(conv, c);
  throw new Error('explainConv: unknown layer type');
}

/** SGC's one-hop propagation weights; its logits mix K hops, so there are no exact messages. */
export function explainSgc(spec: ModelSpec, c: ExplainContext): LayerExplanation {
  const { sources, coefficients } = entriesOf(structure(c, 'gcn:true:sym', () => gcnNorm(c.inCsr)), c.node);
  return {
    sources, roles: rolesOf(sources, c.node), coefficients, heads: 1, messages: null, messageDim: 0, bias: null, combine: 'none',
    note: `SGC multiplies the features by the normalized adjacency ${spec.k} times before one linear map, so the logits mix ${spec.k}-hop paths; the coefficients shown are one hop's.`,
  };
}

function structure(c: ExplainContext, key: string, make: () => Csr): Csr {
  let s = c.structures.get(key);
  if (!s) c.structures.set(key, (s = make()));
  return s;
}

function entriesOf(a: Csr, node: number): { sources: Uint32Array; coefficients: Float32Array } {
  const from = a.indptr[node], to = a.indptr[node + 1];
  const sources = a.indices.slice(from, to);
  const coefficients = a.values ? a.values.slice(from, to) : new Float32Array(to - from).fill(1);
  return { sources, coefficients };
}

function rolesOf(sources: Uint32Array, node: number): EntryRole[] {
  return Array.from(sources, (s) => (s === node ? 'self' : 'neighbour'));
}

/** x W for one row, in float64: x [inDim], W row-major [inDim, out]. */
function rowTimes(x: Float32Array, w: Float32Array, out: number, mask?: Uint8Array): Float64Array {
  const y = new Float64Array(out);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    if (xi === 0 || (mask && !mask[i])) continue;
    for (let o = 0; o < out; o++) y[o] += xi * w[i * out + o];
  }
  return y;
}

/** Messages coefficient * (x_j W) for each source, stacked. */
function weightedProjections(c: ExplainContext, sources: Uint32Array, coefs: Float32Array, w: Float32Array, out: number): Float32Array {
  const messages = new Float32Array(sources.length * out);
  sources.forEach((j, e) => {
    const y = rowTimes(c.row(j), w, out);
    for (let o = 0; o < out; o++) messages[e * out + o] = coefs[e] * y[o];
  });
  return messages;
}

function explainGcn(conv: GcnConv, spec: ModelSpec, c: ExplainContext): LayerExplanation {
  const a = structure(c, `gcn:${spec.selfLoops}:${spec.norm}`, () => gcnNorm(c.inCsr, { addSelfLoops: spec.selfLoops, norm: spec.norm }));
  const { sources, coefficients } = entriesOf(a, c.node);
  const out = conv.outDim;
  return {
    sources, roles: rolesOf(sources, c.node), coefficients, heads: 1,
    messages: weightedProjections(c, sources, coefficients, c.value(conv.weight), out), messageDim: out,
    bias: c.value(conv.bias).slice(), combine: 'sum',
    note: spec.norm === 'row'
      ? 'Coefficients are 1 / deg (row normalization, self loop included); each message is coefficient * (x_j W).'
      : 'Coefficients are gcn_norm\'s 1 / sqrt(deg_i deg_j) with the self loop (degrees counting it); each message is coefficient * (x_j W).',
  };
}

/** The node's in-edges as listed, then the node itself as the root term with coefficient 1. */
function withRoot(c: ExplainContext, neighbourCoef: (deg: number) => number): { sources: Uint32Array; coefficients: Float32Array } {
  const { sources: ns } = entriesOf(c.inCsr, c.node);
  const sources = Uint32Array.from([...ns, c.node]);
  const coefficients = new Float32Array(sources.length).fill(neighbourCoef(ns.length));
  coefficients[ns.length] = 1;
  return { sources, coefficients };
}

function rootRoles(sources: Uint32Array): EntryRole[] {
  return Array.from(sources, (_, e) => (e === sources.length - 1 ? 'self' : 'neighbour'));
}

function explainSage(conv: SageConv, c: ExplainContext): LayerExplanation {
  const out = conv.outDim;
  const { sources, coefficients } = withRoot(c, (deg) => (conv.aggr === 'mean' ? 1 / deg : 1));
  const last = sources.length - 1;
  const wl = c.value(conv.lin.weight), wr = c.value(conv.root.weight);
  const messages = new Float32Array(sources.length * out);
  // Max: the aggregate is the column-wise max of the inputs, then W_l. Giving each column to its
  // winner (the first in row order on ties, as the kernel does) splits that product exactly.
  const winners = conv.aggr === 'max' ? columnWinners(c, sources.subarray(0, last)) : null;
  sources.forEach((j, e) => {
    const root = e === last;
    const y = rowTimes(c.row(j), root ? wr : wl, out, root || !winners ? undefined : winners[e]);
    const k = root || winners ? 1 : coefficients[e];
    for (let o = 0; o < out; o++) messages[e * out + o] = k * y[o];
    if (winners && !root) coefficients[e] = winners[e].reduce((s, w) => s + w, 0) / Math.max(c.inDim, 1);
  });
  const how = conv.aggr === 'max'
    ? 'Max aggregation: each input column goes to the neighbour holding its maximum; the coefficient is the share of columns a neighbour wins and its message (x_j restricted to those columns) W_l.'
    : `Coefficients are ${conv.aggr === 'mean' ? '1 / deg' : '1'}; a neighbour's message is coefficient * (x_j W_l).`;
  return {
    sources, roles: rootRoles(sources), coefficients, heads: 1, messages, messageDim: out,
    bias: c.value(conv.lin.bias!).slice(), combine: 'sum', note: `${how} The last entry is the root term x_i W_r.`,
  };
}

function columnWinners(c: ExplainContext, sources: Uint32Array): Uint8Array[] {
  const wins = Array.from(sources, () => new Uint8Array(c.inDim));
  for (let col = 0; col < c.inDim; col++) {
    let best = -1, bestValue = -Infinity;
    sources.forEach((j, e) => {
      const v = c.row(j)[col];
      if (v > bestValue) [best, bestValue] = [e, v];
    });
    if (best >= 0) wins[best][col] = 1;
  }
  return wins;
}

function explainGat(conv: GatConv, c: ExplainContext): LayerExplanation {
  const { sources } = entriesOf(structure(c, 'loops', () => withSelfLoops(c.inCsr)), c.node);
  const F = conv.perHead, W = c.value(conv.weight), H = W.length / (c.inDim * F);
  const concat = conv.outDim === H * F;
  const aSrc = c.value(conv.attSrc), aDst = c.value(conv.attDst);
  const h = Array.from(sources, (j) => rowTimes(c.row(j), W, H * F));
  const hi = rowTimes(c.row(c.node), W, H * F);
  const dot = (v: Float64Array, a: Float32Array, head: number) => {
    let s = 0;
    for (let f = 0; f < F; f++) s += v[head * F + f] * a[head * F + f];
    return s;
  };
  const n = sources.length;
  const alpha = new Float32Array(n * H);
  for (let head = 0; head < H; head++) {
    const dst = dot(hi, aDst, head);
    const scores = h.map((v) => {
      const e = dot(v, aSrc, head) + dst;
      return e > 0 ? e : 0.2 * e;
    });
    const max = Math.max(...scores);
    const exps = scores.map((s) => Math.exp(s - max));
    const total = exps.reduce((a, b) => a + b, 0);
    exps.forEach((x, e) => (alpha[e * H + head] = x / total));
  }
  const width = concat ? H * F : F;
  const messages = new Float32Array(n * width);
  for (let e = 0; e < n; e++) {
    for (let head = 0; head < H; head++) {
      for (let f = 0; f < F; f++) {
        const m = alpha[e * H + head] * h[e][head * F + f];
        if (concat) messages[e * width + head * F + f] = m;
        else messages[e * width + f] += m / H;
      }
    }
  }
  return {
    sources, roles: rolesOf(sources, c.node), coefficients: alpha, heads: H, messages, messageDim: width,
    bias: c.value(conv.bias).slice(), combine: 'sum',
    note: `Coefficients are the attention weights alpha_ij per head (softmax over the in-edges and the self loop, no dropout at evaluation); a message is alpha_ij (W x_j) per head, ${concat ? 'heads side by side' : 'averaged over the heads'}.`,
  };
}

function explainGin(conv: GinConv, c: ExplainContext): LayerExplanation {
  const eps = conv.eps ? c.value(conv.eps)[0] : 0;
  const { sources, coefficients } = withRoot(c, () => 1);
  coefficients[sources.length - 1] = 1 + eps;
  const messages = new Float32Array(sources.length * c.inDim);
  sources.forEach((j, e) => {
    const x = c.row(j);
    for (let i = 0; i < c.inDim; i++) messages[e * c.inDim + i] = coefficients[e] * x[i];
  });
  return {
    sources, roles: rootRoles(sources), coefficients, heads: 1, messages, messageDim: c.inDim, bias: null, combine: 'mlp',
    note: 'GIN sums its neighbours\' rows (coefficient 1) and (1 + eps) times its own (the last entry), then applies its MLP to the sum.',
  };
}

function explainRgcn(conv: RgcnConv, c: ExplainContext): LayerExplanation {
  const out = conv.outDim;
  const { sources, coefficients } = withRoot(c, (deg) => 1 / deg);
  if (conv.relations !== 1) {
    return {
      sources, roles: rootRoles(sources), coefficients, heads: 1, messages: null, messageDim: 0, bias: null, combine: 'none',
      note: 'R-GCN with several relations: per-relation messages are not shown.',
    };
  }
  const last = sources.length - 1;
  const messages = new Float32Array(sources.length * out);
  sources.forEach((j, e) => {
    const y = rowTimes(c.row(j), c.value(e === last ? conv.root : conv.weights[0]), out);
    for (let o = 0; o < out; o++) messages[e * out + o] = coefficients[e] * y[o];
  });
  return {
    sources, roles: rootRoles(sources), coefficients, heads: 1, messages, messageDim: out,
    bias: c.value(conv.bias).slice(), combine: 'sum',
    note: 'One relation: a neighbour\'s message is (1 / deg) (x_j W_r), the last entry the root term x_i W_root.',
  };
}

function explainCheb(conv: ChebConv, c: ExplainContext): LayerExplanation {
  const { sources: ns, coefficients: nc } = entriesOf(structure(c, 'cheb', () => chebNorm(c.inCsr)), c.node);
  const sources = Uint32Array.from([c.node, ...ns]);
  const coefficients = Float32Array.from([1, ...nc]);
  const roles: EntryRole[] = ['self', ...Array.from(ns, () => 'neighbour' as const)];
  if (conv.k > 2) {
    return {
      sources, roles, coefficients, heads: 1, messages: null, messageDim: 0, bias: null, combine: 'none',
      note: `ChebConv with K = ${conv.k} sums polynomials of L~ up to ${conv.k - 1} hops, so per-edge messages are not exact; the coefficients are L~'s one-hop entries (-1 / sqrt(deg_i deg_j)) after the T_0 self term.`,
    };
  }
  const out = conv.outDim;
  const messages = new Float32Array(sources.length * out);
  // K = 1 is x_i W_0 alone: the neighbours' weight is 0.
  if (conv.k < 2) coefficients.fill(0, 1);
  sources.forEach((j, e) => {
    if (coefficients[e] === 0) return;
    const y = rowTimes(c.row(j), c.value(conv.weights[e === 0 ? 0 : 1]), out);
    for (let o = 0; o < out; o++) messages[e * out + o] = coefficients[e] * y[o];
  });
  return {
    sources, roles, coefficients, heads: 1, messages, messageDim: out, bias: c.value(conv.bias).slice(), combine: 'sum',
    note: 'K <= 2: the first entry is T_0 = x_i W_0; a neighbour\'s message is L~_ij (x_j W_1), L~ = -D^-1/2 A D^-1/2 (0 for K = 1).',
  };
}

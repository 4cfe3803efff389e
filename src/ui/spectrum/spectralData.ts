import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3-force';
import { csrFromCoo } from '../../graph/csr';
import type { Csr } from '../../graph/types';
import { laplacianSpectrum, SPECTRAL_MAX_NODES } from '../../metrics/spectral';
import type { GraphSummary } from '../../train/protocol';

/**
 * The pure part of the spectral view: which graph its spectrum is taken of, the Laplacian's
 * eigenpairs and a small force layout to draw eigenvectors on. No React and no DOM, so the same
 * code runs on the page, in spectrum.worker.ts and in Node tests.
 */

/** The graph a spectrum is taken of: the summary's graph, or for a graph set its first drawn graph. */
export interface SpectralGraph {
  readonly n: number;
  /** Undirected edges once each, renumbered 0..n-1. */
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  /** For a graph set: the graph's index in the whole set. */
  readonly graphIndex?: number;
}

export type SpectralSubject =
  | { readonly kind: 'ok'; readonly graph: SpectralGraph }
  | { readonly kind: 'too-big'; readonly n: number; readonly max: number; readonly graphIndex?: number }
  | { readonly kind: 'empty' };

/**
 * What the view can show for a summary: one graph of at most SPECTRAL_MAX_NODES nodes. A graph
 * set's summary draws several whole graphs one after another (`graphOf`); a spectrum belongs to
 * one graph, so the first drawn one is taken.
 */
export function spectralSubject(summary: GraphSummary, max = SPECTRAL_MAX_NODES): SpectralSubject {
  // A graph set's drawn graphs lie one after another, so the first one is nodes 0..end-1.
  let end = summary.numNodes;
  let graphIndex: number | undefined;
  if (summary.graphOf) {
    if (summary.graphOf.length === 0) return { kind: 'empty' };
    graphIndex = summary.graphOf[0];
    end = 1;
    while (end < summary.graphOf.length && summary.graphOf[end] === graphIndex) end++;
  }
  const n = end;
  if (n === 0) return { kind: 'empty' };
  if (n > max) return { kind: 'too-big', n, max, graphIndex };
  const src: number[] = [];
  const dst: number[] = [];
  for (let e = 0; e < summary.src.length; e++) {
    const a = summary.src[e], b = summary.dst[e];
    if (a < end && b < end) {
      src.push(a);
      dst.push(b);
    }
  }
  return { kind: 'ok', graph: { n, src: Uint32Array.from(src), dst: Uint32Array.from(dst), graphIndex } };
}

/** The adjacency with every undirected edge stored in both directions (a loop once). */
export function adjacencyOf(n: number, src: ArrayLike<number>, dst: ArrayLike<number>): Csr {
  const rows: number[] = [];
  const cols: number[] = [];
  for (let e = 0; e < src.length; e++) {
    const a = src[e], b = dst[e];
    rows.push(a);
    cols.push(b);
    if (a !== b) {
      rows.push(b);
      cols.push(a);
    }
  }
  return csrFromCoo(n, n, rows, cols);
}

export interface SpectrumResult {
  readonly n: number;
  readonly renormalized: boolean;
  /** Ascending, in [0, 2]. */
  readonly eigenvalues: Float64Array;
  /** Row k is the unit eigenvector of eigenvalues[k] (see spectral.ts for the sign convention). */
  readonly eigenvectors: Float64Array;
  /** Milliseconds the Laplacian and its eigendecomposition took. */
  readonly ms: number;
}

/** The normalized Laplacian's spectrum (plain, or GCN's renormalized one with self loops). */
export function computeSpectrum(g: SpectralGraph, renormalized: boolean): SpectrumResult {
  const t0 = performance.now();
  const s = laplacianSpectrum(adjacencyOf(g.n, g.src, g.dst), { renormalized });
  return { n: g.n, renormalized, eigenvalues: s.eigenvalues, eigenvectors: s.eigenvectors, ms: performance.now() - t0 };
}

export interface Layout {
  /** Node positions scaled into [0, 1] x [0, 1] (the longer side spans it; the other is centred). */
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly ms: number;
}

interface LayoutNode extends SimulationNodeDatum {
  readonly index: number;
}

/**
 * A settled d3-force layout, run to the end in one go. Deterministic: d3
 * places nodes on a phyllotaxis spiral and draws its jiggle from a fixed-seed generator.
 */
export function forceLayout(g: SpectralGraph): Layout {
  const t0 = performance.now();
  const { n } = g;
  const nodes: LayoutNode[] = Array.from({ length: n }, (_, index) => ({ index }));
  const links = Array.from(g.src, (s, e) => ({ source: s, target: g.dst[e] }));
  const small = n <= 100;
  const sim = forceSimulation(nodes)
    .force('link', forceLink<LayoutNode, { source: number; target: number }>(links).id((d) => d.index).distance(small ? 40 : 20))
    .force('charge', forceManyBody<LayoutNode>().strength(small ? -120 : -30).theta(0.9))
    // Weak gravity keeps separate components (isolated nodes, fragments) near the middle.
    .force('x', forceX<LayoutNode>(0).strength(0.05))
    .force('y', forceY<LayoutNode>(0).strength(0.05))
    .force('collide', forceCollide<LayoutNode>(small ? 12 : 5))
    // Bigger graphs cool faster (about 90 ticks instead of 300): a few hundred nodes settle well enough.
    .alphaDecay(small ? 0.0228 : 0.05)
    .stop();
  const ticks = Math.ceil(Math.log(sim.alphaMin()) / Math.log(1 - sim.alphaDecay()));
  sim.tick(ticks);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const d of nodes) {
    x0 = Math.min(x0, d.x!); x1 = Math.max(x1, d.x!);
    y0 = Math.min(y0, d.y!); y1 = Math.max(y1, d.y!);
  }
  const span = Math.max(x1 - x0, y1 - y0, 1e-9);
  const ox = (span - (x1 - x0)) / 2, oy = (span - (y1 - y0)) / 2;
  const x = new Float32Array(n), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = n === 1 ? 0.5 : (nodes[i].x! - x0 + ox) / span;
    y[i] = n === 1 ? 0.5 : (nodes[i].y! - y0 + oy) / span;
  }
  return { x, y, ms: performance.now() - t0 };
}

/** Edges whose two ends have eigenvector entries of opposite sign (a measure of oscillation). */
export function signChanges(g: SpectralGraph, v: ArrayLike<number>, eps = 1e-9): number {
  let c = 0;
  for (let e = 0; e < g.src.length; e++) {
    const a = v[g.src[e]], b = v[g.dst[e]];
    if ((a > eps && b < -eps) || (a < -eps && b > eps)) c++;
  }
  return c;
}

/** Words for where an eigenvalue sits in [0, 2]. */
export function frequencyWord(lambda: number): 'low' | 'middle' | 'high' {
  return lambda < 2 / 3 ? 'low' : lambda > 4 / 3 ? 'high' : 'middle';
}

import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3-force';
import type { GraphSummary } from '../train/protocol';

/** Layout units between bonded nodes; the scene scales the whole layout to the canvas. */
export const BOND = 30;
/** Space around each graph inside its frame, and between frames, in layout units. */
const PAD = BOND * 0.6;
const GAP = BOND * 0.5;

/** One drawn graph: its nodes (a contiguous range), local layout and size with padding. */
export interface Piece {
  readonly graph: number;
  readonly first: number;
  readonly end: number;
  readonly w: number;
  readonly h: number;
  /** Node positions relative to the piece's top-left corner. */
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Splits a graph-set summary into its drawn graphs and lays each out on its own. */
export function layoutPieces(g: GraphSummary): Piece[] {
  const of = g.graphOf!;
  const pieces: Piece[] = [];
  let e = 0;
  for (let first = 0; first < of.length;) {
    let end = first + 1;
    while (end < of.length && of[end] === of[first]) end++;
    const links: { source: number; target: number }[] = [];
    // Edges are listed graph by graph, so one pass collects each graph's own.
    while (e < g.src.length && g.src[e] < end) {
      links.push({ source: g.src[e] - first, target: g.dst[e] - first });
      e++;
    }
    pieces.push(layoutOne(of[first], first, end, links));
    first = end;
  }
  return pieces;
}

function layoutOne(graph: number, first: number, end: number, links: { source: number; target: number }[]): Piece {
  const nodes: SimulationNodeDatum[] = Array.from({ length: end - first }, () => ({}));
  const sim = forceSimulation(nodes)
    .force('link', forceLink(links).distance(BOND).strength(1))
    .force('charge', forceManyBody().strength(-BOND * 2).distanceMax(BOND * 5))
    // Keeps the pieces of a disconnected graph together.
    .force('x', forceX(0).strength(0.05))
    .force('y', forceY(0).strength(0.05))
    .force('collide', forceCollide(BOND * 0.45))
    .stop();
  sim.tick(300);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const d of nodes) {
    x0 = Math.min(x0, d.x!); x1 = Math.max(x1, d.x!);
    y0 = Math.min(y0, d.y!); y1 = Math.max(y1, d.y!);
  }
  return {
    graph, first, end,
    w: x1 - x0 + 2 * PAD,
    h: y1 - y0 + 2 * PAD,
    x: Float64Array.from(nodes, (d) => d.x! - x0 + PAD),
    y: Float64Array.from(nodes, (d) => d.y! - y0 + PAD),
  };
}

export interface Placed {
  /** Top-left corner of each piece, in order. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly width: number;
  readonly height: number;
}

/** Rows left to right, in order, wrapping past `maxWidth`; each piece centred in its row. */
function shelves(pieces: readonly Piece[], maxWidth: number): Placed {
  const x = new Float64Array(pieces.length), y = new Float64Array(pieces.length);
  let width = 0, top = 0, row: number[] = [], rowW = 0, rowH = 0;
  const closeRow = () => {
    for (const i of row) y[i] = top + (rowH - pieces[i].h) / 2;
    width = Math.max(width, rowW);
    top += rowH + GAP;
    row = []; rowW = 0; rowH = 0;
  };
  pieces.forEach((p, i) => {
    if (row.length > 0 && rowW + GAP + p.w > maxWidth) closeRow();
    x[i] = row.length > 0 ? rowW + GAP : 0;
    rowW = x[i] + p.w;
    rowH = Math.max(rowH, p.h);
    row.push(i);
  });
  if (row.length > 0) closeRow();
  return { x, y, width, height: Math.max(top - GAP, 0) };
}

/**
 * Packs the pieces in order into rows so the whole fills a `aspect` (width / height) box as
 * well as it can: tries row widths from the widest piece to one single row and keeps the one
 * that lets the layout be drawn largest.
 */
export function pack(pieces: readonly Piece[], aspect: number): Placed {
  const widest = Math.max(...pieces.map((p) => p.w));
  const total = pieces.reduce((s, p) => s + p.w + GAP, 0);
  let best: Placed | null = null, bestScale = -1;
  const tries = 60;
  for (let t = 0; t <= tries; t++) {
    const placed = shelves(pieces, widest + ((total - widest) * t) / tries);
    const scale = Math.min(aspect / Math.max(placed.width, 1), 1 / Math.max(placed.height, 1));
    if (scale > bestScale) {
      best = placed;
      bestScale = scale;
    }
  }
  return best!;
}

import {
  forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY,
  type Simulation, type SimulationNodeDatum,
} from 'd3-force';
import type { GraphSummary } from '../train/protocol';
import { classColor, correctColor, wrongColor } from './palette';
import type { ColourBy } from '../state/viewStore';
import { BOND, pack, type Piece, layoutPieces } from './setLayout';

interface Node extends SimulationNodeDatum {
  readonly index: number;
}

interface View {
  readonly sx: number;
  readonly sy: number;
  readonly dx: number;
  readonly dy: number;
}

/**
 * The force layout and its canvas drawing, outside React: the simulation ticks about 300
 * times and predictions arrive many times a second, neither of which should re-render
 * components. Drawing batches every node of one colour into a single path, which is what keeps
 * Cora and CiteSeer (~3k nodes, ~5k edges) smooth.
 */
export class GraphScene {
  private readonly nodes: Node[];
  private readonly sim: Simulation<Node, undefined>;
  private readonly small: boolean;
  private predictions: Int32Array | null = null;
  private colourBy: ColourBy = 'predicted';
  private selected: number | null = null;
  /** The user's zoom and pan on top of the fit: screen = fit(p) * k + (x, y). */
  private zoom = { k: 1, x: 0, y: 0 };
  private ctx: CanvasRenderingContext2D | null = null;
  private cssW = 0;
  private cssH = 0;
  private dpr = 1;
  private frame = 0;
  private destroyed = false;
  private view: View = { sx: 1, sy: 1, dx: 0, dy: 0 };
  /** A graph set: each drawn graph laid out on its own, then packed in rows (no animation). */
  private readonly pieces: Piece[] | null;
  private frames: { x: number; y: number; w: number; h: number; train: boolean; label: number }[] = [];
  private aspect = 0;

  /** `positions`: where the user drew the nodes (unit square); they are kept, not laid out. */
  constructor(private readonly graph: GraphSummary, positions?: { readonly x: ArrayLike<number>; readonly y: ArrayLike<number> }) {
    const n = graph.numNodes;
    this.small = n <= 200;
    this.nodes = Array.from({ length: n }, (_, index) => ({ index }));
    if (positions && positions.x.length === n && !graph.graphOf) {
      // The same scale as a settled small force layout, so radii and line widths look alike.
      this.nodes.forEach((d, i) => { d.x = positions.x[i] * 400; d.y = positions.y[i] * 400; });
      this.pieces = null;
      this.sim = forceSimulation(this.nodes).stop();
      this.sim.alpha(0);
      return;
    }
    this.pieces = graph.graphOf ? layoutPieces(graph) : null;
    if (this.pieces) {
      this.arrange(16 / 9);
      // No forces: the simulation only answers nodeAt's nearest-node queries.
      this.sim = forceSimulation(this.nodes).stop();
      this.sim.alpha(0);
      return;
    }
    const links = Array.from(graph.src, (s, i) => ({ source: s, target: graph.dst[i] }));
    this.sim = forceSimulation(this.nodes)
      .force('link', forceLink<Node, { source: number; target: number }>(links)
        .id((d) => d.index).distance(this.small ? 45 : 14))
      .force('charge', forceManyBody<Node>().strength(this.small ? -160 : -18)
        .distanceMax(this.small ? Infinity : 160).theta(0.9))
      .force('center', forceCenter(0, 0))
      // Big citation graphs have dozens of small components; weak gravity keeps them near the middle.
      .force('x', forceX<Node>(0).strength(this.small ? 0.02 : 0.06))
      .force('y', forceY<Node>(0).strength(this.small ? 0.02 : 0.06))
      .force('collide', forceCollide<Node>(this.small ? 14 : 4))
      .alphaDecay(this.small ? 0.0228 : 0.045)
      // Driven by our own frame loop below rather than d3's timer, to bound the work per frame.
      .stop();
    // A small graph settles in a few milliseconds: show it settled instead of animating it.
    if (this.small) this.sim.tick(Math.ceil(Math.log(this.sim.alphaMin()) / Math.log(1 - this.sim.alphaDecay())));
  }

  attach(canvas: HTMLCanvasElement | null, cssW: number, cssH: number): void {
    // CPU raster (willReadFrequently) keeps thousands of tiny arcs off the GPU, which the training
    // worker is using; on software WebGPU the shared GPU process otherwise slows training ~8x.
    this.ctx = canvas?.getContext('2d', { willReadFrequently: true }) ?? null;
    if (!canvas || !this.ctx) return;
    this.dpr = window.devicePixelRatio || 1;
    this.cssW = cssW;
    this.cssH = cssH;
    canvas.width = Math.round(cssW * this.dpr);
    canvas.height = Math.round(cssH * this.dpr);
    if (this.pieces && cssH > 0 && Math.abs(cssW / cssH - this.aspect) > 1e-3) this.arrange(cssW / cssH);
    this.requestDraw();
  }

  setPredictions(p: Int32Array | null): void {
    const next = p && p.length === this.nodes.length ? p : null;
    // Most progress messages change no colour once training settles; skip those redraws.
    const same = next && this.predictions && next.every((c, i) => c === this.predictions![i]);
    this.predictions = next;
    if (!same) this.requestDraw();
  }

  setColourBy(mode: ColourBy): void {
    this.colourBy = mode;
    this.requestDraw();
  }

  setSelected(node: number | null): void {
    this.selected = node !== null && node < this.nodes.length ? node : null;
    this.requestDraw();
  }

  /** Zooms by `factor` about the point (px, py) in CSS pixels; k stays within 0.5 to 40. */
  zoomAt(px: number, py: number, factor: number): void {
    const z = this.zoom;
    const k = Math.min(40, Math.max(0.5, z.k * factor));
    const f = k / z.k;
    this.zoom = { k, x: px - (px - z.x) * f, y: py - (py - z.y) * f };
    this.requestDraw();
  }

  panBy(dx: number, dy: number): void {
    this.zoom = { ...this.zoom, x: this.zoom.x + dx, y: this.zoom.y + dy };
    this.requestDraw();
  }

  resetZoom(): void {
    this.zoom = { k: 1, x: 0, y: 0 };
    this.requestDraw();
  }

  get zoomed(): boolean {
    return this.zoom.k !== 1 || this.zoom.x !== 0 || this.zoom.y !== 0;
  }

  /** Colour key of a node: a class id, -1 (not predicted yet), or the right / wrong markers. */
  private colourOf(i: number): number | 'right' | 'wrong' {
    const p = this.predictions;
    if (this.colourBy === 'true') return this.graph.labels[i];
    if (!p || p[i] < 0) return this.colourBy === 'correct' ? -1 : p ? p[i] : -1;
    if (this.colourBy === 'correct') return p[i] === this.graph.labels[i] ? 'right' : 'wrong';
    return p[i];
  }

  /** Stops the layout and blanks the canvas, so a failed load never leaves the old graph up. */
  destroy(): void {
    this.destroyed = true;
    this.sim.stop();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.ctx?.setTransform(1, 0, 0, 1, 0, 0);
    this.ctx?.clearRect(0, 0, this.ctx.canvas.width, this.ctx.canvas.height);
  }

  /** The node under a point in CSS pixels of the canvas, if any. */
  nodeAt(px: number, py: number): number | null {
    const { sx, sy, dx, dy } = this.view;
    const found = this.sim.find((px - dx) / sx, (py - dy) / sy, (this.radius() + 4) / Math.min(sx, sy));
    return found ? found.index : null;
  }

  /** Packs the drawn graphs into a box of this width / height and places their nodes. */
  private arrange(aspect: number): void {
    const pieces = this.pieces!;
    const at = pack(pieces, aspect);
    this.aspect = aspect;
    this.frames = pieces.map((p, i) => {
      for (let v = p.first; v < p.end; v++) {
        this.nodes[v].x = at.x[i] + p.x[v - p.first];
        this.nodes[v].y = at.y[i] + p.y[v - p.first];
      }
      return { x: at.x[i], y: at.y[i], w: p.w, h: p.h, train: this.graph.splitOf[p.first] === 1, label: this.graph.labels[p.first] };
    });
  }

  private radius(): number {
    // Graph sets: about a quarter of a bond on screen, whatever the zoom.
    if (this.pieces) return Math.min(8, Math.max(2.5, BOND * 0.27 * Math.min(this.view.sx, this.view.sy)));
    const n = this.nodes.length;
    return n <= 100 ? 10 : n <= 600 ? 5 : 2.8;
  }

  private requestDraw(): void {
    if (this.frame || this.destroyed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      // Tick the layout for about half a frame's time (one Cora tick is ~10 ms), then draw.
      const hot = () => this.sim.alpha() >= this.sim.alphaMin();
      const t0 = performance.now();
      while (hot() && performance.now() - t0 < 8) this.sim.tick();
      this.draw();
      if (hot()) this.requestDraw();
    });
  }

  /**
   * Scale and shift that fit the whole layout into the canvas, whatever it has spread to. The
   * layout comes out roughly round; stretching it a little fills a wide canvas much better.
   */
  private fit(): View {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const d of this.nodes) {
      x0 = Math.min(x0, d.x ?? 0); x1 = Math.max(x1, d.x ?? 0);
      y0 = Math.min(y0, d.y ?? 0); y1 = Math.max(y1, d.y ?? 0);
    }
    if (this.pieces) {
      // The frames' corners, not the nodes, bound a packed set; molecules are never stretched.
      x0 = y0 = 0;
      x1 = Math.max(...this.frames.map((f) => f.x + f.w));
      y1 = Math.max(...this.frames.map((f) => f.y + f.h));
    }
    const pad = this.pieces ? 6 : this.radius() + 8;
    const maxStretch = this.pieces ? 1 : 1.5;
    let sx = Math.max(this.cssW - 2 * pad, 1) / Math.max(x1 - x0, 1);
    let sy = Math.max(this.cssH - 2 * pad, 1) / Math.max(y1 - y0, 1);
    sx = Math.min(sx, sy * maxStretch);
    sy = Math.min(sy, sx * maxStretch);
    return { sx, sy, dx: this.cssW / 2 - ((x0 + x1) / 2) * sx, dy: this.cssH / 2 - ((y0 + y1) / 2) * sy };
  }

  private draw(): void {
    const ctx = this.ctx;
    if (!ctx || this.cssW <= 0 || this.cssH <= 0) return;
    const f = this.fit(), z = this.zoom;
    const v = (this.view = { sx: f.sx * z.k, sy: f.sy * z.k, dx: f.dx * z.k + z.x, dy: f.dy * z.k + z.y });
    const X = (d: Node) => (d.x ?? 0) * v.sx + v.dx;
    const Y = (d: Node) => (d.y ?? 0) * v.sy + v.dy;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.cssW, this.cssH);
    if (this.pieces) this.drawFrames(ctx, v);

    ctx.beginPath();
    for (let i = 0; i < this.graph.src.length; i++) {
      const a = this.nodes[this.graph.src[i]], b = this.nodes[this.graph.dst[i]];
      ctx.moveTo(X(a), Y(a));
      ctx.lineTo(X(b), Y(b));
    }
    // Molecules are drawn large enough for their bonds to be read; a big citation graph is a haze.
    ctx.strokeStyle = this.small || this.pieces ? 'rgba(60,60,70,0.55)' : 'rgba(60,60,70,0.28)';
    ctx.lineWidth = this.small ? 1.5 : this.pieces ? 1.2 : 0.6;
    ctx.stroke();

    const r = this.radius();
    const byClass = new Map<number | 'right' | 'wrong', Path2D>();
    const ring = new Path2D();
    for (const d of this.nodes) {
      const c = this.colourOf(d.index);
      let path = byClass.get(c);
      if (!path) byClass.set(c, (path = new Path2D()));
      const x = X(d), y = Y(d);
      path.moveTo(x + r, y);
      path.arc(x, y, r, 0, 2 * Math.PI);
      if (!this.pieces && this.graph.splitOf[d.index] === 1) {
        ring.moveTo(x + r + 1, y);
        ring.arc(x, y, r + 1, 0, 2 * Math.PI);
      }
    }
    for (const [c, path] of byClass) {
      ctx.fillStyle = c === 'right' ? correctColor : c === 'wrong' ? wrongColor : classColor(c);
      ctx.fill(path);
    }
    ctx.strokeStyle = '#111';
    ctx.lineWidth = this.small ? 3 : 1.4;
    ctx.stroke(ring);
    if (this.selected !== null) this.drawSelection(ctx, X, Y, r);
  }

  /** The inspected node: its incoming edges in the accent colour and a thick ring around it. */
  private drawSelection(ctx: CanvasRenderingContext2D, X: (d: Node) => number, Y: (d: Node) => number, r: number): void {
    const s = this.nodes[this.selected!];
    ctx.beginPath();
    for (let i = 0; i < this.graph.src.length; i++) {
      const a = this.graph.src[i], b = this.graph.dst[i];
      if (a !== s.index && b !== s.index) continue;
      const o = this.nodes[a === s.index ? b : a];
      ctx.moveTo(X(s), Y(s));
      ctx.lineTo(X(o), Y(o));
    }
    ctx.strokeStyle = '#f59e0b';
    ctx.lineWidth = 3;
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(X(s), Y(s), r + 5, 0, 2 * Math.PI);
    ctx.lineWidth = 4;
    ctx.strokeStyle = '#111';
    ctx.stroke();
  }

  /**
   * A frame per drawn graph in its true class's colour (the nodes show the predicted one), dashed
   * for training graphs.
   */
  private drawFrames(ctx: CanvasRenderingContext2D, v: View): void {
    const inset = 2;
    ctx.lineWidth = 2.5;
    for (const f of this.frames) {
      const x = f.x * v.sx + v.dx + inset, y = f.y * v.sy + v.dy + inset;
      ctx.beginPath();
      ctx.roundRect(x, y, f.w * v.sx - 2 * inset, f.h * v.sy - 2 * inset, 6);
      ctx.fillStyle = '#f6f7f9';
      ctx.fill();
      ctx.setLineDash(f.train ? [6, 4] : []);
      ctx.strokeStyle = classColor(f.label);
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }
}

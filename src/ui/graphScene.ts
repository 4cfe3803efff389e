import {
  type Force, forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY,
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

/** Above this many nodes a graph is drawn finer (smaller dots, fainter edges) and settles slower. */
const HUGE = 5000;
/** Milliseconds of layout ticks per frame; a tick longer than that still runs once a frame. */
const TICK_BUDGET = 10;
/** Edges stroked into a settled graph's edge layer per frame (PubMed has 44,324). */
const EDGE_CHUNK = 12000;

/** Edges drawn once for a view, in device pixels; `done` of them so far. */
interface EdgeLayer {
  readonly canvas: HTMLCanvasElement;
  readonly key: string;
  readonly view: View;
  done: number;
}

/**
 * The force layout and its canvas drawing, outside React: the simulation ticks 150 to 300
 * times and predictions arrive many times a second, neither of which should re-render
 * components. Every main-thread task stays short, up to PubMed's 19,717 nodes:
 * - each frame runs as many layout ticks as fit in TICK_BUDGET (judged by the recent ticks'
 *   cost, so one slow tick never becomes two), then draws;
 * - graphs of more than 200 nodes are repelled by gridRepulsion (below), not by d3's quadtree
 *   forces, which cost ~250 ms a tick at PubMed's size (~12 ms a tick at Cora's);
 * - their nodes are drawn pixel by pixel (drawDots), not as arcs, whose rasterization took
 *   50 to 100 ms a frame for PubMed;
 * - once the layout has settled, the edges are drawn once into a layer that is copied while only
 *   the colours change (see drawEdges); zoomed in, what lies outside the canvas is skipped.
 */
export class GraphScene {
  private readonly nodes: Node[];
  private readonly sim: Simulation<Node, undefined>;
  private readonly small: boolean;
  private readonly huge: boolean;
  /** Milliseconds the recent ticks took (a moving average), to fit ticks into a frame. */
  private tickMs = 0;
  /** Bumped whenever nodes move, so that a layer of edges drawn before is not reused. */
  private layoutVersion = 0;
  /** The settled edges drawn for a view (see drawEdges), and the next such layer, part drawn. */
  private edges: EdgeLayer | null = null;
  private pendingEdges: EdgeLayer | null = null;
  /** The pixels of a big graph's nodes and the canvas they are put on (drawDots). */
  private dots: { readonly canvas: HTMLCanvasElement; readonly image: ImageData } | null = null;
  /** Whether the last frame left a layer of edges part drawn. */
  private edgesBusy = false;
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
    this.huge = n > HUGE;
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
    if (this.huge) {
      // d3's phyllotaxis start at half its size, about the size the layout settles to: the first
      // ticks, while everything is far from its neighbours, cost less and fewer are needed.
      this.nodes.forEach((d, i) => {
        const r = 5 * Math.sqrt(0.5 + i), a = i * Math.PI * (3 - Math.sqrt(5));
        d.x = r * Math.cos(a);
        d.y = r * Math.sin(a);
      });
    }
    const links = Array.from(graph.src, (s, i) => ({ source: s, target: graph.dst[i] }));
    this.sim = forceSimulation(this.nodes)
      .force('link', forceLink<Node, { source: number; target: number }>(links)
        .id((d) => d.index).distance(this.small ? 45 : 14))
      .force('charge', this.small ? forceManyBody<Node>().strength(-160).theta(0.9) : null)
      .force('center', forceCenter(0, 0))
      // Big citation graphs have dozens of small components; weak gravity keeps them near the middle.
      .force('x', forceX<Node>(0).strength(this.small ? 0.02 : 0.06))
      .force('y', forceY<Node>(0).strength(this.small ? 0.02 : 0.06))
      // Last, as d3's collide must be: it looks at where the other forces are taking the nodes.
      // Above 200 nodes one grid pass does both the repulsion (the small graphs' 'charge') and it.
      .force('collide', this.small ? forceCollide<Node>(14) : gridRepulsion(-18, 160, 4))
      // PubMed needs the slower cooling (300 ticks, d3's default) for its classes to sort out.
      .alphaDecay(this.small || this.huge ? 0.0228 : 0.045)
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
    this.edges = this.pendingEdges = this.dots = null;
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
    this.layoutVersion++;
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
    return n <= 100 ? 10 : n <= 600 ? 5 : n <= HUGE ? 2.8 : 1.6;
  }

  private hot(): boolean {
    return this.sim.alpha() >= this.sim.alphaMin();
  }

  private requestDraw(): void {
    if (this.frame || this.destroyed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      // Tick while another tick is expected to fit in the budget (always at least one), then draw.
      const t0 = performance.now();
      for (let ticks = 0; this.hot() && (ticks === 0 || performance.now() - t0 + this.tickMs < TICK_BUDGET); ticks++) {
        const t = performance.now();
        this.sim.tick();
        const ms = performance.now() - t;
        this.tickMs = this.tickMs ? 0.8 * this.tickMs + 0.2 * ms : ms;
        this.layoutVersion++;
      }
      this.draw();
      // Go on while the layout moves or a layer of edges is still being drawn.
      if (this.hot() || this.edgesBusy) this.requestDraw();
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

    this.drawEdges(ctx, v);
    const r = this.radius();
    const ring = new Path2D();
    if (!this.small && !this.pieces) {
      this.drawDots(ctx, v, r);
    } else {
      const byClass = new Map<number | 'right' | 'wrong', Path2D>();
      for (const d of this.nodes) {
        const x = X(d), y = Y(d);
        // Zoomed in, most nodes are off the canvas: skip them.
        if (x < -r - 2 || y < -r - 2 || x > this.cssW + r + 2 || y > this.cssH + r + 2) continue;
        const c = this.colourOf(d.index);
        let path = byClass.get(c);
        if (!path) byClass.set(c, (path = new Path2D()));
        path.moveTo(x + r, y);
        path.arc(x, y, r, 0, 2 * Math.PI);
      }
      for (const [c, path] of byClass) {
        ctx.fillStyle = colourFill(c);
        ctx.fill(path);
      }
    }
    if (!this.pieces) {
      for (const d of this.nodes) {
        if (this.graph.splitOf[d.index] !== 1) continue;
        const x = X(d), y = Y(d);
        ring.moveTo(x + r + 1, y);
        ring.arc(x, y, r + 1, 0, 2 * Math.PI);
      }
    }
    ctx.strokeStyle = '#111';
    ctx.lineWidth = this.small ? 3 : 1.4;
    ctx.stroke(ring);
    if (this.selected !== null) this.drawSelection(ctx, X, Y, r);
  }

  /**
   * Graphs of more than 200 nodes: each node an anti-aliased disc blended (source-over) into a
   * pixel buffer, put on a canvas of its own and copied over the edges. Filling PubMed's 19,717
   * arcs through paths takes ~10x as long (40 to 100 ms a frame on a 2-core machine against
   * ~6 ms); at Cora's size it is ~2.5 ms against ~8, and looks the same.
   */
  private drawDots(ctx: CanvasRenderingContext2D, v: View, r: number): void {
    const W = ctx.canvas.width, H = ctx.canvas.height, s = this.dpr, rad = r * s;
    if (W === 0 || H === 0) return;
    // One buffer and one canvas, kept: a frame allocates nothing for the garbage collector.
    if (!this.dots || this.dots.image.width !== W || this.dots.image.height !== H) {
      const canvas = this.dots?.canvas ?? document.createElement('canvas');
      canvas.width = W;
      canvas.height = H;
      this.dots = { canvas, image: new ImageData(W, H) };
    }
    const layer = this.dots.canvas.getContext('2d', { willReadFrequently: true });
    if (!layer) return;
    const px = this.dots.image.data;
    px.fill(0);
    const rgb = new Map<number | 'right' | 'wrong', number>();
    for (const d of this.nodes) {
      const cx = ((d.x ?? 0) * v.sx + v.dx) * s, cy = ((d.y ?? 0) * v.sy + v.dy) * s;
      if (cx < -rad - 1 || cy < -rad - 1 || cx > W + rad + 1 || cy > H + rad + 1) continue;
      const key = this.colourOf(d.index);
      let c = rgb.get(key);
      if (c === undefined) rgb.set(key, (c = Number.parseInt(colourFill(key).slice(1, 7), 16)));
      const R = c >> 16, G = (c >> 8) & 255, B = c & 255;
      const x0 = Math.max(0, Math.floor(cx - rad - 0.5)), x1 = Math.min(W - 1, Math.floor(cx + rad + 0.5));
      const y0 = Math.max(0, Math.floor(cy - rad - 0.5)), y1 = Math.min(H - 1, Math.floor(cy + rad + 0.5));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const dx = x + 0.5 - cx, dy = y + 0.5 - cy;
          // Coverage of the pixel by the disc, linear over the last pixel of the radius.
          const a = Math.min(1, rad + 0.5 - Math.sqrt(dx * dx + dy * dy));
          if (a <= 0) continue;
          const o = (y * W + x) * 4, under = (px[o + 3] / 255) * (1 - a), out = a + under;
          px[o] = (R * a + px[o] * under) / out;
          px[o + 1] = (G * a + px[o + 1] * under) / out;
          px[o + 2] = (B * a + px[o + 2] * under) / out;
          px[o + 3] = out * 255;
        }
      }
    }
    layer.putImageData(this.dots.image, 0, 0);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.dots.canvas, 0, 0);
    ctx.restore();
  }

  /**
   * The edges. While the layout moves they are stroked each frame (a huge graph's are left out:
   * they would double the frame's cost). Once it has settled they are drawn into a layer of their
   * own, EDGE_CHUNK edges a frame, kept until the view or the canvas changes, and copied: training
   * changes only the colours. While a new layer is being drawn (after a zoom or a pan) the last
   * one is shown moved and scaled to the new view, so zooming a huge graph stays quick.
   */
  private drawEdges(ctx: CanvasRenderingContext2D, v: View): void {
    this.edgesBusy = false;
    if (this.hot()) {
      this.edges = this.pendingEdges = null;
      if (!this.huge) this.strokeEdges(ctx, v, 0, this.graph.src.length);
      return;
    }
    const { width, height } = ctx.canvas;
    const key = `${v.sx} ${v.sy} ${v.dx} ${v.dy} ${width} ${height} ${this.dpr} ${this.layoutVersion}`;
    if (this.edges?.key !== key) {
      const e = this.graph.src.length;
      let job = this.pendingEdges;
      // While the view keeps changing (a drag, a zoom), a layer that takes several frames is only
      // begun: the old one, moved, stands in until the view holds still for a frame.
      const wait = job?.key !== key && e > EDGE_CHUNK && this.edges !== null;
      if (job?.key !== key) {
        // Two canvases at most: the one shown and the one being drawn.
        const canvas = job?.canvas ?? document.createElement('canvas');
        canvas.width = width;
        canvas.height = height;
        job = this.pendingEdges = { canvas, key, view: v, done: 0 };
      }
      // A CPU raster like the canvas itself (see attach), so copying it stays on the CPU.
      const layer = job.canvas.getContext('2d', { willReadFrequently: true });
      if (!layer) {
        this.strokeEdges(ctx, v, 0, e);
        return;
      }
      if (!wait) {
        layer.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
        const end = Math.min(e, job.done + EDGE_CHUNK);
        this.strokeEdges(layer, v, job.done, end);
        job.done = end;
      }
      if (job.done === e) {
        this.pendingEdges = this.edges;
        this.edges = job;
      } else {
        this.edgesBusy = true;
      }
    }
    // The finished layer, or until one is finished, the previous view's layer moved to this view
    // (or, the first time, the part drawn so far).
    const shown = this.edges ?? this.pendingEdges!;
    const kx = v.sx / shown.view.sx, ky = v.sy / shown.view.sy;
    ctx.save();
    ctx.setTransform(kx, 0, 0, ky, (v.dx - shown.view.dx * kx) * this.dpr, (v.dy - shown.view.dy * ky) * this.dpr);
    ctx.drawImage(shown.canvas, 0, 0);
    ctx.restore();
  }

  /** Edges start..end-1 as one path; an edge with both ends past one side of the canvas is skipped. */
  private strokeEdges(c: CanvasRenderingContext2D, v: View, start: number, end: number): void {
    const { src, dst } = this.graph;
    const w = this.cssW, h = this.cssH;
    c.beginPath();
    for (let i = start; i < end; i++) {
      const a = this.nodes[src[i]], b = this.nodes[dst[i]];
      const ax = (a.x ?? 0) * v.sx + v.dx, ay = (a.y ?? 0) * v.sy + v.dy;
      const bx = (b.x ?? 0) * v.sx + v.dx, by = (b.y ?? 0) * v.sy + v.dy;
      if ((ax < 0 && bx < 0) || (ay < 0 && by < 0) || (ax > w && bx > w) || (ay > h && by > h)) continue;
      c.moveTo(ax, ay);
      c.lineTo(bx, by);
    }
    // Molecules are drawn large enough for their bonds to be read; a big citation graph is a haze.
    c.strokeStyle = this.small || this.pieces ? 'rgba(60,60,70,0.55)' : this.huge ? 'rgba(60,60,70,0.12)' : 'rgba(60,60,70,0.28)';
    c.lineWidth = this.small ? 1.5 : this.pieces ? 1.2 : this.huge ? 0.5 : 0.6;
    c.stroke();
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

function colourFill(c: number | 'right' | 'wrong'): string {
  return c === 'right' ? correctColor : c === 'wrong' ? wrongColor : classColor(c);
}

/** This cell and the four neighbours after it in scan order: together they meet every pair once. */
const NEXT_X = [0, 1, -1, 0, 1];
const NEXT_Y = [0, 0, 1, 1, 1];

/**
 * Repulsion between nodes as d3's forceManyBody computes it (each pair within `distanceMax`
 * adds strength * alpha * (p_j - p_i) / |p_j - p_i|^2 to p_i's velocity) and collision as d3's
 * forceCollide does it (overlapping discs of `radius` pushed apart, half each), on a uniform grid
 * of typed arrays instead of quadtrees of objects: pair by pair for the nodes in the 3 x 3 cells
 * around a node, each farther cell within `distanceMax` as its node count at its centroid.
 * Deterministic (a fixed nudge instead of d3's random jiggle for nodes on top of each other). At
 * PubMed's 19,717 nodes a tick takes ~10 to 20 ms on a 2-core machine; d3's two forces took ~250.
 */
export function gridRepulsion(strength: number, distanceMax: number, radius: number): Force<SimulationNodeDatum, undefined> {
  let nodes: SimulationNodeDatum[] = [];
  let x = new Float64Array(0), y = x, vx = x, vy = x;
  let cellOf = new Int32Array(0), order = cellOf;
  let shift = 0;
  let start = new Int32Array(0), next = start, mass = new Float64Array(0), cx = mass, cy = mass, farX = mass, farY = mass;
  const dMax2 = distanceMax * distanceMax;
  const collide2 = 4 * radius * radius;

  /** Bins the nodes (a counting sort by cell) and returns the grid's shape. */
  const bin = (px: Float64Array, py: Float64Array, minSize: number, maxCells: number) => {
    const n = nodes.length;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      if (px[i] < x0) x0 = px[i]; if (px[i] > x1) x1 = px[i];
      if (py[i] < y0) y0 = py[i]; if (py[i] > y1) y1 = py[i];
    }
    const size = Math.max(minSize, (x1 - x0) / (maxCells - 2), (y1 - y0) / (maxCells - 2), 1e-9);
    // The grid moves by a different fraction of a cell each time (a golden-ratio sequence), so
    // the far field's error, which follows the cell borders, averages out instead of printing
    // the grid onto the layout.
    shift = (shift + 0.6180339887498949) % 1;
    x0 -= shift * size;
    y0 -= ((shift * 7) % 1) * size;
    const w = Math.floor((x1 - x0) / size) + 1, h = Math.floor((y1 - y0) / size) + 1;
    if (start.length < w * h + 1) {
      // With room to spare: a layout breathes, and each reallocation is garbage to collect.
      const cells = Math.ceil(w * h * 1.5);
      start = new Int32Array(cells + 1); next = new Int32Array(cells + 1);
      mass = new Float64Array(cells); cx = new Float64Array(cells); cy = new Float64Array(cells);
      farX = new Float64Array(cells); farY = new Float64Array(cells);
    }
    start.fill(0, 0, w * h + 1);
    for (let i = 0; i < n; i++) {
      const c = Math.floor((py[i] - y0) / size) * w + Math.floor((px[i] - x0) / size);
      cellOf[i] = c;
      start[c + 1]++;
    }
    for (let c = 0; c < w * h; c++) start[c + 1] += start[c];
    next.set(start.subarray(0, w * h));
    for (let i = 0; i < n; i++) order[next[cellOf[i]]++] = i;
    return { w, h, size };
  };

  const force = (alpha: number) => {
    const n = nodes.length;
    for (let i = 0; i < n; i++) {
      const d = nodes[i];
      x[i] = d.x!; y[i] = d.y!; vx[i] = d.vx ?? 0; vy[i] = d.vy ?? 0;
    }
    // Cells of an eighth of distanceMax (the far field reaches 8 cells), at least the collision
    // distance, and at most 256 x 256 of them.
    const { w, h, size } = bin(x, y, Math.max(distanceMax / 8, 2 * radius), 256);
    const k = strength * alpha;
    const reach = Math.ceil(distanceMax / size);
    for (let c = 0; c < w * h; c++) {
      const m = start[c + 1] - start[c];
      mass[c] = m;
      if (m === 0) continue;
      let sx = 0, sy = 0;
      for (let q = start[c]; q < start[c + 1]; q++) { sx += x[order[q]]; sy += y[order[q]]; }
      cx[c] = sx / m; cy[c] = sy / m;
    }
    // Far field: each pair of occupied cells within reach, outside each other's 3 x 3 block,
    // once, from centroid to centroid; every node of a cell gets its cell's sum.
    farX.fill(0, 0, w * h);
    farY.fill(0, 0, w * h);
    for (let gy = 0; gy < h; gy++) {
      for (let gx = 0; gx < w; gx++) {
        const c = gy * w + gx, mc = mass[c];
        if (mc === 0) continue;
        let fx = 0, fy = 0;
        // The cells after this one in scan order: the rest of this row, then the rows below.
        for (let oy = gy; oy <= Math.min(h - 1, gy + reach); oy++) {
          for (let ox = oy === gy ? gx + 2 : Math.max(0, gx - reach); ox <= Math.min(w - 1, gx + reach); ox++) {
            const o = oy * w + ox, mo = mass[o];
            if (mo === 0 || (oy - gy <= 1 && Math.abs(ox - gx) <= 1)) continue;
            const dx = cx[o] - cx[c], dy = cy[o] - cy[c], l = dx * dx + dy * dy;
            if (l >= dMax2) continue;
            const ux = (dx / l) * k, uy = (dy / l) * k;
            fx += ux * mo; fy += uy * mo;
            farX[o] -= ux * mc; farY[o] -= uy * mc;
          }
        }
        farX[c] += fx; farY[c] += fy;
      }
    }
    // Near field, pair by pair, and collision: each pair in the 3 x 3 block once, by visiting only
    // this cell's later nodes and the four neighbours after it in scan order. The collision looks
    // at the positions as they are, where d3's looks one step ahead; a layout cannot tell.
    for (let gy = 0; gy < h; gy++) {
      for (let gx = 0; gx < w; gx++) {
        const c = gy * w + gx;
        for (let q = start[c]; q < start[c + 1]; q++) {
          const i = order[q], xi = x[i], yi = y[i];
          let fx = 0, fy = 0;
          for (let b = 0; b < 5; b++) {
            const ox = gx + NEXT_X[b], oy = gy + NEXT_Y[b];
            if (ox < 0 || ox >= w || oy >= h) continue;
            const o = oy * w + ox;
            for (let r = b === 0 ? q + 1 : start[o]; r < start[o + 1]; r++) {
              const j = order[r];
              let dx = x[j] - xi, dy = y[j] - yi, l = dx * dx + dy * dy;
              if (l >= dMax2) continue;
              // Coincident nodes: a fixed tiny nudge by index instead of d3's random jiggle.
              if (dx === 0) { dx = (j - i) * 1e-6; l += dx * dx; }
              if (dy === 0) { dy = (i - j) * 1e-6; l += dy * dy; }
              if (l < collide2) {
                const d = Math.sqrt(l), push = ((2 * radius - d) / d) * 0.5;
                fx -= dx * push; fy -= dy * push;
                vx[j] += dx * push; vy[j] += dy * push;
              }
              const m = l < 1 ? Math.sqrt(l) : l;
              const ux = (dx / m) * k, uy = (dy / m) * k;
              fx += ux; fy += uy;
              vx[j] -= ux; vy[j] -= uy;
            }
          }
          vx[i] += fx + farX[c];
          vy[i] += fy + farY[c];
        }
      }
    }
    for (let i = 0; i < n; i++) { nodes[i].vx = vx[i]; nodes[i].vy = vy[i]; }
  };
  force.initialize = (ns: SimulationNodeDatum[]) => {
    nodes = ns;
    const n = ns.length;
    x = new Float64Array(n); y = new Float64Array(n); vx = new Float64Array(n); vy = new Float64Array(n);
    cellOf = new Int32Array(n); order = new Int32Array(n);
  };
  return force;
}

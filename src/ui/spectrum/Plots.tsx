import { useMemo, useRef, type PointerEvent, type ReactNode } from 'react';
import { sampleResponse } from '../../metrics/filterResponse';
import { niceStep } from '../LineChart';
import { useSize, type Size } from '../useSize';
import { diverging, divergingStops } from './diverging';
import { gainsAt, lambdaSymbol, type ModelFilterInfo } from './modelFilter';
import { frequencyWord, signChanges, type Layout, type SpectralGraph } from './spectralData';

/**
 * The spectral view's three drawings, plain SVG at the box's real pixel size (like LineChart),
 * so type stays legible on a projector. Each takes `size` to skip measuring (static render tests).
 */

const M = { left: 58, right: 16, top: 12, bottom: 46 };
const fmt = (x: number, digits = 2) => (Math.abs(x) < 5e-4 ? 0 : x).toFixed(digits).replace('-', '\u2212');

function ticks(lo: number, hi: number, count: number): number[] {
  const step = niceStep(Math.max(hi - lo, 1e-9), Math.max(1, count));
  const out: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toFixed(10)));
  return out;
}

/** Measures its box unless a fixed size is given, and draws `children(size)` once it has one. */
function Box({ size, children, className = 'chart-box' }: { readonly size?: Size; readonly className?: string; readonly children: (s: Size) => ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const measured = useSize(ref);
  const s = size ?? measured;
  return (
    <div className={className} ref={ref} style={size ? { width: size.width, height: size.height, flex: 'none' } : undefined}>
      {s.width > 0 && s.height > 0 && children(s)}
    </div>
  );
}

interface Frame {
  readonly w: number;
  readonly h: number;
  readonly sx: (x: number) => number;
  readonly sy: (y: number) => number;
}

function frame(size: Size, x0: number, x1: number, y0: number, y1: number): Frame {
  const w = Math.max(1, size.width - M.left - M.right);
  const h = Math.max(1, size.height - M.top - M.bottom);
  return {
    w, h,
    sx: (x) => M.left + ((x - x0) / (x1 - x0 || 1)) * w,
    sy: (y) => M.top + h - ((y - y0) / (y1 - y0 || 1)) * h,
  };
}

/** "0", "0.5", "−0.25": no trailing zeros, a true minus sign. */
const tickText = (t: number) => String(Number(t.toFixed(3))).replace('-', '\u2212');

function Axes({ f, size, xTicks, yTicks, xLabel, yLabel, xFormat = tickText }: {
  readonly f: Frame; readonly size: Size; readonly xTicks: readonly number[]; readonly yTicks: readonly number[];
  readonly xLabel: string; readonly yLabel: string; readonly xFormat?: (x: number) => string;
}) {
  return (
    <>
      {yTicks.map((t) => (
        <g key={`y${t}`}>
          <line className="grid" x1={M.left} x2={M.left + f.w} y1={f.sy(t)} y2={f.sy(t)} />
          <text className="tick" x={M.left - 8} y={f.sy(t)} textAnchor="end" dominantBaseline="middle">{tickText(t)}</text>
        </g>
      ))}
      {xTicks.map((t) => (
        <g key={`x${t}`}>
          <line className="axis" x1={f.sx(t)} x2={f.sx(t)} y1={M.top + f.h} y2={M.top + f.h + 6} />
          <text className="tick" x={f.sx(t)} y={M.top + f.h + 23} textAnchor="middle">{xFormat(t)}</text>
        </g>
      ))}
      <line className="axis" x1={M.left} x2={M.left + f.w} y1={M.top + f.h} y2={M.top + f.h} />
      <line className="axis" x1={M.left} x2={M.left} y1={M.top} y2={M.top + f.h} />
      <text className="axis-label" x={M.left + f.w / 2} y={size.height - 4} textAnchor="middle">{xLabel}</text>
      {yLabel.length <= 2
        ? <text className="axis-label spectrum-ysym" x={14} y={M.top + f.h / 2} textAnchor="middle" dominantBaseline="middle">{yLabel}</text>
        : <text className="axis-label" transform={`translate(15 ${M.top + f.h / 2}) rotate(-90)`} textAnchor="middle">{yLabel}</text>}
    </>
  );
}

export interface EigenvaluePlotProps {
  readonly eigenvalues: Float64Array;
  readonly renormalized: boolean;
  readonly selected: number;
  readonly onSelect: (k: number) => void;
  readonly size?: Size;
}

/** (a) Eigenvalue k against k: the spectrum in [0, 2], the selected one ringed; a click selects. */
export function EigenvaluePlot({ eigenvalues, renormalized, selected, onSelect, size }: EigenvaluePlotProps) {
  const n = eigenvalues.length;
  const l = lambdaSymbol(renormalized);
  const zeros = eigenvalues.filter((v) => v < 1e-9).length;
  const label = `${n} eigenvalues ${l} of the ${renormalized ? 'renormalized' : 'normalized'} Laplacian, from ${fmt(eigenvalues[0])} to ${fmt(eigenvalues[n - 1])}`
    + `; ${zeros} equal to 0; selected k = ${selected}, ${l} = ${fmt(eigenvalues[selected] ?? 0, 3)}`;
  return (
    <figure className="chart spectrum-fig spectrum-values" data-testid="eigenvalue-plot">
      <figcaption>
        <span className="chart-title">Eigenvalues</span>
        <span className="muted">{n} of them, smoothest first{zeros > 1 ? ` \u00b7 ${l} = 0 ${zeros} times: once per connected component${renormalized ? '' : ' with an edge'}` : ''}</span>
      </figcaption>
      <Box size={size}>
        {(s) => {
          const xMax = Math.max(1, n - 1);
          const f = frame(s, 0, xMax, 0, 2);
          const r = n <= 60 ? 4.5 : n <= 200 ? 3.2 : 2.2;
          const pick = (e: PointerEvent<SVGSVGElement>) => {
            const rect = e.currentTarget.getBoundingClientRect();
            const k = Math.round(((e.clientX - rect.left - M.left) / f.w) * xMax);
            onSelect(Math.max(0, Math.min(n - 1, k)));
          };
          const sel = eigenvalues[selected] ?? 0;
          return (
            <svg width={s.width} height={s.height} role="img" aria-label={label} onPointerDown={pick} style={{ cursor: 'pointer' }}>
              <Axes f={f} size={s} xTicks={ticks(0, xMax, Math.floor(f.w / 80)).filter(Number.isInteger)} yTicks={[0, 0.5, 1, 1.5, 2]}
                xLabel="k (eigenvector index)" yLabel={l} />
              <line className="spectrum-guide" x1={f.sx(selected)} x2={f.sx(selected)} y1={M.top} y2={M.top + f.h} />
              <path className="spectrum-dots" d={Array.from(eigenvalues, (v, k) => `M${(f.sx(k) - r).toFixed(1)},${f.sy(v).toFixed(1)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`).join('')} />
              <circle className="spectrum-selected" cx={f.sx(selected)} cy={f.sy(sel)} r={r + 5} />
            </svg>
          );
        }}
      </Box>
    </figure>
  );
}

export interface ResponsePlotProps {
  readonly info: ModelFilterInfo;
  readonly eigenvalues: Float64Array;
  readonly selected: number;
  /** e.g. "2-layer GCN", for the title and the accessible summary. */
  readonly modelName: string;
  readonly size?: Size;
}

const curveColors = ['#6b7280', '#0f766e', '#9333ea', '#b45309', '#be185d', '#4d7c0f'];

/** (c) The model's filter gain over [0, 2] with the graph's eigenvalues marked on the main curve. */
export function ResponsePlot({ info, eigenvalues, selected, modelName, size }: ResponsePlotProps) {
  const l = lambdaSymbol(info.renormalized);
  const main = info.curves.find((c) => c.main) ?? null;
  const samples = useMemo(() => info.curves.map((c) => ({ curve: c, ...sampleResponse(c.filter, 161) })), [info]);
  const marks = useMemo(() => (main ? gainsAt(main, eigenvalues) : null), [main, eigenvalues]);
  if (!main || !marks) {
    return (
      <figure className="chart spectrum-fig spectrum-response" data-testid="response-plot">
        <figcaption><span className="chart-title">Frequency response</span></figcaption>
        <p className="spectrum-note" data-testid="response-note">{info.note}</p>
      </figure>
    );
  }
  let lo = 0, hi = 1;
  for (const s of samples) for (const g of s.gain) { lo = Math.min(lo, g); hi = Math.max(hi, g); }
  lo = Math.floor(lo * 2) / 2;
  hi = Math.ceil(hi * 2) / 2;
  let minMark = Infinity, maxMark = -Infinity;
  for (const g of marks) { minMark = Math.min(minMark, g); maxMark = Math.max(maxMark, g); }
  const label = `Frequency response of ${modelName}: ${main.label}, from ${fmt(samples.find((s) => s.curve === main)!.gain[0])} at ${l} = 0 `
    + `to ${fmt(samples.find((s) => s.curve === main)!.gain.at(-1)!)} at ${l} = 2; at this graph\u2019s ${eigenvalues.length} eigenvalues the gain runs from ${fmt(minMark)} to ${fmt(maxMark)}`;
  let other = 0;
  return (
    <figure className="chart spectrum-fig spectrum-response" data-testid="response-plot">
      <figcaption>
        <span className="chart-title">Frequency response</span>
        <ul className="legend">
          {samples.map(({ curve }) => {
            const color = curve.main ? 'var(--accent)' : curveColors[other++ % curveColors.length];
            return (
              <li key={curve.label}>
                <svg width="26" height="12" aria-hidden="true">
                  <line x1="1" x2="25" y1="6" y2="6" stroke={color} strokeWidth={curve.main ? 4 : 2.5} strokeDasharray={curve.main ? undefined : '6 4'} />
                </svg>
                {curve.label}
              </li>
            );
          })}
          <li><svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="4.5" className="spectrum-mark" /></svg>this graph&rsquo;s eigenvalues</li>
        </ul>
      </figcaption>
      <Box size={size}>
        {(s) => {
          const f = frame(s, 0, 2, lo, hi);
          const r = eigenvalues.length <= 60 ? 4.5 : eigenvalues.length <= 200 ? 3.2 : 2.2;
          let i = 0;
          return (
            <svg width={s.width} height={s.height} role="img" aria-label={label}>
              <Axes f={f} size={s} xTicks={[0, 0.5, 1, 1.5, 2]} yTicks={ticks(lo, hi, Math.max(2, Math.floor(f.h / 40)))}
                xLabel={`${l} (low frequency \u2192 high frequency)`} yLabel={`gain g(${l})`} />
              <line className="spectrum-zero" x1={M.left} x2={M.left + f.w} y1={f.sy(0)} y2={f.sy(0)} />
              {eigenvalues.length > 0 && <line className="spectrum-guide" x1={f.sx(eigenvalues[selected])} x2={f.sx(eigenvalues[selected])} y1={M.top} y2={M.top + f.h} />}
              {samples.map(({ curve, lambda, gain }) => {
                const d = Array.from(lambda, (x, j) => `${j ? 'L' : 'M'}${f.sx(x).toFixed(1)},${f.sy(gain[j]).toFixed(1)}`).join('');
                const color = curve.main ? 'var(--accent)' : curveColors[i++ % curveColors.length];
                return <path key={curve.label} d={d} fill="none" stroke={color} strokeWidth={curve.main ? 4 : 2.5} strokeDasharray={curve.main ? undefined : '7 5'} strokeLinejoin="round" />;
              })}
              {/* A rug of the eigenvalues along the axis, and each one's gain on the main curve. */}
              <path className="spectrum-rug" d={Array.from(eigenvalues, (v) => `M${f.sx(v).toFixed(1)},${M.top + f.h}v-9`).join('')} />
              <path className="spectrum-mark" d={Array.from(eigenvalues, (v, k) => `M${(f.sx(v) - r).toFixed(1)},${f.sy(marks[k]).toFixed(1)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`).join('')} />
              {eigenvalues.length > 0 && <circle className="spectrum-selected" cx={f.sx(eigenvalues[selected])} cy={f.sy(marks[selected])} r={r + 5} />}
            </svg>
          );
        }}
      </Box>
      <p className="spectrum-note" data-testid="response-note">{info.note}</p>
      {info.caveats.map((c) => <p key={c} className="spectrum-note">{c}</p>)}
    </figure>
  );
}

/**
 * Scale and offset that fit a layout's bounding box into the box, stretching an axis by at most
 * 1.4 to fill a wide or tall box better (as the graph view does).
 */
export function fitLayout(layout: Layout, size: Size, pad: number): { sx: number; sy: number; ox: number; oy: number } {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < layout.x.length; i++) {
    x0 = Math.min(x0, layout.x[i]); x1 = Math.max(x1, layout.x[i]);
    y0 = Math.min(y0, layout.y[i]); y1 = Math.max(y1, layout.y[i]);
  }
  const w = Math.max(x1 - x0, 1e-6), h = Math.max(y1 - y0, 1e-6);
  let sx = Math.max(1, size.width - 2 * pad) / w, sy = Math.max(1, size.height - 2 * pad) / h;
  sx = Math.min(sx, sy * 1.4);
  sy = Math.min(sy, sx * 1.4);
  // A single node, or all on one line: keep it in the middle.
  if (x1 - x0 < 1e-6) sx = 0;
  if (y1 - y0 < 1e-6) sy = 0;
  return { sx, sy, ox: size.width / 2 - ((x0 + x1) / 2) * sx, oy: size.height / 2 - ((y0 + y1) / 2) * sy };
}

export interface EigenvectorGraphProps {
  readonly graph: SpectralGraph;
  readonly layout: Layout | null;
  readonly vector: ArrayLike<number>;
  readonly k: number;
  readonly lambda: number;
  readonly renormalized: boolean;
  readonly size?: Size;
}

/** (b) The graph with each node coloured by eigenvector k's entry: sign by hue, magnitude by depth. */
export function EigenvectorGraph({ graph, layout, vector, k, lambda, renormalized, size }: EigenvectorGraphProps) {
  const n = graph.n;
  let max = 0, pos = 0, neg = 0;
  for (let i = 0; i < n; i++) {
    max = Math.max(max, Math.abs(vector[i]));
    if (vector[i] > 1e-9) pos++;
    else if (vector[i] < -1e-9) neg++;
  }
  const changes = signChanges(graph, vector);
  const word = frequencyWord(lambda);
  const l = lambdaSymbol(renormalized);
  const label = `Eigenvector k = ${k} (${l} = ${fmt(lambda, 3)}, ${word} frequency) on the graph: ${pos} nodes positive (red), ${neg} negative (blue), `
    + `${n - pos - neg} zero; ${changes} of ${graph.src.length} edges join nodes of opposite sign`;
  return (
    <figure className="chart spectrum-fig spectrum-graph" data-testid="eigenvector-graph">
      <figcaption>
        <span className="chart-title" data-testid="eigenvector-title">{l}<sub>{k}</sub> = {fmt(lambda, 3)} &middot; {word} frequency</span>
        <span className="spectrum-scale" aria-hidden="true">
          <span>&minus;</span>
          <span className="spectrum-gradient" style={{ background: `linear-gradient(to right, ${divergingStops().join(', ')})` }} />
          <span>+</span>
        </span>
      </figcaption>
      <Box size={size}>
        {(s) => {
          if (!layout) return <p className="graph-overlay">Laying out the graph&hellip;</p>;
          const r = n <= 40 ? 11 : n <= 100 ? 8 : n <= 300 ? 5.5 : 4;
          const { sx, sy, ox, oy } = fitLayout(layout, s, r + 4);
          const X = (i: number) => ox + layout.x[i] * sx, Y = (i: number) => oy + layout.y[i] * sy;
          const edges = Array.from(graph.src, (a, e) => `M${X(a).toFixed(1)},${Y(a).toFixed(1)}L${X(graph.dst[e]).toFixed(1)},${Y(graph.dst[e]).toFixed(1)}`).join('');
          return (
            <svg width={s.width} height={s.height} role="img" aria-label={label}>
              <path className="spectrum-edges" d={edges} strokeWidth={n <= 100 ? 1.6 : 0.9} />
              {Array.from({ length: n }, (_, i) => (
                <circle key={i} cx={X(i)} cy={Y(i)} r={r} fill={diverging(max > 0 ? vector[i] / max : 0)} className="spectrum-node" />
              ))}
            </svg>
          );
        }}
      </Box>
      <p className="spectrum-note" data-testid="eigenvector-note">
        Eigenvector {k} on the graph{word === 'low' ? ': neighbours mostly agree' : word === 'high' ? ': neighbours mostly disagree' : ''}; {changes} of {graph.src.length} edges change sign
      </p>
    </figure>
  );
}

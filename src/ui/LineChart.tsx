import { useRef } from 'react';
import { useSize } from './useSize';

export interface Series {
  readonly label: string;
  readonly color: string;
  readonly ys: readonly number[];
  readonly dashed?: boolean;
}

interface Props {
  readonly title: string;
  readonly xs: readonly number[];
  readonly xMax: number;
  readonly series: readonly Series[];
  readonly yMax: number;
  readonly yFormat: (y: number) => string;
  /** For the latest values in the legend, when ticks want fewer digits than readings do. */
  readonly valueFormat?: (y: number) => string;
  readonly testId: string;
  /** The x axis: its name (default "epoch"), and where its ticks go and how they read. */
  readonly xLabel?: string;
  readonly xTicks?: readonly number[];
  readonly xFormat?: (x: number) => string;
}

const M = { left: 60, right: 18, top: 14, bottom: 44 };

/** A tick spacing of 1, 2, 2.5 or 5 times a power of ten giving about `count` ticks up to max. */
export function niceStep(max: number, count: number): number {
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
}

function niceTicks(max: number, count: number): number[] {
  if (!(max > 0)) return [0];
  const stepSize = niceStep(max, count);
  const ticks: number[] = [];
  for (let t = 0; t <= max + stepSize * 1e-9; t += stepSize) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

/** An SVG path through the points, broken wherever a value is missing (NaN) instead of drawn as 0. */
function linePath(xs: readonly number[], ys: readonly number[], sx: (x: number) => number, sy: (y: number) => number): string {
  let d = '';
  let pen = 'M';
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(ys[i])) {
      pen = 'M';
      continue;
    }
    d += `${pen}${sx(xs[i]).toFixed(1)},${sy(ys[i]).toFixed(1)}`;
    pen = 'L';
  }
  return d;
}

/**
 * A plain SVG line chart drawn at the container's real pixel size, so text stays the same
 * legible size on a laptop and on a projector instead of scaling with a viewBox.
 */
export function LineChart({ title, xs, xMax, series, yMax, yFormat, valueFormat = yFormat, testId, xLabel = 'epoch', xTicks: fixedTicks, xFormat = String }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const { width, height } = useSize(box);
  const w = Math.max(0, width - M.left - M.right);
  const h = Math.max(0, height - M.top - M.bottom);
  const sx = (x: number) => M.left + (xMax > 0 ? (x / xMax) * w : 0);
  // Round the top up to a whole tick, so the highest value is never clipped and the top is labelled.
  const yCount = Math.max(2, Math.floor(h / 45));
  const yStep = niceStep(yMax, yCount);
  const top = Math.ceil(yMax / yStep - 1e-9) * yStep;
  const sy = (y: number) => M.top + h - (Math.min(Math.max(y, 0), top) / top) * h;
  const xTicks = fixedTicks ?? niceTicks(xMax, Math.max(2, Math.floor(w / 90)));
  const yTicks = niceTicks(top, yCount);
  const last = xs.length - 1;
  const latest = (s: Series) => (last >= 0 && Number.isFinite(s.ys[last]) ? valueFormat(s.ys[last]) : '—');
  const summary = series.map((s) => `${s.label} ${latest(s)}`).join(', ');

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <ul className="legend">
          {series.map((s) => (
            <li key={s.label}>
              <svg width="26" height="12" aria-hidden="true">
                <line x1="1" x2="25" y1="6" y2="6" stroke={s.color} strokeWidth="4"
                  strokeDasharray={s.dashed ? '6 4' : undefined} />
              </svg>
              {s.label}
              <b>{latest(s)}</b>
            </li>
          ))}
        </ul>
      </figcaption>
      <div className="chart-box" ref={box}>
        {width > 0 && height > 0 && (
          <svg width={width} height={height} role="img" aria-label={`${title}: ${summary}`}>
            {yTicks.map((t) => (
              <g key={`y${t}`}>
                <line className="grid" x1={M.left} x2={M.left + w} y1={sy(t)} y2={sy(t)} />
                <text className="tick" x={M.left - 8} y={sy(t)} textAnchor="end" dominantBaseline="middle">
                  {yFormat(t)}
                </text>
              </g>
            ))}
            {xTicks.map((t) => (
              <g key={`x${t}`}>
                <line className="axis" x1={sx(t)} x2={sx(t)} y1={M.top + h} y2={M.top + h + 6} />
                <text className="tick" x={sx(t)} y={M.top + h + 22} textAnchor="middle">{xFormat(t)}</text>
              </g>
            ))}
            <line className="axis" x1={M.left} x2={M.left + w} y1={M.top + h} y2={M.top + h} />
            <line className="axis" x1={M.left} x2={M.left} y1={M.top} y2={M.top + h} />
            <text className="axis-label" x={M.left + w / 2} y={height - 4} textAnchor="middle">{xLabel}</text>
            {series.map((s) => (
              <path key={s.label} fill="none" stroke={s.color} strokeWidth={3}
                strokeLinejoin="round" strokeDasharray={s.dashed ? '8 5' : undefined}
                d={linePath(xs, s.ys, sx, sy)} />
            ))}
            {/* The newest reading as a dot, so the first epoch shows before there is a line. */}
            {last >= 0 && series.map((s) => Number.isFinite(s.ys[last]) && (
              <circle key={`${s.label}-now`} cx={sx(xs[last])} cy={sy(s.ys[last])} r={4.5} fill={s.color} />
            ))}
          </svg>
        )}
      </div>
    </figure>
  );
}

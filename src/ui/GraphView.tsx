import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { shownConfig, usePlayground } from '../state/store';
import type { GraphSummary } from '../train/protocol';
import { GraphScene } from './graphScene';
import { ClassLegend, className } from './ClassLegend';
import { graphsShown } from './describe';
import { useSize } from './useSize';

const splitNames = ['no split', 'train', 'validation', 'test'];

/** Sizes under the title: the graph, or for a graph set the sample of it that is drawn. */
function Meta({ graph }: { readonly graph: GraphSummary }) {
  const common = `${graph.numFeatures} features · ${graph.numClasses} classes`;
  if (graph.graphOf) {
    return (
      <p className="graph-meta" data-testid="graph-meta">
        <span data-testid="graph-count">{graphsShown(graph)} of {graph.numGraphs}</span> graphs shown ·{' '}
        {graph.numNodes} nodes · {graph.src.length} edges · {common}
      </p>
    );
  }
  return (
    <p className="graph-meta" data-testid="graph-meta">
      <span data-testid="node-count">{graph.numNodes}</span> nodes · {graph.src.length} edges · {common}
    </p>
  );
}

interface Hover {
  readonly node: number;
  readonly x: number;
  readonly y: number;
}

export function GraphView() {
  const graph = usePlayground((s) => s.graph);
  const loading = usePlayground((s) => s.loading);
  const predictions = usePlayground((s) => s.predictions);
  const dataset = usePlayground((s) => shownConfig(s).dataset);
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const { width, height } = useSize(box);
  const [scene, setScene] = useState<GraphScene | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);

  useEffect(() => {
    setHover(null);
    if (!graph) {
      setScene(null);
      return;
    }
    const s = new GraphScene(graph);
    setScene(s);
    return () => s.destroy();
  }, [graph]);

  useEffect(() => scene?.attach(canvas.current, width, height), [scene, width, height]);
  useEffect(() => scene?.setPredictions(predictions), [scene, predictions]);

  const onMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left, y = e.clientY - rect.top;
    const node = scene?.nodeAt(x, y) ?? null;
    setHover(node === null ? null : { node, x, y });
  };

  const label = !graph
    ? 'No graph loaded'
    : graph.graphOf
      ? `${graph.name}: ${graphsShown(graph)} of ${graph.numGraphs} graphs, each coloured by its predicted class`
      : `${graph.name}: ${graph.numNodes} nodes, ${graph.src.length} edges, coloured by predicted class`;
  const name = (c: number) => className(graph!, dataset, c);
  return (
    <section className="graph-panel" aria-label="Graph">
      <div className="graph-head">
        <h2>{graph ? graph.name : 'Graph'}</h2>
        {graph && <Meta graph={graph} />}
      </div>
      {graph && <ClassLegend graph={graph} dataset={dataset} hasPredictions={predictions !== null} />}
      <div className="graph-box" ref={box}>
        <canvas ref={canvas} role="img" aria-label={label} data-testid="graph-canvas"
          style={{ width, height }} onPointerMove={onMove} onPointerLeave={() => setHover(null)} />
        {loading && <p className="graph-overlay">Loading data set…</p>}
        {!loading && !graph && <p className="graph-overlay">No graph loaded. Press Reset to try again, or pick another data set.</p>}
        {graph && hover && (
          <div className="tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }}>
            <b>{graph.graphOf ? `Graph ${graph.graphOf[hover.node]}` : `Node ${hover.node}`}</b>
            {' '}({splitNames[graph.splitOf[hover.node]] ?? 'no split'})<br />
            true: {name(graph.labels[hover.node])}<br />
            predicted: {predictions ? name(predictions[hover.node]) : 'not yet'}
          </div>
        )}
      </div>
    </section>
  );
}

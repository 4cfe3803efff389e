import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type WheelEvent } from 'react';
import { useDraft } from '../state/draftStore';
import { shownConfig, usePlayground } from '../state/store';
import { type ColourBy, selectNode, setColourBy, useView } from '../state/viewStore';
import { SelectField } from './SelectField';
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
  const colourBy = useView((s) => s.colourBy);
  const selected = useView((s) => s.selected);
  const [zoomed, setZoomed] = useState(false);
  /** A press on the canvas: a drag pans, a press and release in place selects a node. */
  const press = useRef<{ x: number; y: number; moved: boolean } | null>(null);

  useEffect(() => {
    setHover(null);
    if (!graph) {
      setScene(null);
      return;
    }
    // The user's own drawing keeps the positions they gave it.
    const drawn = dataset === 'custom' ? useDraft.getState().applied : null;
    const positions = drawn && drawn.nodes.length === graph.numNodes
      ? { x: drawn.nodes.map((v) => v.x), y: drawn.nodes.map((v) => v.y) } : undefined;
    const s = new GraphScene(graph, positions);
    setScene(s);
    return () => s.destroy();
  }, [graph]);

  useEffect(() => scene?.attach(canvas.current, width, height), [scene, width, height]);
  useEffect(() => scene?.setPredictions(predictions), [scene, predictions]);
  useEffect(() => scene?.setColourBy(colourBy), [scene, colourBy]);
  useEffect(() => scene?.setSelected(selected), [scene, selected]);

  const local = (e: { clientX: number; clientY: number; currentTarget: HTMLElement }) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const onMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const { x, y } = local(e);
    const p = press.current;
    if (p && scene) {
      if (p.moved || Math.hypot(x - p.x, y - p.y) > 4) {
        scene.panBy(x - p.x, y - p.y);
        press.current = { x, y, moved: true };
        setZoomed(scene.zoomed);
      }
      return;
    }
    const node = scene?.nodeAt(x, y) ?? null;
    setHover(node === null ? null : { node, x, y });
  };
  const onDown = (e: PointerEvent<HTMLCanvasElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    press.current = { ...local(e), moved: false };
  };
  const onUp = (e: PointerEvent<HTMLCanvasElement>) => {
    const p = press.current;
    press.current = null;
    if (!p || p.moved || !scene) return;
    const { x, y } = local(e);
    const node = scene.nodeAt(x, y);
    // Graph sets draw molecules, not the nodes of one graph: there is no node to inspect.
    if (!graph?.graphOf) selectNode(node === selected ? null : node);
  };
  const onWheel = (e: WheelEvent<HTMLCanvasElement>) => {
    if (!scene) return;
    const { x, y } = local(e);
    scene.zoomAt(x, y, Math.exp(-e.deltaY * 0.0015));
    setZoomed(scene.zoomed);
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (!scene) return;
    const zoom = (f: number) => scene.zoomAt(width / 2, height / 2, f);
    if (e.key === '+' || e.key === '=') zoom(1.25);
    else if (e.key === '-') zoom(0.8);
    else if (e.key === '0') scene.resetZoom();
    else if (e.key === 'Escape') selectNode(null);
    else return;
    e.preventDefault();
    setZoomed(scene.zoomed);
  };

  const label = !graph
    ? 'No graph loaded'
    : graph.graphOf
      ? `${graph.name}: ${graphsShown(graph)} of ${graph.numGraphs} graphs, each coloured by its predicted class`
      : `${graph.name}: ${graph.numNodes} nodes, ${graph.src.length} edges, coloured by ${colourBy === 'correct' ? 'right or wrong prediction' : `${colourBy} class`}`;
  const name = (c: number) => className(graph!, dataset, c);
  return (
    <section className="graph-panel" aria-label="Graph">
      <div className="graph-head">
        <h2>{graph ? graph.name : 'Graph'}</h2>
        {graph && <Meta graph={graph} />}
      </div>
      <div className="graph-tools">
        {graph && <ClassLegend graph={graph} dataset={dataset} hasPredictions={predictions !== null} colourBy={colourBy} />}
        <SelectField<ColourBy> label="Colour by" value={colourBy} testId="colour-select" onChange={setColourBy}
          options={[{ value: 'predicted', label: 'predicted class' }, { value: 'true', label: 'true class' }, { value: 'correct', label: 'right / wrong' }]} />
        {zoomed && <button type="button" onClick={() => { scene?.resetZoom(); setZoomed(false); }}>Reset zoom</button>}
      </div>
      <div className="graph-box" ref={box}>
        <canvas ref={canvas} role="img" aria-label={`${label}. Scroll or + and - to zoom, drag to pan, click a node to inspect it.`}
          data-testid="graph-canvas" tabIndex={0} style={{ width, height }} onPointerMove={onMove}
          onPointerDown={onDown} onPointerUp={onUp} onPointerLeave={() => setHover(null)} onWheel={onWheel} onKeyDown={onKey} />
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

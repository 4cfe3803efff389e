import type { DatasetId, GraphSummary } from '../train/protocol';
import { displayClassNames } from './catalog';
import { classColor, unknownColor } from './palette';

interface Props {
  readonly graph: GraphSummary;
  readonly dataset: DatasetId | undefined;
  readonly hasPredictions: boolean;
}

/** Class c of the graph as the page names it ("mutagenic", "Reinforcement Learning"). */
export function className(graph: GraphSummary, dataset: DatasetId | undefined, c: number): string {
  return displayClassNames(dataset, graph.classNames)[c] ?? '—';
}

/**
 * What the colours, rings and frames mean: fills are predicted classes; a graph set's frames
 * show each graph's true class, so a frame and nodes of different colours is a mistake.
 */
export function ClassLegend({ graph, dataset, hasPredictions }: Props) {
  const graphSet = graph.graphOf !== undefined;
  const names = displayClassNames(dataset, graph.classNames);
  return (
    <ul className="class-legend" data-testid="class-legend"
      aria-label={graphSet ? 'Colours: predicted class of each graph' : 'Node colours: predicted class'}>
      {names.map((name, c) => (
        <li key={c}>
          <span className="dot" style={{ background: classColor(c) }} aria-hidden="true" />
          {name}
        </li>
      ))}
      {!hasPredictions && (
        <li>
          <span className="dot" style={{ background: unknownColor }} aria-hidden="true" />
          not predicted yet
        </li>
      )}
      {graphSet ? (
        <>
          <li>
            <span className="dot frame" aria-hidden="true" />
            frame: true class
          </li>
          {graph.splitOf.includes(1) && (
            <li>
              <span className="dot frame dashed" aria-hidden="true" />
              training graph
            </li>
          )}
        </>
      ) : (
        <li>
          <span className="dot ring" aria-hidden="true" />
          train node
        </li>
      )}
    </ul>
  );
}

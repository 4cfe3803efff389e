import type { DatasetId, GraphSummary } from '../train/protocol';
import { displayClassNames } from './catalog';
import type { ColourBy } from '../state/viewStore';
import { classColor, correctColor, unknownColor, wrongColor } from './palette';

interface Props {
  readonly graph: GraphSummary;
  readonly dataset: DatasetId | undefined;
  readonly hasPredictions: boolean;
  readonly colourBy?: ColourBy;
}

/** Class c of the graph as the page names it ("mutagenic", "Reinforcement Learning"). */
export function className(graph: GraphSummary, dataset: DatasetId | undefined, c: number): string {
  return displayClassNames(dataset, graph.classNames)[c] ?? '—';
}

/**
 * What the colours, rings and frames mean: fills are predicted classes; a graph set's frames
 * show each graph's true class, so a frame and nodes of different colours is a mistake.
 */
export function ClassLegend({ graph, dataset, hasPredictions, colourBy = 'predicted' }: Props) {
  const graphSet = graph.graphOf !== undefined;
  const names = displayClassNames(dataset, graph.classNames);
  const correct = colourBy === 'correct';
  const entries = correct ? [] : names;
  return (
    <ul className="class-legend" data-testid="class-legend"
      aria-label={graphSet ? `Colours: ${colourBy === 'true' ? 'true' : 'predicted'} class of each graph` : `Node colours: ${correct ? 'right or wrong' : colourBy === 'true' ? 'true class' : 'predicted class'}`}>
      {correct && (
        <>
          <li><span className="dot" style={{ background: correctColor }} aria-hidden="true" />right</li>
          <li><span className="dot" style={{ background: wrongColor }} aria-hidden="true" />wrong</li>
        </>
      )}
      {entries.map((name, c) => (
        <li key={c}>
          <span className="dot" style={{ background: classColor(c) }} aria-hidden="true" />
          {name}
        </li>
      ))}
      {!hasPredictions && colourBy !== 'true' && (
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

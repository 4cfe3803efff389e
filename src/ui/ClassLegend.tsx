import type { GraphSummary } from '../train/protocol';
import { classColor, unknownColor } from './palette';

interface Props {
  readonly graph: GraphSummary;
  readonly hasPredictions: boolean;
}

/** Planetoid names are identifiers like "Reinforcement_Learning"; show them as words. */
export function className(graph: GraphSummary, c: number): string {
  const name = graph.classNames[c];
  return name === undefined ? '—' : name.replaceAll('_', ' ');
}

/** What the node colours and rings mean; the colours are predicted classes, not true labels. */
export function ClassLegend({ graph, hasPredictions }: Props) {
  return (
    <ul className="class-legend" aria-label="Node colours: predicted class">
      {graph.classNames.map((name, c) => (
        <li key={name}>
          <span className="dot" style={{ background: classColor(c) }} aria-hidden="true" />
          {className(graph, c)}
        </li>
      ))}
      {!hasPredictions && (
        <li>
          <span className="dot" style={{ background: unknownColor }} aria-hidden="true" />
          not predicted yet
        </li>
      )}
      <li>
        <span className="dot ring" aria-hidden="true" />
        train node
      </li>
    </ul>
  );
}

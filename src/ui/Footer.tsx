import { shownConfig, usePlayground } from '../state/store';
import { type DatasetId, taskOf } from '../train/protocol';
import { modelInfo } from './catalog';
import { describeModel, graphsShown } from './describe';

// Used until the worker has sent the data set's own citation, and if it sends none.
const fallback: Record<DatasetId, string> = {
  custom: 'Your own graph (drawn, generated or loaded from a file).',
  'custom-graphs': 'Your own set of graphs (TU Dortmund text files).',
  karate: 'W. W. Zachary, "An information flow model for conflict and fission in small groups", Journal of Anthropological Research 33 (1977).',
  cora: 'A. McCallum et al., "Automating the construction of Internet portals with machine learning" (2000); split of Z. Yang, W. Cohen, R. Salakhutdinov, ICML 2016.',
  citeseer: 'C. L. Giles, K. Bollacker, S. Lawrence, "CiteSeer: an automatic citation indexing system" (1998); split of Z. Yang, W. Cohen, R. Salakhutdinov, ICML 2016.',
  pubmed: 'G. Namata et al., "Query-driven active surveying for collective classification", MLG 2012; split of Z. Yang, W. Cohen, R. Salakhutdinov, ICML 2016.',
  mutag: 'A. K. Debnath et al., J. Med. Chem. 34(2):786-797 (1991); C. Morris et al., "TUDataset", ICML 2020 GRL+ workshop.',
  proteins: 'K. M. Borgwardt et al., "Protein function prediction via graph kernels", Bioinformatics 21 (2005); C. Morris et al., "TUDataset" (2020).',
  enzymes: 'K. M. Borgwardt et al., "Protein function prediction via graph kernels", Bioinformatics 21 (2005); C. Morris et al., "TUDataset" (2020).',
};

/** What the canvas shows for a graph set: a sample of whole graphs, not the whole set. */
function CanvasNote() {
  const graph = usePlayground((s) => s.graph);
  if (!graph?.graphOf) return null;
  return (
    <p className="muted" data-testid="canvas-note">
      Canvas: {graphsShown(graph)} of {graph.numGraphs} graphs shown, test fold first; colours = predicted
      class of each graph, frame colour = its true class{graph.splitOf.includes(1) ? '; dashed frames = training graphs' : ''}.
    </p>
  );
}

export function Footer() {
  const dataset = usePlayground((s) => s.config.dataset);
  const citation = usePlayground((s) => s.graph?.citation);
  const text = citation ?? fallback[dataset];
  // The run on screen, not inputs still waiting for a Reset.
  const config = usePlayground(shownConfig);
  const task = taskOf(config.dataset) === 'graph' ? 'graph classification' : 'node classification';
  return (
    <footer className="footer">
      {/* One line on a one-screen layout (the TU sets cite three papers); hover or focus shows it all. */}
      <p className="citation" tabIndex={0} title={text}>
        <span className="muted">Data set:</span> <cite data-testid="citation">{text}</cite>
      </p>
      <p className="muted" data-testid="model-line">
        Model: {describeModel(config)} for {task} ({modelInfo[config.model].paper}), trained in a Web Worker.
      </p>
      <CanvasNote />
    </footer>
  );
}

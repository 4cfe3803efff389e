import { usePlayground } from '../state/store';
import type { DatasetId } from '../train/protocol';

// Used until the worker has sent the data set's own citation, and if it sends none.
const fallback: Record<DatasetId, string> = {
  karate: 'W. W. Zachary, "An information flow model for conflict and fission in small groups", Journal of Anthropological Research 33 (1977).',
  cora: 'A. McCallum et al., "Automating the construction of Internet portals with machine learning" (2000); split of Z. Yang, W. Cohen, R. Salakhutdinov, ICML 2016.',
  citeseer: 'C. L. Giles, K. Bollacker, S. Lawrence, "CiteSeer: an automatic citation indexing system" (1998); split of Z. Yang, W. Cohen, R. Salakhutdinov, ICML 2016.',
  mutag: 'A. K. Debnath et al., J. Med. Chem. 34(2):786-797 (1991); C. Morris et al., "TUDataset", ICML 2020 GRL+ workshop.',
  proteins: 'K. M. Borgwardt et al., "Protein function prediction via graph kernels", Bioinformatics 21 (2005); C. Morris et al., "TUDataset" (2020).',
  enzymes: 'K. M. Borgwardt et al., "Protein function prediction via graph kernels", Bioinformatics 21 (2005); C. Morris et al., "TUDataset" (2020).',
};

export function Footer() {
  const dataset = usePlayground((s) => s.config.dataset);
  const citation = usePlayground((s) => s.graph?.citation);
  return (
    <footer className="footer">
      <p><span className="muted">Data set:</span> <cite data-testid="citation">{citation ?? fallback[dataset]}</cite></p>
      <p className="muted">Model: 2-layer GCN (Kipf &amp; Welling, ICLR 2017), trained in a Web Worker.</p>
    </footer>
  );
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GraphSet, GraphSetMeta } from '../graph/graphSet';
import { graphSetToJson } from '../graph/graphSetToJson';
import { parseTu, type TuFiles } from '../graph/tu';

/**
 * Converts the raw TU Dortmund files (shared/datasets/tu/<NAME>/) into the gnn-graphset-json
 * files the page ships (public/datasets/<name>.json):
 *
 *     npx tsx src/cli/convertTu.ts [TU_DIR] [OUT_DIR]
 *
 * Only this script reads shared/; the page and the CLI read the converted files. The output is
 * deterministic, so re-running it must reproduce the committed files byte for byte (a test checks).
 */

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');

const MORRIS =
  'Morris, Kriege, Bause, Kersting, Mutzel, Neumann: "TUDataset: A collection of benchmark datasets for learning with graphs", ICML 2020 GRL+ workshop (arXiv:2007.08663)';
const BORGWARDT =
  'Borgwardt, Ong, Schoenauer, Vishwanathan, Smola, Kriegel: "Protein function prediction via graph kernels", Bioinformatics 21(Suppl 1):i47-i56, 2005';
const TU = 'TU Dortmund graph collection (chrsmrrs.github.io/datasets), the raw files PyTorch Geometric\'s TUDataset downloads';
const CONVERTED = 'converted by src/cli/convertTu.ts following torch_geometric/io/tu.py (ids minus 1, graph labels ranked, one-hot node labels, use_node_attr=False)';
const RESEARCH_USE = 'Published by TU Dortmund for research use without an explicit licence; cite the works in "citation".';
const XUELINHU = 'github.com/XuelinHu/Matrix-ResGNN-GraphClassificatio @ f76543d8bd82c7ebe1c16f59d9219d038c62ac8e';
const XUELINHU_NOTE = 'That repository\'s own code is GPL-3.0; these files are the unmodified TU Dortmund data it redistributes, not its own work.';

export interface TuDataset {
  readonly dir: string; // folder and file prefix, e.g. MUTAG
  readonly out: string; // file name under public/datasets
  readonly meta: GraphSetMeta;
}

export const tuDatasets: readonly TuDataset[] = [
  {
    dir: 'MUTAG',
    out: 'mutag.json',
    meta: {
      // Names from the data set's own README.txt.
      featureNames: ['C', 'N', 'O', 'F', 'I', 'Cl', 'Br'],
      edgeTypeNames: ['aromatic', 'single', 'double', 'triple'],
      citation: `${MORRIS}; Debnath, Lopez de Compadre, Debnath, Shusterman, Hansch: "Structure-activity relationship of mutagenic aromatic and heteroaromatic nitro compounds. Correlation with molecular orbital energies and hydrophobicity", J. Med. Chem. 34(2):786-797, 1991`,
      source: `${TU}, from github.com/Visual-Intelligence-UMN/GNN-101 @ 9c46b67e25b63c66dcc35313801817aaea62d6eb, data/TUDataset/MUTAG/raw/; ${CONVERTED}`,
      licence: `${RESEARCH_USE} The GNN-101 repository the files were copied from has no LICENSE file.`,
    },
  },
  {
    dir: 'ENZYMES',
    out: 'enzymes.json',
    meta: {
      citation: `${MORRIS}; ${BORGWARDT}; Schomburg et al.: "BRENDA, the enzyme database: updates and major new developments", Nucleic Acids Research 32:D431-D433, 2004`,
      source: `${TU}, from ${XUELINHU}, data/TUDataset/ENZYMES/raw/; ${CONVERTED}`,
      licence: `${RESEARCH_USE} ${XUELINHU_NOTE}`,
    },
  },
  {
    dir: 'PROTEINS',
    out: 'proteins.json',
    meta: {
      citation: `${MORRIS}; ${BORGWARDT}; Dobson, Doig: "Distinguishing enzyme structures from non-enzymes without alignments", J. Mol. Biol. 330(4):771-783, 2003`,
      source: `${TU}, from ${XUELINHU}, data/TUDataset/PROTEINS/raw/; ${CONVERTED}`,
      licence: `${RESEARCH_USE} ${XUELINHU_NOTE}`,
    },
  },
];

/** Reads <tuDir>/<NAME>/<NAME>_*.txt (the optional files where present) and parses them. */
export function readTuDir(tuDir: string, d: TuDataset): GraphSet {
  const path = (part: string) => join(tuDir, d.dir, `${d.dir}_${part}.txt`);
  const optional = (part: string) => (existsSync(path(part)) ? readFileSync(path(part), 'utf8') : undefined);
  const files: TuFiles = {
    A: readFileSync(path('A'), 'utf8'),
    graph_indicator: readFileSync(path('graph_indicator'), 'utf8'),
    graph_labels: readFileSync(path('graph_labels'), 'utf8'),
    node_labels: optional('node_labels'),
    edge_labels: optional('edge_labels'),
  };
  return parseTu(d.dir, files, d.meta);
}

function main(): void {
  const tuDir = resolve(process.argv[2] ?? join(repo, '../shared/datasets/tu'));
  const outDir = resolve(process.argv[3] ?? join(repo, 'public/datasets'));
  for (const d of tuDatasets) {
    const set = readTuDir(tuDir, d);
    const text = graphSetToJson(set);
    writeFileSync(join(outDir, d.out), text);
    const sha = createHash('sha256').update(text).digest('hex');
    console.log(
      `${d.out}: ${set.numGraphs} graphs, ${set.numNodes} nodes, ${set.numEdges} directed edges, ` +
        `${set.numFeatures} features, ${set.numClasses} classes, ${text.length} bytes, sha256 ${sha}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();

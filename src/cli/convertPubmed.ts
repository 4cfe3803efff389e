import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseGraphJson } from '../graph/loadGraphJson';

/**
 * Makes the PubMed file the page ships from the shared featureless conversion:
 *
 *     npx tsx src/cli/convertPubmed.ts [IN] [OUT]
 *     (default shared/datasets/planetoid/pubmed.nofeatures.json -> public/datasets/pubmed.json)
 *
 * The input has PubMed's exact graph, labels and public split but `features: null`: Planetoid's
 * `ind.pubmed.allx` (the TF-IDF rows of 18,717 nodes) could not be obtained. This writes the same
 * file with identity features (one-hot node id, a binary CSR), which is what Kipf & Welling feed
 * a GCN on a graph without features, and says so in `notes.features`, the name and the class
 * names. Everything else (labels, split, edges in their order, source, citation, the other
 * notes) is kept as it is. Only this script reads shared/; the output is deterministic.
 */

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');

export const FEATURES_NOTE =
  'NOT PubMed\'s features. The 500 TF-IDF word features of the Planetoid files could not be obtained ' +
  '(ind.pubmed.allx is missing), so every node gets an identity feature instead: row i is one-hot at ' +
  'column i (19717 binary columns), as Kipf & Welling do for graphs without features. A model sees only ' +
  'the graph and the training labels; accuracies are not comparable with published PubMed results.';

export const CLASS_NAMES_NOTE =
  'The Planetoid files carry no class names. The three classes of the PubMed Diabetes data are ' +
  '"Diabetes Mellitus, Experimental", "Diabetes Mellitus Type 1" and "Diabetes Mellitus Type 2", but ' +
  'which label id is which could not be checked without the features (shared/datasets/planetoid/README.md), ' +
  'so they are named class 0, class 1 and class 2.';

/** The converted file's text: one top-level field per line, nested values compact, as the input. */
export function convertPubmed(inputText: string, inputName = 'pubmed.nofeatures.json'): string {
  const raw = JSON.parse(inputText) as Record<string, unknown>;
  if (raw.schema !== 'gnn-graph-json' || raw.schema_version !== 1) throw new Error(`${inputName}: not a gnn-graph-json v1 file`);
  if (raw.name !== 'PubMed') throw new Error(`${inputName}: expected name "PubMed", found ${JSON.stringify(raw.name)}`);
  if (raw.features !== null) throw new Error(`${inputName}: already has features; ship it as it is instead`);
  const n = raw.num_nodes as number;
  const c = raw.num_classes as number;
  const sha = createHash('sha256').update(inputText).digest('hex');
  const ids = Array.from({ length: n }, (_, i) => i);
  const features = { format: 'csr', shape: [n, n], nnz: n, indptr: [...ids, n], indices: ids, binary: true };
  const notes = {
    features: FEATURES_NOTE,
    ...(raw.notes as Record<string, unknown>),
    class_names_note: CLASS_NAMES_NOTE,
    feature_dtype: 'binary (identity); PubMed\'s own TF-IDF features are float32 and not included',
  };
  const source = {
    ...(raw.source as Record<string, unknown>),
    identity_features: `src/cli/convertPubmed.ts (this repository) from shared/datasets/planetoid/${inputName} (sha256 ${sha}): ` +
      'features null -> identity CSR, num_features 500 -> num_nodes, class names class 0..2, name marked; labels, split, edges, citation unchanged',
  };
  const replaced: Record<string, unknown> = {
    name: 'PubMed (identity features)',
    num_features: n,
    class_names: Array.from({ length: c }, (_, i) => `class ${i}`),
    features,
    notes,
    source,
  };
  const lines = Object.keys(raw).map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(k in replaced ? replaced[k] : raw[k])}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

function main(): void {
  const input = resolve(process.argv[2] ?? join(repo, '../shared/datasets/planetoid/pubmed.nofeatures.json'));
  const output = resolve(process.argv[3] ?? join(repo, 'public/datasets/pubmed.json'));
  const text = convertPubmed(readFileSync(input, 'utf8'), input.split(/[\\/]/).pop());
  const g = parseGraphJson(text); // the page's own reader must take it
  writeFileSync(output, text);
  const sha = createHash('sha256').update(text).digest('hex');
  console.log(
    `${output}: ${g.numNodes} nodes, ${g.numEdges} directed edges, ${g.numClasses} classes, ` +
      `split ${g.split.train.length} / ${g.split.val.length} / ${g.split.test.length}, ` +
      `${text.length} bytes, sha256 ${sha}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();

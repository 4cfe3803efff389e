import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from './args';

/**
 * The committed results table (docs/results.md): every row is one `npm run train` command whose
 * JSON output is kept in docs/results/, next to the figure its paper or reference reports.
 * `npm run results -- --run` runs the rows that have no JSON yet (slow: hours on the CPU backend
 * for all of them); without it the table is rebuilt from the JSON files.
 */

interface Row {
  readonly id: string;
  readonly args: readonly string[];
  readonly published: string;
  readonly bar?: number;
  readonly note?: string;
}

const rows: readonly Row[] = [
  { id: 'cora-gcn', args: ['--dataset', 'cora', '--model', 'gcn'], published: '81.5 (Kipf & Welling 2017)' },
  { id: 'citeseer-gcn', args: ['--dataset', 'citeseer', '--model', 'gcn'], published: '70.3 (Kipf & Welling 2017)', bar: 70.0 },
  { id: 'cora-gat', args: ['--dataset', 'cora', '--model', 'gat'], published: '83.0 ± 0.7 (Veličković et al. 2018)', bar: 82.0 },
  { id: 'cora-sage', args: ['--dataset', 'cora', '--model', 'sage'], published: 'about 79–80 (DGL / PyG benchmarks)', bar: 79.0 },
  { id: 'cora-sgc', args: ['--dataset', 'cora', '--model', 'sgc'], published: '81.0 ± 0.0 (Wu et al. 2019)', bar: 80.5 },
  { id: 'cora-cheb', args: ['--dataset', 'cora', '--model', 'cheb'], published: '81.2 (K = 3; Kipf & Welling 2017, Table 3)' },
  { id: 'cora-gin', args: ['--dataset', 'cora', '--model', 'gin'], published: '—', note: 'GIN is a graph-classification model; shown for comparison' },
  { id: 'mutag-gin', args: ['--dataset', 'mutag', '--model', 'gin'], published: '89.4 ± 5.6 (Xu et al. 2019)', bar: 85.0 },
  { id: 'proteins-gin', args: ['--dataset', 'proteins', '--model', 'gin'], published: '76.2 ± 2.8 (Xu et al. 2019); 73.3 ± 4.0 (Errica et al. 2020)', bar: 72.0 },
  { id: 'mutag-rgcn', args: ['--dataset', 'mutag', '--model', 'rgcn'], published: '—', note: 'bond types as four relations' },
  // Depth and the over-smoothing remedies, on the GCN recipe.
  { id: 'cora-gcn-8', args: ['--dataset', 'cora', '--model', 'gcn', '--layers', '8'], published: '—', note: '8 layers' },
  { id: 'cora-gcn-8-pairnorm', args: ['--dataset', 'cora', '--model', 'gcn', '--layers', '8', '--pair-norm', 'true'], published: '—', note: '8 layers, PairNorm' },
  { id: 'cora-gcn-8-residual-jk', args: ['--dataset', 'cora', '--model', 'gcn', '--layers', '8', '--residual', 'true', '--jk', 'cat'], published: '—', note: '8 layers, residual, JK cat' },
];

interface Result {
  readonly dataset: string;
  readonly model: string;
  readonly backend: string;
  readonly runs: readonly unknown[];
  readonly testAcc: { readonly mean: number; readonly std: number };
  readonly bestMeanEpoch?: { readonly epoch: number; readonly mean: number; readonly std: number };
  readonly medianEpochMs: number;
  readonly options: Record<string, unknown>;
}

const file = (id: string): string => `docs/results/${id}.json`;

function main(): void {
  const args = parseArgs(process.argv.slice(2), ['run', 'write']);
  const backend = args.get('backend') ?? 'cpu';
  if (args.has('run')) {
    for (const row of rows) {
      if (existsSync(file(row.id))) continue;
      console.error(`running ${row.id} ...`);
      const out = execFileSync('npx', ['tsx', 'src/cli/train.ts', ...row.args, '--backend', backend, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      writeFileSync(file(row.id), out);
    }
  }
  const lines = [
    '| data set | model | test accuracy (%) | runs | Xu et al.\'s protocol (%) | published | bar | command |',
    '|---|---|---:|---:|---:|---|---:|---|',
  ];
  const bars = ['| data set | model | ours | published | bar |', '|---|---|---:|---|---:|'];
  for (const row of rows) {
    const cmd = `\`npm run train -- ${row.args.join(' ')} --backend cpu\``;
    if (!existsSync(file(row.id))) {
      lines.push(`| ${row.args[1]} | ${row.args[3]} | not run yet | | | ${row.published} | ${row.bar ?? ''} | ${cmd} |`);
      continue;
    }
    const r = JSON.parse(readFileSync(file(row.id), 'utf8')) as Result;
    const acc = `${(r.testAcc.mean * 100).toFixed(2)} ± ${(r.testAcc.std * 100).toFixed(2)}`;
    const graphTask = ['mutag', 'proteins', 'enzymes'].includes(row.args[1]);
    const runs = `${r.runs.length} ${graphTask ? 'folds' : 'seeds'}`;
    const bar = row.bar === undefined ? '' : `${row.bar} ${r.testAcc.mean * 100 >= row.bar ? '✓' : '✗'}`;
    const xu = r.bestMeanEpoch ? `${(r.bestMeanEpoch.mean * 100).toFixed(2)} ± ${(r.bestMeanEpoch.std * 100).toFixed(2)} (epoch ${r.bestMeanEpoch.epoch})` : '';
    lines.push(`| ${r.dataset} | ${r.model}${row.note ? ` (${row.note})` : ''} | ${acc} | ${runs} | ${xu} | ${row.published} | ${bar} | ${cmd} |`);
    if (row.bar !== undefined) bars.push(`| ${r.dataset} | ${r.model} | ${acc} | ${row.published} | ${bar} |`);
  }
  const table = lines.join('\n');
  console.log(table);
  if (args.has('write')) {
    replaceBetweenMarkers('docs/results.md', 'table', table);
    // The README shows the rows that carry an acceptance bar.
    replaceBetweenMarkers('README.md', 'bars', bars.join('\n'));
  }
}

function replaceBetweenMarkers(path: string, marker: string, text: string): void {
  const doc = readFileSync(path, 'utf8');
  const open = `<!-- ${marker} -->`, close = `<!-- /${marker} -->`;
  const start = doc.indexOf(open), end = doc.indexOf(close);
  if (start < 0 || end < 0) throw new Error(`${path} has no ${open} ... ${close} markers`);
  writeFileSync(path, `${doc.slice(0, start)}${open}\n${text}\n${doc.slice(end)}`);
}

main();

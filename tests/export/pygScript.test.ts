import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { cvSplit } from '../../src/graph/folds';
import { parseGraphSetJson } from '../../src/graph/loadGraphSetJson';
import { FOLDS_PY, KARATE_EDGES, KARATE_FACTIONS, pygScript, type PygInfo } from '../../src/export/pygScript';
import type { ModelKind } from '../../src/models/spec';
import { GraphTrainer } from '../../src/train/graphTrainer';
import type { TrainConfig } from '../../src/train/protocol';
import { recipeConfig } from '../../src/train/recipes';

const dir = mkdtempSync(join(tmpdir(), 'pyg-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the script and byte-compiles it with python3; a missing python3 fails (status null), it is never skipped. */
function compiles(name: string, text: string): void {
  const file = join(dir, `${name}.py`);
  writeFileSync(file, text);
  const r = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
  expect(r.error, `python3 could not be started: ${r.error?.message}`).toBeUndefined();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

/** Runs a Python program (no torch needed) and returns its stdout. */
function python(code: string): string {
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(r.error).toBeUndefined();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

const cora: PygInfo = { datasetName: 'Cora', numFeatures: 1433, numClasses: 7 };
const mutag: PygInfo = { datasetName: 'MUTAG', numFeatures: 7, numClasses: 2 };
const count = (text: string, s: string) => text.split(s).length - 1;

/** What every script must say: the seed, the epochs, the optimizer with the config's lr and decay. */
function common(s: string, c: TrainConfig): void {
  expect(s).toContain(`torch.manual_seed(${c.seed})`);
  expect(s).toContain(`SEED = ${c.seed}`);
  expect(s).toContain(`EPOCHS = ${c.epochs}`);
  expect(s).toContain(`lr=${c.lr})`);
  expect(s).toContain(`weight_decay=${c.weightDecay}`);
  expect(s).toContain("print(f'test accuracy: ");
  // Nothing but torch and torch_geometric (and the standard library).
  const imports = s.split('\n').filter((l) => /^(import|from) /.test(l)).map((l) => l.split(' ')[1].split('.')[0]);
  expect(new Set(imports)).toEqual(new Set(imports.filter((m) => ['torch', 'torch_geometric', 'json', 'math', 'os', 'sys'].includes(m))));
}

describe('pygScript: every model kind on Cora', () => {
  const expected: Record<ModelKind, (c: TrainConfig) => string[]> = {
    gcn: () => ['GCNConv(1433, 16, add_self_loops=True, normalize=True)', 'GCNConv(16, 7, add_self_loops=True, normalize=True)', 'DECAY = [True, False]'],
    sage: () => ["SAGEConv(1433, 16, aggr='mean')", "SAGEConv(16, 7, aggr='mean')", 'DECAY = [True, True]'],
    gat: () => [
      'GATConv(1433, 8, heads=8, concat=True, dropout=0.6, negative_slope=0.2)',
      'GATConv(64, 7, heads=1, concat=False, dropout=0.6, negative_slope=0.2)',
      'x = F.dropout(x, p=0.6, training=self.training)', 'return F.elu(x)', 'lr=0.005)',
    ],
    gin: () => ['GINConv(nn.Sequential(nn.Linear(1433, 16), nn.ReLU(), nn.Linear(16, 16)), train_eps=False)', 'nn.Linear(16, 7)), train_eps=False)'],
    sgc: () => ['SGConv(1433, 7, K=2, cached=True)', 'lr=0.2)', 'weight_decay=0.00005', 'EPOCHS = 100', 'SELECT_LAST = True'],
    cheb: () => ['ChebConv(1433, 16, K=3)', 'ChebConv(16, 7, K=3)', 'DECAY = [True, False]'],
    rgcn: () => ["RGCNConv(1433, 16, num_relations=1, aggr='mean')", "RGCNConv(16, 7, num_relations=1, aggr='mean')", 'edge_type = torch.zeros('],
  };
  for (const model of ['gcn', 'sage', 'gat', 'gin', 'sgc', 'cheb', 'rgcn'] as const) {
    it(`${model}: compiles with python3 and names the recipe's layers and hyperparameters`, () => {
      const c = recipeConfig('cora', model);
      const s = pygScript(c, cora);
      compiles(`cora_${model}`, s);
      common(s, c);
      expect(s).toContain("Planetoid(root='data/Planetoid', name='Cora', split='public', transform=T.NormalizeFeatures())");
      for (const e of expected[model](c)) expect(s).toContain(e);
      if (model !== 'sgc') expect(s).toContain(`KINDS = [${Array(c.layers).fill(`'${model}'`).join(', ')}]`);
      expect(s).toContain(c.selection === 'last' ? "(the config's selection: 'last')" : 'first epoch with the best validation accuracy');
      expect(s).not.toContain('StepLR');
    });
  }

  it('CiteSeer and Karate: their own data; Karate built from the shipped copy (factions, weighted edges, nodes 0 and 33)', () => {
    const s = pygScript(recipeConfig('citeseer', 'gcn'), { datasetName: 'CiteSeer', numFeatures: 3703, numClasses: 6 });
    compiles('citeseer_gcn', s);
    expect(s).toContain("name='CiteSeer', split='public'");
    const k = pygScript({ ...recipeConfig('karate', 'gcn'), seed: 7, epochs: 50 }, { datasetName: 'KarateClub', numFeatures: 34, numClasses: 2 });
    compiles('karate_gcn', k);
    expect(k).toContain('torch.manual_seed(7)');
    expect(k).toContain('EPOCHS = 50');
    expect(k).toContain(`KARATE_FACTIONS = '${KARATE_FACTIONS}'`);
    expect(k).toContain('data, edge_weight = karate_club()');
    expect(k).not.toContain('Planetoid');
  });

  it("the Karate copy is public/datasets/karate.json's graph: edges, weights, factions and split", () => {
    const file = JSON.parse(readFileSync(new URL('../../public/datasets/karate.json', import.meta.url), 'utf8'));
    const fromFile = new Map<string, number>();
    file.edges.src.forEach((s: number, i: number) => fromFile.set(`${s}-${file.edges.dst[i]}`, file.edges.weight[i]));
    const mine = new Map<string, number>();
    for (const t of KARATE_EDGES.split(' ')) {
      const [a, b, w] = t.split(/[-:]/).map(Number);
      mine.set(`${a}-${b}`, w);
      mine.set(`${b}-${a}`, w);
    }
    expect(mine).toEqual(fromFile);
    expect(Array.from(KARATE_FACTIONS, Number)).toEqual(file.labels);
    expect(file.split.train).toEqual([0, 33]);
    expect(file.split.val).toEqual([]);
  });

  it('a learning-rate schedule, another seed, the last epoch, row normalization without self loops', () => {
    const c: TrainConfig = { ...recipeConfig('cora', 'gcn'), lrStep: 50, lrGamma: 0.5, seed: 3, selection: 'last', norm: 'row', selfLoops: false, activation: 'leaky_relu' };
    const s = pygScript(c, cora);
    compiles('cora_gcn_row', s);
    expect(s).toContain('StepLR(optimizer, step_size=50, gamma=0.5)');
    expect(s).toContain('torch.manual_seed(3)');
    expect(s).toContain('SELECT_LAST = True');
    expect(s).toContain('GCNConv(1433, 16, add_self_loops=False, normalize=False)');
    expect(s).toContain("'gcn': row_normalize(edge_index, edge_weight, num_nodes, add_self_loops=False)");
    expect(s).toContain('from torch_geometric.utils import add_remaining_self_loops, scatter');
    expect(s).toContain('F.leaky_relu(x, 0.2)');
  });
});

describe('pygScript: mixed stacks, deep options, the user\'s graph', () => {
  it('a mixed stack (gcn, gat, sage, cheb): each layer its type, widths following GAT\'s heads', () => {
    const c: TrainConfig = { ...recipeConfig('cora', 'gcn'), layers: 4, stack: 'gcn,gat,sage,cheb', heads: 4, k: 2 };
    const s = pygScript(c, cora);
    compiles('cora_mixed', s);
    common(s, c);
    expect(s).toContain("KINDS = ['gcn', 'gat', 'sage', 'cheb']");
    expect(s).toContain('GCNConv(1433, 16, add_self_loops=True, normalize=True),  # layer 1');
    expect(s).toContain('GATConv(16, 16, heads=4, concat=True, dropout=0.6, negative_slope=0.2),  # layer 2: gat, 16 -> 64');
    expect(s).toContain("SAGEConv(64, 16, aggr='mean'),  # layer 3");
    expect(s).toContain('ChebConv(16, 7, K=2),  # layer 4: cheb, 16 -> 7 (output)');
    // GCN is the model: only the first layer is decayed, whatever its neighbours' types.
    expect(s).toContain('DECAY = [True, False, False, False]');
    expect(s).toContain('from torch_geometric.nn import GCNConv, GATConv, SAGEConv, ChebConv');
    expect(s).toContain("'cheb': (edge_index, edge_weight)");
  });

  it('residual + PairNorm + JK cat on an 8-layer GCN: PairNorm before the activation, residuals after the first layer, a JK head', () => {
    const c: TrainConfig = { ...recipeConfig('cora', 'gcn'), layers: 8, residual: true, pairNorm: true, jk: 'cat' };
    const s = pygScript(c, cora);
    compiles('cora_deep', s);
    common(s, c);
    expect(count(s, 'GCNConv(16, 16, add_self_loops=True, normalize=True)')).toBe(7);
    expect(s).toContain('RESIDUAL = [False, True, True, True, True, True, True, True]');
    expect(s).toContain('self.pair_norm = PairNorm(scale=1.0)');
    expect(s.indexOf('y = self.pair_norm(y)')).toBeLessThan(s.indexOf('y = act(y)'));
    expect(s).toContain("self.jk = JumpingKnowledge('cat')");
    expect(s).toContain("self.head = Linear(128, 7, weight_initializer='glorot', bias_initializer='zeros')");
    expect(s).toContain('return self.head(self.jk(hidden))');
    expect(s).toContain('split(model.head, False)');
    expect(s).not.toContain('return y  # the output layer');
  });

  it('JK max with unequal widths is refused as the engine refuses it', () => {
    expect(() => pygScript({ ...recipeConfig('cora', 'gat'), jk: 'max', stack: 'gat,gcn' }, cora)).toThrow(/equally wide/);
  });

  it("the user's graph: an inline gnn-graph-json loader reading graph.json next to the script, weights passed to GCN", () => {
    const c: TrainConfig = { ...recipeConfig('custom', 'gcn'), dataset: 'custom' };
    const s = pygScript(c, { datasetName: 'My "drawn" graph', numFeatures: 6, numClasses: 3 });
    compiles('custom_gcn', s);
    common(s, c);
    expect(s).toContain('def load_gnn_graph_json(path):');
    expect(s).toContain("GRAPH_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'graph.json')");
    expect(s).toContain('as graph.json next to this script');
    expect(s).toContain('assert data.num_features == 6 and int(data.y.max()) < 3');
    expect(s).toContain('GCNConv(6, 16, add_self_loops=True, normalize=True)');
    expect(s).toContain("your graph \"My 'drawn' graph\"");
    const other = pygScript(c, { datasetName: 'g', numFeatures: 6, numClasses: 3, customGraphFile: 'mine.json' });
    expect(other).toContain("'mine.json')");
  });

  it('a set of graphs of the user\'s own: the gnn-graphset-json loader and relations read from the file', () => {
    const c: TrainConfig = { ...recipeConfig('custom-graphs', 'rgcn'), dataset: 'custom-graphs', cross: 'stack', layers: 2 };
    const s = pygScript(c, { datasetName: 'mine', numFeatures: 4, numClasses: 2 });
    compiles('custom_graphs_rgcn', s);
    expect(s).toContain('graphs, NUM_RELATIONS = load_gnn_graphset_json(GRAPH_FILE)');
    expect(s).toContain("'graphs.json')");
    expect(s).toContain("CrossRGCNConv(4, 32, num_relations=NUM_RELATIONS, cross='stack'),  # layer 1: rgcn, 4 -> NUM_RELATIONS * 32");
    expect(s).toContain("CrossRGCNConv(NUM_RELATIONS * 32, 32, num_relations=NUM_RELATIONS, cross='stack')");
  });
});

describe('pygScript: graph classification on MUTAG', () => {
  it("GIN (the recipe): 5 layers of 32 with batch norm, Xu et al.'s readout over the input and every layer, 10 folds", () => {
    const c = recipeConfig('mutag', 'gin');
    const s = pygScript(c, mutag);
    compiles('mutag_gin', s);
    common(s, c);
    expect(s).toContain("TUDataset(root='data/TUDataset', name='MUTAG')");
    expect(s).toContain('GINConv(nn.Sequential(nn.Linear(7, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 32)), train_eps=False)');
    expect(count(s, 'GINConv(nn.Sequential(nn.Linear(32, 32), nn.BatchNorm1d(32)')).toBe(4);
    expect(s).toContain('hidden = [x]  # the readout covers the input too');
    expect(s).toContain("self.jk = JumpingKnowledge('cat')");
    expect(s).toContain('self.head = nn.Linear(167, 2)');
    expect(s).toContain('global_add_pool(h, batch)');
    expect(s).toContain('return self.head(F.dropout(h, p=0.5, training=self.training))');
    expect(s).toContain('BATCH_SIZE = 32');
    expect(s).toContain('FOLDS = 10');
    expect(s).toContain('test_acc, best_epoch = run_fold(0)');
    expect(s).toContain("if '--all-folds' in sys.argv:");
    expect(s).toContain('EPOCHS = 100');
  });

  it('R-GCN: MUTAG\'s four bond types as relations; the sum reducer is PyG\'s RGCNConv, another one the inline layer', () => {
    const c = recipeConfig('mutag', 'rgcn');
    const s = pygScript(c, mutag);
    compiles('mutag_rgcn', s);
    common(s, c);
    expect(s).toContain("RGCNConv(7, 32, num_relations=4, aggr='mean')");
    expect(s).toContain('g.edge_type = g.edge_attr.argmax(dim=-1)');
    expect(s).toContain('return model(b.x, b.edge_index, b.edge_type, b.batch)');
    expect(s).toContain('self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 2))');
    const mean = pygScript({ ...c, cross: 'mean', fold: 3 }, mutag);
    compiles('mutag_rgcn_mean', mean);
    expect(mean).toContain("CrossRGCNConv(7, 32, num_relations=4, cross='mean')");
    expect(mean).toContain('class CrossRGCNConv(nn.Module):');
    expect(mean).toContain('test_acc, best_epoch = run_fold(3)');
    expect(mean).toContain("PyG's RGCNConv always sums over relations");
  });

  it("the Python folds and batch order are the playground's: cvSplit and the trainer's epoch order for MUTAG, every fold", () => {
    const set = parseGraphSetJson(readFileSync(new URL('../../public/datasets/mutag.json', import.meta.url), 'utf8'));
    const labels = Array.from(set.graphLabels);
    const out = python(`import math\n${FOLDS_PY}\nimport json\nlabels = ${JSON.stringify(labels)}\n`
      + 'print(json.dumps([cv_split(labels, 10, f, s) for s in (1, 12345) for f in range(10)]))\n'
      + 'train = cv_split(labels, 10, 2, 1)[0]\nprint(json.dumps([epoch_order(train, 1, e) for e in range(3)]))\n');
    const [splits, orders] = out.trim().split('\n').map((l) => JSON.parse(l));
    let i = 0;
    for (const seed of [1, 12345]) {
      for (let f = 0; f < 10; f++) {
        const ts = cvSplit(set.graphLabels, 10, f, seed);
        expect(splits[i++]).toEqual([Array.from(ts.train), Array.from(ts.val), Array.from(ts.test)]);
      }
    }
    const t = new GraphTrainer(new CpuBackend(), set, { ...recipeConfig('mutag', 'gcn'), layers: 1, epochs: 3, fold: 2, seed: 1 });
    const order = () => Array.from((t as unknown as { order(): Uint32Array }).order());
    for (let e = 0; e < 3; e++) {
      expect(orders[e]).toEqual(order());
      t.step();
    }
  });

  it('PROTEINS and ENZYMES: one relation, their own TU names', () => {
    for (const [id, name, f, k] of [['proteins', 'PROTEINS', 3, 2], ['enzymes', 'ENZYMES', 3, 6]] as const) {
      const s = pygScript(recipeConfig(id, 'gcn'), { datasetName: name, numFeatures: f, numClasses: k });
      compiles(`${id}_gcn`, s);
      expect(s).toContain(`name='${name}'`);
      expect(s).toContain(`self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, ${k}))`);
    }
  });
});

import type { Activation } from '../engine/backend';
import { decaysFirstLayerOnly, layerKinds, type ModelKind, needsDenseInput } from '../models/spec';
import { taskOf, type TrainConfig } from '../train/protocol';
import { exportFileName, modelLabel } from './names';

/** What the script needs to know about the data beyond the config. */
export interface PygInfo {
  /** The data set's own name ("Cora", "KarateClub", the user's graph's name). */
  readonly datasetName: string;
  readonly numFeatures: number;
  readonly numClasses: number;
  /**
   * The user's own graph ('custom': gnn-graph-json; 'custom-graphs': gnn-graphset-json), read
   * from this file next to the script; default graph.json (graphs.json for a set).
   */
  readonly customGraphFile?: string;
}

const planetoid: Record<string, string> = { cora: 'Cora', citeseer: 'CiteSeer', pubmed: 'PubMed' };
const tu: Record<string, string> = { mutag: 'MUTAG', proteins: 'PROTEINS', enzymes: 'ENZYMES' };
/** Edge types of the shipped graph sets (MUTAG's bond types; the others have none). */
const tuRelations: Record<string, number> = { mutag: 4, proteins: 1, enzymes: 1 };

// Zachary's karate club exactly as public/datasets/karate.json has it (src/graph/generators/karate.ts):
// `a-b:w` is the undirected edge a-b with interaction count w; a test checks both against the file.
export const KARATE_EDGES =
  '0-1:4 0-2:5 0-3:3 0-4:3 0-5:3 0-6:3 0-7:2 0-8:2 0-10:2 0-11:3 0-12:1 0-13:3 0-17:2 0-19:2 0-21:2 0-31:2 ' +
  '1-2:6 1-3:3 1-7:4 1-13:5 1-17:1 1-19:2 1-21:2 1-30:2 2-3:3 2-7:4 2-8:5 2-9:1 2-13:3 2-27:2 2-28:2 2-32:2 ' +
  '3-7:3 3-12:3 3-13:3 4-6:2 4-10:3 5-6:5 5-10:3 5-16:3 6-16:3 8-30:3 8-32:3 8-33:4 9-33:2 13-33:3 14-32:3 ' +
  '14-33:2 15-32:3 15-33:4 18-32:1 18-33:2 19-33:1 20-32:3 20-33:1 22-32:2 22-33:3 23-25:5 23-27:4 23-29:3 ' +
  '23-32:5 23-33:4 24-25:2 24-27:3 24-31:2 25-31:7 26-29:4 26-33:2 27-33:4 28-31:2 28-33:2 29-32:4 29-33:2 ' +
  '30-32:3 30-33:3 31-32:4 31-33:4 32-33:5';
export const KARATE_FACTIONS = '0000000001000011001010111111111111';

/** A Python literal. */
function py(v: number | boolean | string): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (!Number.isFinite(v)) throw new Error(`pygScript: ${v} is not a number Python can take`);
  return String(v);
}

/** A width k + kr * NUM_RELATIONS (R-GCN's stacked relations make a width depend on R). */
interface Width { readonly k: number; readonly kr: number }
const w = (k: number, kr = 0): Width => ({ k, kr });
const add = (a: Width, b: Width): Width => w(a.k + b.k, a.kr + b.kr);
function pyWidth(x: Width, relations: number | null): string {
  if (relations !== null) return String(x.k + x.kr * relations);
  if (x.kr === 0) return String(x.k);
  return x.k === 0 ? `NUM_RELATIONS * ${x.kr}` : `${x.k} + NUM_RELATIONS * ${x.kr}`;
}

const actExpr: Record<Activation, string> = {
  none: 'x', relu: 'F.relu(x)', leaky_relu: 'F.leaky_relu(x, 0.2)', elu: 'F.elu(x)', tanh: 'torch.tanh(x)', sigmoid: 'torch.sigmoid(x)',
};
const actModule: Record<Activation, string> = {
  none: 'nn.Identity()', relu: 'nn.ReLU()', leaky_relu: 'nn.LeakyReLU(0.2)', elu: 'nn.ELU()', tanh: 'nn.Tanh()', sigmoid: 'nn.Sigmoid()',
};

interface LayerPlan {
  readonly kind: ModelKind;
  readonly ctor: string;
  readonly inW: Width;
  readonly outW: Width;
  readonly output: boolean;
  /** A residual connection is allowed here (widths are compared at run time, as the engine does). */
  readonly residual: boolean;
  readonly decay: boolean;
}

/** The layers as src/models/nodeNet.ts `LayerStack` and src/models/convs.ts `buildConv` build them. */
function planLayers(c: TrainConfig, inDim: number, classes: number | null, relations: number | null): LayerPlan[] {
  const kinds = layerKinds(c);
  const L = kinds.length;
  const dense = classes === null || needsDenseInput(c);
  const plans: LayerPlan[] = [];
  let width = w(inDim);
  for (let l = 0; l < L; l++) {
    const kind = kinds[l];
    const output = classes !== null && l === L - 1 && c.jk === 'none';
    const out = output ? classes! : c.hidden;
    const inS = pyWidth(width, relations);
    let outW = w(out);
    let ctor: string;
    switch (kind) {
      case 'gcn': {
        // Row normalization (D^-1 A, a mean over in-edges) is not a GCNConv option: the weights
        // are computed in layer_args and GCNConv only multiplies by them.
        ctor = c.norm === 'row'
          ? `GCNConv(${inS}, ${out}, add_self_loops=False, normalize=False)`
          : `GCNConv(${inS}, ${out}, add_self_loops=${py(c.selfLoops)}, normalize=True)`;
        break;
      }
      case 'sage': ctor = `SAGEConv(${inS}, ${out}, aggr=${py(c.aggr)})`; break;
      case 'gat': {
        const heads = output ? c.outHeads : c.heads;
        ctor = `GATConv(${inS}, ${out}, heads=${heads}, concat=${py(!output)}, dropout=${py(c.attnDropout)}, negative_slope=0.2)`;
        if (!output) outW = w(heads * out);
        break;
      }
      case 'gin': {
        const mlp = c.batchNorm
          ? `nn.Linear(${inS}, ${c.hidden}), nn.BatchNorm1d(${c.hidden}), ${actModule[c.activation]}, nn.Linear(${c.hidden}, ${out})`
          : `nn.Linear(${inS}, ${c.hidden}), ${actModule[c.activation]}, nn.Linear(${c.hidden}, ${out})`;
        ctor = `GINConv(nn.Sequential(${mlp}), train_eps=${py(c.trainEps)})`;
        break;
      }
      case 'cheb': ctor = `ChebConv(${inS}, ${out}, K=${c.k})`; break;
      case 'rgcn': {
        const cross = output ? 'sum' : c.cross;
        const R = relations === null ? 'NUM_RELATIONS' : String(relations);
        if (cross === 'sum' || relations === 1) {
          ctor = `RGCNConv(${inS}, ${out}, num_relations=${R}, aggr='mean')`;
        } else {
          ctor = `CrossRGCNConv(${inS}, ${out}, num_relations=${R}, cross=${py(cross)})`;
        }
        if (cross === 'stack') outW = relations === null ? w(0, out) : w(relations * out);
        break;
      }
      case 'sgc': throw new Error('SGC has no message-passing layers');
    }
    plans.push({
      kind, ctor, inW: width, outW, output,
      residual: c.residual && !output && (l > 0 || dense),
      decay: !decaysFirstLayerOnly(c.model) || l === 0,
    });
    width = outW;
  }
  return plans;
}

function sameWidth(a: Width, b: Width): boolean {
  return a.k === b.k && a.kr === b.kr;
}

const ROW_NORMALIZE = `def row_normalize(edge_index, edge_weight, num_nodes, add_self_loops):
    """GCN's row normalization: x'_i = sum_j w_ji x_j / sum_j w_ji over i's in-edges (D^-1 A),
    with PyG's add_remaining_self_loops (weight 1) first when asked, as gcn_norm does."""
    if edge_weight is None:
        edge_weight = torch.ones(edge_index.size(1), device=edge_index.device)
    if add_self_loops:
        edge_index, edge_weight = add_remaining_self_loops(edge_index, edge_weight, 1.0, num_nodes)
    deg = scatter(edge_weight, edge_index[1], 0, dim_size=num_nodes, reduce='sum')
    inv = deg.pow(-1.0)
    inv[torch.isinf(inv)] = 0.0
    return edge_index, edge_weight * inv[edge_index[1]]
`;

const CROSS_RGCN = `class CrossRGCNConv(nn.Module):
    """R-GCN with another cross-relation reducer than a sum. PyG's RGCNConv always sums the
    relations; this is the same layer (a mean over each relation's in-edges of W_r x_j, plus
    W_root x_i + b) with the relations' results combined by mean, max, min, or concatenated
    ('stack', width num_relations * out_channels), as the playground's R-GCN does."""

    def __init__(self, in_channels, out_channels, num_relations, cross):
        super().__init__()
        self.cross = cross
        self.rel = nn.ModuleList([nn.Linear(in_channels, out_channels, bias=False) for _ in range(num_relations)])
        width = num_relations * out_channels if cross == 'stack' else out_channels
        self.root = nn.Linear(in_channels, width)

    def forward(self, x, edge_index, edge_type):
        src, dst = edge_index
        outs = []
        for r, lin in enumerate(self.rel):
            keep = edge_type == r
            outs.append(scatter(lin(x)[src[keep]], dst[keep], 0, dim_size=x.size(0), reduce='mean'))
        if self.cross == 'stack':
            h = torch.cat(outs, dim=-1)
        elif self.cross == 'mean':
            h = torch.stack(outs).mean(0)
        elif self.cross == 'max':
            h = torch.stack(outs).amax(0)
        else:
            h = torch.stack(outs).amin(0)
        return h + self.root(x)
`;

/** src/graph/folds.ts and the graph trainer's batch order in Python, bit for bit (32-bit integer streams). */
export const FOLDS_PY = `# --- folds: src/graph/folds.ts and the playground's batch order, the same 32-bit streams ---
M32 = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & M32


def mulberry32(seed):
    state = [seed & M32]

    def next_u32():
        a = (state[0] + 0x6D2B79F5) & M32
        state[0] = a
        t = imul(a ^ (a >> 15), a | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        return (t ^ (t >> 14)) & M32
    return next_u32


def shuffled(items, next_u32):
    a = list(items)
    for i in range(len(a) - 1, 0, -1):
        j = math.floor((next_u32() / 2 ** 32) * (i + 1))
        a[i], a[j] = a[j], a[i]
    return a


def by_class(labels):
    groups = {}
    for g, y in enumerate(labels):
        groups.setdefault(y, []).append(g)
    return [groups[y] for y in sorted(groups)]


def stratified_k_fold(labels, k, seed):
    next_u32 = mulberry32(seed)
    order = [g for members in by_class(labels) for g in shuffled(members, next_u32)]
    folds = [[] for _ in range(k)]
    for p, g in enumerate(order):
        folds[p % k].append(g)
    return [sorted(f) for f in folds]


def cv_split(labels, k, fold, seed, val_fraction=0.1):
    """Run \`fold\` of stratified k-fold cross-validation: test = that fold, val = a stratified
    val_fraction of the rest (largest remainder per class), train = the rest."""
    test = stratified_k_fold(labels, k, seed)[fold]
    in_test = set(test)
    rest_by_class = [[g for g in members if g not in in_test] for members in by_class(labels)]
    rest = len(labels) - len(test)
    num_val = math.floor(val_fraction * rest + 0.5)
    quota = [(num_val * len(m)) // rest for m in rest_by_class]
    leftover = num_val - sum(quota)
    by_remainder = sorted(range(len(rest_by_class)), key=lambda c: (-(num_val * len(rest_by_class[c]) - quota[c] * rest), c))
    for c in by_remainder[:leftover]:
        quota[c] += 1
    next_u32 = mulberry32(imul(seed & M32, 0x9E3779B1) ^ (fold + 1))
    train, val = [], []
    for c, members in enumerate(rest_by_class):
        mixed = shuffled(members, next_u32)
        val += mixed[:quota[c]]
        train += mixed[quota[c]:]
    return sorted(train), sorted(val), test


def epoch_order(train, seed, epoch):
    """The training graphs of \`epoch\` (from 0) in the playground's seeded order."""
    order = list(train)
    next_u32 = mulberry32(imul(seed + 1, 0x85EBCA6B) ^ epoch)
    for i in range(len(order) - 1, 0, -1):
        j = next_u32() % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order
# --- end of folds ---
`;

const GRAPH_JSON_LOADER = `def load_gnn_graph_json(path):
    """Reads the gnn-graph-json v1 file the playground saves (Save, under "Your own graph"):
    CSR node features, labels, the train / val / test split and the edges (both directions of
    an undirected graph are listed), with optional edge weights."""
    with open(path, encoding='utf-8') as f:
        g = json.load(f)
    if g.get('schema') != 'gnn-graph-json' or g.get('schema_version') != 1:
        raise ValueError(f'{path} is not a gnn-graph-json v1 file')
    n, num_features = g['num_nodes'], g['num_features']
    feats = g['features']
    indptr = torch.tensor(feats['indptr'], dtype=torch.long)
    cols = torch.tensor(feats['indices'], dtype=torch.long)
    rows = torch.repeat_interleave(torch.arange(n), indptr[1:] - indptr[:-1])
    values = torch.ones(len(cols)) if feats.get('binary') else torch.tensor(feats['values'], dtype=torch.float)
    x = torch.zeros(n, num_features)
    x[rows, cols] = values
    edges = g['edges']
    edge_index = torch.tensor([edges['src'], edges['dst']], dtype=torch.long).view(2, -1)
    weight = edges.get('weight')
    edge_weight = torch.tensor(weight, dtype=torch.float) if weight is not None else None
    data = Data(x=x, edge_index=edge_index, y=torch.tensor(g['labels'], dtype=torch.long))
    for part in ('train', 'val', 'test'):
        mask = torch.zeros(n, dtype=torch.bool)
        mask[torch.tensor(g['split'][part], dtype=torch.long)] = True
        data[f'{part}_mask'] = mask
    return data, edge_weight
`;

const GRAPHSET_JSON_LOADER = `def load_gnn_graphset_json(path):
    """Reads a gnn-graphset-json v1 file (the playground's format for a set of graphs): node
    features are one-hot node labels, edges are global node ids grouped by graph, with
    optional edge types."""
    with open(path, encoding='utf-8') as f:
        s = json.load(f)
    if s.get('schema') != 'gnn-graphset-json' or s.get('schema_version') != 1:
        raise ValueError(f'{path} is not a gnn-graphset-json v1 file')
    offsets = torch.tensor(s['node_offsets'], dtype=torch.long)
    num_graphs, num_features = s['num_graphs'], s['num_features']
    src = torch.tensor(s['edges']['src'], dtype=torch.long)
    dst = torch.tensor(s['edges']['dst'], dtype=torch.long)
    types = torch.tensor(s['edge_types'], dtype=torch.long) if s.get('edge_types') is not None else torch.zeros(len(src), dtype=torch.long)
    node_graph = torch.repeat_interleave(torch.arange(num_graphs), offsets[1:] - offsets[:-1])
    edge_offsets = [0] + torch.cumsum(torch.bincount(node_graph[src], minlength=num_graphs), 0).tolist()
    node_labels = s.get('node_labels')
    graphs = []
    for g in range(num_graphs):
        lo, hi = int(offsets[g]), int(offsets[g + 1])
        e0, e1 = edge_offsets[g], edge_offsets[g + 1]
        x = torch.zeros(hi - lo, num_features)
        if node_labels is not None:
            x[torch.arange(hi - lo), torch.tensor(node_labels[lo:hi], dtype=torch.long)] = 1.0
        edge_index = torch.stack([src[e0:e1], dst[e0:e1]]) - lo
        graphs.append(Data(x=x, edge_index=edge_index, edge_type=types[e0:e1], y=torch.tensor([s['graph_labels'][g]])))
    return graphs, max(s.get('num_edge_types', 0), 1)
`;

function karateBlock(): string {
  return `# Zachary's karate club as the playground ships it (public/datasets/karate.json). PyG's
# KarateClub has the same 78 friendships but labels four communities and no weights; the
# playground labels the two factions (networkx's 'club'), weighs each edge by Zachary's
# interaction count, and trains on one node per faction (0 and 33), testing on the rest.
KARATE_EDGES = (
${KARATE_EDGES.match(/(?:\S+ ?){1,12}/g)!.map((s) => `    '${s}'`).join('\n')}
)
KARATE_FACTIONS = '${KARATE_FACTIONS}'


def karate_club():
    edges = [tuple(int(v) for v in t.replace(':', '-').split('-')) for t in KARATE_EDGES.split()]
    src = [a for a, b, _ in edges] + [b for a, b, _ in edges]
    dst = [b for a, b, _ in edges] + [a for a, b, _ in edges]
    weight = [float(c) for _, _, c in edges] * 2
    n = len(KARATE_FACTIONS)
    data = Data(x=torch.eye(n), edge_index=torch.tensor([src, dst], dtype=torch.long),
                y=torch.tensor([int(c) for c in KARATE_FACTIONS], dtype=torch.long))
    data.train_mask = torch.zeros(n, dtype=torch.bool)
    data.train_mask[[0, n - 1]] = True
    data.val_mask = torch.zeros(n, dtype=torch.bool)
    data.test_mask = ~data.train_mask
    return data, torch.tensor(weight)
`;
}

function pairs(config: TrainConfig): string {
  return Object.entries(config).map(([k, v]) => `#   ${k}: ${JSON.stringify(v)}`).join('\n');
}

/**
 * A runnable PyTorch Geometric script that builds the same model with the same hyperparameters
 * on the same data as `config`, trains it with the same protocol and prints the test accuracy
 * at the selected epoch. It needs torch and torch_geometric only. See the script's docstring
 * for where it cannot match the playground (random streams, PairNorm's epsilon, ...).
 */
export function pygScript(config: TrainConfig, info: PygInfo): string {
  const c = config;
  const task = taskOf(c.dataset);
  const graph = task === 'graph';
  const sgc = c.model === 'sgc';
  if (sgc && graph) throw new Error('SGC is a node classifier: there is no graph-classification SGC to export');
  const relations: number | null = graph ? (c.dataset === 'custom-graphs' ? null : tuRelations[c.dataset] ?? 1) : 1;
  const kinds = sgc ? [] : layerKinds(c);
  const has = (k: ModelKind) => kinds.includes(k);
  const plans = sgc ? [] : planLayers(c, info.numFeatures, graph ? null : info.numClasses, relations);
  const hidden = plans.filter((p) => !p.output);
  if (c.jk === 'max' && hidden.some((p) => !sameWidth(p.outW, hidden[hidden.length - 1].outW))) {
    throw new Error(`jumping knowledge by max needs every layer equally wide; these are ${hidden.map((p) => pyWidth(p.outW, relations)).join(', ')} (use concatenate)`);
  }
  const jkWidth = c.jk === 'cat'
    ? hidden.reduce((s, p) => add(s, p.outW), graph ? w(info.numFeatures) : w(0))
    : hidden.length ? hidden[hidden.length - 1].outW : w(info.numFeatures);
  const rowNorm = has('gcn') && c.norm === 'row';
  const crossRgcn = plans.some((p) => p.ctor.startsWith('CrossRGCNConv'));
  const customFile = info.customGraphFile ?? (c.dataset === 'custom-graphs' ? 'graphs.json' : 'graph.json');
  const datasetLabel = planetoid[c.dataset] ?? tu[c.dataset] ?? (c.dataset === 'karate' ? 'KarateClub' : `your graph "${info.datasetName.replace(/[\\"\n\r]/g, "'")}"`);
  const modelName = modelLabel(c);

  // ------------------------------------------------------------------ docstring
  const differences = [
    "Initial weights and dropout masks come from torch's random numbers, not the playground's counter-based streams, and floating-point sums run in another order: single runs differ, compare means over seeds (or folds).",
    ...(rowNorm ? ["GCNConv has no row normalization; the weights D^-1 A are computed in row_normalize() and GCNConv runs with normalize=False."] : []),
    ...(crossRgcn ? [`PyG's RGCNConv always sums over relations; the '${c.cross}' reducer of the hidden R-GCN layers is CrossRGCNConv below, the same arithmetic built from PyG's scatter.`] : []),
    ...(c.dataset === 'karate' ? ["Karate is built here from the playground's copy (two factions, weighted edges), not PyG's KarateClub (four communities)."] : []),
    ...(graph ? ["The folds, the 10% validation slice and each epoch's batch order are the playground's own (the same integer random streams, reimplemented below), so every fold trains and tests on the same graphs."] : []),
    ...(graph && c.pairNorm ? ["PairNorm normalizes over all the nodes of a batch, as the playground does (no per-graph batch vector)."] : []),
    ...(!graph && !sgc && !needsDenseInput(c) && c.dropout > 0 ? ["Input dropout: the playground drops the stored nonzeros of its sparse features; F.dropout on the dense matrix drops the same entries in distribution (zeros stay zero)."] : []),
  ];
  const lines: string[] = [];
  const push = (...s: string[]) => lines.push(...s);
  push(`#!/usr/bin/env python3`);
  push(`"""${modelName} on ${datasetLabel}, as trained in the GNN Playground.`);
  push('');
  push('Generated by the playground from its settings. Needs torch and torch_geometric only:');
  push('');
  push('    pip install torch torch_geometric');
  const file = exportFileName('pyg-script', c, info.datasetName, 0);
  push(`    python ${file}${graph ? '                # the fold the page trained' : ''}`);
  if (graph) push(`    python ${file} --all-folds    # all ${c.folds} folds: mean and standard deviation`);
  if (c.dataset === 'custom' || c.dataset === 'custom-graphs') {
    push('');
    push(`Your own graph: save it from the page (Save, under "Your own graph") as ${customFile} next to this script.`);
  }
  push('');
  push('It builds the same model with the same hyperparameters on the same data, trains it with the');
  push(`same protocol and prints the test accuracy at ${c.selection === 'last' ? 'the last epoch' : 'the first epoch with the best validation accuracy'}.`);
  push('Where it cannot match the playground:');
  for (const d of differences) push(...wrap(`- ${d}`, 92, '  '));
  push('"""');
  push('');
  push('# The playground\'s config (the values are written out below where they are used):');
  push(pairs(config));
  push('');
  if (c.dataset === 'custom' || c.dataset === 'custom-graphs') push('import json');
  if (graph) push('import math');
  if (c.dataset === 'custom' || c.dataset === 'custom-graphs') push('import os');
  if (graph) push('import sys');
  push('', 'import torch', 'import torch.nn.functional as F', 'from torch import nn');
  const dataImports = [...(graph ? ['Batch'] : []), ...(c.dataset === 'karate' || c.dataset.startsWith('custom') ? ['Data'] : [])];
  if (dataImports.length) push(`from torch_geometric.data import ${dataImports.join(', ')}`);
  if (planetoid[c.dataset]) push('from torch_geometric.datasets import Planetoid');
  if (tu[c.dataset]) push('from torch_geometric.datasets import TUDataset');
  if (!graph) push('import torch_geometric.transforms as T');
  const convNames: Record<ModelKind, string> = { gcn: 'GCNConv', sage: 'SAGEConv', gat: 'GATConv', gin: 'GINConv', cheb: 'ChebConv', rgcn: 'RGCNConv', sgc: 'SGConv' };
  const nnImports = sgc ? ['SGConv'] : [...new Set(plans.map((p) => (p.ctor.startsWith('CrossRGCNConv') ? null : convNames[p.kind])).filter((n): n is string => n !== null))];
  if (c.jk !== 'none' && !sgc) nnImports.push('JumpingKnowledge');
  if (c.pairNorm && !sgc) nnImports.push('PairNorm');
  if (!graph && c.jk !== 'none' && !sgc) nnImports.push('Linear');
  if (graph) nnImports.push({ sum: 'global_add_pool', mean: 'global_mean_pool', max: 'global_max_pool' }[c.pool]);
  push(`from torch_geometric.nn import ${[...new Set(nnImports)].join(', ')}`);
  const utils = [...(rowNorm ? ['add_remaining_self_loops'] : []), ...(rowNorm || crossRgcn ? ['scatter'] : [])];
  if (utils.length) push(`from torch_geometric.utils import ${utils.join(', ')}`);
  push('');
  push(`SEED = ${c.seed}`);
  push(`EPOCHS = ${c.epochs}`);
  push(`torch.manual_seed(${c.seed})`);
  push("device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')");
  push('');

  // ------------------------------------------------------------------ data
  push('# ---------------------------------------------------------------- data', '');
  if (!graph) {
    if (planetoid[c.dataset]) {
      push(`dataset = Planetoid(root='data/Planetoid', name=${py(planetoid[c.dataset])}, split='public', transform=T.NormalizeFeatures())`);
      push('data, edge_weight = dataset[0], None');
    } else if (c.dataset === 'karate') {
      push(karateBlock());
      push('', 'data, edge_weight = karate_club()');
      push('data = T.NormalizeFeatures()(data)  # identity rows: unchanged, as in the playground');
    } else {
      push(GRAPH_JSON_LOADER);
      push('');
      push(`GRAPH_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), ${py(customFile)})`);
      push('data, edge_weight = load_gnn_graph_json(GRAPH_FILE)');
      push('data = T.NormalizeFeatures()(data)  # PyG\'s NormalizeFeatures, as the playground row-normalizes every graph\'s features');
    }
    push(`assert data.num_features == ${info.numFeatures} and int(data.y.max()) < ${info.numClasses}, 'not the data this script was made for'`);
    push('data = data.to(device)');
    push('edge_weight = edge_weight.to(device) if edge_weight is not None else None');
    if (has('rgcn')) push('edge_type = torch.zeros(data.edge_index.size(1), dtype=torch.long, device=device)  # one relation: every edge');
    else push('edge_type = None');
  } else {
    if (tu[c.dataset]) {
      push(`dataset = TUDataset(root='data/TUDataset', name=${py(tu[c.dataset])})  # one-hot node labels (use_node_attr=False), as the playground`);
      push('graphs = [dataset[i] for i in range(len(dataset))]');
      if (has('rgcn')) {
        if (relations! > 1) push('for g in graphs:', '    g.edge_type = g.edge_attr.argmax(dim=-1)  # MUTAG\'s bond types: aromatic, single, double, triple');
        else push('for g in graphs:', '    g.edge_type = torch.zeros(g.edge_index.size(1), dtype=torch.long)');
      }
      push(`NUM_RELATIONS = ${relations}`);
    } else {
      push(GRAPHSET_JSON_LOADER);
      push('');
      push(`GRAPH_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), ${py(customFile)})`);
      push('graphs, NUM_RELATIONS = load_gnn_graphset_json(GRAPH_FILE)');
    }
    push(`assert graphs[0].num_features == ${info.numFeatures}, 'not the data this script was made for'`);
    push('labels = [int(g.y) for g in graphs]');
    push('');
    push(FOLDS_PY);
  }
  push('');

  // ------------------------------------------------------------------ model
  push('# ---------------------------------------------------------------- model', '');
  if (!sgc) push('def act(x):', `    return ${actExpr[c.activation]}`, '', '');
  if (rowNorm) push(ROW_NORMALIZE, '');
  if (crossRgcn) push(CROSS_RGCN, '');
  if (!sgc) {
    push('def layer_args(edge_index, edge_weight, edge_type, num_nodes):');
    push('    """What each layer type is called with (edge weights reach GCN and ChebConv only, as in the playground)."""');
    push('    return {');
    for (const k of [...new Set(kinds)]) {
      if (k === 'gcn') {
        push(rowNorm
          ? `        'gcn': row_normalize(edge_index, edge_weight, num_nodes, add_self_loops=${py(c.selfLoops)}),`
          : "        'gcn': (edge_index, edge_weight),");
      } else if (k === 'cheb') push("        'cheb': (edge_index, edge_weight),");
      else if (k === 'rgcn') push("        'rgcn': (edge_index, edge_type),");
      else push(`        ${py(k)}: (edge_index,),`);
    }
    push('    }', '', '');
    push(`KINDS = [${kinds.map((k) => py(k)).join(', ')}]`);
    push(`RESIDUAL = [${plans.map((p) => py(p.residual)).join(', ')}]  # where a residual connection may be added (widths are checked as it runs)`);
    push(`DECAY = [${plans.map((p) => py(p.decay)).join(', ')}]  # layers whose weights are decayed${decaysFirstLayerOnly(c.model) ? " (the first only, like Kipf and Welling's code)" : ''}`);
    push('', '');
  }

  push('class Net(nn.Module):');
  push('    def __init__(self):');
  push('        super().__init__()');
  if (sgc) {
    push(`        self.conv = SGConv(${info.numFeatures}, ${info.numClasses}, K=${c.k}, cached=True)  # logits = A^K X W + b`);
    push('');
    push('    def forward(self, x, edge_index, edge_weight=None, edge_type=None):');
    push('        return self.conv(x, edge_index, edge_weight)');
  } else {
    push('        self.convs = nn.ModuleList([');
    plans.forEach((p, l) => {
      push(`            ${p.ctor},  # layer ${l + 1}: ${p.kind}, ${pyWidth(p.inW, relations)} -> ${pyWidth(p.outW, relations)}${p.output ? ' (output)' : ''}`);
    });
    push('        ])');
    if (c.pairNorm) push('        self.pair_norm = PairNorm(scale=1.0)');
    if (c.jk !== 'none') push(`        self.jk = JumpingKnowledge(${py(c.jk)})`);
    const jkW = pyWidth(jkWidth, relations);
    if (!graph && c.jk !== 'none') {
      push(`        self.head = Linear(${jkW}, ${info.numClasses}, weight_initializer='glorot', bias_initializer='zeros')  # JK head`);
    }
    if (graph) {
      if (c.jk === 'cat') {
        push(`        self.head = nn.Linear(${jkW}, ${info.numClasses})  # Xu et al.'s readout: one linear map of every layer's pooled output (and the input's)`);
      } else {
        push(`        self.head = nn.Sequential(nn.Linear(${jkW}, ${c.hidden}), nn.ReLU(), nn.Dropout(${py(c.dropout)}), nn.Linear(${c.hidden}, ${info.numClasses}))  # mutag_gin.py's head`);
      }
    }
    push('');
    const sig = graph ? 'def forward(self, x, edge_index, edge_type, batch):' : 'def forward(self, x, edge_index, edge_weight=None, edge_type=None):';
    push(`    ${sig}`);
    push(`        args = layer_args(edge_index, ${graph ? 'None' : 'edge_weight'}, edge_type, x.size(0))`);
    if (graph) {
      push(c.jk === 'cat' ? '        hidden = [x]  # the readout covers the input too (Xu et al., eq. 4.2)' : '        hidden = []');
    } else {
      push(`        x = F.dropout(x, p=${py(c.dropout)}, training=self.training)`);
      push('        hidden = []');
    }
    push('        for l, conv in enumerate(self.convs):');
    push('            y = conv(x, *args[KINDS[l]])');
    if (plans.some((p) => p.output)) {
      push('            if l == len(self.convs) - 1:');
      push('                return y  # the output layer: logits, no activation');
    }
    if (c.pairNorm) push('            y = self.pair_norm(y)');
    push('            y = act(y)');
    push('            if RESIDUAL[l] and y.size(-1) == x.size(-1):');
    push('                y = y + x');
    push('            hidden.append(y)');
    push(graph ? '            x = y  # no dropout inside the stack for graph classification' : `            x = F.dropout(y, p=${py(c.dropout)}, training=self.training)`);
    if (!graph) {
      if (c.jk !== 'none') push('        return self.head(self.jk(hidden))');
    } else {
      push(c.jk === 'none' ? '        h = x' : '        h = self.jk(hidden)');
      push(`        h = ${{ sum: 'global_add_pool', mean: 'global_mean_pool', max: 'global_max_pool' }[c.pool]}(h, batch)`);
      if (c.jk === 'cat') push(`        return self.head(F.dropout(h, p=${py(c.dropout)}, training=self.training))`);
      else push('        return self.head(h)');
    }
  }
  push('', '');

  // ------------------------------------------------------------------ optimizer
  push('def make_optimizer(model):');
  push('    """Adam with L2 weight decay (torch\'s), per layer as the playground decays; batch norm and eps are never decayed."""');
  push('    decay, no_decay = [], []');
  push('');
  push('    def split(module, decays):');
  push('        norm = {id(p) for m in module.modules() if isinstance(m, nn.BatchNorm1d) for p in m.parameters()}');
  push('        for name, p in module.named_parameters():');
  push("            (decay if decays and id(p) not in norm and not name.endswith('eps') else no_decay).append(p)");
  push('');
  if (sgc) push('    split(model.conv, True)');
  else {
    push('    for l, conv in enumerate(model.convs):');
    push('        split(conv, DECAY[l])');
    if (!graph && c.jk !== 'none') push('    split(model.head, False)  # the JK head is not decayed');
    if (graph) push('    split(model.head, True)');
  }
  push(`    groups = [dict(params=decay, weight_decay=${py(c.weightDecay)}), dict(params=no_decay, weight_decay=0.0)]`);
  push(`    optimizer = torch.optim.Adam([g for g in groups if g['params']], lr=${py(c.lr)})`);
  if (c.lrStep > 0) {
    push(`    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=${c.lrStep}, gamma=${py(c.lrGamma)})`);
  } else {
    push('    scheduler = None  # constant learning rate');
  }
  push('    return optimizer, scheduler');
  push('', '');

  // ------------------------------------------------------------------ training
  push('# ---------------------------------------------------------------- training', '');
  const selectLast = c.selection === 'last';
  if (!graph) {
    push('model = Net().to(device)');
    push('optimizer, scheduler = make_optimizer(model)');
    push('');
    push('');
    push('def train():');
    push('    model.train()');
    push('    optimizer.zero_grad()');
    push('    out = model(data.x, data.edge_index, edge_weight, edge_type)');
    push('    loss = F.cross_entropy(out[data.train_mask], data.y[data.train_mask])');
    push('    loss.backward()');
    push('    optimizer.step()');
    push('    return float(loss)');
    push('', '');
    push('@torch.no_grad()');
    push('def evaluate():');
    push('    model.eval()');
    push('    pred = model(data.x, data.edge_index, edge_weight, edge_type).argmax(dim=-1)');
    push('    accs = []');
    push('    for mask in (data.train_mask, data.val_mask, data.test_mask):');
    push('        n = int(mask.sum())');
    push('        accs.append(int((pred[mask] == data.y[mask]).sum()) / n if n > 0 else 0.0)');
    push('    return accs');
    push('', '');
    push(`# ${selectLast ? "The test accuracy after the last epoch (the config's selection: 'last')." : 'The test accuracy at the first epoch with the best validation accuracy (PyG\'s examples); without validation nodes, the last epoch.'}`);
    push(`SELECT_LAST = ${py(selectLast)} or not bool(data.val_mask.any())`);
    push('best_val, best_test, best_epoch = -1.0, 0.0, 0');
    push('for epoch in range(1, EPOCHS + 1):');
    push('    loss = train()');
    push('    train_acc, val_acc, test_acc = evaluate()');
    push('    if scheduler is not None:');
    push('        scheduler.step()');
    push('    if SELECT_LAST or val_acc > best_val:');
    push('        best_val, best_test, best_epoch = val_acc, test_acc, epoch');
    push("    print(f'epoch {epoch:4d}  loss {loss:.4f}  train {train_acc:.4f}  val {val_acc:.4f}  test {test_acc:.4f}')");
    push("print(f'test accuracy: {best_test:.4f} (epoch {best_epoch})')");
  } else {
    push(`BATCH_SIZE = ${c.batchSize}`);
    push(`FOLDS = ${c.folds}`);
    push('');
    push('');
    push('def batch_of(ids):');
    push('    return Batch.from_data_list([graphs[i] for i in ids]).to(device)');
    push('');
    push('');
    push('def forward(model, b):');
    push(`    return model(b.x, b.edge_index, ${has('rgcn') ? 'b.edge_type' : 'None'}, b.batch)`);
    push('');
    push('');
    push('def run_fold(fold):');
    push('    torch.manual_seed(SEED)');
    push('    train_ids, val_ids, test_ids = cv_split(labels, FOLDS, fold, SEED)');
    push('    model = Net().to(device)');
    push('    optimizer, scheduler = make_optimizer(model)');
    push('    evaluation = batch_of(test_ids + val_ids)  # one batch, test graphs first, as the playground evaluates');
    push('    is_val = torch.tensor([0] * len(test_ids) + [1] * len(val_ids), dtype=torch.bool, device=device)');
    push(`    select_last = ${py(selectLast)} or not val_ids`);
    push("    best = dict(val_acc=-1.0, val_loss=math.inf, test_acc=0.0, epoch=0)");
    push('    for epoch in range(EPOCHS):');
    push('        model.train()');
    push('        order = epoch_order(train_ids, SEED, epoch)');
    push('        total_loss, hits = 0.0, 0');
    push('        for start in range(0, len(order), BATCH_SIZE):');
    push('            b = batch_of(order[start:start + BATCH_SIZE])');
    push('            optimizer.zero_grad()');
    push('            out = forward(model, b)');
    push('            loss = F.cross_entropy(out, b.y)');
    push('            loss.backward()');
    push('            optimizer.step()');
    push('            total_loss += float(loss) * b.num_graphs');
    push('            hits += int((out.argmax(dim=-1) == b.y).sum())');
    push('        if scheduler is not None:');
    push('            scheduler.step()');
    push('        model.eval()');
    push('        with torch.no_grad():');
    push('            out = forward(model, evaluation)');
    push('            right = out.argmax(dim=-1) == evaluation.y');
    push('            val_acc = float(right[is_val].float().mean()) if val_ids else 0.0');
    push('            test_acc = float(right[~is_val].float().mean())');
    push('            val_loss = float(F.cross_entropy(out[is_val], evaluation.y[is_val])) if val_ids else 0.0');
    push('        # Best validation accuracy, ties to the lower validation loss (the first such epoch).');
    push("        better = val_acc > best['val_acc'] or (val_acc == best['val_acc'] and val_loss < best['val_loss'])");
    push('        if select_last or better:');
    push('            best = dict(val_acc=val_acc, val_loss=val_loss, test_acc=test_acc, epoch=epoch + 1)');
    push("        print(f'fold {fold}  epoch {epoch + 1:4d}  loss {total_loss / len(order):.4f}  train {hits / len(order):.4f}  '");
    push("              f'val {val_acc:.4f}  val loss {val_loss:.4f}  test {test_acc:.4f}')");
    push("    return best['test_acc'], best['epoch']");
    push('');
    push('');
    push(`if '--all-folds' in sys.argv:`);
    push('    accs = [run_fold(f)[0] for f in range(FOLDS)]');
    push('    mean = sum(accs) / len(accs)');
    push('    std = (sum((a - mean) ** 2 for a in accs) / (len(accs) - 1)) ** 0.5 if len(accs) > 1 else 0.0');
    push("    print('test accuracy per fold: ' + ' '.join(f'{a:.4f}' for a in accs))");
    push("    print(f'test accuracy: {mean:.4f} +- {std:.4f} over {FOLDS} folds')");
    push('else:');
    push(`    test_acc, best_epoch = run_fold(${c.fold})`);
    push(`    print(f'test accuracy: {test_acc:.4f} (fold ${c.fold}, epoch {best_epoch})')`);
  }
  return lines.join('\n').replace(/\n{4,}/g, '\n\n\n') + '\n';
}

/** Greedy word wrap to `width`, continuation lines prefixed by `hang`. */
function wrap(text: string, width: number, hang: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = hang + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

import { describe, expect, it } from 'vitest';
import { csvField, curvesCsv, embeddingsCsv } from '../../src/export/csv';
import { f32, f32Json } from '../../src/export/floats';
import { CONVENTIONS, exportJson, type ExportContext } from '../../src/export/json';
import { exportFileName } from '../../src/export/names';
import type { RunExport, TrainConfig } from '../../src/train/protocol';
import { recipeConfig } from '../../src/train/recipes';

describe('f32: shortest round-trip float32 decimals', () => {
  it('the short decimal a float32 came from, not its float64 expansion', () => {
    expect(f32(Math.fround(0.1))).toBe('0.1');
    expect(String(Math.fround(0.1))).toBe('0.10000000149011612');
    expect(f32(Math.fround(1 / 3))).toBe('0.33333334');
    expect(f32(1)).toBe('1');
    expect(f32(-2.5)).toBe('-2.5');
    expect(f32(Math.fround(1e-7))).toBe('1e-7');
    expect(f32(Math.fround(3.4e38))).toBe('3.4e+38');
    expect(f32(0)).toBe('0');
    expect(f32(-0)).toBe('-0');
    expect(f32(NaN)).toBe('NaN');
    expect(f32(-Infinity)).toBe('-Infinity');
    expect(f32Json(NaN)).toBe('null');
    expect(f32Json(Infinity)).toBe('null');
  });

  it('reads back as the same float32 for every one of many random values, with at most 9 digits', () => {
    const a = new Float32Array(20000);
    const u = new Uint32Array(a.buffer);
    let s = 12345;
    for (let i = 0; i < u.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      u[i] = s;
    }
    for (const v of a) {
      if (!Number.isFinite(v)) continue;
      const t = f32(v);
      expect(Math.fround(Number(t))).toBe(v);
      expect(t.replace(/^-|e.*$|\./g, '').replace(/^0+|0+$/g, '').length).toBeLessThanOrEqual(9);
    }
  });
});

const run: RunExport = {
  task: 'node',
  epoch: 3,
  numFeatures: 2,
  parameters: [
    { name: 'layer 1 weight', layer: 'layer 1', rows: 2, cols: 2, data: Float32Array.of(0.5, -0.25, 0.1, 2), trainable: true },
    { name: 'layer 1 bias', layer: 'layer 1', rows: 1, cols: 2, data: Float32Array.of(0, NaN), trainable: true },
  ],
  layers: [
    { name: 'layer 1', rows: 3, cols: 2, data: Float32Array.of(1, 2, 3, 4, 5, 6) },
    { name: 'JK cat head', rows: 3, cols: 1, data: Float32Array.of(0.1, 0.2, 0.3) },
  ],
};
const config: TrainConfig = { ...recipeConfig('karate', 'gcn'), layers: 1 };
const ctx: ExportContext = {
  config, datasetName: 'Tiny', numClasses: 2, classNames: ['a', 'b'],
  backend: { kind: 'cpu', adapter: 'CPU reference' },
  nodes: { labels: Int32Array.of(0, 1, 1), splitOf: Uint8Array.of(1, 0, 3) },
};
const header = [
  '{',
  '  "schema": "gnn-playground-export",',
  '  "schema_version": 1,',
];
const shared = [
  '  "dataset": {"id":"karate","name":"Tiny","task":"node","num_nodes":3,"num_features":2,"num_classes":2,"class_names":["a","b"]},',
  `  "config": ${JSON.stringify(config)},`,
  '  "epoch": 3,',
  '  "backend": {"kind":"cpu","adapter":"CPU reference"},',
  `  "conventions": ${JSON.stringify(CONVENTIONS)},`,
];

describe('exportJson', () => {
  it('weights: the header, then every parameter with its layer, shape and nested rows', () => {
    expect(exportJson(run, ctx, 'weights')).toBe([
      ...header, '  "contents": "weights",', ...shared,
      '  "parameters": [',
      '    {',
      '      "name": "layer 1 weight",',
      '      "layer": "layer 1",',
      '      "trainable": true,',
      '      "shape": [2, 2],',
      '      "data": [',
      '        [0.5,-0.25],',
      '        [0.1,2]',
      '      ]',
      '    },',
      '    {',
      '      "name": "layer 1 bias",',
      '      "layer": "layer 1",',
      '      "trainable": true,',
      '      "shape": [1, 2],',
      '      "data": [',
      '        [0,null]',
      '      ]',
      '    }',
      '  ]',
      '}',
      '',
    ].join('\n'));
  });

  it('embeddings: the nodes (labels, split) and every layer, and it parses back to the same numbers', () => {
    const text = exportJson(run, ctx, 'embeddings');
    expect(text).toBe([
      ...header, '  "contents": "embeddings",', ...shared,
      '  "nodes": {"count": 3, "labels": [0,1,1], "split": ["train","","test"]},',
      '  "layers": [',
      '    {',
      '      "name": "layer 1",',
      '      "shape": [3, 2],',
      '      "data": [',
      '        [1,2],',
      '        [3,4],',
      '        [5,6]',
      '      ]',
      '    },',
      '    {',
      '      "name": "JK cat head",',
      '      "shape": [3, 1],',
      '      "data": [',
      '        [0.1],',
      '        [0.2],',
      '        [0.3]',
      '      ]',
      '    }',
      '  ]',
      '}',
      '',
    ].join('\n'));
    const doc = JSON.parse(text);
    expect(doc.layers[1].data.flat().map(Math.fround)).toEqual(Array.from(run.layers[1].data));
  });

  it('graph classification: the note says weights only; no nodes', () => {
    const g: RunExport = { ...run, task: 'graph', layers: [], note: 'weights only' };
    const doc = JSON.parse(exportJson(g, { ...ctx, config: recipeConfig('mutag', 'gin'), nodes: undefined }, 'weights'));
    expect(doc.dataset).toEqual({ id: 'mutag', name: 'Tiny', task: 'graph', num_features: 2, num_classes: 2, class_names: ['a', 'b'] });
    expect(doc.note).toBe('weights only');
    expect(doc.parameters.map((p: { shape: number[] }) => p.shape)).toEqual([[2, 2], [1, 2]]);
  });
});

describe('CSV', () => {
  it('embeddings: one long table, a row per (layer, node), narrower layers padded with empty cells', () => {
    expect(embeddingsCsv(run, ctx.nodes!)).toBe([
      'node,layer,label,split,dim0,dim1',
      '0,layer 1,0,train,1,2',
      '1,layer 1,1,,3,4',
      '2,layer 1,1,test,5,6',
      '0,JK cat head,0,train,0.1,',
      '1,JK cat head,1,,0.2,',
      '2,JK cat head,1,test,0.3,',
      '',
    ].join('\n'));
  });

  it('curves: epoch, loss, accuracies and ms; val_loss only when a report has it', () => {
    const reports = [
      { epoch: 1, loss: Math.fround(0.6931), trainAcc: 0.5, valAcc: 0, testAcc: Math.fround(0.53125), ms: 1.23456 },
      { epoch: 2, loss: Math.fround(0.65), trainAcc: 1, valAcc: 0, testAcc: Math.fround(0.5625), ms: 1 },
    ];
    expect(curvesCsv(reports)).toBe('epoch,loss,train_acc,val_acc,test_acc,ms\n1,0.6931,0.5,0,0.53125,1.235\n2,0.65,1,0,0.5625,1\n');
    expect(curvesCsv(reports.map((r) => ({ ...r, valLoss: Math.fround(0.7) })))).toBe(
      'epoch,loss,train_acc,val_acc,test_acc,val_loss,ms\n1,0.6931,0.5,0,0.53125,0.7,1.235\n2,0.65,1,0,0.5625,0.7,1\n');
    expect(curvesCsv([])).toBe('epoch,loss,train_acc,val_acc,test_acc,ms\n');
  });

  it('fields with commas or quotes are quoted', () => {
    expect(csvField('layer 1')).toBe('layer 1');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });
});

describe('file names', () => {
  it('say the data set and model (and the epoch of a snapshot)', () => {
    const cora = recipeConfig('cora', 'gat');
    expect(exportFileName('weights-json', cora, 'Cora', 200)).toBe('cora-gat-weights-epoch200.json');
    expect(exportFileName('embeddings-csv', cora, 'Cora', 7)).toBe('cora-gat-embeddings-epoch7.csv');
    expect(exportFileName('curves-csv', cora, 'Cora', 7)).toBe('cora-gat-curves.csv');
    expect(exportFileName('layers-png', cora, 'Cora', 7)).toBe('cora-gat-layers-epoch7.png');
    expect(exportFileName('pyg-script', cora, 'Cora', 7)).toBe('pyg_cora_gat.py');
    const mine: TrainConfig = { ...recipeConfig('custom', 'gcn'), layers: 3, stack: 'gcn,gat' };
    expect(exportFileName('graph-png', mine, 'My Graph!', 1)).toBe('my-graph-mixed-gcn-gat-graph-epoch1.png');
    expect(exportFileName('pyg-script', mine, '***', 1)).toBe('pyg_custom_mixed_gcn_gat.py');
  });
});

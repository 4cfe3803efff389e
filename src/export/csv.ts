import type { EpochReport, RunExport } from '../train/protocol';
import { f32 } from './floats';

/** Split names by the GraphSummary's split code (0 = none, 1 = train, 2 = val, 3 = test). */
export const splitNames = ['', 'train', 'val', 'test'] as const;

/** A CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The nodes the embeddings belong to: true label and split code per node. */
export interface NodeFacts {
  readonly labels: ArrayLike<number>;
  readonly splitOf: ArrayLike<number>;
}

/**
 * Every layer's embedding of every node in one long table:
 * `node,layer,label,split,dim0,...,dim{W-1}` with W the widest layer; a row per (layer, node),
 * layers in model order and nodes in graph order within each; a narrower layer leaves its last
 * cells empty. `split` is train, val, test or empty. Numbers are shortest round-trip float32.
 */
export function embeddingsCsv(run: RunExport, nodes: NodeFacts): string {
  const width = run.layers.reduce((w, l) => Math.max(w, l.cols), 0);
  const header = ['node', 'layer', 'label', 'split', ...Array.from({ length: width }, (_, d) => `dim${d}`)].join(',');
  const lines = [header];
  for (const l of run.layers) {
    const name = csvField(l.name);
    const pad = ','.repeat(width - l.cols);
    for (let i = 0; i < l.rows; i++) {
      const cells = [String(i), name, String(nodes.labels[i]), splitNames[nodes.splitOf[i]] ?? ''];
      for (let d = 0; d < l.cols; d++) cells.push(f32(l.data[i * l.cols + d]));
      lines.push(cells.join(',') + pad);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * The training curves, a row per epoch: `epoch,loss,train_acc,val_acc,test_acc,ms`, with
 * `val_loss` before `ms` when any report has one (graph classification); accuracies are
 * fractions in [0, 1] and `ms` the wall time per epoch, to a microsecond.
 */
export function curvesCsv(reports: readonly EpochReport[]): string {
  const valLoss = reports.some((r) => r.valLoss !== undefined);
  const header = ['epoch', 'loss', 'train_acc', 'val_acc', 'test_acc', ...(valLoss ? ['val_loss'] : []), 'ms'];
  const lines = [header.join(',')];
  for (const r of reports) {
    const cells = [String(r.epoch), f32(r.loss), f32(r.trainAcc), f32(r.valAcc), f32(r.testAcc)];
    if (valLoss) cells.push(r.valLoss === undefined ? '' : f32(r.valLoss));
    cells.push(String(Number(r.ms.toFixed(3))));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

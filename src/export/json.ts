import type { BackendInfo, RunExport, TrainConfig } from '../train/protocol';
import { taskOf } from '../train/protocol';
import { splitNames } from './csv';
import { f32Json } from './floats';

export const EXPORT_SCHEMA = 'gnn-playground-export';
export const EXPORT_SCHEMA_VERSION = 1;

/** What the page knows about the run besides the worker's export. */
export interface ExportContext {
  readonly config: TrainConfig;
  /** The graph's (or graph set's) own name, e.g. "Cora", "KarateClub". */
  readonly datasetName: string;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  readonly backend: BackendInfo | null;
  /** Node classification: true label and split code per node (GraphSummary's). */
  readonly nodes?: { readonly labels: ArrayLike<number>; readonly splitOf: ArrayLike<number> };
}

export const CONVENTIONS = {
  numbers: 'float32 values written as the shortest decimal that reads back as the same float32; NaN and infinities as null',
  data: 'nested rows: data[r][c] for shape [rows, cols]',
  weights: 'a layer computes x W + b with W of shape [in, out] (PyG and torch.nn.Linear store W transposed, [out, in]); biases are [1, out]',
  gat: 'att_src and att_dst are [1, heads * out], head-major (PyG: [1, heads, out])',
  layers: 'each layer\'s output for every node in the evaluation pass (no dropout), after its activation, PairNorm and residual; the last is the logits (or the JK head\'s)',
} as const;

const q = (v: unknown) => JSON.stringify(v);

function rows(data: Float32Array, r: number, c: number, indent: string): string {
  if (r === 0) return '[]';
  const out: string[] = [];
  for (let i = 0; i < r; i++) {
    const cells: string[] = [];
    for (let j = 0; j < c; j++) cells.push(f32Json(data[i * c + j]));
    out.push(`${indent}  [${cells.join(',')}]`);
  }
  return `[\n${out.join(',\n')}\n${indent}]`;
}

function matrix(fields: Record<string, unknown>, data: Float32Array, r: number, c: number): string {
  const head = Object.entries(fields).map(([k, v]) => `      ${q(k)}: ${q(v)},`).join('\n');
  return `    {\n${head}\n      "shape": [${r}, ${c}],\n      "data": ${rows(data, r, c, '      ')}\n    }`;
}

/**
 * One self-describing JSON document, schema `gnn-playground-export` v1. Both kinds share the
 * header (schema, contents, dataset, config, epoch, backend, conventions); `weights` adds
 * `parameters` (every parameter and batch-norm statistic with its layer, shape and data),
 * `embeddings` adds `nodes` (true label and split per node) and `layers` (each layer's output
 * for every node). Matrices are nested rows, one per line, so a reader needs no reshape.
 */
export function exportJson(run: RunExport, ctx: ExportContext, contents: 'weights' | 'embeddings'): string {
  const task = taskOf(ctx.config.dataset);
  const dataset: Record<string, unknown> = {
    id: ctx.config.dataset, name: ctx.datasetName, task,
    ...(run.task === 'node' && run.layers.length > 0 ? { num_nodes: run.layers[0].rows } : {}),
    num_features: run.numFeatures, num_classes: ctx.numClasses, class_names: ctx.classNames,
  };
  const parts = [
    `  "schema": ${q(EXPORT_SCHEMA)}`,
    `  "schema_version": ${EXPORT_SCHEMA_VERSION}`,
    `  "contents": ${q(contents)}`,
    `  "dataset": ${q(dataset)}`,
    `  "config": ${q(ctx.config)}`,
    `  "epoch": ${run.epoch}`,
    `  "backend": ${q(ctx.backend ? { kind: ctx.backend.kind, adapter: ctx.backend.adapter } : null)}`,
    `  "conventions": ${q(CONVENTIONS)}`,
  ];
  if (contents === 'weights') {
    const params = run.parameters.map((p) => matrix({ name: p.name, layer: p.layer, trainable: p.trainable }, p.data, p.rows, p.cols));
    parts.push(`  "parameters": [${params.length ? `\n${params.join(',\n')}\n  ` : ''}]`);
  } else {
    const n = run.layers[0]?.rows ?? 0;
    const labels = ctx.nodes ? Array.from({ length: n }, (_, i) => ctx.nodes!.labels[i]) : [];
    const split = ctx.nodes ? Array.from({ length: n }, (_, i) => splitNames[ctx.nodes!.splitOf[i]] ?? '') : [];
    parts.push(`  "nodes": {"count": ${n}, "labels": ${q(labels)}, "split": ${q(split)}}`);
    const layers = run.layers.map((l) => matrix({ name: l.name }, l.data, l.rows, l.cols));
    parts.push(`  "layers": [${layers.length ? `\n${layers.join(',\n')}\n  ` : ''}]`);
  }
  if (run.note) parts.push(`  "note": ${q(run.note)}`);
  return `{\n${parts.join(',\n')}\n}\n`;
}

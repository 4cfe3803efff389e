import { layerKinds } from '../models/spec';
import type { TrainConfig } from '../train/protocol';

/** A file-name-safe, lower-case form of `s` ('' when nothing of it is left). */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

/** The data set part of a file name: the shipped id, or the user's graph by its name. */
export function datasetTag(config: Pick<TrainConfig, 'dataset'>, datasetName: string): string {
  if (config.dataset !== 'custom' && config.dataset !== 'custom-graphs') return config.dataset;
  return slug(datasetName) || config.dataset;
}

/** The model part: its kind, or for a mixed stack "mixed-" and each layer type once in order. */
export function modelTag(config: Pick<TrainConfig, 'model' | 'layers' | 'stack'>): string {
  if (config.model === 'sgc') return 'sgc';
  const kinds = [...new Set(layerKinds(config))];
  return kinds.length === 1 ? kinds[0] : `mixed-${kinds.join('-')}`;
}

const kindNames: Record<string, string> = { gcn: 'GCN', sage: 'GraphSAGE', gat: 'GAT', gin: 'GIN', sgc: 'SGC', cheb: 'ChebNet', rgcn: 'R-GCN' };

/** The model as a person names it: "GCN", "GAT", or a mixed stack's types in order, "GCN + GAT". */
export function modelLabel(config: Pick<TrainConfig, 'model' | 'layers' | 'stack'>): string {
  if (config.model === 'sgc') return 'SGC';
  return [...new Set(layerKinds(config))].map((k) => kindNames[k] ?? k).join(' + ');
}

export type ExportKind = 'weights-json' | 'embeddings-json' | 'embeddings-csv' | 'curves-csv' | 'graph-png' | 'layers-png' | 'pyg-script';

/**
 * Every download's name says the data set and model, and for a snapshot the epoch:
 * `cora-gcn-weights-epoch200.json`, `karate-mixed-gcn-gat-curves.csv`, `pyg_cora_gcn.py`.
 */
export function exportFileName(kind: ExportKind, config: TrainConfig, datasetName: string, epoch: number): string {
  const stem = `${datasetTag(config, datasetName)}-${modelTag(config)}`;
  switch (kind) {
    case 'weights-json': return `${stem}-weights-epoch${epoch}.json`;
    case 'embeddings-json': return `${stem}-embeddings-epoch${epoch}.json`;
    case 'embeddings-csv': return `${stem}-embeddings-epoch${epoch}.csv`;
    case 'curves-csv': return `${stem}-curves.csv`;
    case 'graph-png': return `${stem}-graph-epoch${epoch}.png`;
    case 'layers-png': return `${stem}-layers-epoch${epoch}.png`;
    case 'pyg-script': return `pyg_${stem.replace(/-/g, '_')}.py`;
  }
}

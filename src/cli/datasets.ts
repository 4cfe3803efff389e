import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGraphJson } from '../graph/loadGraphJson';
import type { Graph } from '../graph/types';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), '../../public/datasets');

export const shippedDatasets = ['karate', 'cora', 'citeseer'] as const;

/** A dataset shipped with the page (by id) or any gnn-graph-json file (by path). */
export function loadDataset(idOrPath: string): Graph {
  const path = (shippedDatasets as readonly string[]).includes(idOrPath) ? join(publicDir, `${idOrPath}.json`) : idOrPath;
  return parseGraphJson(readFileSync(path, 'utf8'));
}

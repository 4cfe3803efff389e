import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphSet } from '../graph/graphSet';
import { parseGraphJson } from '../graph/loadGraphJson';
import { parseGraphSetJson } from '../graph/loadGraphSetJson';
import type { Graph } from '../graph/types';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), '../../public/datasets');

export const shippedDatasets = ['karate', 'cora', 'citeseer', 'pubmed', 'mutag', 'proteins', 'enzymes'] as const;

const pathOf = (idOrPath: string): string =>
  (shippedDatasets as readonly string[]).includes(idOrPath) ? join(publicDir, `${idOrPath}.json`) : idOrPath;

/** A dataset shipped with the page (by id) or any gnn-graph-json file (by path). */
export function loadDataset(idOrPath: string): Graph {
  return parseGraphJson(readFileSync(pathOf(idOrPath), 'utf8'));
}

/** A set of graphs shipped with the page (by id) or any gnn-graphset-json file (by path). */
export function loadGraphSet(idOrPath: string): GraphSet {
  return parseGraphSetJson(readFileSync(pathOf(idOrPath), 'utf8'));
}

/** Whether a file holds one graph or a set of graphs, from its schema field. */
export function isGraphSetFile(idOrPath: string): boolean {
  if (['mutag', 'proteins', 'enzymes'].includes(idOrPath)) return true;
  return readFileSync(pathOf(idOrPath), 'utf8').slice(0, 200).includes('gnn-graphset-json');
}

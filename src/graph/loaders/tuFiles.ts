import { GraphFormatError } from '../errors';
import type { GraphSet } from '../graphSet';
import { parseTu, type TuFiles } from '../tu';
import { fileName, type TextFile } from './text';

const REQUIRED = ['A', 'graph_indicator', 'graph_labels'] as const;
const READ: readonly string[] = [...REQUIRED, 'node_labels', 'edge_labels'];
// Files of the TU format that parseTu does not read (PyG's defaults leave them out too).
const UNREAD = ['node_attributes', 'edge_attributes', 'graph_attributes'];

/**
 * A TU Dortmund data set from the files a user picked: the set's name is the prefix of its
 * `DS_A.txt`, and `DS_graph_indicator.txt` and `DS_graph_labels.txt` must be there too;
 * `DS_node_labels.txt` and `DS_edge_labels.txt` are read when present. Attribute files and any
 * other file are skipped with a note. Folders in the names are ignored; names are matched
 * case-insensitively on the part after the prefix, as exported on case-insensitive systems.
 */
export function parseTuFiles(files: readonly TextFile[]): { set: GraphSet; notes: string[] } {
  const named = files.map((f) => ({ ...f, name: fileName(f.name) }));
  const prefixes = [...new Set(named.map((f) => /^(.+)_A\.txt$/i.exec(f.name)?.[1]).filter((p): p is string => p !== undefined))];
  if (prefixes.length === 0) throw new GraphFormatError('', 'no TU adjacency file (a name ending in _A.txt, such as MUTAG_A.txt) among the files');
  if (prefixes.length > 1) throw new GraphFormatError('', `files of ${prefixes.length} TU data sets (${prefixes.join(', ')}); pick one set's files`);
  const name = prefixes[0];

  const parts = new Map<string, string>();
  const notes: string[] = [];
  for (const f of named) {
    const part = f.name.length > name.length + 5 && f.name.startsWith(`${name}_`) && /\.txt$/i.test(f.name) ? f.name.slice(name.length + 1, -4).toLowerCase() : undefined;
    const key = part === 'a' ? 'A' : part;
    if (key !== undefined && READ.includes(key)) {
      if (parts.has(key)) throw new GraphFormatError(f.name, 'is given twice');
      parts.set(key, f.text);
    } else if (key !== undefined && UNREAD.includes(key)) {
      notes.push(`${f.name}: not read (attributes are left out, as PyTorch Geometric's TUDataset does by default)`);
    } else {
      notes.push(`${f.name}: not read (not one of the ${name} data set's TU files)`);
    }
  }
  for (const part of REQUIRED) {
    if (!parts.has(part)) {
      const need = REQUIRED.map((p) => `${name}_${p}.txt`).join(', ');
      throw new GraphFormatError(`${name}_${part}.txt`, `missing: a TU data set needs ${need}`);
    }
  }
  const tu: TuFiles = {
    A: parts.get('A')!,
    graph_indicator: parts.get('graph_indicator')!,
    graph_labels: parts.get('graph_labels')!,
    ...(parts.has('node_labels') ? { node_labels: parts.get('node_labels')! } : {}),
    ...(parts.has('edge_labels') ? { edge_labels: parts.get('edge_labels')! } : {}),
  };
  return { set: parseTu(name, tu), notes };
}

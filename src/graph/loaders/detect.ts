import { draftToGraphJson } from '../draftJson';
import { GraphFormatError } from '../errors';
import type { GraphSet } from '../graphSet';
import { graphSetToJson } from '../graphSetToJson';
import { graphToGraphJson } from '../graphToJson';
import { graphFromJson, parseGraphJson } from '../loadGraphJson';
import { graphSetFromJson } from '../loadGraphSetJson';
import type { Graph } from '../types';
import { parseEdgeList } from './edgeList';
import { parseNpz } from './npz';
import { fileName, type TextFile } from './text';
import { parseTuFiles } from './tuFiles';

export interface UserFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** `json` is the text the training worker parses (gnn-graph-json or gnn-graphset-json). */
export type UserGraph =
  | { readonly kind: 'node'; readonly graph: Graph; readonly json: string; readonly notes: string[] }
  | { readonly kind: 'graphs'; readonly set: GraphSet; readonly json: string; readonly notes: string[] };

/**
 * Files a user drops in, together at most 200 MB: about the largest a browser tab parses into
 * JSON and typed arrays without running out of memory (Cora's JSON is 0.3 MB, PubMed's with
 * features about 16 MB).
 */
export const MAX_USER_BYTES = 200 * 1024 * 1024;

export const SUPPORTED_FORMATS =
  'a gnn-graph-json or gnn-graphset-json file (.json); an edge list (.csv, .tsv, .txt, .edges), ' +
  'optionally with a second file whose name contains "label" giving each node\'s class; ' +
  'the text files of a TU Dortmund data set (DS_A.txt, DS_graph_indicator.txt, DS_graph_labels.txt, ' +
  'optional DS_node_labels.txt and DS_edge_labels.txt); or a gnn-benchmark .npz';

const EDGE_LIST = /\.(csv|tsv|txt|edges|edgelist|el)$/i;

/**
 * Works out what the files are, from their names and contents, and loads them:
 *
 * - `.npz` alone: a gnn-benchmark graph;
 * - `.json` alone: gnn-graph-json or gnn-graphset-json, by its `schema` field;
 * - any `DS_A.txt`, `DS_graph_indicator.txt` or `DS_graph_labels.txt`: a TU data set made of all
 *   the files (so a set missing one of the three is told which);
 * - one or two edge-list files (.csv, .tsv, .txt, .edges, .edgelist, .el): an edge list and, if
 *   two, the one whose name contains "label" as its node labels.
 *
 * Anything else, or too many bytes, is a GraphFormatError that says what is supported. `seed`
 * picks the default split where a format has none.
 */
export async function loadUserFiles(files: readonly UserFile[], opts: { readonly seed?: number } = {}): Promise<UserGraph> {
  if (files.length === 0) throw new GraphFormatError('', `no files given; load ${SUPPORTED_FORMATS}`);
  const total = files.reduce((s, f) => s + f.bytes.length, 0);
  if (total > MAX_USER_BYTES) {
    const which = files.length === 1 ? fileName(files[0].name) : `${files.length} files`;
    throw new GraphFormatError('', `${which}: ${megabytes(total)} is more than the ${MAX_USER_BYTES / 2 ** 20} MB a page can load`);
  }
  const names = files.map((f) => fileName(f.name));
  const alone = (ext: string) => {
    if (files.length > 1) throw new GraphFormatError('', `load a ${ext} file on its own (got ${names.join(', ')})`);
  };

  if (names.some((n) => /\.npz$/i.test(n))) {
    alone('.npz');
    const { graph, notes } = await parseNpz(files[0].bytes, names[0], opts);
    return { kind: 'node', graph, json: graphToGraphJson(graph), notes };
  }
  if (names.some((n) => /\.json$/i.test(n))) {
    alone('.json');
    return fromJson({ name: names[0], text: decode(files[0].bytes) });
  }
  const texts: TextFile[] = files.map((f, i) => ({ name: names[i], text: decode(f.bytes) }));
  // Any of the three required TU files, so that a set missing one is told which.
  if (names.some((n) => /_(A|graph_indicator|graph_labels)\.txt$/i.test(n))) {
    const { set, notes } = parseTuFiles(texts);
    return { kind: 'graphs', set, json: graphSetToJson(set), notes };
  }
  if (names.every((n) => EDGE_LIST.test(n)) && files.length <= 2) {
    const labelled = texts.filter((t) => /label/i.test(t.name));
    if (files.length === 2 && labelled.length !== 1) {
      throw new GraphFormatError('', `of two edge-list files, exactly one must have "label" in its name (the node labels); got ${names.join(', ')}`);
    }
    const edges = files.length === 1 ? texts[0] : texts.find((t) => t !== labelled[0])!;
    const { draft, notes } = parseEdgeList(edges, labelled[0] === edges ? undefined : labelled[0], opts);
    const json = draftToGraphJson(draft);
    return { kind: 'node', graph: parseGraphJson(json), json, notes };
  }
  throw new GraphFormatError('', `cannot tell what ${names.join(', ')} ${files.length > 1 ? 'are' : 'is'}; load ${SUPPORTED_FORMATS}`);
}

/** A JSON file by its schema; errors get the file's name in front of their place. */
function fromJson(file: TextFile): UserGraph {
  try {
    let value: unknown;
    try {
      value = JSON.parse(file.text);
    } catch (e) {
      throw new GraphFormatError('', `not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const schema = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).schema : undefined;
    if (schema === 'gnn-graph-json') return { kind: 'node', graph: graphFromJson(value), json: file.text, notes: [] };
    if (schema === 'gnn-graphset-json') return { kind: 'graphs', set: graphSetFromJson(value), json: file.text, notes: [] };
    throw new GraphFormatError('schema', `expected "gnn-graph-json" or "gnn-graphset-json", found ${schema === undefined ? 'nothing' : JSON.stringify(schema)}`);
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw e;
    const problem = e.path ? e.message.slice(e.path.length + 2) : e.message;
    throw new GraphFormatError(e.path ? `${file.name} ${e.path}` : file.name, problem);
  }
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/** Rounded up, so a size just over the limit never reads as equal to it. */
function megabytes(n: number): string {
  return `${(Math.ceil((10 * n) / 2 ** 20) / 10).toFixed(1)} MB`;
}

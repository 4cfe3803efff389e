import { appendZeroRow, featureRows, keepRows } from './featureRows';
import type { Features } from './types';

/**
 * An editable node-classification graph: what the teaching page draws and the user edits, and
 * what generators and the edge-list loader produce. Every edit below returns a new draft and
 * never writes the old one, so the page can keep an undo history by keeping old drafts.
 *
 * Ids are positions in `nodes`. Misuse by the caller (an id out of range, a label outside the
 * classes, a non-finite position, a weight that is not a positive finite number) throws a
 * RangeError; gestures that simply do nothing (an edge that already exists, a self loop,
 * removing an edge that is not there) return the draft unchanged.
 */

export type SplitCode = 0 | 1 | 2 | 3; // none, train, val, test (as GraphSummary.splitOf)

export interface DraftNode {
  readonly x: number;
  readonly y: number;
  readonly label: number;
  readonly split: SplitCode;
}

/** Undirected, stored once, src !== dst; no weight means 1. */
export interface DraftEdge {
  readonly src: number;
  readonly dst: number;
  readonly weight?: number;
}

/**
 * 'given' carries a real feature matrix (a loaded graph's own features) in `given`, one row per
 * node; edits keep its rows in step with the nodes (a new node gets a zero row). `given` may
 * stay present under another kind, so switching back to 'given' finds it again.
 */
export type FeatureKind = 'identity' | 'degree' | 'random' | 'signal' | 'given';

export interface FeatureSpec {
  readonly kind: FeatureKind;
  readonly dim: number;
  readonly noise: number;
  readonly seed: number;
  readonly given?: Features;
}

export interface GraphDraft {
  readonly name: string;
  /** Number of classes = length, at least 1. */
  readonly classNames: readonly string[];
  readonly nodes: readonly DraftNode[];
  readonly edges: readonly DraftEdge[];
  readonly features: FeatureSpec;
}

export const IDENTITY_FEATURES: FeatureSpec = { kind: 'identity', dim: 0, noise: 0, seed: 0 };

export function defaultClassNames(k: number): string[] {
  return Array.from({ length: k }, (_, i) => `class ${i}`);
}

export function emptyDraft(name = 'My graph', classNames: readonly string[] = defaultClassNames(2)): GraphDraft {
  if (classNames.length < 1) throw new RangeError('a draft needs at least one class');
  return { name, classNames: [...classNames], nodes: [], edges: [], features: IDENTITY_FEATURES };
}

export function addNode(d: GraphDraft, x: number, y: number, label = 0, split: SplitCode = 3): GraphDraft {
  checkPoint(x, y);
  checkLabel(d, label);
  checkSplit(split);
  const given = d.features.given && appendZeroRow(d.features.given);
  return { ...d, nodes: [...d.nodes, { x, y, label, split }], features: given ? { ...d.features, given } : d.features };
}

export function moveNode(d: GraphDraft, id: number, x: number, y: number): GraphDraft {
  checkNode(d, id);
  checkPoint(x, y);
  return { ...d, nodes: d.nodes.map((v, i) => (i === id ? { ...v, x, y } : v)) };
}

/** Index in `edges` of the edge a-b in either direction, or -1. */
export function findEdge(d: GraphDraft, a: number, b: number): number {
  return d.edges.findIndex((e) => (e.src === a && e.dst === b) || (e.src === b && e.dst === a));
}

/** Adds a-b; a self loop or an edge that exists (either way round) leaves the draft as it is. */
export function addEdge(d: GraphDraft, a: number, b: number, weight?: number): GraphDraft {
  checkNode(d, a);
  checkNode(d, b);
  if (weight !== undefined) checkWeight(weight);
  if (a === b || findEdge(d, a, b) >= 0) return d;
  return { ...d, edges: [...d.edges, weight === undefined ? { src: a, dst: b } : { src: a, dst: b, weight }] };
}

export function removeEdge(d: GraphDraft, a: number, b: number): GraphDraft {
  const k = findEdge(d, a, b);
  return k < 0 ? d : { ...d, edges: d.edges.filter((_, i) => i !== k) };
}

/** Weight `undefined` makes the edge unweighted (weight 1) again. */
export function setEdgeWeight(d: GraphDraft, a: number, b: number, weight: number | undefined): GraphDraft {
  if (weight !== undefined) checkWeight(weight);
  const k = findEdge(d, a, b);
  if (k < 0) throw new RangeError(`there is no edge ${a}-${b}`);
  const { src, dst } = d.edges[k];
  const edge = weight === undefined ? { src, dst } : { src, dst, weight };
  return { ...d, edges: d.edges.map((e, i) => (i === k ? edge : e)) };
}

/** Drops the nodes and their edges; the remaining nodes keep their order and are renumbered 0.. */
export function removeNodes(d: GraphDraft, ids: Iterable<number>): GraphDraft {
  const gone = new Uint8Array(d.nodes.length);
  for (const id of ids) {
    checkNode(d, id);
    gone[id] = 1;
  }
  const newId = new Int32Array(d.nodes.length);
  let next = 0;
  for (let i = 0; i < d.nodes.length; i++) newId[i] = gone[i] ? -1 : next++;
  const edges = d.edges
    .filter((e) => !gone[e.src] && !gone[e.dst])
    .map((e) => ({ ...e, src: newId[e.src], dst: newId[e.dst] }));
  const given = d.features.given && keepRows(d.features.given, Array.from(gone, (g) => !g));
  return {
    ...d,
    nodes: d.nodes.filter((_, i) => !gone[i]),
    edges,
    features: given ? { ...d.features, given } : d.features,
  };
}

export function setLabel(d: GraphDraft, ids: Iterable<number>, label: number): GraphDraft {
  checkLabel(d, label);
  return editNodes(d, ids, (v) => ({ ...v, label }));
}

export function setSplit(d: GraphDraft, ids: Iterable<number>, split: SplitCode): GraphDraft {
  checkSplit(split);
  return editNodes(d, ids, (v) => ({ ...v, split }));
}

/** k classes: new ones are named `class i`, removed ones give their nodes to class k-1. */
export function setClassCount(d: GraphDraft, k: number): GraphDraft {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`the number of classes must be a whole number of at least 1, got ${k}`);
  const classNames = Array.from({ length: k }, (_, i) => d.classNames[i] ?? `class ${i}`);
  const nodes = d.nodes.map((v) => (v.label < k ? v : { ...v, label: k - 1 }));
  return { ...d, classNames, nodes };
}

export function renameClass(d: GraphDraft, c: number, name: string): GraphDraft {
  checkLabel(d, c);
  return { ...d, classNames: d.classNames.map((s, i) => (i === c ? name : s)) };
}

/** A 'given' spec must carry one feature row per node. */
export function setFeatures(d: GraphDraft, spec: FeatureSpec): GraphDraft {
  if (spec.kind === 'given' && !spec.given) throw new RangeError("features of kind 'given' need a matrix in `given`");
  if (spec.given && featureRows(spec.given) !== d.nodes.length) {
    throw new RangeError(`the given features have ${featureRows(spec.given)} rows but the draft has ${d.nodes.length} nodes`);
  }
  return { ...d, features: spec };
}

function editNodes(d: GraphDraft, ids: Iterable<number>, edit: (v: DraftNode) => DraftNode): GraphDraft {
  const chosen = new Set<number>();
  for (const id of ids) {
    checkNode(d, id);
    chosen.add(id);
  }
  return { ...d, nodes: d.nodes.map((v, i) => (chosen.has(i) ? edit(v) : v)) };
}

function checkNode(d: GraphDraft, id: number) {
  if (!Number.isInteger(id) || id < 0 || id >= d.nodes.length) {
    throw new RangeError(`node ${id} does not exist (the draft has ${d.nodes.length} nodes)`);
  }
}

function checkLabel(d: GraphDraft, label: number) {
  if (!Number.isInteger(label) || label < 0 || label >= d.classNames.length) {
    throw new RangeError(`class ${label} does not exist (the draft has ${d.classNames.length} classes)`);
  }
}

function checkSplit(split: number) {
  if (split !== 0 && split !== 1 && split !== 2 && split !== 3) throw new RangeError(`split code ${split} is not 0..3`);
}

function checkPoint(x: number, y: number) {
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`position (${x}, ${y}) is not finite`);
}

// Weights must survive float32 (the GPU's type) and keep GCN's degree normalization defined.
function checkWeight(w: number) {
  const f = Math.fround(w);
  if (!(f > 0) || !Number.isFinite(f)) throw new RangeError(`edge weight ${w} is not a positive finite number`);
}

// The draft's conversions live beside it (they pull in features and layout); re-exported here
// so the page imports the whole draft API from one module.
export { draftToGraphJson, graphToDraft } from './draftJson';
export { graphToGraphJson } from './graphToJson';

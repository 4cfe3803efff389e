import { GraphFormatError } from './errors';
import { nodeGraphOf, type GraphSet } from './graphSet';

/**
 * Where edge k sits in the input, for messages: `edges.src[17]` in a JSON file, `MUTAG_A.txt
 * line 18` in TU text. `field` says which part is at fault ('type' = the edge's label).
 */
export type EdgePlace = (k: number, field: 'src' | 'dst' | 'type') => string;

/**
 * The structural checks both loaders share, run once ids are known to be in range: edges stay
 * inside one graph and come grouped by graph in graph order (so each graph's edges are one
 * block), no self loops or repeats, and every edge has its reverse with the same type (TU graphs
 * are undirected and list both directions). `idBase` is added to ids and graph numbers shown in
 * messages, so they read as in the input (TU ids are 1-based). Returns the edge offsets.
 */
export function checkEdges(
  nodeOffsets: Uint32Array,
  src: Uint32Array,
  dst: Uint32Array,
  types: Uint8Array | undefined,
  place: EdgePlace,
  idBase: number,
): Uint32Array {
  const numGraphs = nodeOffsets.length - 1;
  const n = numGraphs > 0 ? nodeOffsets[numGraphs] : 0;
  const graphOf = nodeGraphOf(nodeOffsets);
  const show = (s: number, d: number) => `edge ${s + idBase} -> ${d + idBase}`;
  const fail = (k: number, field: 'src' | 'dst' | 'type', problem: string): never => {
    throw new GraphFormatError(place(k, field), problem);
  };

  const edgeOffsets = new Uint32Array(numGraphs + 1);
  let current = 0;
  for (let k = 0; k < src.length; k++) {
    const gs = graphOf[src[k]];
    const gd = graphOf[dst[k]];
    if (gs !== gd) fail(k, 'dst', `${show(src[k], dst[k])} joins graph ${gs + idBase} and graph ${gd + idBase} (edges must stay inside their graph)`);
    if (gs < current) {
      const problem = `${show(src[k], dst[k])} of graph ${gs + idBase} follows an edge of graph ${current + idBase} (edges must be grouped by graph, in graph order)`;
      fail(k, 'src', problem);
    }
    for (; current < gs; current++) edgeOffsets[current + 1] = k;
  }
  for (; current < numGraphs; current++) edgeOffsets[current + 1] = src.length;

  // Edges into node i are visited together; mark[s] = i + 1 says s -> i exists, as edge at[s].
  const into = groupBy(dst, n);
  const outOf = groupBy(src, n);
  const mark = new Uint32Array(n);
  const at = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    for (let q = into.start[i]; q < into.start[i + 1]; q++) {
      const k = into.edges[q];
      const s = src[k];
      if (s === i) fail(k, 'src', `self loop on node ${i + idBase} (the format has none; models add their own)`);
      if (mark[s] === i + 1) fail(k, 'src', `${show(s, i)} is listed twice (also at ${place(at[s], 'src')})`);
      mark[s] = i + 1;
      at[s] = k;
    }
    for (let q = outOf.start[i]; q < outOf.start[i + 1]; q++) {
      const k = outOf.edges[q];
      const t = dst[k];
      if (mark[t] !== i + 1) fail(k, 'src', `${show(i, t)} has no reverse ${t + idBase} -> ${i + idBase} (graphs are undirected: list both directions)`);
      const back = at[t];
      if (types && types[k] !== types[back]) {
        fail(k, 'type', `${show(i, t)} has type ${types[k]} but its reverse (${place(back, 'type')}) has type ${types[back]}`);
      }
    }
  }
  return edgeOffsets;
}

/** Edge ids bucketed by key (a counting sort): bucket i is edges[start[i] .. start[i+1]-1]. */
function groupBy(key: Uint32Array, n: number) {
  const start = new Uint32Array(n + 1);
  for (let k = 0; k < key.length; k++) start[key[k] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const next = start.slice(0, n);
  const edges = new Uint32Array(key.length);
  for (let k = 0; k < key.length; k++) edges[next[key[k]]++] = k;
  return { start, edges };
}

type Parts = Omit<GraphSet, 'numGraphs' | 'numNodes' | 'numEdges' | 'features'>;

/** Assembles a checked set: counts from the arrays, one-hot features from nodeLabels, frozen. */
export function buildGraphSet(p: Parts): GraphSet {
  const numGraphs = p.nodeOffsets.length - 1;
  const numNodes = p.nodeOffsets[numGraphs];
  const features = new Float32Array(numNodes * p.numFeatures);
  if (p.nodeLabels) for (let i = 0; i < numNodes; i++) features[i * p.numFeatures + p.nodeLabels[i]] = 1;
  const set: GraphSet = {
    name: p.name,
    numGraphs,
    numNodes,
    numEdges: p.src.length,
    numFeatures: p.numFeatures,
    numClasses: p.numClasses,
    classNames: Object.freeze([...p.classNames]),
    ...(p.featureNames ? { featureNames: Object.freeze([...p.featureNames]) } : {}),
    nodeOffsets: p.nodeOffsets,
    edgeOffsets: p.edgeOffsets,
    src: p.src,
    dst: p.dst,
    numEdgeTypes: p.numEdgeTypes,
    ...(p.edgeTypes ? { edgeTypes: p.edgeTypes } : {}),
    ...(p.edgeTypeNames ? { edgeTypeNames: Object.freeze([...p.edgeTypeNames]) } : {}),
    ...(p.nodeLabels ? { nodeLabels: p.nodeLabels } : {}),
    features,
    graphLabels: p.graphLabels,
    ...(p.citation !== undefined ? { citation: p.citation } : {}),
    ...(p.source !== undefined ? { source: p.source } : {}),
    ...(p.licence !== undefined ? { licence: p.licence } : {}),
  };
  return Object.freeze(set);
}

/**
 * A data set of many small graphs for graph classification (TU Dortmund sets such as MUTAG),
 * laid out as PyTorch Geometric's `TUDataset` sees them, but flat: every graph's nodes form one
 * contiguous block of global ids, and its edges one contiguous block of the edge lists.
 *
 * Graph g owns nodes nodeOffsets[g] .. nodeOffsets[g+1]-1 and edges edgeOffsets[g] ..
 * edgeOffsets[g+1]-1; every graph has at least one node. Edge k goes src[k] -> dst[k] (global
 * ids, both directions listed, in the order of the source files), never leaves its graph, and is
 * neither a self loop nor a repeat.
 *
 * Loaders check all of this before building one, so consumers can trust ids without re-checking.
 * The object and its name lists are frozen; typed arrays cannot be, so treat them as read-only.
 */
export interface GraphSet {
  readonly name: string;
  readonly numGraphs: number;
  readonly numNodes: number;
  readonly numEdges: number;
  /** One-hot width: max - min + 1 over the raw node labels (0 when the set has no node labels). */
  readonly numFeatures: number;
  readonly numClasses: number;
  /** Class i's name; TU files carry only raw labels, so by default the raw label as text. */
  readonly classNames: readonly string[];
  /** Names of the one-hot columns (MUTAG's atoms), when known. */
  readonly featureNames?: readonly string[];
  readonly nodeOffsets: Uint32Array;
  readonly edgeOffsets: Uint32Array;
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  /** 0 when the set has no edge labels; then edgeTypes is absent. */
  readonly numEdgeTypes: number;
  /** Edge label - min edge label, per edge (MUTAG's bond types). */
  readonly edgeTypes?: Uint8Array;
  readonly edgeTypeNames?: readonly string[];
  /** Raw node label - min node label, per node: the column of its one-hot feature. */
  readonly nodeLabels?: Uint32Array;
  /** Dense [numNodes, numFeatures], row i = one-hot of nodeLabels[i] (PyG's use_node_attr=False). */
  readonly features: Float32Array;
  /** Index of the graph's raw label among the sorted distinct raw labels (PyG's mapping). */
  readonly graphLabels: Int32Array;
  readonly citation?: string;
  readonly source?: string;
  readonly licence?: string;
}

/** Optional text that travels with a set; parsers copy it and check lengths against the data. */
export interface GraphSetMeta {
  readonly classNames?: readonly string[];
  readonly featureNames?: readonly string[];
  readonly edgeTypeNames?: readonly string[];
  readonly citation?: string;
  readonly source?: string;
  readonly licence?: string;
}

/** Size of graph g. */
export function graphSize(set: GraphSet, g: number): number {
  return set.nodeOffsets[g + 1] - set.nodeOffsets[g];
}

/** The graph each node belongs to. */
export function nodeGraphOf(nodeOffsets: Uint32Array): Uint32Array {
  const numGraphs = nodeOffsets.length - 1;
  const out = new Uint32Array(numGraphs > 0 ? nodeOffsets[numGraphs] : 0);
  for (let g = 0; g < numGraphs; g++) out.fill(g, nodeOffsets[g], nodeOffsets[g + 1]);
  return out;
}

import { csrToDense } from '../graph/csr';
import { rowNormalize } from '../graph/normalize';
import type { Graph } from '../graph/types';
import { pca2 } from '../metrics/pca';
import { dirichletEnergy, madGlobal } from '../metrics/smoothing';
import type { LayerSnapshot } from './layerProbe';
import type { FromWorker, LayerFrame } from './protocol';

export type LayersMessage = Extract<FromWorker, { type: 'layers' }>;

/**
 * The input layer is projected when the dense features hold at most this many values (64 MB of
 * float32 while it runs, once per run): Cora (3.9M) and CiteSeer (12.3M) fit.
 */
export const INPUT_MAX_VALUES = 16_000_000;

/** The row sample pca2 fits on is drawn from this seed every frame, so frames share it. */
const PCA_SEED = 0;

/**
 * Turns layer snapshots into the page's `layers` frames: a 2-D PCA of every layer (each layer's
 * components passed to the next frame's fit, so the picture does not mirror or swap axes),
 * Dirichlet energy and MAD. The input layer is computed once, on the first frame. Cost per frame
 * and layer: O(N * cols^2) for the PCA of a narrow layer plus O(nnz * cols) for the energy.
 */
export class LayerFrames {
  private readonly previous: (Float32Array | undefined)[] = [];
  private input: LayerFrame | null | undefined;

  constructor(private readonly graph: Graph) {}

  frame(snap: LayerSnapshot): LayersMessage {
    this.input ??= this.inputFrame();
    const layers = snap.layers.map((l, i) => {
      const { frame, components } = project(this.graph, l.name, l.data, l.rows, l.cols, this.previous[i]);
      if (components) this.previous[i] = components;
      return frame;
    });
    // Each message owns its arrays (they are transferred), so the input's coordinates are copied.
    if (this.input) layers.unshift({ ...this.input, coords: this.input.coords.slice() });
    return { type: 'layers', epoch: snap.epoch, layers, gradNorms: snap.gradNorms.slice() };
  }

  private inputFrame(): LayerFrame | null {
    const f = rowNormalize(this.graph.features);
    const rows = this.graph.numNodes, cols = f.kind === 'dense' ? f.cols : f.csr.cols;
    if (rows * cols > INPUT_MAX_VALUES) return null;
    const dense = f.kind === 'dense' ? f.data : csrToDense(f.csr);
    return project(this.graph, 'input', dense, rows, cols, undefined).frame;
  }
}

function project(
  graph: Graph, name: string, data: Float32Array, rows: number, cols: number, previous: Float32Array | undefined,
): { frame: LayerFrame; components?: Float32Array } {
  const energy = dirichletEnergy(graph.inCsr, data, cols);
  const mad = madGlobal(data, rows, cols);
  try {
    const p = pca2(data, rows, cols, { previous, seed: PCA_SEED });
    return { frame: { name, dim: cols, coords: p.coords, explained: p.explained, energy, mad }, components: p.components };
  } catch {
    // pca2 refuses NaN and Inf: a diverged layer has no picture, and NaN energy says why.
    return { frame: { name, dim: cols, coords: new Float32Array(rows * 2).fill(NaN), explained: [0, 0], energy, mad } };
  }
}

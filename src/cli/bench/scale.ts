import {
  degreeStats, rmatGraph, rowDegrees, syntheticNodeTask, uniformGraph, type SyntheticCsr,
} from '../../graph/synthetic';
import type { Graph } from '../../graph/types';
import { estimateTrainingMemory, graphCounts, specDefaultLimits, type AdapterLimits, type GraphCounts, type MemoryEstimate } from '../../train/memoryEstimate';
import { recipeConfig } from '../../train/recipes';
import { loadDataset } from '../datasets';
import { adapterLimits, type BenchContext, fixed, mib, trainEpochs } from './common';

/**
 * "Scale": per-epoch GCN training time (PyG gcn.py settings) on Cora, CiteSeer, PubMed's graph
 * (with its identity features as the page ships it, and with 500 dense random features, the real
 * set's width) and synthetic graphs (uniform G(n, m) and R-MAT power-law, 10 edges per node,
 * dense random features) at 10 thousand to 1 million edges, with the memory estimate beside each row, checked
 * against this adapter's limits and against WebGPU's guaranteed defaults (128 MiB a binding).
 * A graph the estimate says does not fit is not trained: its row says why. `--large` adds
 * 2 million nodes / 20 million edges with 128 features (for a real GPU; on the software adapter
 * it takes minutes and gigabytes); without it those rows show the estimate only.
 */

export interface ScaleRow {
  readonly graph: string;
  readonly nodes: number;
  readonly edges: number;
  readonly features: number;
  readonly maxInDegree: number | null;
  readonly gpuEpochMs: number | null;
  readonly cpuEpochMs: number | null;
  readonly estimate: Pick<MemoryEstimate, 'totalBytes' | 'largestBuffer' | 'largestName' | 'fits' | 'reason'> | null;
  readonly fitsSpecDefaults: boolean;
  /** The estimate's sentence against WebGPU's guaranteed limits. */
  readonly specDefaultsReason: string;
  readonly status: string;
}

interface Case {
  readonly name: string;
  readonly counts: GraphCounts;
  /** Builds the graph (synthetic ones only when they are run). */
  readonly make: () => Graph;
  readonly synthetic: boolean;
  readonly run: boolean;
  readonly gpuEpochs: number;
  readonly cpuEpochs: number;
}

const config = recipeConfig('cora', 'gcn');

function syntheticCase(kind: 'uniform' | 'rmat', nodes: number, edges: number, features: number, run: boolean, quick: boolean): Case {
  const name = `${kind === 'uniform' ? 'uniform G(n,m)' : 'R-MAT power-law'} ${fmtCount(nodes)} nodes / ${fmtCount(edges)} edges`;
  const make = () => {
    const g: SyntheticCsr = kind === 'uniform'
      ? uniformGraph({ nodes, edges, seed: 1, undirected: true })
      : rmatGraph({ nodes, edges, seed: 1, undirected: true });
    return syntheticNodeTask(g, { features, classes: 8, seed: 1 });
  };
  const big = edges >= 1_000_000;
  return {
    name, counts: { nodes, edges, features, featureNnz: null, classes: 8 }, make, synthetic: true, run,
    gpuEpochs: quick ? (big ? 1 : 3) : big ? 2 : 5, cpuEpochs: quick ? 1 : big ? 1 : 3,
  };
}

/**
 * The first line of an error; a buffer the device refused (Dawn reports an out-of-memory and the
 * buffer comes back invalid, so the first kernel that binds it fails) is said as such: the
 * estimate's limits are per buffer, and a device can have less memory than they suggest.
 */
function failure(e: unknown): string {
  const msg = (e as Error).message ?? String(e);
  const first = msg.split('\n')[0];
  return /Invalid Buffer|out of memory|OUT_OF_DEVICE_MEMORY/i.test(msg)
    ? `the device refused a buffer (out of device memory; Dawn's log above) although every buffer is within its limits: ${first}`
    : first;
}

/** `g` with dense features uniform in [0, 1), seeded. */
function withRandomFeatures(g: Graph, cols: number): Graph {
  const data = new Float32Array(g.numNodes * cols);
  let state = 0x70756264;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state / 2 ** 32;
  }
  return { ...g, features: { kind: 'dense', rows: g.numNodes, cols, data } };
}

function fmtCount(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : `${n}`;
}

export async function benchScale(ctx: BenchContext): Promise<ScaleRow[]> {
  const { quick, large } = ctx;
  const limits: AdapterLimits = adapterLimits(ctx.gpu) ?? specDefaultLimits;
  const cases: Case[] = [];
  for (const ds of ['cora', 'citeseer', 'pubmed']) {
    const g = loadDataset(ds);
    cases.push({ name: ds === 'pubmed' ? "pubmed (the graph, identity features)" : ds, counts: graphCounts(g), make: () => g, synthetic: false, run: true, gpuEpochs: quick ? 3 : 10, cpuEpochs: quick ? 2 : 5 });
    // PubMed's own 500 TF-IDF features are not available; dense random ones of the same width
    // time the same model at the real input size.
    if (ds === 'pubmed') {
      const h = withRandomFeatures(g, 500);
      cases.push({ name: 'pubmed (the graph, 500 random features)', counts: graphCounts(h), make: () => h, synthetic: false, run: true, gpuEpochs: quick ? 3 : 10, cpuEpochs: quick ? 2 : 5 });
    }
  }
  const feats = 64;
  for (const edges of quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000]) {
    for (const kind of ['uniform', 'rmat'] as const) cases.push(syntheticCase(kind, edges / 10, edges, feats, true, quick));
  }
  for (const kind of ['uniform', 'rmat'] as const) cases.push(syntheticCase(kind, 2_000_000, 20_000_000, 128, large, quick));

  const rows: ScaleRow[] = [];
  for (const c of cases) {
    const est = estimateTrainingMemory({ ...config, epochs: c.gpuEpochs + 1 }, c.counts, limits);
    const onDefaults = estimateTrainingMemory({ ...config, epochs: c.gpuEpochs + 1 }, c.counts, specDefaultLimits);
    const row = (status: string, extra: Partial<ScaleRow> = {}): ScaleRow => ({
      graph: c.name, nodes: c.counts.nodes, edges: c.counts.edges, features: c.counts.features, maxInDegree: null,
      gpuEpochMs: null, cpuEpochMs: null, estimate: est, fitsSpecDefaults: onDefaults.fits, specDefaultsReason: onDefaults.reason, status, ...extra,
    });
    if (!est.fits) {
      console.log(`${c.name}: ${est.reason}; not trained`);
      rows.push(row(est.reason));
      continue;
    }
    if (!c.run) {
      rows.push(row('estimate only (add --large to train it)'));
      continue;
    }
    let graph: Graph;
    try {
      graph = c.make();
    } catch (e) {
      rows.push(row(`could not build the graph: ${(e as Error).message}`));
      continue;
    }
    const maxInDegree = degreeStats(rowDegrees(graph.inCsr)).max;
    // One device for every row: with a fresh device per graph (destroyed after) a full run stalled
    // in its scale section (no row done in 40 minutes, after the peers section had opened TF.js's
    // WebGPU device on the same Dawn instance; not run down further). The pool keeps the smaller
    // graphs' buffers; the largest rows come last.
    let gpuMs: number | null = null, cpuMs: number | null = null;
    const status: string[] = [];
    try {
      gpuMs = (await trainEpochs(ctx.gpu, graph, config, c.gpuEpochs, 1)).ms;
    } catch (e) {
      status.push(`WebGPU failed: ${failure(e)}`);
      console.log(`${c.name}: WebGPU failed: ${failure(e)}`);
    }
    // The CPU backend at 20M edges would take minutes an epoch: only up to a few million.
    if (c.counts.edges <= 2_000_000) {
      try {
        cpuMs = (await trainEpochs(ctx.cpu, graph, config, c.cpuEpochs, 1)).ms;
      } catch (e) {
        status.push(`CPU failed: ${failure(e)}`);
      }
    }
    rows.push(row(status.join('; ') || 'trained', { maxInDegree, gpuEpochMs: gpuMs, cpuEpochMs: cpuMs }));
  }

  console.log(`\nScale: GCN (2 layers, hidden 16), ms per epoch (train step + eval pass), with the GPU memory estimate (src/train/memoryEstimate.ts); this adapter allows ${mib(Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize))} MiB a buffer; "spec defaults" = WebGPU's guaranteed 128 MiB a binding`);
  console.table(rows.map((r) => ({
    graph: r.graph, nodes: r.nodes, edges: r.edges, features: r.features, 'max in-deg': r.maxInDegree ?? '-',
    'GPU ms/epoch': fixed(r.gpuEpochMs, 1), 'CPU ms/epoch': fixed(r.cpuEpochMs, 1),
    'est. MiB': r.estimate ? mib(r.estimate.totalBytes) : '-', 'largest MiB': r.estimate ? mib(r.estimate.largestBuffer) : '-',
    'fits here': r.estimate?.fits ? 'yes' : 'does not fit', 'fits spec defaults': r.fitsSpecDefaults ? 'yes' : 'does not fit',
    status: r.status.length > 90 ? `${r.status.slice(0, 87)}...` : r.status,
  })));
  for (const r of rows) if (!r.fitsSpecDefaults) console.log(`${r.graph}, on an adapter with only the spec defaults: ${r.specDefaultsReason}`);
  return rows;
}

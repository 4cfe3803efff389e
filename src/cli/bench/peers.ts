import { csrToDense } from '../../graph/csr';
import { gcnNorm, rowNormalize } from '../../graph/normalize';
import type { Graph } from '../../graph/types';
import { splitIds } from '../../train/deviceGraph';
import { recipeConfig } from '../../train/recipes';
import { loadDataset } from '../datasets';
import { type BenchContext, fixed, trainEpochs } from './common';
import { loadTfjsPeer, wasmDir } from './tfjsLoader';
import type { PeerBackend, PeerData, PeerRun } from './tfjsPeer';

/**
 * "Measured against peers, in one run": the same 2-layer GCN (PyG's gcn.py settings) trained on
 * Cora by our kernels (WebGPU, and the CPU reference backend) and by TensorFlow.js 4.22 written
 * with its ops (tfjsPeer.ts) on TF.js's WebGPU backend, on the same Dawn instance and so the same
 * adapter, on its WASM backend and on its CPU backend, one after the other in this process.
 * TF.js's WASM backend has no UnsortedSegmentSum and its CPU backend's loops over every segment,
 * so both get a plain JavaScript scatter-add kernel (tfjsPeer.ts); the tables say so.
 */

/** Cora as the peer gets it: the features our trainer reads (row-normalized), densified; gcn_norm's edges. */
export function peerData(g: Graph): PeerData {
  const f = rowNormalize(g.features);
  const x = f.kind === 'dense' ? f.data : csrToDense(f.csr);
  const a = gcnNorm(g.inCsr);
  const nnz = a.indices.length;
  const src = new Int32Array(nnz), dst = new Int32Array(nnz);
  for (let r = 0; r < a.rows; r++) {
    for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) {
      dst[k] = r;
      src[k] = a.indices[k];
    }
  }
  return {
    nodes: g.numNodes, features: f.kind === 'dense' ? f.cols : f.csr.cols, classes: g.numClasses,
    x, src, dst, w: a.values!, labels: g.labels, splitOf: splitIds(g),
  };
}

export interface PeerRow {
  readonly who: string;
  readonly backend: string;
  readonly epochMs: number | null;
  readonly epochs: number;
  readonly note: string;
  readonly lossesFirst5: number[];
  readonly error?: string;
}

export interface PeerRatio {
  readonly ratio: string;
  readonly value: number | null;
  readonly goal: string;
  readonly met: boolean | null;
}

export interface PeersResult {
  readonly dataset: 'cora';
  readonly tfjsVersion: string;
  readonly rows: PeerRow[];
  readonly ratios: PeerRatio[];
  readonly accuracy: { readonly who: string; readonly testAcc: number; readonly bestEpoch: number; readonly epochs: number }[];
}

const SCATTER_NOTE = 'UnsortedSegmentSum = our plain JS scatter-add kernel';

export async function benchPeers(ctx: BenchContext): Promise<PeersResult> {
  const { quick } = ctx;
  const cora = loadDataset('cora');
  const config = recipeConfig('cora', 'gcn');
  const rows: PeerRow[] = [];

  const ours = async (who: string, backend: typeof ctx.gpu, epochs: number) => {
    const r = await trainEpochs(backend, cora, config, epochs, 3);
    rows.push({ who, backend: backend.description, epochMs: r.ms, epochs, note: backend.kind === 'webgpu' ? 'our WGSL kernels' : 'our TypeScript reference backend', lossesFirst5: r.losses.slice(0, 5) });
    return r.ms;
  };
  const oursGpu = await ours('ours WebGPU', ctx.gpu, quick ? 10 : 50);
  const oursCpu = await ours('ours CPU backend', ctx.cpu, quick ? 5 : 20);

  const peer = await loadTfjsPeer();
  const data = peerData(cora);
  const theirs = async (backend: PeerBackend, epochs: number, warm: number, inputDropout = true): Promise<PeerRun | null> => {
    const who = `TF.js ${backend}${inputDropout ? '' : ' (no input dropout)'}`;
    try {
      await peer.useBackend(backend, wasmDir);
      const run = await peer.trainGcn(data, { epochs, warm, seed: 1, inputDropout });
      const notes = [run.scatterAddKernel ? SCATTER_NOTE : "TF.js's own kernels"];
      if (!inputDropout) notes.push('diagnostic: not gcn.py (input dropout off)');
      rows.push({ who, backend: peer.describeBackend(), epochMs: run.epochMs, epochs, note: notes.join('; '), lossesFirst5: run.losses.slice(0, 5) });
      return run;
    } catch (e) {
      const error = (e as Error).message;
      rows.push({ who, backend, epochMs: null, epochs, note: 'failed', lossesFirst5: [], error });
      console.log(`${who}: failed: ${error}`);
      return null;
    }
  };
  // TF.js on the software adapter takes seconds an epoch: few epochs, and they are enough.
  const tfGpu = await theirs('webgpu', quick ? 2 : 5, quick ? 1 : 2);
  const tfWasm = await theirs('wasm', quick ? 5 : 20, quick ? 2 : 3);
  const tfCpu = await theirs('cpu', quick ? 2 : 10, quick ? 1 : 2);
  if (!quick) await theirs('wasm', 20, 3, false);

  const accuracy: PeersResult['accuracy'] = [];
  if (!quick) {
    // Correctness of the peer: 200 epochs as gcn.py, test accuracy at the best validation epoch.
    await peer.useBackend('wasm', wasmDir);
    const full = await peer.trainGcn(data, { epochs: 200, warm: 0, seed: 1 });
    accuracy.push({ who: 'TF.js wasm', testAcc: full.testAcc, bestEpoch: full.bestEpoch, epochs: 200 });
    const mine = await trainEpochs(ctx.cpu, cora, config, 200, 0);
    accuracy.push({ who: 'ours (CPU backend; WebGPU picks the same epochs)', testAcc: mine.testAcc, bestEpoch: mine.bestEpoch, epochs: 200 });
  }

  const ratio = (name: string, value: number | null, goal: string, ok: (v: number) => boolean): PeerRatio =>
    ({ ratio: name, value, goal, met: value == null ? null : ok(value) });
  const ratios = [
    ratio('TF.js WebGPU ms / ours WebGPU ms (same adapter)', tfGpu ? tfGpu.epochMs / oursGpu : null, 'ours >= 20x faster', (v) => v >= 20),
    ratio('TF.js WASM ms / ours WebGPU ms (software adapter)', tfWasm ? tfWasm.epochMs / oursGpu : null, 'ours at least as fast (>= 1)', (v) => v >= 1),
    ratio('ours CPU ms / TF.js WASM ms', tfWasm ? oursCpu / tfWasm.epochMs : null, 'within 1.5x (<= 1.5)', (v) => v <= 1.5),
  ];
  if (tfCpu) ratios.push({ ratio: 'TF.js CPU ms / ours CPU ms', value: tfCpu.epochMs / oursCpu, goal: '(no goal)', met: null });

  console.log(`\nMeasured against peers, in one run: 2-layer GCN on Cora (PyG gcn.py: 16 hidden, ReLU, dropout 0.5, Adam lr 0.01, weight decay 5e-4 on layer 1), one epoch = train step + eval pass; TF.js ${peer.tfjsVersion}`);
  console.log(`ours: ${ctx.gpu.description}; TF.js: ${rows.filter((r) => r.who.startsWith('TF.js')).map((r) => r.backend).filter((b, i, all) => all.indexOf(b) === i).join(', ')}`);
  console.table(rows.map((r) => ({
    who: r.who, 'ms/epoch': r.epochMs == null ? 'failed' : fixed(r.epochMs, 1), epochs: r.epochs,
    'loss, epochs 1-5': r.lossesFirst5.map((l) => l.toFixed(3)).join(' '), note: r.note,
  })));
  console.table(ratios.map((r) => ({ ratio: r.ratio, value: fixed(r.value), goal: r.goal, met: r.met == null ? '-' : r.met ? 'yes' : 'NO' })));
  if (accuracy.length) {
    console.log('Test accuracy after 200 epochs (at the best validation epoch), a check that the TF.js model is the same model');
    console.table(accuracy.map((a) => ({ who: a.who, 'test acc %': (100 * a.testAcc).toFixed(1), 'best epoch': a.bestEpoch })));
  } else {
    console.log('(--quick: the 200-epoch accuracy check is skipped)');
  }
  return { dataset: 'cora', tfjsVersion: peer.tfjsVersion, rows, ratios, accuracy };
}

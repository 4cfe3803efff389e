/// <reference lib="webworker" />
// TEMPORARY stand-in for src/train/worker.ts so the UI can be built first. Delete when done.
import type { EpochReport, FromWorker, GraphSummary, ToWorker, TrainConfig } from '../train/protocol';

let config: TrainConfig | null = null;
let graph: GraphSummary | null = null;
let epoch = 0;
let lastPreds = new Int32Array(0);
let timer: ReturnType<typeof setInterval> | null = null;
let best = { val: -1, test: 0, epoch: -1 };
const send = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

async function loadGraph(url: string): Promise<GraphSummary> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`Could not load ${url}: HTTP ${res.status}`);
  const j = await res.json();
  const n: number = j.num_nodes;
  const src: number[] = [], dst: number[] = [];
  j.edges.src.forEach((a: number, i: number) => { const b = j.edges.dst[i]; if (a < b) { src.push(a); dst.push(b); } });
  const splitOf = new Uint8Array(n);
  (['train', 'val', 'test'] as const).forEach((k, i) => j.split[k].forEach((v: number) => (splitOf[v] = i + 1)));
  return {
    name: j.name, numNodes: n, numEdges: j.num_edges, numFeatures: j.num_features, numClasses: j.num_classes,
    classNames: j.class_names, src: Uint32Array.from(src), dst: Uint32Array.from(dst),
    labels: Int32Array.from(j.labels), splitOf, citation: j.citation,
  };
}

function runEpochs(count: number) {
  if (!graph || !config) return;
  const reports: EpochReport[] = [];
  const r = rng(config.seed * 1000 + epoch);
  let preds = lastPreds;
  for (let i = 0; i < count && epoch < config.epochs; i++) {
    epoch++;
    const p = 1 - Math.exp(-epoch / 25);
    preds = graph.labels.map((l) => (r() < p * 0.85 ? l : Math.floor(r() * graph!.numClasses)));
    const acc = (split: number) => {
      let ok = 0, all = 0;
      graph!.splitOf.forEach((s, j) => { if (s === split) { all++; if (preds[j] === graph!.labels[j]) ok++; } });
      return all ? ok / all : 0;
    };
    const rep = { epoch, loss: 2 * Math.exp(-epoch / 30) + 0.1 * r(), trainAcc: Math.min(1, acc(1) + p * 0.2), valAcc: acc(2), testAcc: acc(3), ms: 3 + r() };
    if (rep.valAcc > best.val) best = { val: rep.valAcc, test: rep.testAcc, epoch };
    reports.push(rep);
  }
  lastPreds = preds;
  const running = timer !== null && epoch < config.epochs;
  send({ type: 'progress', reports, predictions: preds, running, bestTestAcc: best.test, bestEpoch: best.epoch });
  if (epoch >= config.epochs) { stop(); send({ type: 'done' }); }
}

function stop() {
  if (timer) clearInterval(timer);
  timer = null;
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === 'init') {
    stop();
    config = msg.config; epoch = 0; best = { val: -1, test: 0, epoch: -1 };
    const adapter = 'gpu' in navigator ? await navigator.gpu.requestAdapter() : null;
    send({ type: 'backend', info: adapter
      ? { kind: 'webgpu', adapter: `${adapter.info.vendor} ${adapter.info.architecture}` }
      : { kind: 'cpu', adapter: 'JavaScript', notice: 'WebGPU is not available in this browser, so training runs on the CPU (slower).' } });
    try {
      graph = await loadGraph(msg.datasetUrl);
      send({ type: 'graph', graph });
    } catch (err) {
      send({ type: 'error', message: String(err) });
    }
  } else if (msg.type === 'play') {
    if (!timer) timer = setInterval(() => runEpochs(3), 50);
  } else if (msg.type === 'pause') {
    stop();
    runEpochs(0);
  } else if (msg.type === 'step') runEpochs(1);
};

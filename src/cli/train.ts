import { Trainer, type TrainOptions } from '../train/trainer';
import { numberArg, parseArgs, stats } from './args';
import { loadDataset } from './datasets';
import { nodeBackend } from './nodeBackend';
import { hasGpuDevice } from './nodeGpu';

const usage = `npm run train -- [options]
  --dataset karate|cora|citeseer|PATH   gnn-graph-json dataset (default cora)
  --model gcn                           model (only gcn so far)
  --backend gpu|cpu                     WGSL kernels through Dawn, or the CPU reference (default gpu)
  --software                            use the SwiftShader adapter even where a GPU exists
  --epochs N --seeds N --seed S         200 epochs, 10 seeds starting at seed 1 by default
  --lr X --hidden N --dropout P --weight-decay W   PyG examples/gcn.py defaults
  --json                                print one JSON object instead of text`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['json', 'software', 'help']);
  if (args.has('help')) return console.log(usage);
  const model = args.get('model') ?? 'gcn';
  if (model !== 'gcn') throw new Error(`--model ${model} is not available yet (only gcn)`);
  const dataset = args.get('dataset') ?? 'cora';
  const graph = loadDataset(dataset);
  const seeds = numberArg(args, 'seeds', 10), firstSeed = numberArg(args, 'seed', 1);
  const base = {
    lr: numberArg(args, 'lr', 0.01), hidden: numberArg(args, 'hidden', 16), epochs: numberArg(args, 'epochs', 200),
    dropout: numberArg(args, 'dropout', 0.5), weightDecay: numberArg(args, 'weight-decay', 5e-4),
  };
  const backendKind = args.get('backend') ?? 'gpu';
  const backend = await nodeBackend(backendKind, args.has('software') || !hasGpuDevice());
  const json = args.has('json');
  if (!json) console.log(`${graph.name} · ${model} · ${backend.description}`);
  const runs = [];
  for (let s = 0; s < seeds; s++) {
    const opts: TrainOptions = { ...base, seed: firstSeed + s };
    const trainer = new Trainer(backend, graph, opts);
    const times: number[] = [];
    while (!trainer.finished) {
      const t0 = performance.now();
      trainer.step();
      await trainer.flush();
      times.push(performance.now() - t0);
    }
    const best = trainer.bestResult;
    const run = { seed: opts.seed, testAcc: best.testAcc, valAcc: best.valAcc, bestEpoch: best.epoch, medianEpochMs: stats(times).median };
    runs.push(run);
    if (!json) console.log(`seed ${run.seed}: test ${(run.testAcc * 100).toFixed(1)}% (val ${(run.valAcc * 100).toFixed(1)}% at epoch ${run.bestEpoch}), median epoch ${run.medianEpochMs.toFixed(2)} ms`);
  }
  const acc = stats(runs.map((r) => r.testAcc));
  const ms = stats(runs.map((r) => r.medianEpochMs));
  if (json) {
    console.log(JSON.stringify({ dataset: graph.name, model, backend: backend.description, options: base, runs, testAcc: acc, medianEpochMs: ms.median }, null, 2));
  } else {
    console.log(`test accuracy ${(acc.mean * 100).toFixed(2)} ± ${(acc.std * 100).toFixed(2)}% over ${runs.length} seeds; median epoch ${ms.median.toFixed(2)} ms`);
  }
}

main().then(
  () => process.exit(0), // Dawn keeps the process alive otherwise
  (e) => {
    console.error(`error: ${(e as Error).message}`);
    process.exit(1);
  },
);

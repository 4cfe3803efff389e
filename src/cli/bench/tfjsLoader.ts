import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeGpu } from '../nodeGpu';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const outfile = join(repo, 'node_modules/.cache/gnn-bench/tfjs-peer.mjs');
/** Where setWasmPaths finds tfjs-backend-wasm's .wasm files. */
export const wasmDir = join(repo, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/';

type Peer = typeof import('./tfjsPeer');
let loaded: Promise<Peer> | null = null;

/**
 * TF.js (tfjsPeer.ts and the four TF.js packages) bundled by esbuild into one ESM file and
 * imported, with `navigator.gpu` set first to the same Dawn instance our backend uses, so that
 * tfjs-backend-webgpu registers itself and runs on the same adapter as our kernels.
 * `--main-fields=module,main` makes every package resolve to its ESM build, so there is one
 * tfjs-core; the banner gives the bundle the `require` and `__dirname` the WASM glue wants.
 */
export function loadTfjsPeer(): Promise<Peer> {
  loaded ??= (async () => {
    const gpu = await nodeGpu();
    const g = globalThis as { navigator?: { gpu?: GPU } };
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    else if (!g.navigator.gpu) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
    const { build } = await import('esbuild');
    mkdirSync(dirname(outfile), { recursive: true });
    await build({
      entryPoints: [join(repo, 'src/cli/bench/tfjsPeer.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      mainFields: ['module', 'main'],
      outfile,
      logLevel: 'error',
      banner: {
        js: [
          "import { createRequire as __cr } from 'node:module';",
          "import { dirname as __dn } from 'node:path';",
          "import { fileURLToPath as __fu } from 'node:url';",
          'const require = __cr(import.meta.url);',
          'const __filename = __fu(import.meta.url);',
          'const __dirname = __dn(__filename);',
        ].join(' '),
      },
    });
    return (await import(pathToFileURL(outfile).href)) as Peer;
  })();
  return loaded;
}

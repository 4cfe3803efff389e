import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defineConfig, transformWithOxc, type Plugin, type ResolvedConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { SERVICE_WORKER_FILE } from './src/sw/messages.ts';

const hash = (parts: readonly (readonly [string, string | Uint8Array])[]): string => {
  const h = createHash('sha256');
  for (const [name, body] of [...parts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) h.update(name).update('\0').update(body).update('\0');
  return h.digest('hex').slice(0, 16);
};

/**
 * Writes the service worker (src/sw/sw.ts, types stripped) beside index.html with the build's
 * file list in place of __GNN_PRECACHE__: every emitted file (index.html as './') and the
 * datasets in public/datasets/, each group versioned by a hash of its contents. A dozen lines
 * instead of a PWA plugin and its dependencies.
 */
function offlineServiceWorker(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'gnn-offline-service-worker',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    async writeBundle(options, bundle) {
      const app: [string, string | Uint8Array][] = [];
      for (const [name, out] of Object.entries(bundle)) {
        if (name.endsWith('.map') || name.startsWith('.') || name === SERVICE_WORKER_FILE) continue;
        app.push([name === 'index.html' ? './' : name, out.type === 'chunk' ? out.code : out.source]);
      }
      const data: [string, Uint8Array][] = [];
      const datasets = join(config.publicDir, 'datasets');
      for (const f of (await readdir(datasets)).filter((f) => f.endsWith('.json')).sort()) {
        data.push([`datasets/${f}`, await readFile(join(datasets, f))]);
      }
      const manifest = {
        app: { version: hash(app), files: ['./', ...app.map(([n]) => n).filter((n) => n !== './').sort()] },
        data: { version: hash(data), files: data.map(([n]) => n) },
      };
      if (!app.some(([n]) => n === './')) throw new Error('service worker: the build has no index.html');
      const source = resolve(config.root, 'src/sw/sw.ts');
      const { code } = await transformWithOxc(await readFile(source, 'utf8'), source, { lang: 'ts' });
      // Type-only imports leave an empty `export {}`; a service worker is a classic script.
      const script = code.replace(/^export\s*\{\s*\};?\s*$/m, '').replace('__GNN_PRECACHE__', JSON.stringify(manifest));
      if (/^\s*(import|export)\b/m.test(script) || script.includes('__GNN_PRECACHE__')) {
        throw new Error('service worker: src/sw/sw.ts must compile to a plain script with one __GNN_PRECACHE__');
      }
      await writeFile(join(options.dir ?? config.build.outDir, SERVICE_WORKER_FILE), script);
    },
  };
}

// base './' makes every asset URL relative, so the built site works from any sub-path
// (a course page, GitHub Pages) with no server of ours behind it.
export default defineConfig({
  base: './',
  plugins: [react(), offlineServiceWorker()],
  worker: { format: 'es' },
  build: { target: 'es2022' },
});

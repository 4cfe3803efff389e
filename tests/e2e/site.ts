import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '../..');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wgsl': 'text/plain; charset=utf-8',
};

export interface Site {
  /** The page's address, ending in the sub-path, e.g. http://127.0.0.1:PORT/course/gnn/ */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Builds the site with the project's own Vite config into a temporary folder and serves it
 * under a sub-path, as a course web site would, to prove no URL in the page assumes the root.
 */
export async function buildAndServe(prefix = '/course/gnn/'): Promise<Site> {
  const outDir = await mkdtemp(join(tmpdir(), 'gnn-site-'));
  await build({
    root,
    configFile: join(root, 'vite.config.ts'),
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === prefix.slice(0, -1)) {
      res.writeHead(301, { location: prefix }).end();
      return;
    }
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end('outside the site');
      return;
    }
    const rel = path.slice(prefix.length) || 'index.html';
    const file = normalize(join(outDir, rel));
    try {
      if (!file.startsWith(outDir + sep) || !(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: async () => {
      await new Promise<void>((ok) => server.close(() => ok()));
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/// <reference lib="webworker" />
/**
 * The page's service worker: after one visit the playground works offline.
 *
 * Built by the `offlineServiceWorker` plugin in vite.config.ts, which strips the types, puts the
 * build's file list in place of __GNN_PRECACHE__ and writes the result to sw.js beside index.html.
 * Every URL is relative to the worker's scope (the folder index.html is in), so the site works
 * from any sub-path. It imports nothing: it must run as a classic script in every browser.
 *
 * - app: index.html and every built file (JS, CSS, the workers' scripts; the WGSL kernels are in
 *   the JS) are cached at install, in a cache named after a hash of their contents.
 * - data: the shipped datasets, several megabytes, are cached in the background once the page asks
 *   (offline.ts does, after the page has loaded), in their own cache, so that a new app version
 *   does not download them again unless they changed too.
 * - index.html is network-first (a visitor online always gets the newest page), falling back to
 *   the cached copy; built files and datasets are cache-first. A dataset that is neither cached
 *   nor reachable fails as a network error, which the page reports as it always does.
 */

import type { FromServiceWorker, ToServiceWorker } from './messages';

interface PrecacheGroup {
  /** A hash of the group's file contents: it names the cache. */
  readonly version: string;
  /** Paths relative to the scope; the app's first is './', the page itself. */
  readonly files: readonly string[];
}

interface Precache {
  readonly app: PrecacheGroup;
  readonly data: PrecacheGroup;
}

/** Replaced by the build with the real lists; never defined at run time. */
declare const __GNN_PRECACHE__: Precache;


const sw = self as unknown as ServiceWorkerGlobalScope;
const manifest: Precache = __GNN_PRECACHE__;
const PREFIX = 'gnn-playground-';
const APP_CACHE = `${PREFIX}app-${manifest.app.version}`;
const DATA_CACHE = `${PREFIX}data-${manifest.data.version}`;
/** How long index.html may take from the network before the cached copy is served. */
const NETWORK_TIMEOUT_MS = 4000;

const abs = (path: string): string => new URL(path, sw.registration.scope).href;
const shellUrl = abs('./');
const appUrls = new Set(manifest.app.files.map(abs));
const dataUrls = new Set(manifest.data.files.map(abs));

sw.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(APP_CACHE);
    // 'no-cache' revalidates with the server, so a stale HTTP-cached index.html cannot pair
    // itself with this version's assets.
    await cache.addAll([...appUrls].map((url) => new Request(url, { cache: 'no-cache' })));
    await sw.skipWaiting();
  })());
});

sw.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keep = new Set([APP_CACHE, DATA_CACHE]);
    for (const name of await caches.keys()) if (name.startsWith(PREFIX) && !keep.has(name)) await caches.delete(name);
    await sw.clients.claim();
  })());
});

let dataPrecache: Promise<number> | null = null;

/** Downloads every dataset not yet cached, one at a time; resolves to how many are cached. */
function precacheData(): Promise<number> {
  dataPrecache ??= (async () => {
    const cache = await caches.open(DATA_CACHE);
    let cached = 0;
    for (const url of dataUrls) {
      try {
        if (!(await cache.match(url))) {
          const res = await fetch(url, { cache: 'no-cache' });
          if (!res.ok) continue;
          await cache.put(url, res);
        }
        cached++;
      } catch {
        // Offline or the server went away: the next page load asks again.
      }
    }
    return cached;
  })().finally(() => { dataPrecache = null; });
  return dataPrecache;
}

sw.addEventListener('message', (event) => {
  const msg = event.data as ToServiceWorker | undefined;
  if (msg?.type !== 'precache-data') return;
  event.waitUntil(precacheData().then((cached) => {
    const reply: FromServiceWorker = { type: 'precache-data-done', cached, total: dataUrls.size };
    (event.source as Client | null)?.postMessage(reply);
  }));
});

async function cacheFirst(cacheName: string, request: Request, key: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(key);
  if (hit) return hit;
  // Not cached (yet, or evicted): the network, keeping a good answer. Offline this rejects, and
  // the page sees the same network error it would see without a service worker.
  const res = await fetch(request);
  if (res.ok && res.type === 'basic') await cache.put(key, res.clone());
  return res;
}

async function networkFirst(request: Request): Promise<Response> {
  const fromNetwork = fetch(request);
  try {
    const res = await Promise.race([
      fromNetwork,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('network timeout')), NETWORK_TIMEOUT_MS)),
    ]);
    // The cached page is not replaced here: it must stay the one that goes with the cached
    // assets, and a newer page comes with its own service worker version.
    return res;
  } catch (e) {
    const cached = await caches.match(shellUrl, { cacheName: APP_CACHE });
    if (cached) return cached;
    // Nothing cached: wait for the network after all (a slow first visit), or fail as it fails.
    if ((e as Error).message === 'network timeout') return fromNetwork;
    throw e;
  }
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  url.hash = '';
  if (request.mode === 'navigate') {
    // The page itself, whatever its query string (a link may carry settings).
    const page = new URL(shellUrl).pathname;
    if (url.pathname === page || url.pathname === `${page}index.html`) event.respondWith(networkFirst(request));
    return;
  }
  const key = url.href;
  if (appUrls.has(key)) event.respondWith(cacheFirst(APP_CACHE, request, key));
  else if (dataUrls.has(key)) event.respondWith(cacheFirst(DATA_CACHE, request, key));
});

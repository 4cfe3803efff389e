/** Messages between the page (src/ui/offline.ts) and the service worker (sw.ts). */

/** Asks the service worker to download every shipped dataset it has not cached yet. */
export type ToServiceWorker = { readonly type: 'precache-data' };

/** The answer to 'precache-data': how many datasets are now cached, of how many. */
export type FromServiceWorker = { readonly type: 'precache-data-done'; readonly cached: number; readonly total: number };

/** The file the build writes the service worker to, beside index.html. */
export const SERVICE_WORKER_FILE = 'sw.js';

import { SERVICE_WORKER_FILE, type FromServiceWorker, type ToServiceWorker } from '../sw/messages';

/**
 * Registers the service worker (src/sw/sw.ts) in production builds, so that after one visit the
 * page and every shipped dataset work offline. Relative to the page, so the site works from any
 * sub-path. Once the page has loaded and gone quiet, it asks the worker to download the datasets
 * in the background, so they never compete with the first load.
 *
 * Called once from main.tsx. Does nothing in the dev server, in tests, or where service workers
 * are unavailable (an insecure origin, a private window that forbids them).
 */
export function registerOffline(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const start = () => void register();
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}

/** Resolves with the service worker's answer once the datasets are cached (for status displays). */
export let datasetsCached: Promise<FromServiceWorker | null> = Promise.resolve(null);

async function register(): Promise<void> {
  const container = navigator.serviceWorker;
  try {
    await container.register(new URL(SERVICE_WORKER_FILE, document.baseURI), { scope: new URL('./', document.baseURI).pathname });
  } catch (e) {
    // The page works as before, online only.
    console.warn(`Offline use is unavailable: ${(e as Error).message}`);
    return;
  }
  const reg = await container.ready;
  container.startMessages();
  datasetsCached = new Promise((resolve) => {
    const onMessage = (ev: MessageEvent<FromServiceWorker>) => {
      if (ev.data?.type !== 'precache-data-done') return;
      container.removeEventListener('message', onMessage);
      resolve(ev.data);
    };
    container.addEventListener('message', onMessage);
    whenIdle(() => {
      const msg: ToServiceWorker = { type: 'precache-data' };
      reg.active?.postMessage(msg);
    });
  });
}

/** After the first load's own downloads (data set, shaders, GPU set-up) have had their turn. */
function whenIdle(fn: () => void): void {
  const idle = (window as Window & { requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number }).requestIdleCallback;
  setTimeout(() => (idle ? idle(fn, { timeout: 5000 }) : fn()), 1000);
}

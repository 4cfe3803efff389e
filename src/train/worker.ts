/// <reference lib="webworker" />
import { viteShaderSources } from '../gpu/shaders.vite';
import type { FromWorker, ToWorker } from './protocol';
import { Session } from './session';

// The page's training thread: GPU submission and the CPU fallback never block the UI.
const scope = self as unknown as DedicatedWorkerGlobalScope;
// Buffers made for one message (embeddings, inspections) move to the page instead of being copied.
const post = (m: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(m, transfer);
const session = new Session(post, (navigator as Navigator & { gpu?: GPU }).gpu, viteShaderSources);

scope.onmessage = async (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'init': {
      let text: string;
      try {
        const { source } = msg;
        if (source.kind === 'text') text = source.text;
        else {
          const res = await fetch(source.url);
          if (!res.ok) throw new Error(`HTTP ${res.status} for ${source.url}`);
          text = await res.text();
        }
      } catch (e) {
        post({ type: 'error', message: `Could not download ${msg.config.dataset}: ${(e as Error).message}` });
        return;
      }
      await session.init(msg.config, text);
      return;
    }
    case 'play':
      return session.play();
    case 'pause':
      return session.pause();
    case 'step':
      return session.step();
    case 'inspect':
      return session.inspect(msg.node);
    case 'sweep':
      return session.startSweep(msg);
    case 'sweepCancel':
      return session.cancelSweep();
    case 'export':
      return session.export();
  }
};

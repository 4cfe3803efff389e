/// <reference lib="webworker" />
import type { SpectrumReply, SpectrumRequest } from './protocol';
import { computeSpectrum, forceLayout } from './spectralData';

// The spectral view's own thread: a dense eigendecomposition of a 600-node Laplacian takes about a
// second, and its force layout about half of one; neither may hold up the page's frames.
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (ev: MessageEvent<SpectrumRequest>) => {
  const req = ev.data;
  let reply: SpectrumReply;
  const transfer: Transferable[] = [];
  try {
    if (req.kind === 'spectrum') {
      const result = computeSpectrum(req.graph, req.renormalized);
      transfer.push(result.eigenvalues.buffer, result.eigenvectors.buffer);
      reply = { id: req.id, kind: 'spectrum', result };
    } else {
      const result = forceLayout(req.graph);
      transfer.push(result.x.buffer, result.y.buffer);
      reply = { id: req.id, kind: 'layout', result };
    }
  } catch (e) {
    reply = { id: req.id, kind: 'error', message: (e as Error).message };
  }
  scope.postMessage(reply, transfer);
};

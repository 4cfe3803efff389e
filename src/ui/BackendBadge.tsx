import { usePlayground } from '../state/store';

/** "WebGPU on X" or "CPU (X)" would repeat the badge's own word; show only the X. */
function detail(adapter: string): string {
  return adapter.replace(/^(WebGPU on\s+|CPU\s*)/i, '').replace(/^\((.*)\)$/, '$1');
}

/** Which engine trains the model: the one fact about the setup a class should always see. */
export function BackendBadge() {
  const backend = usePlayground((s) => s.backend);
  if (!backend) return <span className="badge pending" data-testid="backend-badge">Starting…</span>;
  const gpu = backend.kind === 'webgpu';
  return (
    <span className={`badge ${gpu ? 'gpu' : 'cpu'}`} data-testid="backend-badge" title={backend.adapter}>
      {gpu ? 'WebGPU' : 'CPU'}
      <span className="adapter">{detail(backend.adapter)}</span>
    </span>
  );
}

import { clearError, usePlayground } from '../state/store';

/** The CPU-fallback notice and worker errors, above everything so a room can read them. */
export function Banners() {
  const notice = usePlayground((s) => s.backend?.notice);
  const error = usePlayground((s) => s.error);
  return (
    <>
      {notice && (
        <div className="banner notice" role="status" data-testid="backend-notice">
          <strong>Running on the CPU.</strong> {notice}
        </div>
      )}
      {error && (
        <div className="banner error" role="alert" data-testid="error-banner">
          <strong>Error:</strong> {error.replace(/^Error:\s*/, '')}
          <button type="button" onClick={clearError}>Dismiss</button>
        </div>
      )}
    </>
  );
}

import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

/**
 * The link as a QR code for a projector, drawn as SVG rects (never as injected markup). A QR
 * code holds at most about 2,900 bytes; a longer link gets a sentence instead.
 */
export function QrCode({ text, size = 300 }: { readonly text: string; readonly size?: number }) {
  const cells = useMemo(() => {
    try {
      const qr = qrcode(0, 'L');
      qr.addData(text, 'Byte');
      qr.make();
      const n = qr.getModuleCount();
      const dark: [number, number][] = [];
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) dark.push([r, c]);
      return { n, dark };
    } catch {
      return null;
    }
  }, [text]);
  if (!cells) return <p className="hint" data-testid="qr-too-long">This link is too long for a QR code ({text.length} characters); copy it instead.</p>;
  const quiet = 4;
  const span = cells.n + 2 * quiet;
  return (
    <svg width={size} height={size} viewBox={`0 0 ${span} ${span}`} role="img" aria-label="QR code of the link" data-testid="qr-code"
      shapeRendering="crispEdges">
      <rect width={span} height={span} fill="#fff" />
      <path fill="#000" d={cells.dark.map(([r, c]) => `M${c + quiet} ${r + quiet}h1v1h-1z`).join('')} />
    </svg>
  );
}

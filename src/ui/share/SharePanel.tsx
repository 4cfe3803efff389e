import { useEffect, useRef, useState } from 'react';
import type { Editable } from '../../state/link/codec';
import { shareLink } from '../../state/link/sync';
import { setEditable, useLocks } from '../../state/lockStore';
import { configKeys } from '../../train/configSchema';
import { fieldNames } from '../catalog';
import { QrCode } from './QrCode';

/** What a teacher can leave open in an exercise, by the names the page shows. */
const choices: readonly { key: Editable; label: string }[] = [
  { key: 'graph', label: 'the graph (draw, generate, load)' },
  ...configKeys.filter((k) => k !== 'backend').map((k) => ({ key: k, label: fieldNames[k] ?? k })),
];

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no clipboard permission (e.g. an insecure origin): the field is selected instead
  }
}

/**
 * Share: the link of the setup on screen, a copy button, a QR code for the projector, and the
 * teacher's exercise lock (which controls students may change).
 */
export function SharePanel() {
  const dialog = useRef<HTMLDialogElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [link, setLink] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const editable = useLocks((s) => s.editable);
  const locked = editable !== null;
  const [open, setOpen] = useState<ReadonlySet<Editable>>(new Set(['layers', 'pairNorm', 'residual']));

  const refresh = () => shareLink().then((l) => { setLink(l); setProblem(null); }, (e: Error) => { setLink(null); setProblem(e.message); });
  useEffect(() => {
    if (dialog.current?.open) void refresh();
  }, [editable]);

  // The dialog's contents exist only while it is open: its checkboxes would otherwise share
  // their labels with the side panel's fields for assistive technology and tests alike.
  const [shown, setShown] = useState(false);
  const show = () => {
    setShown(true);
    setCopied(null);
    void refresh();
    dialog.current?.showModal();
  };
  const doCopy = async () => {
    if (!link) return;
    const ok = await copy(link);
    if (!ok) field.current?.select();
    setCopied(ok ? 'Link copied.' : 'Press Ctrl+C to copy the selected link.');
  };
  const toggle = (k: Editable) => setOpen((s) => {
    const next = new Set(s);
    if (next.has(k)) next.delete(k); else next.add(k);
    return next;
  });
  return (
    <>
      <button type="button" className="share-button" data-testid="share-button" onClick={show}>Share</button>
      <dialog ref={dialog} className="share-dialog" aria-labelledby="share-title" data-testid="share-dialog" onClose={() => setShown(false)}>
        {shown && <>
        <h2 id="share-title">Share this setup</h2>
        <p className="hint">Whoever opens the link sees this graph, model and settings; pressing Train replays the same run (same seed).</p>
        {problem && <p className="field-error" role="alert">{problem}</p>}
        {link && (
          <>
            <div className="share-row">
              <input ref={field} readOnly value={link} aria-label="Link" data-testid="share-link" onFocus={(e) => e.currentTarget.select()} />
              <button type="button" className="primary" data-testid="copy-link" onClick={() => void doCopy()}>Copy link</button>
            </div>
            {copied && <p className="hint" role="status">{copied}</p>}
            <QrCode text={link} />
          </>
        )}
        <fieldset className="exercise">
          <legend>Exercise for students</legend>
          {locked ? (
            <>
              <p className="hint">This page is an exercise: only {editable.size === 0 ? 'nothing' : [...editable].map((k) => choices.find((c) => c.key === k)?.label ?? k).join(', ')} can be changed.</p>
              <button type="button" data-testid="unlock" onClick={() => setEditable(null)}>Unlock every control</button>
            </>
          ) : (
            <>
              <p className="hint">Lock the page so students can change only what matters; the others are hidden. Tick what stays open:</p>
              <div className="exercise-choices">
                {choices.map((c) => (
                  <label key={c.key} className="check-inline">
                    <input type="checkbox" checked={open.has(c.key)} onChange={() => toggle(c.key)} data-testid={`open-${c.key}`} /> {c.label}
                  </label>
                ))}
              </div>
              <button type="button" data-testid="make-exercise" onClick={() => setEditable([...open])}>Lock the page as this exercise</button>
            </>
          )}
        </fieldset>
        <form method="dialog"><button type="submit">Close</button></form>
        </>}
      </dialog>
    </>
  );
}

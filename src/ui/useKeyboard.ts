import { useEffect } from 'react';
import { step, togglePlay } from '../state/client';

function isTextEntry(t: EventTarget | null): boolean {
  return t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement
    || (t instanceof HTMLElement && t.isContentEditable);
}

/** Space = train/pause, ArrowRight = one epoch, unless the user is typing or choosing. */
export function useKeyboard(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTextEntry(e.target)) return;
      if (e.key === ' ') {
        // A focused button already clicks itself on Space; toggling here too would undo it.
        if (e.target instanceof HTMLButtonElement) return;
        e.preventDefault();
        // Holding Space would flicker between train and pause; holding ArrowRight steps on.
        if (!e.repeat) togglePlay();
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        step();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

import { graphToDraft } from '../../graph/draftJson';
import { loadUserFiles } from '../../graph/loaders';
import { trainOwnData } from '../../state/client';
import { startDraft, setEditing } from '../../state/draftStore';
import { usePlayground } from '../../state/store';

/** Graphs up to this size can also be opened in the editor after loading. */
const EDITABLE_NODES = 2000;

/**
 * Reads files the user picked or dropped and trains them. A file that cannot be read leaves the
 * current graph and run exactly as they were and says why; returns that message, or the notes
 * the loader made (dropped self loops and the like) when it worked.
 */
export async function loadFiles(list: FileList | readonly File[]): Promise<{ ok: boolean; message: string }> {
  const files = Array.from(list);
  if (files.length === 0) return { ok: false, message: 'No file chosen.' };
  let loaded;
  try {
    const bytes = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    loaded = await loadUserFiles(bytes, { seed: usePlayground.getState().config.seed });
  } catch (e) {
    const names = files.map((f) => f.name).join(', ');
    return { ok: false, message: `Could not load ${names}: ${(e as Error).message}. The current graph is unchanged.` };
  }
  if (loaded.kind === 'node') {
    if (loaded.graph.numNodes <= EDITABLE_NODES) {
      startDraft(graphToDraft(loaded.graph));
      setEditing(false);
    }
    trainOwnData(loaded.graph.name, loaded.json, 'node');
    const what = `${loaded.graph.name}: ${loaded.graph.numNodes} nodes, ${loaded.graph.numEdges / 2} edges`;
    return { ok: true, message: [what, ...loaded.notes].join('. ') };
  }
  trainOwnData(loaded.set.name, loaded.json, 'graphs');
  return { ok: true, message: [`${loaded.set.name}: ${loaded.set.numGraphs} graphs`, ...loaded.notes].join('. ') };
}

/** Starts a download of `text` as a file, without a server. */
export function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

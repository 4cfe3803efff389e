import { graphToDraft } from '../../graph/draftJson';
import { parseGraphJson } from '../../graph/loadGraphJson';
import { reset } from '../client';
import { setEditing, startDraft, useDraft } from '../draftStore';
import { setEditable, useLocks } from '../lockStore';
import { usePlayground } from '../store';
import { useView } from '../viewStore';
import { decodeLink, encodeLink, LinkError, type LinkState } from './codec';

/** The setup on screen as a link's state: the run's config (the inputs before any run). */
export function currentLinkState(): LinkState {
  const s = usePlayground.getState();
  const config = s.appliedConfig ?? s.config;
  const own = config.dataset === 'custom' || config.dataset === 'custom-graphs';
  const applied = useDraft.getState().applied;
  const drawn = config.dataset === 'custom' && applied ? applied : null;
  const v = useView.getState();
  const editable = useLocks.getState().editable;
  return {
    config,
    view: v.view,
    colourBy: v.colourBy,
    selected: v.selected,
    editable: editable ? [...editable] : null,
    graph: own && s.custom ? {
      text: s.custom.text,
      positions: drawn ? { x: drawn.nodes.map((n) => round(n.x)), y: drawn.nodes.map((n) => round(n.y)) } : null,
    } : null,
  };
}

// Three decimals place a node to a thousandth of the drawing: invisible, and a shorter link.
const round = (v: number) => Math.round(v * 1000) / 1000;

/** Rebuilds the page from a link's state and starts its run (paused at epoch 0). */
export function applyLinkState(l: LinkState): void {
  const custom = l.graph ? { name: nameOf(l.graph.text), text: l.graph.text } : null;
  usePlayground.setState({ config: l.config, custom });
  if (l.graph && l.config.dataset === 'custom') {
    startDraft(graphToDraft(parseGraphJson(l.graph.text), l.graph.positions ?? undefined));
    setEditing(false);
    // The drawing as it arrives is the one being trained.
    useDraft.setState({ applied: useDraft.getState().history!.present });
  }
  useView.setState({ view: l.view, colourBy: l.colourBy, selected: l.selected });
  setEditable(l.editable);
  reset();
}

function nameOf(text: string): string {
  try {
    return String((JSON.parse(text) as { name?: unknown }).name ?? 'graph');
  } catch {
    return 'graph';
  }
}

/**
 * At page load: the link in the address bar, if any, or the default page. A link that cannot be
 * opened leaves the default page with a banner that says why; nothing in it is run or shown
 * as markup (every value is checked against the config schema, graphs by their loaders).
 */
export async function openFromLocation(hash: string): Promise<void> {
  if (hash === '' || hash === '#') {
    reset();
    return;
  }
  try {
    applyLinkState(await decodeLink(hash));
  } catch (e) {
    const why = e instanceof LinkError ? e.message : `it could not be read (${(e as Error).message})`;
    reset();
    usePlayground.setState({ error: `This link could not be opened: ${why}. Showing the default page instead.` });
    history.replaceState(null, '', location.pathname + location.search);
  }
}

/** The page's link, as it is now: the address plus the encoded setup. */
export async function shareLink(): Promise<string> {
  const fragment = await encodeLink(currentLinkState());
  return `${location.origin}${location.pathname}${location.search}#${fragment}`;
}

/**
 * Keeps the address bar on the setup as it is (TensorFlow Playground's way), so copying the
 * address shares it too. A setup too large for a link leaves the address as it was.
 */
export function startLinkSync(): () => void {
  let timer = 0;
  let last = '';
  const schedule = () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      encodeLink(currentLinkState()).then((fragment) => {
        if (fragment === last) return;
        last = fragment;
        history.replaceState(null, '', `${location.pathname}${location.search}#${fragment}`);
      }, () => {});
    }, 300);
  };
  const unsubs = [
    usePlayground.subscribe((s, p) => { if (s.appliedConfig !== p.appliedConfig || s.custom !== p.custom) schedule(); }),
    useView.subscribe(schedule),
    useLocks.subscribe(schedule),
  ];
  return () => unsubs.forEach((u) => u());
}

import { parseGraphJson } from '../../graph/loadGraphJson';
import { parseGraphSetJson } from '../../graph/loadGraphSetJson';
import { checkConfig, configKeys, readField } from '../../train/configSchema';
import type { TrainConfig } from '../../train/protocol';
import { recipeConfig } from '../../train/recipes';
import { type ColourBy, type ViewId, views } from '../viewStore';
import { deflate, fromBase64Url, inflate, toBase64Url } from './bytes';

/** What a share link carries: the whole setup, not the trained weights (the seed replays those). */
export interface LinkState {
  readonly config: TrainConfig;
  readonly view: ViewId;
  readonly colourBy: ColourBy;
  readonly selected: number | null;
  /** The controls a student may change (a teacher's exercise); null: every control. */
  readonly editable: readonly Editable[] | null;
  /** The user's own graph ('custom') or graph set ('custom-graphs'), with where it was drawn. */
  readonly graph: LinkGraph | null;
}

export interface LinkGraph {
  /** gnn-graph-json or gnn-graphset-json text, validated by its loader before it is used. */
  readonly text: string;
  readonly positions: { readonly x: readonly number[]; readonly y: readonly number[] } | null;
}

/** A config field, 'graph' (drawing, generating and loading graphs) or 'view' (the tabs). */
export type Editable = keyof TrainConfig | 'graph';

export const LINK_VERSION = 1;

/**
 * The longest link the page writes or opens. Chromium takes URLs of up to 2 MB, but chat apps
 * and mail cut long ones; a drawn graph of a few hundred nodes needs a few kilobytes.
 */
export const MAX_LINK_CHARS = 200_000;

/** The most a link's compressed graph may unpack to (a deflate bomb is stopped here). */
export const MAX_GRAPH_BYTES = 20 * 2 ** 20;

/** Why a link could not be opened, in words for the page's banner. */
export class LinkError extends Error {}

const colours: readonly ColourBy[] = ['predicted', 'true', 'correct'];

export async function encodeLink(s: LinkState): Promise<string> {
  const p = new URLSearchParams();
  p.set('v', String(LINK_VERSION));
  p.set('dataset', s.config.dataset);
  p.set('model', s.config.model);
  // Only what differs from the model's published settings: a short link makes a QR code a
  // projector can show. Decoding fills the rest from the same recipes, so a change to a recipe
  // must come with a new link version whose decoder keeps the old recipe (the golden links in
  // tests/fixtures/links/ check the full config and fail first).
  const recipe = recipeConfig(s.config.dataset, s.config.model);
  for (const key of configKeys) if (!Object.is(s.config[key], recipe[key])) p.set(key, String(s.config[key]));
  if (s.view !== 'graph') p.set('view', s.view);
  if (s.colourBy !== 'predicted') p.set('colour', s.colourBy);
  if (s.selected !== null) p.set('node', String(s.selected));
  if (s.editable) p.set('edit', s.editable.join(','));
  if (s.graph) {
    const payload = JSON.stringify({ graph: JSON.parse(s.graph.text), positions: s.graph.positions });
    p.set('g', toBase64Url(await deflate(new TextEncoder().encode(payload))));
  }
  const link = p.toString();
  if (link.length > MAX_LINK_CHARS) {
    throw new LinkError(`the link would be ${link.length} characters, more than the ${MAX_LINK_CHARS} a link may have; save the graph as a file and share that instead`);
  }
  return link;
}

/** The state a link's fragment (with or without its '#') describes, or a LinkError saying why not. */
export async function decodeLink(fragment: string): Promise<LinkState> {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (text.length > MAX_LINK_CHARS) throw new LinkError(`the link is ${text.length} characters long, more than the ${MAX_LINK_CHARS} the page opens`);
  let p: URLSearchParams;
  try {
    p = new URLSearchParams(text);
  } catch {
    throw new LinkError('it is not a playground link');
  }
  const v = p.get('v');
  if (v === null) throw new LinkError('it is not a playground link (no version)');
  const version = Number(v);
  const decode = decoders[version];
  if (!decode) {
    throw new LinkError(Number.isInteger(version) && version > LINK_VERSION
      ? `it was made by a newer version of the page (link version ${v}, this page reads up to ${LINK_VERSION}); reload the page`
      : `its version '${v}' is not one this page knows`);
  }
  return decode(p);
}

/**
 * One decoder per link version that ever existed, so old links keep opening: a new version
 * adds its decoder and keeps the old ones (turning their fields into the new state).
 */
const decoders: Record<number, (p: URLSearchParams) => Promise<LinkState>> = { 1: decodeV1 };

const known = new Set<string>(['v', 'view', 'colour', 'node', 'edit', 'g', ...configKeys]);

async function decodeV1(p: URLSearchParams): Promise<LinkState> {
  for (const key of p.keys()) if (!known.has(key)) throw new LinkError(`it has a field '${key.slice(0, 40)}' this page does not know`);
  const dataset = field(p, 'dataset', 'karate');
  const model = field(p, 'model', 'gcn');
  // Fields the link leaves out take the model's published settings (a shorter hand-made link).
  const base = recipeConfig(dataset, model);
  const config = { ...base } as Record<string, unknown>;
  for (const key of configKeys) {
    const raw = p.get(key);
    if (raw !== null) config[key] = field(p, key, base[key]);
  }
  const problem = checkConfig(config as unknown as TrainConfig);
  if (problem) throw new LinkError(`its settings do not fit together: ${problem}`);

  const view = p.get('view') ?? 'graph';
  if (!(views as readonly string[]).includes(view)) throw new LinkError(`its view '${view.slice(0, 40)}' does not exist`);
  const colourBy = p.get('colour') ?? 'predicted';
  if (!(colours as readonly string[]).includes(colourBy)) throw new LinkError(`its colouring '${colourBy.slice(0, 40)}' does not exist`);
  const node = p.get('node');
  const selected = node === null ? null : Number(node);
  if (selected !== null && !(Number.isInteger(selected) && selected >= 0 && selected < 2 ** 31)) throw new LinkError(`its node '${node!.slice(0, 40)}' is not a node id`);

  const edit = p.get('edit');
  let editable: Editable[] | null = null;
  if (edit !== null) {
    const names = edit === '' ? [] : edit.split(',');
    for (const e of names) {
      if (e !== 'graph' && !(configKeys as string[]).includes(e)) throw new LinkError(`it unlocks '${e.slice(0, 40)}', which is not a control`);
    }
    editable = names as Editable[];
  }

  const custom = config.dataset === 'custom' || config.dataset === 'custom-graphs';
  const g = p.get('g');
  if (custom && g === null) throw new LinkError('it names your own graph but does not carry it');
  if (!custom && g !== null) throw new LinkError('it carries a graph for a shipped data set');
  const graph = g === null ? null : await readGraph(g, config.dataset === 'custom-graphs');
  return { config: config as unknown as TrainConfig, view: view as ViewId, colourBy: colourBy as ColourBy, selected, editable, graph };
}

function field<K extends keyof TrainConfig>(p: URLSearchParams, key: K, fallback: TrainConfig[K]): TrainConfig[K] {
  const raw = p.get(key);
  if (raw === null) return fallback;
  const r = readField(key, raw);
  if ('error' in r) throw new LinkError(`its ${r.error.slice(0, 200)}`);
  return r.value;
}

async function readGraph(g: string, set: boolean): Promise<LinkGraph> {
  let payload: unknown;
  try {
    const bytes = await inflate(fromBase64Url(g), MAX_GRAPH_BYTES);
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new LinkError(`its graph cannot be read: ${e instanceof SyntaxError ? 'it is not JSON' : (e as Error).message}`);
  }
  if (typeof payload !== 'object' || payload === null || !('graph' in payload)) throw new LinkError('its graph cannot be read: no graph in it');
  const text = JSON.stringify((payload as { graph: unknown }).graph);
  let numNodes: number;
  try {
    numNodes = set ? parseGraphSetJson(text).numNodes : parseGraphJson(text).numNodes;
  } catch (e) {
    throw new LinkError(`its graph is not valid: ${(e as Error).message}`);
  }
  return { text, positions: readPositions((payload as { positions?: unknown }).positions, numNodes) };
}

function readPositions(v: unknown, n: number): LinkGraph['positions'] {
  if (v === undefined || v === null) return null;
  const o = v as { x?: unknown; y?: unknown };
  const ok = (a: unknown): a is number[] => Array.isArray(a) && a.length === n && a.every((t) => typeof t === 'number' && t >= 0 && t <= 1);
  if (!ok(o.x) || !ok(o.y)) throw new LinkError('its node positions are not one point in the unit square per node');
  return { x: o.x, y: o.y };
}

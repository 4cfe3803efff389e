import { filterGain, type GraphFilter } from '../../metrics/filterResponse';
import { layerKinds, type ModelKind, type ModelSpec } from '../../models/spec';
import { modelInfo } from '../catalog';

/**
 * What the spectral view says about a model's graph part: which Laplacian's eigenvalues its gain
 * is a function of, and the curves to draw. Pure, so it is tested without rendering.
 */

export interface ResponseCurve {
  readonly label: string;
  readonly filter: GraphFilter;
  /** The curve the graph's eigenvalues are marked on (the whole model's response). */
  readonly main: boolean;
}

export interface ModelFilterInfo {
  /** Which Laplacian's spectrum the view shows: GCN's renormalized L~ (self loops) or the plain L. */
  readonly renormalized: boolean;
  /** Empty for layers that are not a fixed spectral filter. */
  readonly curves: readonly ResponseCurve[];
  /** One or two sentences under the response plot. */
  readonly note: string;
  /** Extra caveats (residual, PairNorm, jumping knowledge) that the curves leave out. */
  readonly caveats: readonly string[];
}

/** "(1 − λ̃)^2" etc.: the symbol of the eigenvalue on the view's Laplacian. */
export function lambdaSymbol(renormalized: boolean): string {
  return renormalized ? '\u03bb\u0303' : '\u03bb';
}

const superscript = (k: number) => String(k).replace(/\d/g, (d) => '\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079'[Number(d)]);

/**
 * The first `terms` Chebyshev coefficients of e^(-lambda) on [0, 2] (argument x = lambda - 1), by
 * Chebyshev-Gauss quadrature: an example of a smooth low-pass ChebNet filter. The trained ChebNet
 * learns a matrix Theta_k per term inside the training worker; the page never sees it.
 */
export function exampleChebTheta(terms: number): number[] {
  const m = 64;
  const theta: number[] = [];
  for (let k = 0; k < terms; k++) {
    let s = 0;
    for (let j = 0; j < m; j++) {
      const t = (Math.PI * (j + 0.5)) / m;
      s += Math.exp(-(Math.cos(t) + 1)) * Math.cos(k * t);
    }
    theta.push(((k === 0 ? 1 : 2) * s) / m);
  }
  return theta;
}

/** Each layer's type; a stack the model cannot build (a bad link) counts as the model's own. */
export function stackKindsOf(spec: ModelSpec): ModelKind[] {
  if (spec.model === 'sgc') return ['sgc'];
  try {
    return layerKinds(spec);
  } catch {
    return Array.from({ length: Math.max(1, spec.layers) }, () => spec.model);
  }
}

export function modelFilter(spec: ModelSpec): ModelFilterInfo {
  const caveats: string[] = [];
  const deep = spec.model !== 'sgc' && spec.layers > 1;
  if (deep && spec.residual) caveats.push('Residual connections add each layer\u2019s input back, so some of every frequency survives the stack.');
  if (deep && spec.pairNorm) caveats.push('PairNorm re-centres and rescales after each layer, undoing the collapse onto \u03bb = 0 that deep stacks cause.');
  if (deep && spec.jk !== 'none') caveats.push('Jumping knowledge reads every layer, so the shallow (less smoothed) outputs reach the classifier too.');
  const kinds = stackKindsOf(spec);
  const distinct = [...new Set(kinds)];
  if (distinct.length === 1) return kindFilter(spec, distinct[0], kinds.length, caveats, false);
  // A mixed stack: only some layers, if any, are fixed filters, and GCN and ChebNet filter different Laplacians.
  const names = kinds.map((k) => modelInfo[k].name).join(' \u2192 ');
  const gcn = kinds.filter((k) => k === 'gcn').length;
  const head = `This mixed stack (${names}) is not one fixed spectral filter`;
  if (gcn > 0) {
    const only = kindFilter(spec, 'gcn', gcn, caveats, true);
    return { ...only, note: `${head}; the curves show its ${gcn} GCN layer${gcn === 1 ? '' : 's'} alone. ${only.note}` };
  }
  if (distinct.includes('cheb')) {
    const one = kindFilter(spec, 'cheb', 1, caveats, true);
    return { ...one, note: `${head}; the curves show one of its ChebNet layers. ${one.note}` };
  }
  return { renormalized: false, curves: [], caveats, note: `${head}: none of its layer types is one.` };
}

/** A stack of L layers of one kind (`mixed`: the GCN or ChebNet layers of a mixed stack). */
function kindFilter(spec: ModelSpec, kind: ModelKind, L: number, caveats: string[], mixed: boolean): ModelFilterInfo {
  switch (kind) {
    case 'gcn': {
      const renormalized = spec.selfLoops;
      const l = lambdaSymbol(renormalized);
      const matrix = spec.selfLoops
        ? spec.norm === 'row' ? 'D\u0303\u207b\u00b9(A + I)' : 'D\u0303\u207b\u00bd(A + I)D\u0303\u207b\u00bd'
        : spec.norm === 'row' ? 'D\u207b\u00b9A' : 'D\u207b\u00bdAD\u207b\u00bd';
      // Each of these matrices is I - L (or similar to it) on its own Laplacian, so its gain is
      // 1 - lambda there: the 'gcn' filter's formula, evaluated on the view's eigenvalues.
      const curves: ResponseCurve[] = [{ label: `one layer: 1 \u2212 ${l}`, filter: { kind: 'gcn', layers: 1 }, main: L === 1 }];
      if (L > 1) curves.push({ label: `${L} ${mixed ? 'GCN ' : ''}layers: (1 \u2212 ${l})${superscript(L)}`, filter: { kind: 'gcn', layers: L }, main: true });
      const note = spec.selfLoops
        ? `A GCN layer multiplies by ${matrix}: gain 1 \u2212 ${l}, which keeps smooth signals and damps the rest, a low-pass filter. `
          + (L === 1 ? 'One layer applies it once.' : `${L} layers apply it ${L} times (weights and activations aside), so only the lowest frequencies survive: depth smooths.`)
        : `Without self loops each layer multiplies by ${matrix}, whose gain 1 \u2212 ${l} reaches \u22121 at ${l} = 2: `
          + 'the highest frequencies (neighbours of opposite sign) pass with their sign flipped instead of being damped. The self loops of the renormalization trick pull the spectrum below 2.';
      return { renormalized, curves, note, caveats };
    }
    case 'sgc': {
      const K = spec.k;
      const l = lambdaSymbol(true);
      return {
        renormalized: true,
        curves: [
          { label: `one step: 1 \u2212 ${l}`, filter: { kind: 'sgc', k: 1 }, main: K === 1 },
          ...(K > 1 ? [{ label: `K = ${K}: (1 \u2212 ${l})${superscript(K)}`, filter: { kind: 'sgc', k: K } as const, main: true }] : []),
        ],
        note: `SGC applies GCN\u2019s propagation K = ${K} times with no weights in between, then one linear layer: its graph part is exactly this low-pass filter.`,
        caveats: [],
      };
    }
    case 'cheb': {
      const theta = exampleChebTheta(spec.k);
      const shown = theta.map((t) => t.toFixed(2).replace('-', '\u2212')).join(', ');
      return {
        renormalized: false,
        curves: [
          ...theta.map((_, k) => ({ label: `T${'\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089'[k] ?? k}(\u03bb \u2212 1)`, filter: { kind: 'cheb', theta: theta.map((_, j) => (j === k ? 1 : 0)) } as const, main: false })),
          { label: `example: \u03b8 = (${shown})`, filter: { kind: 'cheb', theta }, main: true },
        ],
        note: `A ChebNet layer is a polynomial of degree K \u2212 1 = ${spec.k - 1} in L: \u03a3\u2096 \u03b8\u2096 T\u2096(\u03bb \u2212 1), reaching ${spec.k - 1} hop${spec.k === 2 ? '' : 's'}. `
          + 'The thin curves are the Chebyshev terms; the thick one is an example \u03b8 (the first terms of e\u207b\u03bb, a low-pass filter), not the trained one: '
          + 'training learns a matrix \u0398\u2096 per term, inside the training worker, and can make the filter low-, band- or high-pass.',
        caveats,
      };
    }
    case 'gat':
      return { renormalized: false, curves: [], caveats: [], note: 'A GAT layer is not a fixed spectral filter: its attention weights depend on the features, so the matrix it multiplies by changes with every input and every epoch.' };
    case 'sage':
      return { renormalized: false, curves: [], caveats: [], note: `A GraphSAGE layer is not a fixed spectral filter: the ${spec.aggr} of the neighbours and the node itself get separate learned weights${spec.aggr === 'max' ? ', and max is not linear at all' : ''}.` };
    case 'gin':
      return { renormalized: false, curves: [], caveats: [], note: 'A GIN layer is not a fixed spectral filter: it sums the neighbours without normalization ((1 + \u03b5)I + A, not a function of this Laplacian) and then applies an MLP.' };
    case 'rgcn':
      return { renormalized: false, curves: [], caveats: [], note: 'An R-GCN layer is not a fixed spectral filter: each edge type has its own learned weight, and the node itself another.' };
  }
}

/** The gain of a curve at each eigenvalue (for the marks on the response plot). */
export function gainsAt(curve: ResponseCurve, eigenvalues: ArrayLike<number>): Float64Array {
  const out = new Float64Array(eigenvalues.length);
  for (let i = 0; i < out.length; i++) out[i] = filterGain(curve.filter, eigenvalues[i]);
  return out;
}

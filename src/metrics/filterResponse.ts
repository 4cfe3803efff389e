/**
 * Frequency responses g(lambda) of the models' propagation: a filter that is a polynomial p in a
 * normalized Laplacian L = U diag(lambda) U^T acts as p(L) x = U diag(g(lambda)) U^T x, i.e. it
 * scales the part of a node signal along each eigenvector by g at that eigenvalue. Small lambda
 * are smooth signals (constant on a component at lambda = 0), large ones oscillate across edges
 * (lambda = 2 only on a bipartite component). Weights and nonlinearities between layers are left
 * out: this is what the graph part of each model does on its own.
 *
 * Two Laplacians are involved (both from spectral.ts): ChebNet filters lambda of the plain
 * L = I - D^-1/2 A D^-1/2, while GCN and SGC filter lambda~ of the renormalized
 * L~ = I - D~^-1/2 (A + I) D~^-1/2. They are not one function of the other, because the eigenvectors
 * differ too, but for a graph without isolated nodes or self loops L~ = S L S with
 * S = diag(sqrt(d_i / (d_i + 1))) (d_i the weighted degree), so by Ostrowski's theorem the k-th smallest
 * lambda~_k = theta_k lambda_k with theta_k between min_i d_i / (d_i + 1) and max_i d_i / (d_i + 1);
 * on a d-regular graph exactly lambda~ = lambda d / (d + 1) (`regularRenormalizedEigenvalue`). The
 * self loops thus pull the spectrum below 2 (the renormalized graph is never bipartite), and
 * that is why GCN's 1 - lambda~ stays above -1 while Kipf and Welling's first-order filter before
 * renormalization, 2 - lambda on L, reaches 2 and explodes when stacked.
 */

export type GraphFilter =
  /** K stacked GCN propagations D~^-1/2 (A + I) D~^-1/2: g(lambda~) = (1 - lambda~)^K. */
  | { readonly kind: 'gcn'; readonly layers?: number }
  /** SGC's S^K: the same polynomial as K GCN layers, applied once with no weights in between. */
  | { readonly kind: 'sgc'; readonly k: number }
  /**
   * Row-normalized (random-walk) propagation D~^-1 (A + I), a mean over the neighbourhood and self.
   * It is similar to GCN's matrix (D~^-1/2 times it times D~^1/2), so it has the same eigenvalues
   * and g(lambda~) = (1 - lambda~)^K, but along the eigenvectors D~^-1/2 u, which are not orthogonal.
   */
  | { readonly kind: 'row'; readonly layers?: number }
  /** Kipf and Welling's eq. 6 before the renormalization trick: I + D^-1/2 A D^-1/2, g(lambda) = (2 - lambda)^K on L. */
  | { readonly kind: 'first-order'; readonly layers?: number }
  /**
   * ChebConv with scalar coefficients theta_0..theta_{K-1} (PyG's K terms):
   * g(lambda) = sum_k theta_k T_k(2 lambda / lambdaMax - 1), lambdaMax defaulting to 2 as in the
   * models (src/graph/normalize.ts chebNorm), so the argument is lambda - 1.
   */
  | { readonly kind: 'cheb'; readonly theta: readonly number[]; readonly lambdaMax?: number };

/** Which Laplacian's eigenvalues a filter's gain is a function of (spectral.ts `renormalized`). */
export function filterLaplacian(filter: GraphFilter): 'renormalized' | 'plain' {
  return filter.kind === 'gcn' || filter.kind === 'sgc' || filter.kind === 'row' ? 'renormalized' : 'plain';
}

/** (1 - lambda~)^layers: GCN's propagation on the renormalized Laplacian's eigenvalue. */
export function gcnGain(lambdaTilde: number, layers = 1): number {
  return (1 - lambdaTilde) ** checkPower(layers, 'layers');
}

/** (1 - lambda~)^k: SGC's K propagation steps. */
export function sgcGain(lambdaTilde: number, k: number): number {
  return (1 - lambdaTilde) ** checkPower(k, 'k');
}

/** (2 - lambda)^layers: the first-order filter without renormalization, on the plain Laplacian. */
export function firstOrderGain(lambda: number, layers = 1): number {
  return (2 - lambda) ** checkPower(layers, 'layers');
}

/** sum_k theta_k T_k(2 lambda / lambdaMax - 1), by Clenshaw's recurrence (stable for any argument). */
export function chebGain(lambda: number, theta: readonly number[], lambdaMax = 2): number {
  if (!(lambdaMax > 0)) throw new Error(`chebGain: lambdaMax must be positive, got ${lambdaMax}`);
  const x = (2 * lambda) / lambdaMax - 1;
  let b1 = 0;
  let b2 = 0;
  for (let k = theta.length - 1; k >= 1; k--) {
    const b0 = theta[k] + 2 * x * b1 - b2;
    b2 = b1;
    b1 = b0;
  }
  return theta.length === 0 ? 0 : theta[0] + x * b1 - b2;
}

export function filterGain(filter: GraphFilter, lambda: number): number {
  switch (filter.kind) {
    case 'gcn':
    case 'row':
      return gcnGain(lambda, filter.layers ?? 1);
    case 'sgc':
      return sgcGain(lambda, filter.k);
    case 'first-order':
      return firstOrderGain(lambda, filter.layers ?? 1);
    case 'cheb':
      return chebGain(lambda, filter.theta, filter.lambdaMax);
  }
}

/** The gain at each of a spectrum's eigenvalues (those of `filterLaplacian(filter)`). */
export function responseAt(filter: GraphFilter, eigenvalues: ArrayLike<number>): Float64Array {
  const out = new Float64Array(eigenvalues.length);
  for (let i = 0; i < out.length; i++) out[i] = filterGain(filter, eigenvalues[i]);
  return out;
}

/** The gain at `samples` evenly spaced points of [0, 2], both ends included, for drawing the curve. */
export function sampleResponse(filter: GraphFilter, samples = 201): { lambda: Float64Array; gain: Float64Array } {
  if (!Number.isInteger(samples) || samples < 2) throw new Error(`sampleResponse: samples must be an integer of at least 2, got ${samples}`);
  const lambda = new Float64Array(samples);
  for (let i = 0; i < samples; i++) lambda[i] = (2 * i) / (samples - 1);
  return { lambda, gain: responseAt(filter, lambda) };
}

/** lambda~ for an eigenvalue lambda of a d-regular graph's plain Laplacian (exact there; see above). */
export function regularRenormalizedEigenvalue(lambda: number, degree: number): number {
  return (lambda * degree) / (degree + 1);
}

function checkPower(k: number, name: string): number {
  if (!Number.isInteger(k) || k < 0) throw new Error(`${name} must be a nonnegative integer, got ${k}`);
  return k;
}

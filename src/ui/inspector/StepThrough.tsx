import { useEffect, useState } from 'react';
import type { InspectedLayer } from '../../train/protocol';
import { vec } from './NodeInspector';

const activationNames: Record<string, string> = {
  relu: 'ReLU', elu: 'ELU', leaky_relu: 'LeakyReLU', tanh: 'tanh', sigmoid: 'σ', none: 'identity',
};

/** The running sum after the first `k` messages of the layer. */
function partialSum(layer: InspectedLayer, k: number): Float64Array {
  const d = layer.messageDim;
  const sum = new Float64Array(d);
  for (let e = 0; e < k; e++) for (let j = 0; j < d; j++) sum[j] += layer.messages![e * d + j];
  return sum;
}

/**
 * One round of message passing for the inspected node, a term at a time: each neighbour's
 * coefficient times its transformed features, the running sum, then the bias and activation
 * that give the layer's output. Play animates it; Next and Back step by hand.
 */
export function StepThrough({ layer }: { readonly layer: InspectedLayer }) {
  const entries = layer.sources.length;
  const [k, setK] = useState(0);
  const [playing, setPlaying] = useState(false);
  const last = entries + 1; // every message, then "+ bias, activation"
  useEffect(() => {
    if (!playing) return;
    if (k >= last) {
      setPlaying(false);
      return;
    }
    const t = setTimeout(() => setK((x) => x + 1), 900);
    return () => clearTimeout(t);
  }, [playing, k, last]);
  if (!layer.messages || layer.combine === 'none') {
    return <p className="hint">This layer is not a sum of one message per edge, so there is nothing to step through.</p>;
  }
  const sum = partialSum(layer, Math.min(k, entries));
  const term = k >= 1 && k <= entries ? k - 1 : null;
  const act = activationNames[layer.activation] ?? layer.activation;
  return (
    <div className="step-through" data-testid="step-through">
      <div className="buttons">
        <button type="button" onClick={() => { setPlaying(false); setK((x) => Math.max(0, x - 1)); }} disabled={k === 0}>Back</button>
        <button type="button" data-testid="step-next" onClick={() => { setPlaying(false); setK((x) => Math.min(last, x + 1)); }} disabled={k >= last}>Next term</button>
        <button type="button" onClick={() => { if (k >= last) setK(0); setPlaying(true); }} disabled={playing}>Play</button>
      </div>
      <p aria-live="polite" className="mono" data-testid="step-text">
        {k === 0 && `Start: h = 0. The node sums ${entries} terms (${layer.combine === 'mlp' ? 'then its MLP' : `then adds the bias and applies ${act}`}).`}
        {term !== null && (
          <>
            Term {term + 1} of {entries}: {layer.roles[term] === 'self' ? 'itself' : `neighbour ${layer.sources[term]}`}, coefficient{' '}
            {layer.coefficients[term * layer.heads].toFixed(3)} × its transformed features ={' '}
            {vec(layer.messages, term * layer.messageDim, layer.messageDim)}
            <br />running sum = {vec(sum)}
          </>
        )}
        {k === last && (
          <>
            sum = {vec(sum)}
            {layer.combine === 'sum' && layer.bias && <><br />+ bias {vec(layer.bias)}</>}
            <br />{layer.combine === 'mlp' ? 'MLP of the sum' : `${act}(…)`}{layer.pairNorm ? ' after PairNorm' : ''}{layer.residual ? ', plus the input (residual)' : ''} = {vec(layer.output)}
          </>
        )}
      </p>
    </div>
  );
}

import type { Backend, PackedTensors, SparseStructure, Tensor } from './backend';

export interface TrackedBackend {
  /** The same backend, remembering every tensor and structure made through it. */
  readonly backend: Backend;
  /** Frees whatever made through `backend` is still alive; the backend itself stays open. */
  releaseAll(): void;
}

/**
 * A view of `backend` for a short-lived trainer (a depth sweep's runs) on a backend that outlives
 * it: everything the trainer allocates, down to a layer's constant tensors, can be freed at once
 * without each class listing what it owns. Releases through the view are forgotten, so nothing
 * is returned to the pool twice, and a release of something the view did not make is ignored.
 * `destroy` through the view releases instead of destroying.
 */
export function trackBackend(backend: Backend): TrackedBackend {
  const tensors = new Set<Tensor>();
  const structures = new Set<SparseStructure>();
  const packs = new Set<PackedTensors>();
  const releaseAll = (): void => {
    for (const t of tensors) backend.release(t);
    for (const s of structures) backend.releaseSparse(s);
    for (const p of packs) backend.releasePacked(p);
    tensors.clear();
    structures.clear();
    packs.clear();
  };
  const overrides: Partial<Backend> = {
    tensor: (rows, cols, data) => remember(tensors, backend.tensor(rows, cols, data)),
    intTensor: (rows, cols, data) => remember(tensors, backend.intTensor(rows, cols, data)),
    sparse: (csr) => remember(structures, backend.sparse(csr)),
    packTensors: (shapes, data) => remember(packs, backend.packTensors(shapes, data)),
    release: (t) => {
      if (tensors.delete(t)) backend.release(t);
    },
    releaseSparse: (s) => {
      if (structures.delete(s)) backend.releaseSparse(s);
    },
    releasePacked: (p) => {
      if (packs.delete(p)) backend.releasePacked(p);
    },
    destroy: releaseAll,
  };
  const bound = new Map<PropertyKey, unknown>();
  const view = new Proxy(backend, {
    get(target, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof Backend];
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      // Methods run on the real backend, whose private state a proxy `this` would not reach.
      if (!bound.has(prop)) bound.set(prop, value.bind(target));
      return bound.get(prop);
    },
  });
  return { backend: view, releaseAll };
}

function remember<T>(set: Set<T>, x: T): T {
  set.add(x);
  return x;
}

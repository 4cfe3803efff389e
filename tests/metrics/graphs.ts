import { csrFromCoo } from '../../src/graph/csr';
import type { Csr } from '../../src/graph/types';

/** An undirected graph: each edge stored both ways, as the loaders do. */
export function undirected(n: number, edges: readonly (readonly [number, number])[], weights?: readonly number[]): Csr {
  const dst: number[] = [], src: number[] = [], w: number[] = [];
  edges.forEach(([a, b], k) => {
    dst.push(a, b);
    src.push(b, a);
    w.push(weights?.[k] ?? 1, weights?.[k] ?? 1);
  });
  return csrFromCoo(n, n, dst, src, weights ? w : undefined);
}

export const path = (n: number) => undirected(n, Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const));
export const ring = (n: number) => undirected(n, Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as const));
export function complete(n: number): Csr {
  const edges: [number, number][] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) edges.push([a, b]);
  return undirected(n, edges);
}

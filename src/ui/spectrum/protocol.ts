import type { Layout, SpectralGraph, SpectrumResult } from './spectralData';

/** Messages between the page and spectrum.worker.ts. */
export type SpectrumRequest =
  | { readonly id: number; readonly kind: 'spectrum'; readonly graph: SpectralGraph; readonly renormalized: boolean }
  | { readonly id: number; readonly kind: 'layout'; readonly graph: SpectralGraph };

export type SpectrumReply =
  | { readonly id: number; readonly kind: 'spectrum'; readonly result: SpectrumResult }
  | { readonly id: number; readonly kind: 'layout'; readonly result: Layout }
  | { readonly id: number; readonly kind: 'error'; readonly message: string };

// d3's category10 without its grey, which is kept for "not predicted yet".
export const classColors = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#e377c2', '#17becf', '#bcbd22',
] as const;

export const unknownColor = '#a0a4aa';

/** Right / wrong fills: a blue and an orange that stay apart for red-green colour blindness. */
export const correctColor = '#1d4ed8';
export const wrongColor = '#ea580c';

export function classColor(c: number): string {
  return c < 0 ? unknownColor : classColors[c % classColors.length];
}

export const seriesColors = { loss: '#c2410c', train: '#1d4ed8', val: '#15803d', test: '#b91c1c' } as const;

/**
 * Every compute kernel: which WGSL file in shaders/ and which entry point. The pipeline cache
 * compiles all of them when a device is opened, so a shader error shows before training starts.
 */
export const kernels = {
  spmm: { file: 'spmm', entry: 'main' },
  gemm: { file: 'gemm', entry: 'main' },
  gemmTiled: { file: 'gemm_tiled', entry: 'main' },
  biasAct: { file: 'elementwise', entry: 'bias_act' },
  reluBackward: { file: 'elementwise', entry: 'relu_backward' },
  add: { file: 'elementwise', entry: 'add' },
  dropout: { file: 'elementwise', entry: 'dropout' },
  copy: { file: 'elementwise', entry: 'copy' },
  colSum: { file: 'reduce', entry: 'col_sum' },
  nllRows: { file: 'loss', entry: 'nll_rows' },
  lossSum: { file: 'loss', entry: 'loss_sum' },
  accuracy: { file: 'loss', entry: 'accuracy' },
  adam: { file: 'adam', entry: 'main' },
} as const;

export type KernelName = keyof typeof kernels;

/** WGSL source text by file name without extension (e.g. 'spmm'). */
export type ShaderSources = Readonly<Record<string, string>>;

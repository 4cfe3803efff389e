import type { Message, Reducer } from '../engine/backend';

/**
 * One compute pipeline: a WGSL file in shaders/, an entry point, and the values of the file's
 * `override` constants, which specialize a kernel at pipeline creation so that variants share
 * one source without paying for a runtime branch in their inner loop.
 */
export interface KernelSpec {
  readonly file: string;
  readonly entry: string;
  readonly constants?: Readonly<Record<string, number>>;
}

/** The codes of shaders/gspmm.wgsl's MSG and REDUCE overrides. */
export const messageCode: Readonly<Record<Message, number>> = { copy_u: 0, u_mul_e: 1, copy_e: 2, u_add_e: 3 };
export const reducerCode: Readonly<Record<Reducer, number>> = { sum: 0, mean: 1, max: 2, min: 3 };

export type GspmmKernel = `gspmm_${Message}_${Reducer}`;

/** One pipeline per message and reducer: the message is read in the row loop, so it is a constant. */
function gspmmKernels(): Record<GspmmKernel, KernelSpec> {
  const out: Partial<Record<GspmmKernel, KernelSpec>> = {};
  for (const msg of Object.keys(messageCode) as Message[]) {
    for (const reduce of Object.keys(reducerCode) as Reducer[]) {
      const entry = reduce === 'sum' || reduce === 'mean' ? 'sum_rows' : 'extreme_rows';
      out[`gspmm_${msg}_${reduce}`] = { file: 'gspmm', entry, constants: { MSG: messageCode[msg], REDUCE: reducerCode[reduce] } };
    }
  }
  return out as Record<GspmmKernel, KernelSpec>;
}

/**
 * Every compute kernel. The pipeline cache compiles all of them when a device is opened, so a
 * shader error shows before training starts.
 */
export const kernels = {
  spmm: { file: 'spmm', entry: 'main' },
  ...gspmmKernels(),
  gspmmArgBackward: { file: 'gspmm', entry: 'arg_backward' },
  sddmm: { file: 'sddmm', entry: 'main' },
  edgeSoftmax: { file: 'edge_softmax', entry: 'forward' },
  edgeSoftmaxBackward: { file: 'edge_softmax', entry: 'backward' },
  gemm: { file: 'gemm', entry: 'main' },
  gemmTiled: { file: 'gemm_tiled', entry: 'main' },
  biasAct: { file: 'pointwise', entry: 'bias_act' },
  activation: { file: 'pointwise', entry: 'activation' },
  activationBackward: { file: 'pointwise', entry: 'activation_backward' },
  binary: { file: 'pointwise', entry: 'binary' },
  unary: { file: 'pointwise', entry: 'unary' },
  scale: { file: 'pointwise', entry: 'scale' },
  copyCols: { file: 'copy_cols', entry: 'main' },
  reluBackward: { file: 'elementwise', entry: 'relu_backward' },
  add: { file: 'elementwise', entry: 'add' },
  dropout: { file: 'elementwise', entry: 'dropout' },
  copy: { file: 'elementwise', entry: 'copy' },
  colSum: { file: 'reduce', entry: 'col_sum' },
  rowSum: { file: 'reduce', entry: 'row_sum' },
  nllRows: { file: 'loss', entry: 'nll_rows' },
  lossSum: { file: 'loss', entry: 'loss_sum' },
  accuracy: { file: 'loss', entry: 'accuracy' },
  adam: { file: 'adam', entry: 'main' },
} satisfies Record<string, KernelSpec>;

export type KernelName = keyof typeof kernels;

/** WGSL source text by file name without extension (e.g. 'spmm'). */
export type ShaderSources = Readonly<Record<string, string>>;

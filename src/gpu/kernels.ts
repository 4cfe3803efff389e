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
  /**
   * Made on first use instead of when the device opens (its WGSL is still checked then). For
   * the g-SpMM row kernels: 36 variants, each taking 1 to 2 s to compile on SwiftShader (a
   * barrier-heavy loop nest), of which a model uses a few, and only where the schedule choice
   * picks them.
   */
  readonly lazy?: boolean;
}

/** The codes of shaders/gspmm.wgsl's MSG and REDUCE overrides. */
export const messageCode: Readonly<Record<Message, number>> = { copy_u: 0, u_mul_e: 1, copy_e: 2, u_add_e: 3 };
export const reducerCode: Readonly<Record<Reducer, number>> = { sum: 0, mean: 1, max: 2, min: 3 };

export type GspmmKernel = `gspmm_${Message}_${Reducer}`;
/** The row-parallel / chunked kernels of shaders/gspmm_rows.wgsl (scalar) and gspmm_rows4.wgsl (vec4). */
export type GspmmRowsKernel = `gspmmRows_${Message}_${Reducer}` | `gspmmRows4_${Message}_${Reducer}`;
export type GspmmMergeKernel = `gspmmMerge_${Reducer}`;
/** The sum variants spmm runs on, with the bias / activation / dropout epilogue (EPI = 1). */
export type FusedMessage = 'copy_u' | 'u_mul_e';
export type GspmmRowsFusedKernel = `gspmmRowsFused_${FusedMessage}` | `gspmmRows4Fused_${FusedMessage}` | 'gspmmMergeFused';

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

/** The same grid for the row-parallel kernels (scalar and vec4), and one merge per reducer. */
function gspmmRowsKernels(): Record<GspmmRowsKernel | GspmmMergeKernel, KernelSpec> {
  const out: Partial<Record<GspmmRowsKernel | GspmmMergeKernel, KernelSpec>> = {};
  for (const reduce of Object.keys(reducerCode) as Reducer[]) {
    const entry = reduce === 'sum' || reduce === 'mean' ? 'sum_rows' : 'extreme_rows';
    for (const msg of Object.keys(messageCode) as Message[]) {
      const constants = { MSG: messageCode[msg], REDUCE: reducerCode[reduce] };
      out[`gspmmRows_${msg}_${reduce}`] = { file: 'gspmm_rows', entry, constants, lazy: true };
      out[`gspmmRows4_${msg}_${reduce}`] = { file: 'gspmm_rows4', entry, constants, lazy: true };
    }
    out[`gspmmMerge_${reduce}`] = { file: 'gspmm_rows', entry: 'merge', constants: { REDUCE: reducerCode[reduce] }, lazy: true };
  }
  return out as Record<GspmmRowsKernel | GspmmMergeKernel, KernelSpec>;
}

function gspmmRowsFusedKernels(): Record<GspmmRowsFusedKernel, KernelSpec> {
  const out: Partial<Record<GspmmRowsFusedKernel, KernelSpec>> = {};
  for (const msg of ['copy_u', 'u_mul_e'] as const) {
    const constants = { MSG: messageCode[msg], REDUCE: reducerCode.sum, EPI: 1 };
    out[`gspmmRowsFused_${msg}`] = { file: 'gspmm_rows', entry: 'sum_rows', constants, lazy: true };
    out[`gspmmRows4Fused_${msg}`] = { file: 'gspmm_rows4', entry: 'sum_rows', constants, lazy: true };
  }
  out.gspmmMergeFused = { file: 'gspmm_rows', entry: 'merge', constants: { REDUCE: reducerCode.sum, EPI: 1 }, lazy: true };
  return out as Record<GspmmRowsFusedKernel, KernelSpec>;
}

/**
 * Every compute kernel. The pipeline cache compiles every WGSL file and all but the lazy
 * pipelines when a device is opened, so a shader error shows before training starts.
 */
export const kernels = {
  // VALUES: none / values[k] / values[perm[k]] (see spmmKernel).
  spmm: { file: 'spmm', entry: 'main', constants: { VALUES: 0 } },
  spmmValues: { file: 'spmm', entry: 'main', constants: { VALUES: 1 } },
  spmmValuesPerm: { file: 'spmm', entry: 'main', constants: { VALUES: 2 }, lazy: true },
  spmmFused: { file: 'spmm', entry: 'fused', constants: { VALUES: 0 }, lazy: true },
  spmmFusedValues: { file: 'spmm', entry: 'fused', constants: { VALUES: 1 } },
  spmmFusedValuesPerm: { file: 'spmm', entry: 'fused', constants: { VALUES: 2 }, lazy: true },
  ...gspmmKernels(),
  ...gspmmRowsKernels(),
  ...gspmmRowsFusedKernels(),
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
  adamPacked: { file: 'adam_packed', entry: 'main' },
} satisfies Record<string, KernelSpec>;

export type KernelName = keyof typeof kernels;

/** The spmm.wgsl pipeline for a product with or without edge values, through a perm or not. */
export function spmmKernel(fused: boolean, hasValues: boolean, hasPerm: boolean): KernelName {
  const v = hasValues ? (hasPerm ? 'ValuesPerm' : 'Values') : '';
  return `${fused ? 'spmmFused' : 'spmm'}${v}` as KernelName;
}

/** WGSL source text by file name without extension (e.g. 'spmm'). */
export type ShaderSources = Readonly<Record<string, string>>;

/**
 * WGSL has no include: the `lib_*.wgsl` files a kernel file uses are prepended to it, so the
 * fused kernels share one definition of the activations and of the dropout mask with the
 * pointwise and element-wise kernels (and round alike by construction).
 */
export const shaderLibraries: Readonly<Record<string, readonly string[]>> = {
  pointwise: ['lib_activation'],
  elementwise: ['lib_dropout'],
  spmm: ['lib_activation', 'lib_dropout'],
  gspmm_rows: ['lib_activation', 'lib_dropout'],
  gspmm_rows4: ['lib_activation', 'lib_dropout'],
};

/** A kernel file's code with its libraries in front, and where each part starts (1-based lines). */
export function shaderCode(sources: ShaderSources, file: string): { code: string; parts: { file: string; firstLine: number }[] } | null {
  const names = [...(shaderLibraries[file] ?? []), file];
  const parts: { file: string; firstLine: number }[] = [];
  let code = '', line = 1;
  for (const name of names) {
    const text = sources[name];
    if (text === undefined) return null;
    const chunk = text.endsWith('\n') ? text : `${text}\n`;
    parts.push({ file: name, firstLine: line });
    code += chunk;
    line += chunk.split('\n').length - 1;
  }
  return { code, parts };
}

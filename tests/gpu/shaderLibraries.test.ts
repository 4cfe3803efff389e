import { describe, expect, it } from 'vitest';
import { configureVulkan, nodeGpu, nodeShaderSources } from '../../src/cli/nodeGpu';
import { openGpu } from '../../src/gpu/context';
import { shaderCode } from '../../src/gpu/kernels';
import { PipelineCache } from '../../src/gpu/pipelines';

/** Library WGSL files prepended to kernel files: one definition, and errors told by their own file and line. */
describe('shader libraries', async () => {
  configureVulkan(true);
  const device = (await openGpu(await nodeGpu())).device;
  const sources = nodeShaderSources();

  it('prepends each library once, in order, and no kernel file defines what a library does', () => {
    const joined = shaderCode(sources, 'gspmm_rows')!;
    expect(joined.parts.map((p) => p.file)).toEqual(['lib_activation', 'lib_dropout', 'gspmm_rows']);
    expect(joined.code.match(/fn activate\(/g)).toHaveLength(1);
    expect(joined.code.match(/fn pcg\(/g)).toHaveLength(1);
    for (const file of ['pointwise', 'elementwise', 'spmm', 'gspmm_rows', 'gspmm_rows4']) {
      expect(sources[file]).not.toMatch(/fn (activate|pcg)\(/);
    }
  });

  it('a WGSL error names the file and line it is on, kernel file or library', async () => {
    const lines = sources.spmm.split('\n');
    const broken = { ...sources, spmm: [...lines.slice(0, 3), 'this is not wgsl;', ...lines.slice(3)].join('\n') };
    await expect(PipelineCache.create(device, broken)).rejects.toThrow(/spmm\.wgsl:4:/);
    const badLib = { ...sources, lib_dropout: `${sources.lib_dropout}\nfn oops( {\n` };
    const libLine = sources.lib_dropout.split('\n').length + 1;
    await expect(PipelineCache.create(device, badLib)).rejects.toThrow(new RegExp(`lib_dropout\\.wgsl:${libLine}:`));
  });
});

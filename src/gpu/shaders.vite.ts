import type { ShaderSources } from './kernels';

// Vite inlines every shaders/*.wgsl file as text, in the page and in the browser tests.
const files = import.meta.glob('../../shaders/*.wgsl', { query: '?raw', import: 'default', eager: true });

export const viteShaderSources: ShaderSources = Object.fromEntries(
  Object.entries(files).map(([path, text]) => [path.replace(/^.*\/(\w+)\.wgsl$/, '$1'), text as string]),
);

export { barbell } from './barbell';
export { MAX_GENERATED_EDGES, MAX_GENERATED_NODES, type GeneratorOptions } from './common';
export { grid } from './grid';
export { edgeHomophily } from './homophily';
export { karate } from './karate';
export { ring } from './ring';
export { expectedSbmHomophily, MAX_SBM_NODES, sbm, sbmBlocks, type SbmOptions } from './sbm';
export { tree } from './tree';

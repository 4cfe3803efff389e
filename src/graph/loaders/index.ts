export { loadUserFiles, MAX_USER_BYTES, SUPPORTED_FORMATS, type UserFile, type UserGraph } from './detect';
export { MAX_EDGE_LIST_EDGES, MAX_LABEL_CLASSES, parseEdgeList, type EdgeListResult } from './edgeList';
export { parseNpy, type NpyArray } from './npy';
export { parseNpz, type NpzResult } from './npz';
export type { TextFile } from './text';
export { parseTuFiles } from './tuFiles';
export { MAX_UNPACKED_BYTES, zipMemberData, zipMembers, type ZipMember } from './zip';

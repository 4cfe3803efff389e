/**
 * A graph file that breaks its format. `path` names the offending place the way the UI should
 * show it (`edges.src[17]`, `features.indptr`; '' for the file as a whole), so a user can find it
 * in the file without reading a stack trace.
 */
export class GraphFormatError extends Error {
  readonly path: string;

  constructor(path: string, problem: string) {
    super(path ? `${path}: ${problem}` : problem);
    this.name = 'GraphFormatError';
    this.path = path;
  }
}

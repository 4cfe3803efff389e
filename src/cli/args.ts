/** A tiny `--name value` / `--flag` parser: enough for our two commands, no dependency. */
export function parseArgs(argv: readonly string[], flags: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}'`);
    const [name, inline] = a.slice(2).split('=', 2);
    if (flags.includes(name)) out.set(name, 'true');
    else if (inline !== undefined) out.set(name, inline);
    else if (i + 1 < argv.length) out.set(name, argv[++i]);
    else throw new Error(`--${name} needs a value`);
  }
  return out;
}

export function numberArg(args: Map<string, string>, name: string, fallback: number): number {
  const v = args.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got '${v}'`);
  return n;
}

export function stats(xs: readonly number[]): { mean: number; std: number; median: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  // Sample standard deviation, as papers report over seeds.
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { mean, std, median };
}

import type { TrainConfig } from '../train/protocol';

/** `--weight-decay` for `weightDecay`: every config field is a flag of the same name. */
const flagOf = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Fields the command line sets some other way (dataset and backend pick files and devices). */
const reserved = new Set(['dataset', 'backend']);

/** Every config field as a flag with its type, for the usage text. */
export function configFlags(base: TrainConfig): string[] {
  return Object.entries(base).filter(([k]) => !reserved.has(k)).map(([k, v]) => `--${flagOf(k)} ${typeof v === 'number' ? 'N' : typeof v === 'boolean' ? 'true|false' : String(v)}`);
}

/** `base` with each field a flag names replaced, typed like the field it replaces. */
export function applyConfigArgs(base: TrainConfig, args: Map<string, string>): TrainConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(base)) {
    const raw = args.get(flagOf(key));
    if (raw === undefined || reserved.has(key)) continue;
    if (typeof value === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error(`--${flagOf(key)} must be a number, got '${raw}'`);
      out[key] = n;
    } else if (typeof value === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw new Error(`--${flagOf(key)} must be true or false, got '${raw}'`);
      out[key] = raw === 'true';
    } else {
      out[key] = raw;
    }
  }
  return out as unknown as TrainConfig;
}

export function configKeys(base: TrainConfig): string[] {
  return Object.keys(base).map(flagOf);
}

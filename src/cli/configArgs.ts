import type { TrainConfig } from '../train/protocol';

/** `--weight-decay` for `weightDecay`: every config field is a flag of the same name. */
const flagOf = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Fields the command line sets some other way (dataset, model and backend have own flags). */
const reserved = new Set(['dataset', 'backend', 'model']);

/** The allowed values of every text field. */
const choices: Record<string, readonly string[]> = {
  activation: ['none', 'relu', 'leaky_relu', 'elu', 'tanh', 'sigmoid'],
  jk: ['none', 'cat', 'max'],
  norm: ['sym', 'row'],
  aggr: ['mean', 'max', 'sum'],
  cross: ['sum', 'mean', 'max', 'min', 'stack'],
  pool: ['sum', 'mean', 'max'],
  selection: ['best-val', 'last'],
};

/** Text fields without a fixed set of values, and what they take. */
const freeText: Record<string, string> = { stack: 'KIND,KIND,...' };

/** Every config field as a flag with its type, for the usage text. */
export function configFlags(base: TrainConfig): string[] {
  return Object.entries(base).filter(([k]) => !reserved.has(k))
    .map(([k, v]) => `--${flagOf(k)} ${typeof v === 'number' ? 'N' : typeof v === 'boolean' ? 'true|false' : (freeText[k] ?? (choices[k] ?? [String(v)]).join('|'))}  (${String(v)})`);
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
      if (choices[key] && !choices[key].includes(raw)) throw new Error(`--${flagOf(key)} must be one of ${choices[key].join(', ')}, got '${raw}'`);
      out[key] = raw;
    }
  }
  return out as unknown as TrainConfig;
}

export function configKeys(base: TrainConfig): string[] {
  return Object.keys(base).map(flagOf);
}

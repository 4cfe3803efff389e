import { GraphFormatError } from './errors';

/**
 * Field readers for JSON graph files: each checks one value and throws a GraphFormatError that
 * names its path, so a loader reads as a list of what the format requires.
 */

export type Obj = Record<string, unknown>;

// Typed arrays hold ids as uint32 and WebGPU indexes with i32/u32; larger counts cannot work.
export const MAX_COUNT = 2 ** 31 - 1;

export function fail(path: string, problem: string): never {
  throw new GraphFormatError(path, problem);
}

export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return String(v);
}

export function rangeText(n: number): string {
  return n > 0 ? `0..${n - 1}` : '(there are none)';
}

export function object(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    fail(path, `expected ${path ? 'an object' : 'a JSON object at the top level'}, found ${show(v)}`);
  }
  return v as Obj;
}

export function string(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, `expected a string, found ${show(v)}`);
  return v;
}

/** A string, or undefined where the field is absent or null. */
export function optionalString(v: unknown, path: string): string | undefined {
  return v === undefined || v === null ? undefined : string(v, path);
}

export function count(v: unknown, path: string, min: number, max = MAX_COUNT): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(path, `expected a whole number in ${min}..${max}, found ${show(v)}`);
  }
  return v;
}

export function array(v: unknown, path: string, length: number): unknown[] {
  if (!Array.isArray(v)) fail(path, `expected an array, found ${show(v)}`);
  if (v.length !== length) fail(path, `expected ${length} entries, found ${v.length}`);
  return v;
}

/** Integers in 0..n-1; `what` names them in messages ("node id 5000 is out of range"). */
export function ids(v: unknown, path: string, length: number, n: number, what: string): Uint32Array {
  const a = array(v, path, length);
  const out = new Uint32Array(length);
  for (let k = 0; k < length; k++) {
    const x = a[k];
    if (typeof x !== 'number' || !Number.isInteger(x)) fail(`${path}[${k}]`, `expected an integer, found ${show(x)}`);
    if (x < 0 || x >= n) fail(`${path}[${k}]`, `${what} ${x} is out of range ${rangeText(n)}`);
    out[k] = x;
  }
  return out;
}

/** `length` strings, or undefined where the field is absent or null. */
export function names(v: unknown, path: string, length: number): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return array(v, path, length).map((s, i) => string(s, `${path}[${i}]`));
}

import { GraphFormatError } from '../errors';

/**
 * A NumPy `.npy` array (numpy.lib.format, versions 1 to 3): magic `\x93NUMPY`, version, header
 * length (u16 in v1, u32 in v2 and v3), a Python dict literal with `descr`, `fortran_order` and
 * `shape`, then the raw data. Read here: little-endian (or single-byte) booleans, integers and
 * float32/64, which come out as float64 (exact for all of them up to 2^53), and fixed-width
 * strings (`<U` UTF-32, `|S` bytes). Not read: big-endian data, structured dtypes, pickled
 * objects, and Fortran-ordered arrays of 2 or more dimensions (in 0 or 1 dimensions the two
 * orders are the same bytes).
 */
export type NpyArray =
  | { readonly kind: 'number'; readonly descr: string; readonly integer: boolean; readonly shape: readonly number[]; readonly data: Float64Array }
  | { readonly kind: 'string'; readonly descr: string; readonly shape: readonly number[]; readonly data: string[] };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** `place` names the array in messages (`cora.npz adj_indptr.npy`). */
export function parseNpy(bytes: Uint8Array, place: string): NpyArray {
  const fail = (problem: string): never => {
    throw new GraphFormatError(place, problem);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('is not a .npy array (it does not start with the bytes \\x93NUMPY)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`uses .npy format version ${major}.${bytes[7]}; versions 1 to 3 can be read`);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) fail('is truncated inside its header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) fail(`is truncated: its header needs ${headerLength} bytes`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));

  let dict: unknown;
  try {
    dict = new Literal(header).whole();
  } catch (e) {
    fail(`has a header that is not a Python dict literal (${e instanceof Error ? e.message : String(e)}): ${header.trim().slice(0, 80)}`);
  }
  if (!(dict instanceof Map)) return fail(`has a header that is not a dict: ${header.trim().slice(0, 80)}`);
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (Array.isArray(descr)) fail('has a structured dtype (a list of fields); only plain arrays can be read');
  if (typeof descr !== 'string') return fail("has no 'descr' (dtype) in its header");
  if (typeof fortran !== 'boolean') fail("has no 'fortran_order' in its header");
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return fail("has no valid 'shape' in its header");
  if (fortran && shape.length >= 2) fail('is stored in Fortran (column-major) order; save it in C order (numpy.ascontiguousarray) first');

  const m = /^([<>|=])([a-zA-Z])(\d*)$/.exec(descr);
  if (m?.[2] === 'O') fail(`holds pickled Python objects (dtype ${descr}), which are not loaded; save plain numeric or string arrays`);
  if (!m || m[3] === '') return fail(`has dtype ${descr}, which cannot be read`);
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  const count = shape.reduce((a: number, b: number) => a * b, 1);
  const itemBytes = kind === 'U' ? 4 * size : size;
  const need = count * itemBytes;
  if (dataStart + need > bytes.length) fail(`is truncated: shape (${shape.join(', ')}) of ${descr} needs ${need} bytes of data, found ${bytes.length - dataStart}`);
  if (order === '>' && itemBytes > 1 && kind !== 'S') fail(`holds big-endian data (${descr}); only little-endian arrays can be read`);

  const at = (i: number) => dataStart + i * itemBytes;
  if (kind === 'U' || kind === 'S') {
    const data = Array.from({ length: count }, (_, i) => (kind === 'U' ? utf32(view, at(i), size) : latin1(bytes, at(i), size)));
    return { kind: 'string', descr, shape, data };
  }
  const read = reader(kind, size, view);
  if (!read) return fail(`has dtype ${descr}, which cannot be read (booleans, integers, float32 and float64 can)`);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    data[i] = read(at(i));
    if (!Number.isFinite(data[i]) && kind !== 'f') fail(`holds an integer too large to read exactly (${descr}, entry ${i})`);
  }
  return { kind: 'number', descr, integer: kind !== 'f', shape, data };
}

function reader(kind: string, size: number, v: DataView): ((at: number) => number) | undefined {
  const big = (x: bigint) => (x <= BigInt(Number.MAX_SAFE_INTEGER) && x >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : Infinity);
  switch (`${kind}${size}`) {
    case 'b1':
    case 'u1':
      return (at) => v.getUint8(at);
    case 'i1':
      return (at) => v.getInt8(at);
    case 'i2':
      return (at) => v.getInt16(at, true);
    case 'u2':
      return (at) => v.getUint16(at, true);
    case 'i4':
      return (at) => v.getInt32(at, true);
    case 'u4':
      return (at) => v.getUint32(at, true);
    case 'i8':
      return (at) => big(v.getBigInt64(at, true));
    case 'u8':
      return (at) => big(v.getBigUint64(at, true));
    case 'f4':
      return (at) => v.getFloat32(at, true);
    case 'f8':
      return (at) => v.getFloat64(at, true);
  }
  return undefined;
}

/** numpy's `<U n`: n UTF-32LE code points, zero padded at the end. */
function utf32(v: DataView, at: number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) {
    const c = v.getUint32(at + 4 * k, true);
    if (c === 0) break;
    s += String.fromCodePoint(c <= 0x10ffff ? c : 0xfffd);
  }
  return s;
}

function latin1(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let k = 0; k < n && b[at + k] !== 0; k++) s += String.fromCharCode(b[at + k]);
  return s;
}

type Value = string | number | boolean | null | Value[] | Map<string, Value>;

/** The Python literals an .npy header uses: dicts, tuples, lists, strings, ints, booleans, None. */
class Literal {
  private i = 0;
  constructor(private readonly s: string) {}

  whole(): Value {
    const v = this.value();
    this.space();
    if (this.i < this.s.length) throw new Error(`unexpected ${JSON.stringify(this.s[this.i])} at ${this.i}`);
    return v;
  }

  private space() {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private value(): Value {
    this.space();
    const c = this.s[this.i];
    if (c === '{') return this.dict();
    if (c === '(' || c === '[') return this.sequence(c === '(' ? ')' : ']');
    if (c === "'" || c === '"') return this.string();
    const word = /^(True|False|None|[+-]?\d+)/.exec(this.s.slice(this.i));
    if (!word) throw new Error(`unexpected ${c === undefined ? 'end' : JSON.stringify(c)} at ${this.i}`);
    this.i += word[0].length;
    return word[0] === 'True' ? true : word[0] === 'False' ? false : word[0] === 'None' ? null : Number(word[0]);
  }

  private dict(): Map<string, Value> {
    const out = new Map<string, Value>();
    this.i++;
    for (;;) {
      this.space();
      if (this.s[this.i] === '}') break;
      const key = this.value();
      if (typeof key !== 'string') throw new Error('a dict key is not a string');
      this.expect(':');
      out.set(key, this.value());
      if (!this.comma('}')) break;
    }
    this.expect('}');
    return out;
  }

  private sequence(close: string): Value[] {
    const out: Value[] = [];
    this.i++;
    for (;;) {
      this.space();
      if (this.s[this.i] === close) break;
      out.push(this.value());
      if (!this.comma(close)) break;
    }
    this.expect(close);
    return out;
  }

  private string(): string {
    const q = this.s[this.i++];
    const end = this.s.indexOf(q, this.i);
    if (end < 0) throw new Error('a string is not closed');
    const v = this.s.slice(this.i, end);
    this.i = end + 1;
    return v;
  }

  /** After an item: a comma (true), or the closing bracket coming next (false). */
  private comma(close: string): boolean {
    this.space();
    if (this.s[this.i] === ',') {
      this.i++;
      return true;
    }
    if (this.s[this.i] !== close) throw new Error(`expected "," or "${close}" at ${this.i}`);
    return false;
  }

  private expect(c: string) {
    this.space();
    if (this.s[this.i] !== c) throw new Error(`expected "${c}" at ${this.i}`);
    this.i++;
  }
}

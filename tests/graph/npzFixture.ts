import { crc32 as zlibCrc32, deflateRawSync } from 'node:zlib';

/**
 * Builds .npy and .npz bytes the way numpy.lib.format and zipfile lay them out, so tests can
 * make small and broken archives without committing binaries. CRCs come from zlib, not from
 * the reader under test.
 */

export type Dtype = '<f4' | '<f8' | '<i4' | '<i8' | '|i1' | '|u1' | '>i4';

/** An .npy member: header padded with spaces to a multiple of 64 bytes, ending in '\n'. */
export function npy(descr: string, shape: readonly number[], data: Uint8Array, opts: { version?: 1 | 2; fortran?: boolean; header?: string } = {}): Uint8Array {
  const version = opts.version ?? 1;
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = opts.header ?? `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${dims}, }`;
  const pre = version === 1 ? 10 : 12;
  header += ' '.repeat(63 - ((pre + header.length) % 64)) + '\n';
  const out = new Uint8Array(pre + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), pre);
  out.set(data, pre + header.length);
  return out;
}

export function numeric(descr: Dtype, values: readonly number[], shape: readonly number[] = [values.length]): Uint8Array {
  const size = Number(descr.slice(2));
  const bytes = new Uint8Array(values.length * size);
  const v = new DataView(bytes.buffer);
  values.forEach((x, i) => {
    const at = i * size;
    if (descr === '<f4') v.setFloat32(at, x, true);
    else if (descr === '<f8') v.setFloat64(at, x, true);
    else if (descr === '<i4') v.setInt32(at, x, true);
    else if (descr === '>i4') v.setInt32(at, x, false);
    else if (descr === '<i8') v.setBigInt64(at, BigInt(x), true);
    else if (descr === '|i1') v.setInt8(at, x);
    else v.setUint8(at, x);
  });
  return npy(descr, shape, bytes);
}

/** `<U{width}`: UTF-32LE, zero padded. */
export function unicode(values: readonly string[], width: number): Uint8Array {
  const bytes = new Uint8Array(values.length * width * 4);
  const v = new DataView(bytes.buffer);
  values.forEach((s, i) => [...s].forEach((ch, k) => v.setUint32((i * width + k) * 4, ch.codePointAt(0)!, true)));
  return npy(`<U${width}`, [values.length], bytes);
}

export interface Member {
  readonly name: string;
  readonly data: Uint8Array;
  readonly deflate?: boolean;
}

/** A ZIP archive: local headers and data, then the central directory and its end record. */
export function zip(members: readonly Member[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = new TextEncoder().encode(m.name);
    const body = m.deflate ? new Uint8Array(deflateRawSync(m.data)) : m.data;
    const crc = zlibCrc32(m.data);
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true);
    l.setUint16(8, m.deflate ? 8 : 0, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, body.length, true);
    l.setUint32(22, m.data.length, true);
    l.setUint16(26, name.length, true);
    local.set(name, 30);
    const entry = new Uint8Array(46 + name.length);
    const c = new DataView(entry.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(10, m.deflate ? 8 : 0, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, body.length, true);
    c.setUint32(24, m.data.length, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, offset, true);
    entry.set(name, 46);
    chunks.push(local, body);
    central.push(entry);
    offset += local.length + body.length;
  }
  const cdSize = central.reduce((s, e) => s + e.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, members.length, true);
  e.setUint16(10, members.length, true);
  e.setUint32(12, cdSize, true);
  e.setUint32(16, offset, true);
  const all = [...chunks, ...central, end];
  const out = new Uint8Array(all.reduce((s, a) => s + a.length, 0));
  let at = 0;
  for (const a of all) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/**
 * The members of a tiny gnn-benchmark graph: 4 nodes, stored entries 0->1, 1->0, 1->2, 2->2
 * (a self loop) and 3->0, so 3 undirected edges; features 4 x 3 with one 0.5; labels 0 1 1 0.
 */
export function tinyMembers(): Record<string, Uint8Array> {
  return {
    adj_data: numeric('<f4', [1, 1, 1, 1, 1]),
    adj_indices: numeric('<i4', [1, 0, 2, 2, 0]),
    adj_indptr: numeric('<i4', [0, 1, 3, 4, 5]),
    adj_shape: numeric('<i8', [4, 4]),
    attr_data: numeric('<f4', [1, 0.5, 1, 1]),
    attr_indices: numeric('<i4', [2, 0, 1, 1]),
    attr_indptr: numeric('<i4', [0, 1, 3, 3, 4]),
    attr_shape: numeric('<i8', [4, 3]),
    labels: numeric('|i1', [0, 1, 1, 0]),
    class_names: unicode(['Ünïcode', 'y'], 7),
  };
}

export function npz(members: Record<string, Uint8Array>, deflate = false): Uint8Array {
  return zip(Object.entries(members).map(([k, data]) => ({ name: `${k}.npy`, data, deflate })));
}

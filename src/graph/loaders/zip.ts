import { GraphFormatError } from '../errors';

/**
 * Just enough of ZIP (PKWARE APPNOTE 6.3) to read an .npz: the central directory (with ZIP64
 * sizes and offsets, which numpy writes), stored (method 0) and deflated (method 8) members, and
 * each member's CRC-32. Every error names the archive (and the member).
 */
export interface ZipMember {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc32: number;
  readonly localOffset: number;
}

// Bounds what a damaged or hostile archive can make us allocate when unpacked.
export const MAX_UNPACKED_BYTES = 2 ** 30;

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function zipMembers(bytes: Uint8Array, file: string): ZipMember[] {
  const fail = (problem: string): never => {
    throw new GraphFormatError(file, problem);
  };
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) fail('is not a ZIP archive (an .npz starts with the bytes "PK")');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => {
    const v = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
    if (!Number.isSafeInteger(v)) fail('has a ZIP64 size or offset too large to read');
    return v;
  };

  // The end record sits in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (u32(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail('is truncated or damaged: its ZIP end-of-central-directory record is missing');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== ZIP64_LOCATOR) fail('is damaged: it needs a ZIP64 end record but has no locator');
    const rec = u64(loc + 8);
    if (rec + 56 > bytes.length || u32(rec) !== ZIP64_EOCD) fail('is damaged: its ZIP64 end record is missing');
    count = u64(rec + 32);
    cdSize = u64(rec + 40);
    cdOffset = u64(rec + 48);
  }
  if (cdOffset + cdSize > bytes.length) fail(`is truncated: its central directory (bytes ${cdOffset}..${cdOffset + cdSize}) lies past the end (${bytes.length} bytes)`);

  const members: ZipMember[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cdOffset + cdSize || u32(at) !== CENTRAL) fail(`is damaged: central directory entry ${i + 1} of ${count} is missing`);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const crc32 = u32(at + 16);
    let compressedSize = u32(at + 20);
    let size = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    let localOffset = u32(at + 42);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (flags & 1) fail(`member ${name} is encrypted`);
    // ZIP64 extra field (id 1): the 64-bit values of the fields saturated at 0xffffffff, in order.
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = u16(e);
      const len = u16(e + 2);
      if (id === 1) {
        let p = e + 4;
        if (size === 0xffffffff) {
          size = u64(p);
          p += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(p);
          p += 8;
        }
        if (localOffset === 0xffffffff) localOffset = u64(p);
      }
      e += 4 + len;
    }
    members.push({ name, method, compressedSize, size, crc32, localOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}

/** A member's bytes, inflated if need be and checked against its size and CRC-32. */
export async function zipMemberData(bytes: Uint8Array, m: ZipMember, file: string): Promise<Uint8Array> {
  const fail = (problem: string): never => {
    throw new GraphFormatError(`${file} ${m.name}`, problem);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (m.localOffset + 30 > bytes.length || view.getUint32(m.localOffset, true) !== LOCAL) fail('is damaged: its local header is missing');
  const start = m.localOffset + 30 + view.getUint16(m.localOffset + 26, true) + view.getUint16(m.localOffset + 28, true);
  if (start + m.compressedSize > bytes.length) fail(`is truncated: it needs ${m.compressedSize} bytes from offset ${start} but the file ends at ${bytes.length}`);
  if (m.size > MAX_UNPACKED_BYTES) fail(`unpacks to ${m.size} bytes, more than the ${MAX_UNPACKED_BYTES} supported`);
  const raw = bytes.subarray(start, start + m.compressedSize);

  let data: Uint8Array;
  if (m.method === 0) data = raw;
  else if (m.method === 8) data = await inflateRaw(raw, fail);
  else data = fail(`uses ZIP compression method ${m.method}; only stored (0) and deflated (8) members can be read`);
  if (data.length !== m.size) fail(`unpacked to ${data.length} bytes but the archive says ${m.size}`);
  if (crc32(data) !== m.crc32) fail('is damaged: its CRC-32 does not match its contents');
  return data;
}

async function inflateRaw(raw: Uint8Array, fail: (problem: string) => never): Promise<Uint8Array> {
  try {
    const stream = new Blob([raw.slice()]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    return fail(`is damaged: its deflate data does not unpack (${e instanceof Error ? e.message : String(e)})`);
  }
}

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, reflected, polynomial 0xedb88320), as ZIP stores it. */
export function crc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

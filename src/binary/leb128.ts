// LEB128 integers (spec §5.2.2 "Integers"): unsigned and signed, 32, 33 and 64 bits.
//
// Writers put the minimal encoding into a caller-sized buffer at `pos` and return the
// position after it (at most 5 bytes for 32/33-bit values, 10 for 64-bit ones); they do
// not check the range — `ByteWriter` does that once, before calling them. 64-bit values
// are bigints, but a value that fits in 32 bits is encoded with number arithmetic only.
//
// Readers take a `Cursor` (anything with a mutable `pos`, such as a decoder's reader),
// advance it past the integer and throw `DecodeError` with the spec suite's messages:
// "unexpected end", "integer representation too long" (more bytes than ceil(N/7)) and
// "integer too large" (unused bits of the last byte not zero / not the sign extension).

import { DecodeError } from '../model/errors.ts';

// ---------------------------------------------------------------------------------------
// Sizes

/** Bytes in the minimal unsigned encoding of a u32 `v`. */
export function sizeU32(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

// ---------------------------------------------------------------------------------------
// Writers

/** Writes `v` (an integer in [0, 2^32)) as unsigned LEB128. */
export function writeU32(buf: Uint8Array, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/** Writes `v` (an integer in [-2^31, 2^31)) as signed LEB128. */
export function writeS32(buf: Uint8Array, pos: number, v: number): number {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      buf[pos++] = b;
      return pos;
    }
    buf[pos++] = b | 0x80;
  }
}

/**
 * Writes any safe integer `v` as signed LEB128 using number arithmetic; used for s33
 * (block types and heap types, where a type index is in [0, 2^32)).
 */
export function writeSigned(buf: Uint8Array, pos: number, v: number): number {
  if (v >= -0x80000000 && v <= 0x7fffffff) return writeS32(buf, pos, v);
  for (;;) {
    const b = v & 0x7f; // low bits survive ToInt32 for any safe integer
    v = Math.floor(v / 128);
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      buf[pos++] = b;
      return pos;
    }
    buf[pos++] = b | 0x80;
  }
}

/** Writes the u64 `hi * 2^32 + lo` (both halves unsigned 32-bit) as unsigned LEB128. */
export function writeU64Parts(buf: Uint8Array, pos: number, lo: number, hi: number): number {
  if (hi === 0) return writeU32(buf, pos, lo);
  // The value is at least 2^32, so the first four bytes all continue.
  for (let i = 0; i < 4; i++) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo >>>= 7;
  }
  const b = lo | ((hi & 0x7) << 4);
  hi >>>= 3;
  if (hi === 0) {
    buf[pos++] = b;
    return pos;
  }
  buf[pos++] = b | 0x80;
  return writeU32(buf, pos, hi);
}

/** Writes the s64 whose low half is `lo` (unsigned) and high half `hi` (signed 32-bit). */
export function writeS64Parts(buf: Uint8Array, pos: number, lo: number, hi: number): number {
  if ((hi === 0 && lo < 0x80000000) || (hi === -1 && lo >= 0x80000000)) {
    return writeS32(buf, pos, lo | 0);
  }
  // Outside the s32 range the encoding takes at least five bytes.
  for (let i = 0; i < 4; i++) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo >>>= 7;
  }
  const b = lo | ((hi & 0x7) << 4);
  hi >>= 3;
  if ((hi === 0 && (b & 0x40) === 0) || (hi === -1 && (b & 0x40) !== 0)) {
    buf[pos++] = b;
    return pos;
  }
  buf[pos++] = b | 0x80;
  return writeS32(buf, pos, hi);
}

const U32_MAX = 0xffffffffn;
const S32_MIN = -0x80000000n;
const S32_MAX = 0x7fffffffn;

// Splitting a bigint into 32-bit halves through a typed array allocates nothing, unlike
// `v & 0xffffffffn` and `v >> 32n` (which allocate a bigint each).
const scratch64 = new BigInt64Array(1);
const scratchU64 = new BigUint64Array(scratch64.buffer);
const scratchU32 = new Uint32Array(scratch64.buffer);
const scratchI32 = new Int32Array(scratch64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

/** Writes `v` (in [0, 2^64)) as unsigned LEB128. */
export function writeU64(buf: Uint8Array, pos: number, v: bigint): number {
  if (v <= U32_MAX) return writeU32(buf, pos, Number(v));
  scratchU64[0] = v;
  return writeU64Parts(buf, pos, scratchU32[LO]!, scratchU32[HI]!);
}

/** Writes `v` (in [-2^63, 2^63)) as signed LEB128. */
export function writeS64(buf: Uint8Array, pos: number, v: bigint): number {
  if (v >= S32_MIN && v <= S32_MAX) return writeS32(buf, pos, Number(v));
  scratch64[0] = v;
  return writeS64Parts(buf, pos, scratchU32[LO]!, scratchI32[HI]!);
}

// Convenience encoders returning fresh arrays (for tests and one-off uses, not hot paths).

export function encodeU32(v: number): Uint8Array {
  const buf = new Uint8Array(5);
  return buf.slice(0, writeU32(buf, 0, v));
}

export function encodeS32(v: number): Uint8Array {
  const buf = new Uint8Array(5);
  return buf.slice(0, writeS32(buf, 0, v));
}

export function encodeS33(v: number): Uint8Array {
  const buf = new Uint8Array(5);
  return buf.slice(0, writeSigned(buf, 0, v));
}

export function encodeU64(v: bigint): Uint8Array {
  const buf = new Uint8Array(10);
  return buf.slice(0, writeU64(buf, 0, v));
}

export function encodeS64(v: bigint): Uint8Array {
  const buf = new Uint8Array(10);
  return buf.slice(0, writeS64(buf, 0, v));
}

// ---------------------------------------------------------------------------------------
// Readers

/** A read position; the decoder's reader can be passed directly. */
export interface Cursor {
  pos: number;
}

function unexpectedEnd(pos: number): never {
  throw new DecodeError('unexpected end', pos);
}

function tooLong(pos: number): never {
  throw new DecodeError('integer representation too long', pos);
}

function tooLarge(pos: number): never {
  throw new DecodeError('integer too large', pos);
}

/** Reads an unsigned 32-bit LEB128 integer ending before `end`. */
export function readU32(buf: Uint8Array, cur: Cursor, end: number = buf.length): number {
  let pos = cur.pos;
  if (pos >= end) unexpectedEnd(pos);
  let b = buf[pos++]!;
  if (b < 0x80) {
    cur.pos = pos;
    return b;
  }
  let result = b & 0x7f;
  for (let shift = 7; shift < 28; shift += 7) {
    if (pos >= end) unexpectedEnd(pos);
    b = buf[pos++]!;
    result |= (b & 0x7f) << shift;
    if (b < 0x80) {
      cur.pos = pos;
      return result >>> 0;
    }
  }
  if (pos >= end) unexpectedEnd(pos);
  b = buf[pos++]!;
  if (b & 0x80) tooLong(pos - 1);
  if (b & 0x70) tooLarge(pos - 1);
  cur.pos = pos;
  return (result | (b << 28)) >>> 0;
}

/** Reads a signed LEB128 integer of `bits` ≤ 33 bits (as a number). */
function readSignedSmall(buf: Uint8Array, cur: Cursor, end: number, bits: number): number {
  let pos = cur.pos;
  let result = 0;
  let mul = 1;
  const maxBytes = Math.ceil(bits / 7);
  for (let i = 0; ; i++) {
    if (pos >= end) unexpectedEnd(pos);
    const b = buf[pos++]!;
    if (i === maxBytes - 1) {
      if (b & 0x80) tooLong(pos - 1);
      // Bits of this byte from the sign bit upwards must all be equal.
      const used = bits - 7 * i; // value bits in this byte, the top one being the sign
      const mask = (0x7f >> (used - 1)) << (used - 1);
      const top = b & mask;
      if (top !== 0 && top !== mask) tooLarge(pos - 1);
    }
    result += (b & 0x7f) * mul;
    mul *= 128;
    if (b < 0x80) {
      if (b & 0x40) result -= mul;
      cur.pos = pos;
      return result;
    }
  }
}

/** Reads a signed 32-bit LEB128 integer. */
export function readS32(buf: Uint8Array, cur: Cursor, end: number = buf.length): number {
  const pos = cur.pos;
  if (pos < end) {
    const b = buf[pos]!;
    if (b < 0x80) {
      cur.pos = pos + 1;
      return (b << 25) >> 25;
    }
  }
  return readSignedSmall(buf, cur, end, 32);
}

/** Reads a signed 33-bit LEB128 integer (block types, heap types). */
export function readS33(buf: Uint8Array, cur: Cursor, end: number = buf.length): number {
  const pos = cur.pos;
  if (pos < end) {
    const b = buf[pos]!;
    if (b < 0x80) {
      cur.pos = pos + 1;
      return (b << 25) >> 25;
    }
  }
  return readSignedSmall(buf, cur, end, 33);
}

/** Reads an unsigned 64-bit LEB128 integer as a bigint. */
export function readU64(buf: Uint8Array, cur: Cursor, end: number = buf.length): bigint {
  let pos = cur.pos;
  // Fast path: up to four bytes fit in a number.
  let result = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= end) unexpectedEnd(pos);
    const b = buf[pos++]!;
    result |= (b & 0x7f) << shift;
    if (b < 0x80) {
      cur.pos = pos;
      return BigInt(result >>> 0);
    }
  }
  let big = BigInt(result >>> 0);
  for (let shift = 28n; ; shift += 7n) {
    if (pos >= end) unexpectedEnd(pos);
    const b = buf[pos++]!;
    if (shift === 63n) {
      if (b & 0x80) tooLong(pos - 1);
      if (b & 0x7e) tooLarge(pos - 1);
    }
    big |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      cur.pos = pos;
      return big;
    }
  }
}

/** Reads a signed 64-bit LEB128 integer as a bigint. */
export function readS64(buf: Uint8Array, cur: Cursor, end: number = buf.length): bigint {
  let pos = cur.pos;
  let result = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= end) unexpectedEnd(pos);
    const b = buf[pos++]!;
    result |= (b & 0x7f) << shift;
    if (b < 0x80) {
      cur.pos = pos;
      const width = shift + 7;
      return BigInt((result << (32 - width)) >> (32 - width));
    }
  }
  let big = BigInt(result >>> 0);
  for (let shift = 28n; ; shift += 7n) {
    if (pos >= end) unexpectedEnd(pos);
    const b = buf[pos++]!;
    if (shift === 63n) {
      if (b & 0x80) tooLong(pos - 1);
      const top = b & 0x7f;
      if (top !== 0 && top !== 0x7f) tooLarge(pos - 1);
    }
    big |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      cur.pos = pos;
      return BigInt.asIntN(64, (b & 0x40) !== 0 ? big - (1n << (shift + 7n)) : big);
    }
  }
}

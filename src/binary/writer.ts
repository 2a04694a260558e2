// A growable byte buffer for the binary format (spec §5.1–5.2: bytes, integers, floats,
// names, vectors). One Uint8Array that doubles when full; no allocation per write.
//
// Size-prefixed chunks (sections, function bodies, name subsections) use
// reserve-and-patch: `beginSized()` reserves five bytes, `endSized(mark)` writes the
// minimal LEB128 size and moves the contents back over the unused reserved bytes.

import { EncodeError } from '../model/errors.ts';
import {
  sizeU32,
  writeS32,
  writeS64Parts,
  writeSigned,
  writeU32,
  writeU64Parts,
} from './leb128.ts';

// Scratch space for splitting 64-bit bigints into 32-bit halves without allocating.
const scratchI64 = new BigInt64Array(1);
const scratchU64 = new BigUint64Array(scratchI64.buffer);
const scratchI32 = new Int32Array(scratchI64.buffer);
const scratchU32 = new Uint32Array(scratchI64.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

const U64_MAX = 0xffffffffffffffffn;
const S64_MIN = -0x8000000000000000n;
const S64_MAX = 0x7fffffffffffffffn;

/** The bytes of `parts`, one after another, in a new array. */
export function concatBytes(parts: readonly ArrayLike<number>[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export class ByteWriter {
  /** The buffer; valid bytes are `buf[0 .. pos)`. Replaced when it grows. */
  buf: Uint8Array;
  /** The write position (= number of bytes written). */
  pos: number;
  /** `buf.length`, kept in a field: cheaper to read than a typed array's length. */
  cap: number;
  /** A DataView of `buf`, for 64-bit floats. */
  private dv: DataView;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.cap = this.buf.length;
    this.dv = new DataView(this.buf.buffer);
    this.pos = 0;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.cap) this.grow(n);
  }

  private grow(n: number): void {
    let cap = this.buf.length * 2;
    const need = this.pos + n;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.cap = cap;
    this.dv = new DataView(next.buffer);
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /**
   * The bytes written, as an array of exactly that length, leaving the writer empty.
   * Cheaper than `finish()` for large outputs: where the engine has
   * `ArrayBuffer.prototype.transfer`, the buffer is shrunk (often in place) instead of
   * copied.
   */
  take(): Uint8Array {
    const buf = this.buf;
    const n = this.pos;
    let out: Uint8Array;
    const transfer = (buf.buffer as { transfer?: (length: number) => ArrayBuffer }).transfer;
    if (typeof transfer === 'function') out = new Uint8Array(transfer.call(buf.buffer, n));
    else out = buf.slice(0, n);
    this.buf = new Uint8Array(16);
    this.cap = 16;
    this.dv = new DataView(this.buf.buffer);
    this.pos = 0;
    return out;
  }

  /** A view of the bytes written so far (invalidated by further writes). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Forgets the contents, keeping the buffer. */
  reset(): void {
    this.pos = 0;
  }

  // -------------------------------------------------------------------------------------
  // Bytes

  u8(b: number): void {
    if (this.pos >= this.cap) this.grow(1);
    this.buf[this.pos++] = b;
  }

  /** Two bytes, e.g. an opcode and a one-byte immediate. */
  u8x2(a: number, b: number): void {
    if (this.pos + 2 > this.cap) this.grow(2);
    const buf = this.buf;
    buf[this.pos] = a;
    buf[this.pos + 1] = b;
    this.pos += 2;
  }

  bytes(data: Uint8Array): void {
    const n = data.length;
    if (this.pos + n > this.cap) this.grow(n);
    if (n < 16) {
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < n; i++) buf[pos++] = data[i]!;
      this.pos = pos;
    } else {
      this.buf.set(data, this.pos);
      this.pos += n;
    }
  }

  /** A byte vector: u32 length, then the bytes. */
  byteVec(data: Uint8Array): void {
    this.u32(data.length);
    this.bytes(data);
  }

  // -------------------------------------------------------------------------------------
  // Integers (LEB128)

  /** Unsigned 32-bit LEB128; throws EncodeError unless `v` is an integer in [0, 2^32). */
  u32(v: number): void {
    if (this.pos + 5 > this.cap) this.grow(5);
    if (v < 0x80 && v >= 0 && (v | 0) === v) {
      this.buf[this.pos++] = v;
      return;
    }
    if (v >>> 0 !== v) throw new EncodeError(`value out of u32 range: ${v}`);
    this.pos = writeU32(this.buf, this.pos, v);
  }

  /** Signed 32-bit LEB128; throws EncodeError unless `v` is an integer in [-2^31, 2^31). */
  s32(v: number): void {
    if (this.pos + 5 > this.cap) this.grow(5);
    if (v < 0x40 && v >= -0x40 && (v | 0) === v) {
      this.buf[this.pos++] = v & 0x7f;
      return;
    }
    if ((v | 0) !== v) throw new EncodeError(`value out of s32 range: ${v}`);
    this.pos = writeS32(this.buf, this.pos, v);
  }

  /** Signed 33-bit LEB128 (block type and heap type indices); `v` in [-2^32, 2^32). */
  s33(v: number): void {
    if (this.pos + 5 > this.cap) this.grow(5);
    if (v < 0x40 && v >= -0x40 && (v | 0) === v) {
      this.buf[this.pos++] = v & 0x7f;
      return;
    }
    if (!Number.isInteger(v) || v < -0x100000000 || v >= 0x100000000) {
      throw new EncodeError(`value out of s33 range: ${v}`);
    }
    this.pos = writeSigned(this.buf, this.pos, v);
  }

  /**
   * Unsigned 64-bit LEB128 of a bigint (or a safe-integer number) in [0, 2^64).
   * Bigint comparisons are slow in V8, so the value is split through a typed array
   * first; values that fit in 32 bits then need no bigint operation at all. (So that this
   * stays cheap, a value of magnitude 2^64 or more whose low 64 bits look like a u32 is
   * taken modulo 2^64; every other out-of-range value throws.)
   */
  u64(v: bigint | number): void {
    if (this.pos + 10 > this.cap) this.grow(10);
    if (typeof v === 'bigint') {
      scratchU64[0] = v;
      const lo = scratchU32[LO]!;
      const hi = scratchU32[HI]!;
      if (hi === 0) {
        if (lo < 0x80) this.buf[this.pos++] = lo;
        else this.pos = writeU32(this.buf, this.pos, lo);
        return;
      }
      if (v < 0n || v > U64_MAX) throw new EncodeError(`value out of u64 range: ${v}`);
      this.pos = writeU64Parts(this.buf, this.pos, lo, hi);
      return;
    }
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new EncodeError(`value out of u64 range: ${String(v)}`);
    }
    if (v <= 0xffffffff) this.pos = writeU32(this.buf, this.pos, v);
    else this.pos = writeU64Parts(this.buf, this.pos, v % 0x100000000, Math.floor(v / 0x100000000));
  }

  /**
   * Signed 64-bit LEB128 of a bigint (or a safe-integer number) in [-2^63, 2^63); split
   * through a typed array like `u64` (the same caveat applies beyond ±2^64).
   */
  s64(v: bigint | number): void {
    if (this.pos + 10 > this.cap) this.grow(10);
    if (typeof v === 'bigint') {
      scratchI64[0] = v;
      const lo = scratchI32[LO]!;
      const hi = scratchI32[HI]!;
      if (hi === lo >> 31) {
        // In the s32 range (modulo 2^64).
        if (lo < 0x40 && lo >= -0x40) this.buf[this.pos++] = lo & 0x7f;
        else this.pos = writeS32(this.buf, this.pos, lo);
        return;
      }
      if (v < S64_MIN || v > S64_MAX) throw new EncodeError(`value out of s64 range: ${v}`);
      this.pos = writeS64Parts(this.buf, this.pos, lo >>> 0, hi);
      return;
    }
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      throw new EncodeError(`value out of s64 range: ${String(v)}`);
    }
    if ((v | 0) === v) this.pos = writeS32(this.buf, this.pos, v);
    else this.s64(BigInt(v));
  }

  // -------------------------------------------------------------------------------------
  // Floats (IEEE 754 bit patterns, little-endian)

  /** f32 from its bit pattern, an unsigned 32-bit integer. */
  f32(bits: number): void {
    if (bits >>> 0 !== bits) throw new EncodeError(`f32 bit pattern out of range: ${bits}`);
    if (this.pos + 4 > this.cap) this.grow(4);
    const buf = this.buf;
    const pos = this.pos;
    buf[pos] = bits;
    buf[pos + 1] = bits >>> 8;
    buf[pos + 2] = bits >>> 16;
    buf[pos + 3] = bits >>> 24;
    this.pos = pos + 4;
  }

  /** f64 from its bit pattern, an unsigned 64-bit bigint. */
  f64(bits: bigint | number): void {
    if (typeof bits !== 'bigint') {
      if (!Number.isSafeInteger(bits) || bits < 0) throw new EncodeError(`f64 bit pattern out of range: ${bits}`);
      bits = BigInt(bits);
    }
    if (bits < 0n || bits > U64_MAX) throw new EncodeError(`f64 bit pattern out of range: ${bits}`);
    if (this.pos + 8 > this.cap) this.grow(8);
    this.dv.setBigUint64(this.pos, bits, true);
    this.pos += 8;
  }

  // -------------------------------------------------------------------------------------
  // Names (spec §5.2.4): u32 byte length, then UTF-8

  name(s: string): void {
    const n = s.length;
    // Assume ASCII: length prefix of n, then one byte per code unit.
    if (this.pos + 5 + n > this.cap) this.grow(5 + n);
    const buf = this.buf;
    const start = this.pos;
    let pos = writeU32(buf, start, n);
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = start;
        this.nameUtf8(s);
        return;
      }
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  private nameUtf8(s: string): void {
    const n = s.length;
    let len = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) len += 1;
      else if (c < 0x800) len += 2;
      else if (c >= 0xd800 && c <= 0xdfff) {
        const d = c <= 0xdbff && i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (d < 0xdc00 || d > 0xdfff) {
          throw new EncodeError(`name is not valid Unicode (lone surrogate at ${i})`);
        }
        len += 4;
        i++;
      } else len += 3;
    }
    if (this.pos + 5 + len > this.cap) this.grow(5 + len);
    const buf = this.buf;
    let pos = writeU32(buf, this.pos, len);
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) buf[pos++] = c;
      else if (c < 0x800) {
        buf[pos++] = 0xc0 | (c >> 6);
        buf[pos++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
        buf[pos++] = 0xf0 | (c >> 18);
        buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
        buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
        buf[pos++] = 0x80 | (c & 0x3f);
      } else {
        buf[pos++] = 0xe0 | (c >> 12);
        buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
        buf[pos++] = 0x80 | (c & 0x3f);
      }
    }
    this.pos = pos;
  }

  // -------------------------------------------------------------------------------------
  // Vectors

  /** A vector of u32 values (indices). */
  u32Vec(values: readonly number[]): void {
    const n = values.length;
    this.u32(n);
    for (let i = 0; i < n; i++) this.u32(values[i]!);
  }

  // -------------------------------------------------------------------------------------
  // Size-prefixed chunks

  /** Reserves room for a u32 size; returns the mark to pass to `endSized`. */
  beginSized(): number {
    if (this.pos + 5 > this.cap) this.grow(5);
    const mark = this.pos;
    this.pos += 5;
    return mark;
  }

  /** Writes the size of everything since `beginSized()` returned `mark`. */
  endSized(mark: number): void {
    const start = mark + 5;
    const size = this.pos - start;
    if (size > 0xffffffff) throw new EncodeError(`chunk too large: ${size} bytes`);
    const n = sizeU32(size);
    const buf = this.buf;
    if (n < 5) {
      if (size > 0) buf.copyWithin(mark + n, start, this.pos);
      this.pos -= 5 - n;
    }
    writeU32(buf, mark, size);
  }
}

/**
 * Keeps ByteWriter's object shape alive between encodings. V8 holds the shapes that
 * class instances reach through field initialization only weakly; when no writer
 * survives a garbage collection, the shape dies and every optimized function that
 * embeds it (the whole encoder) is deoptimized and must warm up again.
 */
export const WRITER_SHAPE_ANCHOR: ByteWriter = new ByteWriter(16);

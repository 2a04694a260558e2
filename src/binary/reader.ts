// The byte reader under the decoder (spec §5.1 "Conventions", §5.2 "Values"): bytes,
// LEB128 integers, floats, vectors and names, read from a Uint8Array at a position.
//
// Errors are DecodeErrors whose offset is `base + position`, so that a reader over part
// of a file still reports offsets in the whole file. Messages and the positions they
// point at follow the reference interpreter (interpreter/binary/decode.ml), which the
// spec suite's `assert_malformed` messages come from:
// - a read past the end: "unexpected end of section or function" (reads are bounded by
//   the end of the input, not of the section: as in the reference interpreter, a
//   section or body whose contents overrun its size is a "section size mismatch",
//   reported once it has been read);
// - an LEB128 number whose last permitted byte has unused bits that are not zero (or
//   not the sign extension): "integer too large"; one with more bytes than ceil(N/7):
//   "integer representation too long";
// - a vector length or byte count larger than the bytes left: "length out of bounds";
// - a name that is not UTF-8: "malformed UTF-8 encoding".
//
// Hot paths are written for V8: one-byte LEB128 values are read inline, nothing is
// allocated per byte, small bigints come from a table.

import { DecodeError } from '../model/errors.ts';

/** The message for reading past the end of the input. */
export const UNEXPECTED_END = 'unexpected end of section or function';

const SMALL_BIGINTS = 1024;
const BIG_POS: bigint[] = [];
const BIG_NEG: bigint[] = [];
for (let i = 0; i < SMALL_BIGINTS; i++) {
  BIG_POS.push(BigInt(i));
  BIG_NEG.push(BigInt(-i));
}

/** `BigInt(v)` for an integer `v` (|v| < 2^53), without allocating for small values. */
export function smallBigInt(v: number): bigint {
  if (v >= 0) {
    if (v < SMALL_BIGINTS) return BIG_POS[v]!;
  } else if (v > -SMALL_BIGINTS) return BIG_NEG[-v]!;
  return BigInt(v);
}

const TWO_49 = 2 ** 49;

export class Reader {
  /** The input. */
  readonly buf: Uint8Array;
  /** Current position in `buf`. */
  pos: number;
  /** Reads stop here (normally `buf.length`). */
  end: number;
  /** Offset of `buf[0]` in the whole file, added to every error's offset. */
  readonly base: number;
  private view: DataView | null = null;

  constructor(buf: Uint8Array, pos = 0, end = buf.length, base = 0) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.base = base;
  }

  // -------------------------------------------------------------------------------------
  // Errors

  /** Throws a DecodeError at `at` (a position in `buf`; default: the current one). */
  fail(message: string, at: number = this.pos): never {
    throw new DecodeError(message, this.base + at);
  }

  /** The position `at` as an offset in the whole file. */
  offsetOf(at: number = this.pos): number {
    return this.base + at;
  }

  // -------------------------------------------------------------------------------------
  // Bytes

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** One byte. */
  u8(): number {
    const pos = this.pos;
    if (pos >= this.end) this.fail(UNEXPECTED_END, pos);
    this.pos = pos + 1;
    return this.buf[pos]!;
  }

  /** The next byte without consuming it, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.buf[this.pos]! : -1;
  }

  /** Consumes a byte that must be zero ("zero byte expected"). */
  zero(): void {
    const pos = this.pos;
    if (pos >= this.end) this.fail(UNEXPECTED_END, pos);
    if (this.buf[pos] !== 0) this.fail('zero byte expected', pos);
    this.pos = pos + 1;
  }

  /** Skips `n` bytes. */
  skip(n: number): void {
    if (n < 0 || this.pos + n > this.end) this.fail(UNEXPECTED_END, this.end);
    this.pos += n;
  }

  /** The next `n` bytes as a view into the input (not a copy). */
  bytes(n: number): Uint8Array {
    const pos = this.pos;
    if (n < 0 || pos + n > this.end) this.fail(UNEXPECTED_END, this.end);
    this.pos = pos + n;
    return this.buf.subarray(pos, pos + n);
  }

  /** The next `n` bytes as a fresh copy. */
  copy(n: number): Uint8Array {
    const pos = this.pos;
    if (pos + n > this.end) this.fail(UNEXPECTED_END, this.end);
    this.pos = pos + n;
    return this.buf.slice(pos, pos + n);
  }

  private dataView(): DataView {
    return (this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength));
  }

  /** A little-endian 32-bit word, unsigned (f32 bit patterns). */
  word32(): number {
    const pos = this.pos;
    if (pos + 4 > this.end) this.fail(UNEXPECTED_END, this.end);
    const b = this.buf;
    this.pos = pos + 4;
    return (b[pos]! | (b[pos + 1]! << 8) | (b[pos + 2]! << 16) | (b[pos + 3]! << 24)) >>> 0;
  }

  /** A little-endian 64-bit word, unsigned (f64 bit patterns). */
  word64(): bigint {
    const pos = this.pos;
    if (pos + 8 > this.end) this.fail(UNEXPECTED_END, this.end);
    this.pos = pos + 8;
    return this.dataView().getBigUint64(pos, true);
  }

  // -------------------------------------------------------------------------------------
  // LEB128 (spec §5.2.2)

  /** An unsigned 32-bit integer. */
  u32(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.u32Slow();
  }

  private u32Slow(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) this.fail(UNEXPECTED_END, pos);
      const b = buf[pos++]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    if (pos >= end) this.fail(UNEXPECTED_END, pos);
    const b = buf[pos++]!;
    if ((b & 0x7f) >= 0x10) this.fail('integer too large', pos - 1);
    if (b & 0x80) this.fail('integer representation too long', pos);
    this.pos = pos;
    return (result | (b << 28)) >>> 0;
  }

  /** A signed 32-bit integer. */
  s32(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return (b << 25) >> 25;
      }
    }
    return this.signedSlow(5, 0x78);
  }

  /** A signed 33-bit integer (block types, heap types), as a number. */
  s33(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return (b << 25) >> 25;
      }
    }
    return this.signedSlow(5, 0x70);
  }

  /**
   * A signed integer of at most `maxBytes` bytes whose last byte must have the bits of
   * `mask` all equal (the sign extension); the value must fit a double exactly.
   */
  private signedSlow(maxBytes: number, mask: number): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let result = 0;
    let mul = 1;
    for (let i = 1; ; i++) {
      if (pos >= end) this.fail(UNEXPECTED_END, pos);
      const b = buf[pos++]!;
      if (i === maxBytes) {
        const top = b & mask;
        if (top !== 0 && top !== mask) this.fail('integer too large', pos - 1);
        if (b & 0x80) this.fail('integer representation too long', pos);
      }
      result += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) {
        if (b & 0x40) result -= mul;
        this.pos = pos;
        return result;
      }
    }
  }

  /** An unsigned 64-bit integer as a bigint. */
  u64(): bigint {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return BIG_POS[b]!;
      }
    }
    return this.u64Slow();
  }

  private u64Slow(): bigint {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    // Up to seven bytes (49 bits) are exact in a double.
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      if (pos >= end) this.fail(UNEXPECTED_END, pos);
      const b = buf[pos++]!;
      result += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) {
        this.pos = pos;
        return smallBigInt(result);
      }
    }
    // Bytes 8-10 hold bits 49-63: at most 15 bits, so again a small number.
    let high = 0;
    for (let i = 0, shift = 0; ; i++, shift += 7) {
      if (pos >= end) this.fail(UNEXPECTED_END, pos);
      const b = buf[pos++]!;
      if (i === 2) {
        if ((b & 0x7f) >= 0x02) this.fail('integer too large', pos - 1);
        if (b & 0x80) this.fail('integer representation too long', pos);
      }
      high |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    this.pos = pos;
    return (BigInt(high) << 49n) + BigInt(result);
  }

  /** A signed 64-bit integer as a bigint. */
  s64(): bigint {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b < 0x40 ? BIG_POS[b]! : BIG_NEG[0x80 - b]!;
      }
    }
    return this.s64Slow();
  }

  private s64Slow(): bigint {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      if (pos >= end) this.fail(UNEXPECTED_END, pos);
      const b = buf[pos++]!;
      result += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) {
        if (b & 0x40) result -= mul;
        this.pos = pos;
        return smallBigInt(result);
      }
    }
    // result holds the low 49 bits (unsigned); bytes 8-10 hold bits 49-63 and the sign.
    let high = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      if (pos >= end) this.fail(UNEXPECTED_END, pos);
      const b = buf[pos++]!;
      if (i === 2) {
        const top = b & 0x7f;
        if (top !== 0 && top !== 0x7f) this.fail('integer too large', pos - 1);
        if (b & 0x80) this.fail('integer representation too long', pos);
      }
      high |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        if (b & 0x40) high -= 2 ** shift; // sign-extend
        break;
      }
    }
    this.pos = pos;
    return BigInt.asIntN(64, BigInt(high) * BigInt(TWO_49) + BigInt(result));
  }

  // -------------------------------------------------------------------------------------
  // Vectors and names (spec §5.1.3, §5.2.4)

  /**
   * A vector length or byte count: a u32 no larger than the bytes left after the
   * position where it starts ("length out of bounds"), so that a caller can allocate
   * for it safely — every vector element takes at least one byte.
   */
  count(): number {
    const start = this.pos;
    const n = this.u32();
    if (n > this.end - start) this.fail('length out of bounds', start);
    return n;
  }

  /**
   * A name: a byte count, then UTF-8. `alone`: a name that is not one of a run of names
   * (a custom section's), decoded by itself rather than through a window.
   */
  name(alone = false): string {
    const start = this.pos;
    const n = this.count();
    const pos = this.pos;
    if (pos + n > this.end) this.fail(UNEXPECTED_END, this.end);
    const s = (alone ? null : this.asciiName(pos, n)) ?? decodeUtf8(this.buf, pos, pos + n);
    if (s === null) this.fail('malformed UTF-8 encoding', start);
    this.pos = pos + n;
    return s;
  }

  // Names of imports and exports come by the hundred and are mostly ASCII. Building each
  // char by char makes a string that must be flattened again when it is hashed (names
  // go into Sets and Maps); instead a window of the input is decoded once, one char per
  // byte, and an ASCII name is a slice of it. The window reaches to `textEnd` when that
  // is set, so that a section of names is decoded in one go.
  private window = '';
  private windowStart = 0;
  /**
   * Where the section being read ends (a position in `buf`), or 0 when unknown: a hint
   * for how many bytes to decode at once for names. Reads are not bounded by it.
   */
  textEnd = 0;

  /** The ASCII name at buf[pos..pos+n), or null when it is not ASCII or too long. */
  private asciiName(pos: number, n: number): string | null {
    if (n > 256) return null;
    const buf = this.buf;
    let bits = 0;
    for (let i = pos; i < pos + n; i++) bits |= buf[i]!;
    if (bits >= 0x80) return null;
    let at = pos - this.windowStart;
    if (at < 0 || at + n > this.window.length) {
      const hinted = this.textEnd > pos;
      const end = hinted ? Math.max(pos + n, Math.min(this.textEnd, pos + MAX_WINDOW)) : pos + Math.max(n, WINDOW);
      this.window = oneCharPerByte(buf, pos, end);
      this.windowStart = pos;
      at = 0;
    }
    return this.window.substring(at, at + n);
  }
}

/** Bytes decoded at once for names without a TextDecoder (see Reader.asciiName). */
const WINDOW = 512;
/** Most bytes decoded at once for names (bounding the memory a huge section takes). */
const MAX_WINDOW = 1 << 20;

/**
 * A decoder of windows-1252 (the WHATWG encoding that the label "latin1" names): one
 * char per byte, the same char as the byte for ASCII. For long windows it is several
 * times faster than String.fromCharCode; null where there is none.
 */
const SINGLE_BYTE: { decode(bytes: Uint8Array): string } | null = (() => {
  try {
    return new TextDecoder('latin1');
  } catch {
    return null;
  }
})();

/**
 * One char per byte of buf[start..end) (cut at the end of the input), equal to the
 * bytes where they are ASCII; without a TextDecoder, at most 2 * WINDOW bytes (more
 * than a name has).
 */
function oneCharPerByte(buf: Uint8Array, start: number, end: number): string {
  end = Math.min(buf.length, end);
  if (end - start > WINDOW && SINGLE_BYTE !== null) {
    try {
      const s = SINGLE_BYTE.decode(buf.subarray(start, end));
      if (s.length === end - start) return s;
    } catch {
      // e.g. a view of a SharedArrayBuffer, which some decoders refuse
    }
  }
  const stop = Math.min(end, start + 2 * WINDOW);
  return String.fromCharCode.apply(null, buf.subarray(start, stop) as unknown as number[]);
}

// ---------------------------------------------------------------------------------------
// UTF-8 (spec §5.2.4: names are UTF-8 without surrogates, overlong forms or values above
// U+10FFFF)

const CHUNK = 4096;

/** Decodes `buf[start..end)` as UTF-8; null when it is not well-formed. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string | null {
  const n = end - start;
  if (n <= 64) {
    // Short ASCII (most names): build the string directly, which beats making a view
    // for String.fromCharCode.apply or a TextDecoder call.
    let s = '';
    let i = start;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) break;
      s += String.fromCharCode(c);
    }
    if (i === end) return s;
  } else if (n <= CHUNK) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
  }
  return decodeUtf8Slow(buf, start, end);
}

function decodeUtf8Slow(buf: Uint8Array, start: number, end: number): string | null {
  const units = new Uint16Array(Math.min(end - start, CHUNK) + 1);
  let out = '';
  let n = 0;
  let i = start;
  while (i < end) {
    if (n >= CHUNK) {
      out += String.fromCharCode.apply(null, units.subarray(0, n) as unknown as number[]);
      n = 0;
    }
    const b0 = buf[i]!;
    if (b0 < 0x80) {
      units[n++] = b0;
      i++;
      continue;
    }
    let cp: number;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      if (i + 1 >= end) return null;
      const b1 = buf[i + 1]!;
      if ((b1 & 0xc0) !== 0x80) return null;
      cp = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      if (i + 2 >= end) return null;
      const b1 = buf[i + 1]!;
      const b2 = buf[i + 2]!;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80) return null;
      if (b0 === 0xe0 && b1 < 0xa0) return null; // overlong
      if (b0 === 0xed && b1 >= 0xa0) return null; // surrogate
      cp = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      i += 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      if (i + 3 >= end) return null;
      const b1 = buf[i + 1]!;
      const b2 = buf[i + 2]!;
      const b3 = buf[i + 3]!;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return null;
      if (b0 === 0xf0 && b1 < 0x90) return null; // overlong
      if (b0 === 0xf4 && b1 >= 0x90) return null; // above U+10FFFF
      cp = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
      i += 4;
      cp -= 0x10000;
      units[n++] = 0xd800 + (cp >> 10);
      units[n++] = 0xdc00 + (cp & 0x3ff);
      continue;
    } else {
      return null; // continuation byte, overlong lead (C0, C1) or F5-FF
    }
    units[n++] = cp;
  }
  return out + String.fromCharCode.apply(null, units.subarray(0, n) as unknown as number[]);
}

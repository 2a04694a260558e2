// String and name literals of the text format (spec §6.3.3 strings, §6.3.4 names),
// with the UTF-8 helpers around them.
//
// A string literal denotes bytes: escapes `\t \n \r \" \' \\`, `\hh` (any byte) and
// `\u{hex}` (a Unicode scalar value, UTF-8 encoded); other characters stand for their
// UTF-8 encoding, except control characters (below U+20, and U+7F), which must be escaped.
// A name is a string whose bytes are valid UTF-8.

import { WasmError } from '../model/errors.ts';

/** Writes code point `cp` (a scalar value ≥ 0x80) as UTF-8 at out[o]; returns the new end. */
function putUtf8(out: Uint8Array, o: number, cp: number): number {
  if (cp < 0x800) {
    out[o] = 0xc0 | (cp >> 6);
    out[o + 1] = 0x80 | (cp & 0x3f);
    return o + 2;
  }
  if (cp < 0x10000) {
    out[o] = 0xe0 | (cp >> 12);
    out[o + 1] = 0x80 | ((cp >> 6) & 0x3f);
    out[o + 2] = 0x80 | (cp & 0x3f);
    return o + 3;
  }
  out[o] = 0xf0 | (cp >> 18);
  out[o + 1] = 0x80 | ((cp >> 12) & 0x3f);
  out[o + 2] = 0x80 | ((cp >> 6) & 0x3f);
  out[o + 3] = 0x80 | (cp & 0x3f);
  return o + 4;
}

/**
 * The bytes of a string literal, given the token text with its double quotes; undefined
 * when it is malformed (bad escape, raw control character, unescaped quote, lone
 * surrogate).
 */
export function decodeString(text: string): Uint8Array | undefined {
  return decodeStringAt(text, 0, text.length);
}

/** Scratch output for `decodeStringAt`, reused while it stays small. */
let scratch = new Uint8Array(1 << 12);
const SCRATCH_KEEP = 1 << 20;
/** `decodeInto`'s result when the output needs more room than one byte per character. */
const NEEDS_ROOM = -2;

/** Like `decodeString`, for the literal `src[start, end)` (quotes included), without slicing. */
export function decodeStringAt(src: string, start: number, end: number): Uint8Array | undefined {
  const last = end - 1;
  if (last - start < 1 || src.charCodeAt(start) !== 34 || src.charCodeAt(last) !== 34) return undefined;
  // Escapes never produce more bytes than their characters, ASCII one byte per
  // character: only raw non-ASCII characters need more (at most 3 bytes per UTF-16 unit).
  const n = last - start - 1;
  let out = scratch.length >= n ? scratch : new Uint8Array(n);
  let o = decodeInto(src, start + 1, last, out, false);
  if (o === NEEDS_ROOM) {
    out = new Uint8Array(3 * n);
    o = decodeInto(src, start + 1, last, out, true);
  }
  if (o < 0) return undefined;
  if (out.length > scratch.length && out.length <= SCRATCH_KEEP) scratch = out;
  return out.slice(0, o);
}

/**
 * Decodes the body `src[i, end)` of a string literal into `out`; returns the number of
 * bytes, -1 when malformed, or NEEDS_ROOM at a non-ASCII character unless `wide` (then
 * `out` has room for 3 bytes per character). (The loop is a function of its own so that
 * its caller's code after it keeps type feedback when the loop is optimized on-stack.)
 */
function decodeInto(src: string, i: number, end: number, out: Uint8Array, wide: boolean): number {
  const hex = HEX_VALUE;
  let o = 0;
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      if (c !== 92) {
        if (c === 34) return -1;
        out[o++] = c;
        i++;
        continue;
      }
      // An escape. `\hh` first: the escape letters t n r u " ' \ are not hex digits.
      if (i + 1 >= end) return -1;
      const e = src.charCodeAt(i + 1);
      const hi = e < 128 ? hex[e]! : -1;
      if (hi >= 0) {
        const l = i + 2 < end ? src.charCodeAt(i + 2) : 0;
        const lo = l < 128 ? hex[l]! : -1;
        if (lo < 0) return -1;
        out[o++] = (hi << 4) | lo;
        i += 3;
        continue;
      }
      i += 2;
      switch (e) {
        case 116: // t
          out[o++] = 9;
          continue;
        case 110: // n
          out[o++] = 10;
          continue;
        case 114: // r
          out[o++] = 13;
          continue;
        case 34: // "
        case 39: // '
        case 92: // \
          out[o++] = e;
          continue;
        case 117: {
          // u{hexnum}, with `_` between digits; `i` is after the `u`.
          const r = unicodeEscape(src, i, end);
          if (r < 0) return -1;
          const cp = r % 0x110000;
          i = (r - cp) / 0x110000;
          // \u{…} takes at least 6 characters for a code point ≥ 0x80, more than the
          // (at most 4) bytes it stands for.
          if (cp < 0x80) out[o++] = cp;
          else o = putUtf8(out, o, cp);
          continue;
        }
        default:
          return -1;
      }
    }
    if (c < 0x80) return -1; // control character
    if (!wide) return NEEDS_ROOM;
    if (c >= 0xd800 && c < 0xe000) {
      const lo = src.charCodeAt(i + 1);
      if (c >= 0xdc00 || i + 1 >= end || !(lo >= 0xdc00 && lo < 0xe000)) return -1;
      o = putUtf8(out, o, 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00));
      i += 2;
    } else {
      o = putUtf8(out, o, c);
      i++;
    }
  }
  return o;
}

/** Hex digit values of ASCII characters, -1 for the others. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let d = 0; d < 10; d++) HEX_VALUE[48 + d] = d;
for (let d = 0; d < 6; d++) HEX_VALUE[65 + d] = HEX_VALUE[97 + d] = 10 + d;

/**
 * The `{hexnum}` of a `\u{…}` escape starting at `i` (at the `{`): returns
 * `next * 0x110000 + cp` where `next` is the index after the `}`, or -1 when malformed
 * (no digits, a bad `_`, above U+10FFFF, a surrogate, unclosed).
 */
function unicodeEscape(src: string, i: number, end: number): number {
  if (i >= end || src.charCodeAt(i) !== 123) return -1;
  i++;
  let cp = -1;
  let underscore = false;
  for (;;) {
    if (i >= end) return -1;
    const h = src.charCodeAt(i++);
    if (h === 125) break;
    if (h === 95) {
      if (cp < 0 || underscore) return -1;
      underscore = true;
      continue;
    }
    const d = h < 128 ? HEX_VALUE[h]! : -1;
    if (d < 0) return -1;
    underscore = false;
    cp = (cp < 0 ? 0 : cp * 16) + d;
    if (cp > 0x10ffff) return -1;
  }
  if (cp < 0 || underscore || (cp >= 0xd800 && cp < 0xe000)) return -1;
  return i * 0x110000 + cp;
}

/**
 * The name a string literal denotes (token text with its quotes); undefined when the
 * literal is malformed or its bytes are not valid UTF-8 ("malformed UTF-8 encoding").
 */
export function decodeName(text: string): string | undefined {
  const end = text.length - 1;
  if (end < 1 || text.charCodeAt(0) !== 34 || text.charCodeAt(end) !== 34) return undefined;
  for (let i = 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f ? c !== 34 && c !== 92 : c >= 0x80 && (c < 0xd800 || c >= 0xe000)) continue;
    // An escape, a surrogate pair or an error: go through the bytes.
    const bytes = decodeString(text);
    return bytes === undefined ? undefined : tryUtf8Decode(bytes);
  }
  return text.slice(1, end);
}

/** Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or values above U+10FFFF). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return utf8Scan(bytes, undefined) >= 0;
}

/**
 * Validates `bytes` as UTF-8 and, when `units` is given, writes the UTF-16 code units;
 * returns how many, or -1 when malformed.
 */
function utf8Scan(bytes: Uint8Array, units: Uint16Array | undefined): number {
  const n = bytes.length;
  let u = 0;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    let cp: number;
    if (b < 0x80) {
      cp = b;
      i++;
    } else if (b < 0xc2) {
      return -1; // continuation byte, or an overlong 2-byte form
    } else if (b < 0xe0) {
      if (i + 1 >= n) return -1;
      const b1 = bytes[i + 1]!;
      if ((b1 & 0xc0) !== 0x80) return -1;
      cp = ((b & 0x1f) << 6) | (b1 & 0x3f);
      i += 2;
    } else if (b < 0xf0) {
      if (i + 2 >= n) return -1;
      const b1 = bytes[i + 1]!;
      const b2 = bytes[i + 2]!;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80) return -1;
      if (b === 0xe0 ? b1 < 0xa0 : b === 0xed && b1 >= 0xa0) return -1; // overlong, surrogate
      cp = ((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      i += 3;
    } else if (b < 0xf5) {
      if (i + 3 >= n) return -1;
      const b1 = bytes[i + 1]!;
      const b2 = bytes[i + 2]!;
      const b3 = bytes[i + 3]!;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return -1;
      if (b === 0xf0 ? b1 < 0x90 : b === 0xf4 && b1 >= 0x90) return -1; // overlong, > U+10FFFF
      cp = ((b & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
      i += 4;
    } else {
      return -1;
    }
    if (cp < 0x10000) {
      if (units !== undefined) units[u] = cp;
      u++;
    } else {
      if (units !== undefined) {
        units[u] = 0xd800 + ((cp - 0x10000) >> 10);
        units[u + 1] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
      }
      u += 2;
    }
  }
  return u;
}

const CHUNK = 8192;

/** The string of char codes codes[0, n), built in chunks to stay within argument limits. */
function charCodesToString(codes: Uint8Array | Uint16Array, n: number): string {
  if (n <= CHUNK) return String.fromCharCode.apply(null, codes.subarray(0, n) as unknown as number[]);
  let s = '';
  for (let i = 0; i < n; i += CHUNK) {
    s += String.fromCharCode.apply(null, codes.subarray(i, Math.min(n, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

/** The string `bytes` encode in UTF-8, or undefined when they are not valid UTF-8. */
export function tryUtf8Decode(bytes: Uint8Array): string | undefined {
  const n = bytes.length;
  let i = 0;
  while (i < n && bytes[i]! < 0x80) i++;
  if (i === n) return charCodesToString(bytes, n);
  const units = new Uint16Array(n); // never more UTF-16 units than bytes
  const u = utf8Scan(bytes, units);
  return u < 0 ? undefined : charCodesToString(units, u);
}

/** The string `bytes` encode in UTF-8; throws a WasmError "malformed UTF-8 encoding" if invalid. */
export function utf8Decode(bytes: Uint8Array): string {
  const s = tryUtf8Decode(bytes);
  if (s === undefined) throw new WasmError('malformed UTF-8 encoding');
  return s;
}

/** The UTF-8 encoding of `s`; lone surrogates become U+FFFD. */
export function utf8Encode(s: string): Uint8Array {
  const n = s.length;
  let i = 0;
  while (i < n && s.charCodeAt(i) < 0x80) i++;
  const out = new Uint8Array(i === n ? n : i + 3 * (n - i));
  for (let k = 0; k < i; k++) out[k] = s.charCodeAt(k);
  let o = i;
  for (; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
      continue;
    }
    if (c >= 0xd800 && c < 0xe000) {
      const lo = s.charCodeAt(i + 1);
      if (c < 0xdc00 && lo >= 0xdc00 && lo < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    o = putUtf8(out, o, c);
  }
  return o === out.length ? out : out.slice(0, o);
}

const HEX_CODES = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

/**
 * A string literal (with its quotes) denoting `bytes`: printable ASCII kept, `"` and `\`
 * as `\"` and `\\`, every other byte as `\hh`. The inverse of `decodeString`.
 */
export function encodeStringLiteral(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(3 * n + 2);
  let o = 0;
  out[o++] = 34;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b >= 0x20 && b < 0x7f) {
      if (b === 34 || b === 92) out[o++] = 92;
      out[o++] = b;
    } else {
      out[o++] = 92;
      out[o++] = HEX_CODES[b >> 4]!;
      out[o++] = HEX_CODES[b & 15]!;
    }
  }
  out[o++] = 34;
  return charCodesToString(out, o);
}

/**
 * A string literal (with its quotes) for the name `name`, keeping its characters readable:
 * printable ASCII and non-ASCII characters from U+A0 kept, `"` and `\` escaped, control
 * characters as `\hh` or `\u{…}`, lone surrogates as `\u{fffd}`.
 */
export function encodeNameLiteral(name: string): string {
  let s = '"';
  let start = 0;
  const n = name.length;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f ? c !== 34 && c !== 92 : c >= 0xa0 && (c < 0xd800 || c >= 0xe000)) continue;
    let esc: string;
    if (c === 34 || c === 92) {
      esc = c === 34 ? '\\"' : '\\\\';
    } else if (c < 0x80) {
      esc = '\\' + (c < 16 ? '0' : '') + c.toString(16);
    } else if (c < 0xd800 || c >= 0xe000) {
      esc = '\\u{' + c.toString(16) + '}';
    } else {
      const lo = name.charCodeAt(i + 1);
      if (c < 0xdc00 && lo >= 0xdc00 && lo < 0xe000) {
        i++;
        continue; // a well-formed pair: kept
      }
      esc = '\\u{fffd}';
    }
    s += name.slice(start, i) + esc;
    start = i + 1;
  }
  return s + name.slice(start) + '"';
}
